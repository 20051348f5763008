#pragma once
/// @file shutdown.h
/// Graceful shutdown on SIGINT / SIGTERM without calling into the server from a signal handler:
/// main() blocks both signals before any thread starts (every thread inherits the mask), and a
/// dedicated thread receives them with sigwait() and asks the server to stop. httplib's stop()
/// closes the listening socket (new connections are refused) and listen returns once the worker
/// threads have finished their in-flight requests.

#include <atomic>
#include <functional>
#include <thread>

namespace flexcore::server {

/// Blocks SIGINT and SIGTERM in the calling thread (and every thread it creates afterwards).
/// Call first thing in main(). Returns false if pthread_sigmask fails.
bool block_shutdown_signals() noexcept;

/// A thread that waits for SIGINT or SIGTERM and calls `on_signal(signal_number)` once.
/// Precondition: block_shutdown_signals() was called before any other thread started.
class ShutdownSignalWatcher {
 public:
  explicit ShutdownSignalWatcher(std::function<void(int)> on_signal);
  /// Stops the watcher thread if no signal arrived, then joins it.
  ~ShutdownSignalWatcher();
  ShutdownSignalWatcher(const ShutdownSignalWatcher&) = delete;
  ShutdownSignalWatcher& operator=(const ShutdownSignalWatcher&) = delete;

  /// The signal received (SIGINT / SIGTERM), or 0 when none yet.
  int received() const noexcept { return received_.load(); }

 private:
  std::function<void(int)> on_signal_;
  std::atomic<bool> closing_{false};
  std::atomic<int> received_{0};
  std::thread thread_;
};

}  // namespace flexcore::server
