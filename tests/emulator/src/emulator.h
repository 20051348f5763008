#pragma once
/// @file emulator.h
/// The emulator process core: one cpp-httplib server on loopback, every request entering through
/// one handler that sends /__emulator/… to the control API and everything else through recording,
/// fault injection and the router to the modules.

#include "config.h"
#include "fault_injector.h"
#include "module.h"
#include "recorder.h"
#include "router.h"

#include <httplib.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace flexcore::emulator {

/// The emulator. Construct, bind(), then run() (blocks until stop()).
class Emulator {
 public:
  /// Sets up the server and the built-in modules (IAM). Throws std::invalid_argument for an invalid
  /// configuration (non-loopback host, malformed SIDs, threads < 1), std::runtime_error when
  /// `preload_contracts` is set and the specs cannot be loaded, or the contracts directory is missing.
  explicit Emulator(EmulatorConfig config);
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  /// Binds the listening socket (port 0 = any free one) and returns the port. Throws std::runtime_error.
  int bind();

  /// Serves until stop(); returns false if the server failed.
  bool run();

  /// Stops serving: refuses new connections, interrupts fault delays, ends idle keep-alive
  /// connections. Safe from any thread, idempotent.
  void stop();

  /// Back to the start state: faults, recorded requests and every module's state.
  void reset();

  /// The URL of the listener, e.g. "http://127.0.0.1:40123" (valid after bind()).
  std::string base_url() const;

 private:
  void handle(const httplib::Request& req, httplib::Response& res);
  void handle_upstream(const httplib::Request& req, httplib::Response& res);
  void register_control_routes();

  EmulatorConfig config_;
  Contracts contracts_;
  Router router_;
  ControlApi control_;
  Recorder recorder_;
  FaultInjector faults_;
  std::vector<std::unique_ptr<Module>> modules_;
  httplib::Server server_;
  std::atomic<int> port_{0};
  std::atomic<int> listen_fd_{-1};
  std::atomic<bool> stopping_{false};
  std::mutex log_mutex_;
};

/// Validates a configuration (see Emulator::Emulator); throws std::invalid_argument naming the flag.
void validate_config(const EmulatorConfig& config);

}  // namespace flexcore::emulator
