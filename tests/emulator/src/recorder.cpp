#include "recorder.h"

#include "http_util.h"
#include "path_template.h"

namespace flexcore::emulator {
namespace {

// Headers cpp-httplib adds to every request itself; they were not sent by the client.
bool is_pseudo_header(const std::string& lower_name) {
  return lower_name == "remote_addr" || lower_name == "remote_port" || lower_name == "local_addr" ||
         lower_name == "local_port";
}

bool is_secret_header(const std::string& lower_name) {
  return lower_name == "authorization" || lower_name == "proxy-authorization";
}

}  // namespace

std::string strip_prefix(const std::string& path, const std::string& prefix) {
  if (prefix.empty() || path.compare(0, prefix.size(), prefix) != 0) return path;
  std::string rest = path.substr(prefix.size());
  return rest.empty() ? "/" : rest;
}

nlohmann::json RecordedRequest::to_json() const {
  nlohmann::json header_object = nlohmann::json::object();
  for (const auto& [name, value] : headers) {
    auto& slot = header_object[name];
    slot = slot.is_string() ? nlohmann::json(slot.get<std::string>() + ", " + value) : nlohmann::json(value);
  }
  nlohmann::json auth = nullptr;
  if (!auth_scheme.empty()) {
    auth = {{"scheme", auth_scheme},
            {"username", auth_username.empty() ? nlohmann::json(nullptr) : nlohmann::json(auth_username)}};
  }
  return nlohmann::json{{"seq", seq},
                        {"method", method},
                        {"path", path},
                        {"family", family},
                        {"query", query},
                        {"headers", std::move(header_object)},
                        {"auth", std::move(auth)},
                        {"body", body},
                        {"bodyTruncated", body_truncated},
                        {"status", status},
                        {"faulted", faulted},
                        {"faultId", fault_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(fault_id)},
                        {"dropped", dropped},
                        {"receivedAt", iso8601_utc(received_at)}};
}

Recorder::Recorder(std::size_t capacity, std::size_t max_body_bytes)
    : capacity_(capacity), max_body_bytes_(max_body_bytes) {}

RecordedRequest Recorder::capture(const httplib::Request& req, std::string family, std::string family_prefix,
                                  std::chrono::system_clock::time_point received_at) const {
  RecordedRequest record;
  record.method = req.method;
  record.path = req.path;
  record.family = std::move(family);
  record.family_prefix = std::move(family_prefix);
  record.query = std::string(raw_query(req.target));
  record.headers.reserve(req.headers.size());
  for (const auto& [name, value] : req.headers) {
    std::string lower = to_lower(name);
    if (is_pseudo_header(lower)) continue;
    const bool secret = is_secret_header(lower);
    record.headers.emplace_back(std::move(lower), secret ? std::string("<redacted>") : value);
  }
  if (req.has_header("Authorization")) {
    const std::string value = req.get_header_value("Authorization");
    if (const auto basic = parse_basic_authorization(value)) {
      record.auth_scheme = "Basic";
      record.auth_username = basic->username;
    } else {
      // Only the scheme word; a value without one is all credential and is not shown.
      const auto space = value.find(' ');
      record.auth_scheme = space == std::string::npos ? std::string("<redacted>") : value.substr(0, space);
    }
  }
  if (req.body.size() > max_body_bytes_) {
    record.body = req.body.substr(0, max_body_bytes_);
    record.body_truncated = true;
  } else {
    record.body = req.body;
  }
  record.received_at = received_at;
  return record;
}

std::uint64_t Recorder::add(RecordedRequest record) {
  if (capacity_ == 0) return 0;
  std::lock_guard lock(mutex_);
  record.seq = next_seq_++;
  const auto seq = record.seq;
  records_.push_back(std::move(record));
  while (records_.size() > capacity_) records_.pop_front();
  return seq;
}

nlohmann::json Recorder::query(const RequestFilter& filter) const {
  const std::string method = to_lower(filter.method);
  nlohmann::json out = nlohmann::json::array();
  std::lock_guard lock(mutex_);
  for (const auto& record : records_) {
    if (record.seq <= filter.since) continue;
    if (!method.empty() && to_lower(record.method) != method) continue;
    if (!filter.path_glob.empty() && !glob_match(filter.path_glob, record.path) &&
        !glob_match(filter.path_glob, strip_prefix(record.path, record.family_prefix))) {
      continue;
    }
    out.push_back(record.to_json());
  }
  return out;
}

void Recorder::clear() {
  std::lock_guard lock(mutex_);
  records_.clear();
  next_seq_ = 1;
}

std::size_t Recorder::size() const {
  std::lock_guard lock(mutex_);
  return records_.size();
}

}  // namespace flexcore::emulator
