#include "child_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdexcept>
#include <utility>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace flexcore::testing {

int closed_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  socklen_t length = sizeof address;
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  if (!bound) throw std::runtime_error("cannot bind a loopback port");
  return ntohs(address.sin_port);
}

ChildProcess::ChildProcess(const std::string& path, const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env)
    : ChildProcess(Options{env, true}, path, args) {}

std::unique_ptr<ChildProcess> ChildProcess::start(const std::string& path, const std::vector<std::string>& args,
                                                  Options options) {
  return std::unique_ptr<ChildProcess>(new ChildProcess(std::move(options), path, args));
}


ChildProcess::ChildProcess(Options options, const std::string& path, const std::vector<std::string>& args) {
  int out_pipe[2];
  int err_pipe[2] = {-1, -1};
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  if (options.capture_stderr && ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    throw std::runtime_error("pipe");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);  // dup2 clears O_CLOEXEC on the target
  if (options.capture_stderr) posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);  // the child starts with no blocked signals
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> argv_storage = {path};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage;
  std::vector<char*> envp;
  if (options.env) {
    for (const auto& [name, value] : *options.env) env_storage.push_back(name + "=" + value);
    for (auto& item : env_storage) envp.push_back(item.data());
    envp.push_back(nullptr);
  }

  const int rc = posix_spawn(&pid_, path.c_str(), &actions, &attributes, argv.data(),
                             options.env ? envp.data() : environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(out_pipe[1]);
  if (err_pipe[1] >= 0) ::close(err_pipe[1]);
  out_fd_ = out_pipe[0];
  err_fd_ = err_pipe[0];
  if (rc != 0) {
    pid_ = -1;
    throw std::runtime_error("posix_spawn " + path + " failed: " + std::strerror(rc));
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && exit_code_ < 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  if (out_fd_ >= 0) ::close(out_fd_);
  if (err_fd_ >= 0) ::close(err_fd_);
}

void ChildProcess::drain(int fd, std::string& into, int timeout_ms) {
  if (fd < 0) return;
  pollfd item{fd, POLLIN, 0};
  while (::poll(&item, 1, timeout_ms) > 0) {
    char buffer[4096];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) return;
    into.append(buffer, static_cast<std::size_t>(n));
    timeout_ms = 0;
  }
}

std::string ChildProcess::read_stdout_line(std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const std::size_t newline = out_.find('\n', out_consumed_);
    if (newline != std::string::npos) {
      std::string line = out_.substr(out_consumed_, newline - out_consumed_);
      out_consumed_ = newline + 1;
      return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return {};
    pollfd item{out_fd_, POLLIN, 0};
    if (::poll(&item, 1, static_cast<int>(left.count())) <= 0) return {};
    char buffer[4096];
    const ssize_t n = ::read(out_fd_, buffer, sizeof buffer);
    if (n <= 0) return {};
    out_.append(buffer, static_cast<std::size_t>(n));
    drain(err_fd_, err_, 0);
  }
}

void ChildProcess::signal(int signal_number) {
  if (pid_ > 0 && exit_code_ < 0) ::kill(pid_, signal_number);
}

int ChildProcess::wait(std::chrono::milliseconds limit) {
  if (exit_code_ >= 0) return exit_code_;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    drain(out_fd_, out_, 0);
    drain(err_fd_, err_, 0);
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      drain(out_fd_, out_, 50);
      drain(err_fd_, err_, 50);
      return exit_code_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return -1;
    ::usleep(2000);
  }
}

int ChildProcess::terminate(std::chrono::milliseconds limit, bool* killed) {
  if (killed) *killed = false;
  signal(SIGTERM);
  int code = wait(limit);
  if (code < 0) {
    if (killed) *killed = true;
    signal(SIGKILL);
    code = wait(limit);
  }
  return code;
}

std::string ChildProcess::stdout_text() {
  drain(out_fd_, out_, 0);
  return out_;
}

std::string ChildProcess::stderr_text() {
  drain(err_fd_, err_, 0);
  return err_;
}

}  // namespace flexcore::testing
