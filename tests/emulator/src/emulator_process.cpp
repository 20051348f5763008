#include "flexcore/emulator/emulator_process.h"

#include <httplib.h>

#include "child_process.h"
#include "http_util.h"

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>

namespace flexcore::emulator {
namespace {

constexpr auto kReadyTimeout = std::chrono::seconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(5);
constexpr std::string_view kReadyPrefix = "flexcore-emulator listening on http://127.0.0.1:";

// `code`: ChildProcess's exit code (128 + signal when killed by one).
std::string describe_exit(int code) {
  if (code >= 128) return "was killed by signal " + std::to_string(code - 128);
  return "exited with status " + std::to_string(code);
}

}  // namespace

EmulatorProcess::EmulatorProcess(Options options) : options_(std::move(options)) {
  if (options_.account_sid.empty()) options_.account_sid = "AC00000000000000000000000000000000";
  if (options_.auth_token.empty()) options_.auth_token = "emulator-auth-token";

  std::vector<std::string> args = {FLEXCORE_EMULATOR_PATH, "--host", "127.0.0.1", "--port", "0",
                                   "--account-sid", options_.account_sid, "--auth-token", options_.auth_token};
  if (!options_.api_key.empty()) {
    args.insert(args.end(), {"--api-key", options_.api_key, "--api-secret", options_.api_secret});
  }
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  // The emulator inherits the test's environment and writes its stderr to the test's stderr (errors and
  // sanitizer reports stay visible; nothing has to drain a pipe while it runs).
  testing::ChildProcess::Options spawn;
  spawn.capture_stderr = false;
  const std::string path = args.front();
  args.erase(args.begin());
  child_ = testing::ChildProcess::start(path, args, spawn);

  // The readiness line, with a bounded wait.
  const std::string first = child_->read_stdout_line(std::chrono::duration_cast<std::chrono::milliseconds>(kReadyTimeout));
  std::string failure;
  if (first.empty()) {
    // EOF (it exited) or the ready timeout: an exiting child closes stdout just before it can be reaped.
    const int code = child_->wait(std::chrono::duration_cast<std::chrono::milliseconds>(kStopTimeout));
    failure = code >= 0 ? describe_exit(code) + " before it was ready" : "was not ready within 10 s";
  } else {
    if (first.rfind(kReadyPrefix, 0) == 0) {
      try {
        port_ = std::stoi(first.substr(kReadyPrefix.size()));
      } catch (const std::exception&) {
        port_ = 0;
      }
    }
    if (port_ <= 0 || port_ > 65535) failure = "printed an unexpected first line: " + first;
  }
  if (!failure.empty()) {
    child_->terminate(std::chrono::milliseconds(0));
    child_.reset();
    throw std::runtime_error(std::string("flexcore-emulator (") + FLEXCORE_EMULATOR_PATH + ") " + failure);
  }
}

EmulatorProcess::~EmulatorProcess() {
  if (!child_) return;
  bool killed = false;
  const int code = child_->terminate(std::chrono::duration_cast<std::chrono::milliseconds>(kStopTimeout), &killed);
  if (killed) {
    std::fprintf(stderr, "flexcore-emulator (pid %d) did not stop within 5 s of SIGTERM; killed it\n",
                 static_cast<int>(child_->pid()));
  } else if (code != 0) {
    // A crash or a sanitizer report at exit: make it visible in the test output.
    std::fprintf(stderr, "flexcore-emulator (pid %d) %s after SIGTERM\n", static_cast<int>(child_->pid()),
                 describe_exit(code).c_str());
  }
}

std::string EmulatorProcess::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
std::string EmulatorProcess::family_url(const std::string& family) const { return base_url() + "/" + family; }
int EmulatorProcess::port() const { return port_; }
pid_t EmulatorProcess::pid() const { return child_ ? child_->pid() : -1; }
const std::string& EmulatorProcess::account_sid() const { return options_.account_sid; }
const std::string& EmulatorProcess::auth_token() const { return options_.auth_token; }

nlohmann::json EmulatorProcess::control(const std::string& method, const std::string& path, const nlohmann::json& body,
                                        int expected_status) {
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(10, 0);
  client.set_read_timeout(60, 0);
  client.set_write_timeout(10, 0);
  const std::string target = "/__emulator" + path;
  const std::string payload = body.is_null() ? std::string() : body.dump();
  httplib::Result result = [&]() {
    if (method == "GET") return client.Get(target);
    if (method == "DELETE") return client.Delete(target);
    if (method == "PUT") return client.Put(target, payload, "application/json");
    if (method == "POST") return client.Post(target, payload, "application/json");
    throw std::invalid_argument("EmulatorProcess::control: unsupported method " + method);
  }();
  if (!result) {
    throw std::runtime_error("flexcore-emulator control " + method + " " + target + " failed: " +
                             httplib::to_string(result.error()));
  }
  if (result->status != expected_status) {
    throw std::runtime_error("flexcore-emulator control " + method + " " + target + " answered " +
                             std::to_string(result->status) + ": " + result->body);
  }
  if (result->body.empty()) return nullptr;
  return nlohmann::json::parse(result->body);
}

EmulatorProcess::Token EmulatorProcess::issue_token(const std::string& identity, const std::vector<std::string>& roles,
                                                    int ttl_seconds) {
  const auto answer = control("POST", "/iam/tokens",
                              nlohmann::json{{"identity", identity}, {"roles", roles}, {"ttlSeconds", ttl_seconds}}, 201);
  Token token;
  token.token = answer.at("token").get<std::string>();
  token.identity = answer.at("identity").get<std::string>();
  token.expiration = answer.at("expiration").get<std::string>();
  token.worker_sid = answer.at("workerSid").get<std::string>();
  token.roles = answer.at("roles").get<std::vector<std::string>>();
  return token;
}

std::string EmulatorProcess::add_fault(const nlohmann::json& fault) {
  return control("POST", "/faults", fault, 201).at("id").get<std::string>();
}

void EmulatorProcess::clear_faults() { control("DELETE", "/faults", nullptr, 204); }

nlohmann::json EmulatorProcess::faults() { return control("GET", "/faults").at("faults"); }

nlohmann::json EmulatorProcess::requests(const std::string& method, const std::string& path_glob) {
  std::string query;
  if (!method.empty()) query += "method=" + url_encode(method);
  if (!path_glob.empty()) query += std::string(query.empty() ? "" : "&") + "path=" + url_encode(path_glob);
  return control("GET", "/requests" + (query.empty() ? std::string() : "?" + query)).at("requests");
}

void EmulatorProcess::clear_requests() { control("DELETE", "/requests", nullptr, 204); }

nlohmann::json EmulatorProcess::send_webhook(const nlohmann::json& spec) { return control("POST", "/webhooks/send", spec); }

void EmulatorProcess::reset() { control("POST", "/reset", nullptr, 204); }

}  // namespace flexcore::emulator
