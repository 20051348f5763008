#include "flexcore/emulator/emulator_process.h"

#include <httplib.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace flexcore::emulator {
namespace {

constexpr auto kReadyTimeout = std::chrono::seconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(5);
constexpr std::string_view kReadyPrefix = "flexcore-emulator listening on http://127.0.0.1:";

std::string describe_exit(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status));
  return "stopped";
}

// Waits for the child to end for at most `timeout`; true when it was reaped.
bool wait_for_exit(pid_t pid, std::chrono::milliseconds timeout, int* status) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const pid_t done = ::waitpid(pid, status, WNOHANG);
    if (done == pid) return true;
    if (done < 0 && errno != EINTR) return true;  // not our child any more
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string url_encode_query(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' || u == '_' ||
        u == '.' || u == '~' || u == '/' || u == '*') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0x0f];
    }
  }
  return out;
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
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);  // dup2 clears O_CLOEXEC on fd 1
  // The child must not inherit a blocked SIGTERM/SIGINT mask or ignored signals from the test.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  const int spawned = ::posix_spawn(&pid_, argv[0], &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(pipe_fds[1]);
  if (spawned != 0) {
    ::close(pipe_fds[0]);
    throw std::runtime_error(std::string("cannot spawn ") + FLEXCORE_EMULATOR_PATH + ": " + std::strerror(spawned));
  }
  stdout_fd_ = pipe_fds[0];

  // Read the readiness line with a bounded wait.
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + kReadyTimeout;
  std::string failure;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      failure = "was not ready within 10 s";
      break;
    }
    pollfd pfd{stdout_fd_, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    char buffer[256];
    const ssize_t n = ::read(stdout_fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int status = 0;
      failure = wait_for_exit(pid_, std::chrono::seconds(5), &status) ? describe_exit(status) + " before it was ready"
                                                                       : "closed its stdout before it was ready";
      break;
    }
    line.append(buffer, static_cast<std::size_t>(n));
    const auto newline = line.find('\n');
    if (newline == std::string::npos) {
      if (line.size() > 4096) {
        failure = "printed no readiness line";
        break;
      }
      continue;
    }
    const std::string first = line.substr(0, newline);
    if (first.rfind(kReadyPrefix, 0) == 0) {
      try {
        port_ = std::stoi(first.substr(kReadyPrefix.size()));
      } catch (const std::exception&) {
        port_ = 0;
      }
    }
    if (port_ <= 0 || port_ > 65535) failure = "printed an unexpected first line: " + first;
    break;
  }
  if (!failure.empty()) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    wait_for_exit(pid_, std::chrono::seconds(5), &status);
    ::close(stdout_fd_);
    stdout_fd_ = -1;
    pid_ = -1;
    throw std::runtime_error(std::string("flexcore-emulator (") + FLEXCORE_EMULATOR_PATH + ") " + failure);
  }
}

EmulatorProcess::~EmulatorProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    if (!wait_for_exit(pid_, kStopTimeout, &status)) {
      std::fprintf(stderr, "flexcore-emulator (pid %d) did not stop within 5 s of SIGTERM; killing it\n", static_cast<int>(pid_));
      ::kill(pid_, SIGKILL);
      wait_for_exit(pid_, kStopTimeout, &status);
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      // A crash or a sanitizer report at exit: make it visible in the test output.
      std::fprintf(stderr, "flexcore-emulator (pid %d) %s after SIGTERM\n", static_cast<int>(pid_), describe_exit(status).c_str());
    }
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

std::string EmulatorProcess::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
std::string EmulatorProcess::family_url(const std::string& family) const { return base_url() + "/" + family; }
int EmulatorProcess::port() const { return port_; }
pid_t EmulatorProcess::pid() const { return pid_; }
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
  if (!method.empty()) query += "method=" + url_encode_query(method);
  if (!path_glob.empty()) query += std::string(query.empty() ? "" : "&") + "path=" + url_encode_query(path_glob);
  return control("GET", "/requests" + (query.empty() ? std::string() : "?" + query)).at("requests");
}

void EmulatorProcess::clear_requests() { control("DELETE", "/requests", nullptr, 204); }

nlohmann::json EmulatorProcess::send_webhook(const nlohmann::json& spec) { return control("POST", "/webhooks/send", spec); }

void EmulatorProcess::reset() { control("POST", "/reset", nullptr, 204); }

}  // namespace flexcore::emulator
