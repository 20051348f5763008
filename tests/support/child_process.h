#pragma once
// Runs a program (flexcore-server, flexcore-emulator) as a real child process for tests: posix_spawn
// with default signal dispositions and an empty signal mask, stdout (and optionally stderr) read
// through pipes with bounded waits. Shared by tests/server and the emulator client (one spawner).

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace flexcore::testing {

/// A 127.0.0.1 TCP port with nothing listening on it (bound, read, closed): connecting is refused.
int closed_loopback_port();

class ChildProcess {
 public:
  struct Options {
    /// The child's whole environment; std::nullopt inherits the test's environment.
    std::optional<std::map<std::string, std::string>> env;
    /// false: the child writes stderr straight to the test's stderr (for long-lived children whose
    /// stderr nobody drains; sanitizer reports stay visible).
    bool capture_stderr = true;
  };

  /// Spawns `path` with `args` (argv[1..]) and exactly `env` as its environment.
  ChildProcess(const std::string& path, const std::vector<std::string>& args,
               const std::map<std::string, std::string>& env);
  /// Spawns `path` with `args` as `options` say. Throws std::runtime_error when it cannot spawn.
  static std::unique_ptr<ChildProcess> start(const std::string& path, const std::vector<std::string>& args,
                                             Options options);
  /// Kills (SIGKILL) and reaps the child if it is still running.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  /// Reads stdout until a full line arrives or `limit` passes; "" on EOF or limit.
  std::string read_stdout_line(std::chrono::milliseconds limit = std::chrono::seconds(20));
  /// Sends `signal_number` to the child (nothing once it has been reaped).
  void signal(int signal_number);
  /// SIGTERM, then waits up to `limit`; if it is still running, SIGKILL and reap. Returns the exit
  /// code (128 + signal when killed by one); `killed` tells whether SIGKILL was needed.
  int terminate(std::chrono::milliseconds limit, bool* killed = nullptr);
  /// Waits for exit (bounded by `limit`); returns the exit code, 128+signal when killed, or -1 if
  /// still running at the limit.
  int wait(std::chrono::milliseconds limit = std::chrono::seconds(20));
  /// Everything the child wrote to stdout / stderr so far (after wait(): all of it).
  std::string stdout_text();
  std::string stderr_text();

 private:
  ChildProcess(Options options, const std::string& path, const std::vector<std::string>& args);
  void drain(int fd, std::string& into, int timeout_ms);
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  int exit_code_ = -1;
  std::string out_;
  std::string err_;
  std::size_t out_consumed_ = 0;
};

}  // namespace flexcore::testing
