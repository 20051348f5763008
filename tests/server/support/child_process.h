#pragma once
// Runs a program (flexcore-server) as a real child process with its own environment, reading its
// stdout/stderr through pipes.

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace flexcore::server::testing {

class ChildProcess {
 public:
  /// Spawns `path` with `args` (argv[1..]) and exactly `env` as its environment.
  ChildProcess(const std::string& path, const std::vector<std::string>& args,
               const std::map<std::string, std::string>& env);
  /// Kills (SIGKILL) and reaps the child if it is still running.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  /// Reads stdout until a full line arrives or `limit` passes; "" on EOF or limit.
  std::string read_stdout_line(std::chrono::milliseconds limit = std::chrono::seconds(20));
  /// Sends `signal_number` to the child.
  void signal(int signal_number);
  /// Waits for exit (bounded by `limit`); returns the exit code, 128+signal when killed, or -1 if
  /// still running at the limit.
  int wait(std::chrono::milliseconds limit = std::chrono::seconds(20));
  /// Everything the child wrote to stdout / stderr so far (after wait(): all of it).
  std::string stdout_text();
  std::string stderr_text();

 private:
  void drain(int fd, std::string& into, int timeout_ms);
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  int exit_code_ = -1;
  std::string out_;
  std::string err_;
  std::size_t out_consumed_ = 0;
};

}  // namespace flexcore::server::testing
