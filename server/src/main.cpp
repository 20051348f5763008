/// flexcore-server entry point: parse the configuration, wire the server, listen until SIGINT /
/// SIGTERM. Exit codes: 0 normal (also after a signal), 1 cannot listen / runtime failure,
/// 2 configuration error (the message names the flag or variable).

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include <httplib.h>

#include "app.h"
#include "config.h"
#include "flexcore/version.h"
#include "log.h"
#include "shutdown.h"

int main(int argc, char** argv) {
  using namespace flexcore::server;
  block_shutdown_signals();  // before any thread exists: every thread inherits the mask

  auto parsed = parse_config(argc, argv, current_environment());
  if (!parsed) {
    std::fprintf(stderr, "flexcore-server: configuration error: %s\n", parsed.error().message.c_str());
    return 2;
  }
  Config config = std::move(parsed).value();
  switch (config.action) {
    case Config::Action::Help:
    case Config::Action::Version:
    case Config::Action::PrintConfig:
      std::fputs(config.output.c_str(), stdout);
      return 0;
    case Config::Action::Run:
      break;
  }

  try {
    App app(config);
    httplib::Server server;
    configure_server(server, app);
    auto port = bind_server(server, app.config());
    if (!port) {
      log_event(app.logger(), spdlog::level::critical, "cannot listen", {{"error", port.error().message}});
      std::fprintf(stderr, "flexcore-server: %s\n", port.error().message.c_str());
      return 1;
    }

    std::vector<std::string> not_configured;
    for (const auto& [feature, status] :
         std::vector<std::pair<std::string, flexcore::Status>>{
             {"flex-token auth", app.config().has_account_credentials()
                                     ? flexcore::ok_status()
                                     : flexcore::Status(flexcore::Error{flexcore::ErrorCode::NotConfigured,
                                                                        "set ACCOUNT_SID and AUTH_TOKEN (or API_KEY and API_SECRET)"})},
             {"twilio-signature auth", app.config().require({"AUTH_TOKEN"})},
             {"segment-lookup", app.config().require({"ANALYTICS_WORKSPACE", "INSIGHTS_USERNAME",
                                                      "INSIGHTS_PASSWORD", "INSIGHTS_REPORT"})},
             {"customer-context", app.config().require({"SEGMENT_SPACE_ID", "SEGMENT_PERSONAS_KEY"})},
             {"callback", app.config().require({"TWILIO_FLEX_WORKSPACE_SID", "TWILIO_FLEX_CALLBACK_WORKFLOW_SID"})},
         }) {
      if (!status) {
        log_event(app.logger(), spdlog::level::warn, "feature not configured",
                  {{"feature", feature}, {"detail", status.error().message}});
      }
    }

    std::atomic<bool> listen_done{false};
    ShutdownSignalWatcher watcher([&](int signal_number) {
      log_event(app.logger(), spdlog::level::info, "shutting down",
                {{"signal", signal_number == SIGINT ? "SIGINT" : "SIGTERM"}});
      // stop() is a no-op until listen_after_bind() has started: wait for it (bounded by listen).
      while (!listen_done.load()) {
        if (server.is_running()) {
          server.stop();
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });

    log_event(app.logger(), spdlog::level::info, "listening",
              {{"host", app.config().host},
               {"port", port.value()},
               {"version", std::string(flexcore::version())},
               {"threads", app.config().threads},
               {"iamUrl", app.config().urls.iam}});
    std::printf("flexcore-server listening on http://%s:%d\n", app.config().host.c_str(), port.value());
    std::fflush(stdout);

    const bool ok = server.listen_after_bind();
    listen_done.store(true);
    log_event(app.logger(), spdlog::level::info, "stopped", {{"clean", ok}});
    return ok || watcher.received() != 0 ? 0 : 1;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "flexcore-server: fatal: %s\n", error.what());
    return 1;
  }
}
