// flexcore-emulator: Twilio (and later Flex Insights / Segment) upstream APIs on loopback, for
// tests, the demo and the benchmarks. Flags and control API: tests/emulator/README.md.
//
// Exit codes: 0 after SIGTERM/SIGINT, 1 when serving failed, 2 for invalid flags or settings.

#include "emulator.h"

#include <CLI/CLI.hpp>

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <iostream>
#include <thread>

int main(int argc, char** argv) {
  flexcore::emulator::EmulatorConfig config;
  CLI::App app{"flexcore-emulator: the upstream APIs flexcore-server talks to (Twilio IAM, …) served on loopback"};
  app.set_version_flag("--version", std::string("flexcore-emulator ") + FLEXCORE_VERSION);
  app.add_option("--host", config.host, "Loopback address to listen on (127.0.0.1, localhost or ::1)")->capture_default_str();
  app.add_option("--port", config.port, "Port to listen on (0 = any free port)")->capture_default_str();
  app.add_option("--account-sid", config.credentials.account_sid, "Account SID of the emulated account (AC…)")
      ->capture_default_str();
  app.add_option("--auth-token", config.credentials.auth_token, "Auth Token of the emulated account");
  app.add_option("--api-key", config.credentials.api_key, "Optional API key SID (SK…) also accepted as Basic username");
  app.add_option("--api-secret", config.credentials.api_secret, "Secret of --api-key");
  app.add_option("--contracts-dir", config.contracts_dir, "Directory of the twilio-oai *.json specs for OpenAPI checks")
      ->capture_default_str();
  app.add_flag("--preload-contracts", config.preload_contracts,
               "Load the OpenAPI specs before listening (default: on first request that needs them)");
  app.add_option("--threads", config.threads, "HTTP worker threads (one per keep-alive connection)")->capture_default_str();
  app.add_option("--record-limit", config.record_limit, "Requests kept for GET /__emulator/requests (0 = off)")
      ->capture_default_str();
  app.add_flag("--log-requests", config.log_requests, "Print one JSON line per upstream request on stderr");
  CLI11_PARSE(app, argc, argv);

  // Signals go to one dedicated thread (blocked everywhere else, so worker threads inherit the mask).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);  // writes to a peer that went away fail with EPIPE instead

  std::unique_ptr<flexcore::emulator::Emulator> emulator;
  try {
    emulator = std::make_unique<flexcore::emulator::Emulator>(config);
  } catch (const std::exception& e) {
    std::cerr << "flexcore-emulator: " << e.what() << "\n";
    return 2;
  }
  try {
    emulator->bind();
  } catch (const std::exception& e) {
    std::cerr << "flexcore-emulator: " << e.what() << "\n";
    return 1;
  }

  std::thread signal_thread([&emulator, &signals] {
    int received = 0;
    sigwait(&signals, &received);
    emulator->stop();
  });

  std::printf("flexcore-emulator listening on %s\n", emulator->base_url().c_str());
  std::fflush(stdout);

  const bool ok = emulator->run();
  // run() also returns when serving failed: wake the signal thread so it can be joined.
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  emulator.reset();
  return ok ? 0 : 1;
}
