#include "fault_injector.h"

#include "http_util.h"
#include "path_template.h"

#include <algorithm>
#include <limits>
#include <set>
#include <stdexcept>

namespace flexcore::emulator {
namespace {

constexpr int kMaxDelayMs = 600000;

int integer_field(const nlohmann::json& spec, const char* name, int min, int max) {
  const auto& value = spec[name];
  if (!value.is_number_integer()) {
    throw std::invalid_argument(std::string("'") + name + "' must be an integer");
  }
  const auto n = value.get<long long>();
  if (n < min || n > max) {
    throw std::invalid_argument(std::string("'") + name + "' must be between " + std::to_string(min) + " and " +
                                std::to_string(max) + ", got " + std::to_string(n));
  }
  return static_cast<int>(n);
}

bool is_token(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

}  // namespace

nlohmann::json Fault::to_json() const {
  nlohmann::json out{{"id", id},
                     {"method", method.empty() ? nlohmann::json(nullptr) : nlohmann::json(method)},
                     {"path", path_glob},
                     {"status", status ? nlohmann::json(*status) : nlohmann::json(nullptr)},
                     {"body", body ? nlohmann::json(*body) : nlohmann::json(nullptr)},
                     {"headers", nlohmann::json::object()},
                     {"delayMs", delay_ms},
                     {"drop", drop},
                     {"dropMode", drop_mode == DropMode::Reset ? "reset" : "close"},
                     {"count", count},
                     {"remaining", count == 0 ? nlohmann::json(nullptr) : nlohmann::json(remaining)},
                     {"hits", hits},
                     {"live", live()}};
  for (const auto& [name, value] : headers) out["headers"][name] = value;
  return out;
}

Fault parse_fault(const nlohmann::json& spec) {
  if (!spec.is_object()) throw std::invalid_argument("a fault must be a JSON object");
  static const std::set<std::string> kKnown = {"method", "path",  "status",   "body",  "headers",
                                               "delayMs", "drop", "dropMode", "count"};
  for (const auto& [key, value] : spec.items()) {
    (void)value;
    if (kKnown.count(key) == 0) {
      throw std::invalid_argument("unknown field '" + key +
                                  "' (expected method, path, status, body, headers, delayMs, drop, dropMode, count)");
    }
  }
  Fault fault;
  if (spec.contains("method") && !spec["method"].is_null()) {
    if (!spec["method"].is_string() || !is_token(spec["method"].get<std::string>())) {
      throw std::invalid_argument("'method' must be an HTTP method name such as \"POST\"");
    }
    fault.method = spec["method"].get<std::string>();
    for (char& c : fault.method) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
  }
  if (!spec.contains("path") || !spec["path"].is_string() || spec["path"].get<std::string>().empty() ||
      spec["path"].get<std::string>().front() != '/') {
    throw std::invalid_argument("'path' is required: a glob starting with '/', e.g. \"/v1/Accounts/*/Tokens/validate\"");
  }
  fault.path_glob = spec["path"].get<std::string>();
  if (spec.contains("status") && !spec["status"].is_null()) fault.status = integer_field(spec, "status", 200, 599);
  if (spec.contains("headers") && !spec["headers"].is_null()) {
    if (!spec["headers"].is_object()) throw std::invalid_argument("'headers' must be an object of header name to string value");
    for (const auto& [name, value] : spec["headers"].items()) {
      if (!is_token(name)) throw std::invalid_argument("'headers': invalid header name '" + name + "'");
      if (!value.is_string()) throw std::invalid_argument("'headers': value of '" + name + "' must be a string");
      const std::string text = value.get<std::string>();
      if (text.find_first_of("\r\n") != std::string::npos) {
        throw std::invalid_argument("'headers': value of '" + name + "' must not contain CR or LF");
      }
      fault.headers.emplace_back(name, text);
    }
  }
  if (spec.contains("body") && !spec["body"].is_null()) {
    if (!fault.status) throw std::invalid_argument("'body' needs 'status' (the emulated API answers otherwise)");
    const auto& body = spec["body"];
    if (body.is_string()) {
      fault.body = body.get<std::string>();
      const auto parsed = nlohmann::json::parse(*fault.body, nullptr, false);
      fault.content_type = (!parsed.is_discarded() && (parsed.is_object() || parsed.is_array())) ? "application/json"
                                                                                                  : "text/plain";
    } else {
      fault.body = body.dump();
      fault.content_type = "application/json";
    }
  }
  for (const auto& [name, value] : fault.headers) {
    if (to_lower(name) == "content-type") fault.content_type = value;
  }
  if (spec.contains("delayMs") && !spec["delayMs"].is_null()) fault.delay_ms = integer_field(spec, "delayMs", 0, kMaxDelayMs);
  if (spec.contains("drop") && !spec["drop"].is_null()) {
    if (!spec["drop"].is_boolean()) throw std::invalid_argument("'drop' must be true or false");
    fault.drop = spec["drop"].get<bool>();
  }
  if (spec.contains("dropMode") && !spec["dropMode"].is_null()) {
    const auto& mode = spec["dropMode"];
    if (mode == "close") {
      fault.drop_mode = Fault::DropMode::Close;
    } else if (mode == "reset") {
      fault.drop_mode = Fault::DropMode::Reset;
    } else {
      throw std::invalid_argument("'dropMode' must be \"close\" or \"reset\"");
    }
    if (!fault.drop) throw std::invalid_argument("'dropMode' needs \"drop\": true");
  }
  if (fault.drop && (fault.status || !fault.headers.empty())) {
    throw std::invalid_argument("'drop' cannot be combined with 'status', 'body' or 'headers' (nothing is answered)");
  }
  if (spec.contains("count") && !spec["count"].is_null()) {
    fault.count = integer_field(spec, "count", 0, std::numeric_limits<int>::max());
  }
  fault.remaining = fault.count;
  if (!fault.status && !fault.drop && fault.delay_ms == 0 && fault.headers.empty()) {
    throw std::invalid_argument("the fault does nothing: give 'status', 'drop': true, 'delayMs' > 0 or 'headers'");
  }
  return fault;
}

std::string FaultInjector::add(Fault fault) {
  std::lock_guard lock(mutex_);
  fault.id = "F" + std::to_string(next_id_++);
  fault.remaining = fault.count;
  fault.hits = 0;
  faults_.push_back(std::move(fault));
  any_ = true;
  return faults_.back().id;
}

std::optional<Fault> FaultInjector::take(const std::string& method, const std::string& full_path,
                                         const std::string& relative_path) {
  if (!any_) return std::nullopt;
  std::lock_guard lock(mutex_);
  for (auto& fault : faults_) {
    if (!fault.live()) continue;
    if (!fault.method.empty() && fault.method != method) continue;
    if (!glob_match(fault.path_glob, full_path) && !glob_match(fault.path_glob, relative_path)) continue;
    if (fault.count != 0) --fault.remaining;
    ++fault.hits;
    return fault;
  }
  return std::nullopt;
}

nlohmann::json FaultInjector::list() const {
  std::lock_guard lock(mutex_);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& fault : faults_) out.push_back(fault.to_json());
  return out;
}

bool FaultInjector::remove(const std::string& id) {
  std::lock_guard lock(mutex_);
  const auto it = std::find_if(faults_.begin(), faults_.end(), [&](const Fault& f) { return f.id == id; });
  if (it == faults_.end()) return false;
  faults_.erase(it);
  any_ = !faults_.empty();
  return true;
}

void FaultInjector::clear() {
  std::lock_guard lock(mutex_);
  faults_.clear();
  any_ = false;
}

void FaultInjector::reset() {
  std::lock_guard lock(mutex_);
  faults_.clear();
  any_ = false;
  next_id_ = 1;
}

bool FaultInjector::wait(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, delay, [this] { return stopping_; });
}

void FaultInjector::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

}  // namespace flexcore::emulator
