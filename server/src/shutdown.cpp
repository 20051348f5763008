#include "shutdown.h"

#include <csignal>
#include <pthread.h>

namespace flexcore::server {
namespace {
sigset_t shutdown_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}
}  // namespace

bool block_shutdown_signals() noexcept {
  const sigset_t set = shutdown_set();
  return pthread_sigmask(SIG_BLOCK, &set, nullptr) == 0;
}

ShutdownSignalWatcher::ShutdownSignalWatcher(std::function<void(int)> on_signal)
    : on_signal_(std::move(on_signal)) {
  thread_ = std::thread([this] {
    const sigset_t set = shutdown_set();
    for (;;) {
      int signal_number = 0;
      if (sigwait(&set, &signal_number) != 0) continue;
      if (closing_.load()) return;
      received_.store(signal_number);
      on_signal_(signal_number);
      return;
    }
  });
}

ShutdownSignalWatcher::~ShutdownSignalWatcher() {
  if (thread_.joinable()) {
    if (received_.load() == 0) {
      closing_.store(true);
      pthread_kill(thread_.native_handle(), SIGTERM);  // blocked there: wakes sigwait()
    }
    thread_.join();
  }
}

}  // namespace flexcore::server
