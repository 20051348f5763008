#pragma once
// Real sockets on 127.0.0.1 port 0: a fixture running the full flexcore-server stack
// (configure_server) or a scripted upstream, plus raw-socket and config helpers.

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <spdlog/sinks/ostream_sink.h>

#include "app.h"
#include "config.h"

namespace flexcore::server::testing {

/// Waits (bounded, not a timed assertion) until `condition` holds; returns whether it did.
inline bool wait_until(const std::function<bool()>& condition,
                       std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return condition();
}

/// Runs an httplib::Server on 127.0.0.1:<any port> in a thread; stops and joins on destruction.
class ListeningServer {
 public:
  /// `setup` registers handlers (and may call configure_server) before binding; `bind` binds and
  /// returns the port (default: bind_server on 127.0.0.1, any port: backlog 1024, as in production).
  explicit ListeningServer(const std::function<void(httplib::Server&)>& setup,
                           const std::function<int(httplib::Server&)>& bind = nullptr) {
    setup(server_);
    if (bind) {
      port_ = bind(server_);
    } else {
      Config any_port;
      any_port.host = "127.0.0.1";
      any_port.port = 0;
      auto bound = bind_server(server_, any_port);
      port_ = bound ? bound.value() : -1;
    }
    if (port_ <= 0) throw std::runtime_error("cannot bind 127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    if (!wait_until([this] { return server_.is_running(); })) throw std::runtime_error("server did not start");
  }
  ~ListeningServer() { stop(); }
  ListeningServer(const ListeningServer&) = delete;
  ListeningServer& operator=(const ListeningServer&) = delete;

  void stop() {
    if (thread_.joinable()) {
      server_.stop();
      thread_.join();
    }
  }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  httplib::Server& server() { return server_; }
  httplib::Client client() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_connection_timeout(5, 0);
    client.set_read_timeout(20, 0);
    return client;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

/// parse_config over an environment map (no flags, no .env file); throws on a config error.
inline Config make_config(std::map<std::string, std::string> env = {}) {
  env.emplace("FLEXCORE_LOG_LEVEL", "warn");
  env.emplace("FLEXCORE_PORT", "0");
  env.emplace("FLEXCORE_THREADS", "16");
  const char* argv[] = {"flexcore-server"};
  auto parsed = parse_config(1, argv, env, "");
  if (!parsed) throw std::runtime_error("config: " + parsed.error().message);
  return std::move(parsed).value();
}

/// A thread-safe in-memory log sink (captures JSON log lines).
class CapturedLog {
 public:
  CapturedLog() : sink_(std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_)) {}
  spdlog::sink_ptr sink() const { return sink_; }
  std::string text() {
    sink_->flush();
    std::lock_guard lock(mutex_);
    return stream_.str();
  }

 private:
  std::mutex mutex_;
  std::ostringstream stream_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
};

/// The full flexcore-server stack (App + configure_server) listening on 127.0.0.1:<any port>.
/// `before_configure` may add routes to app.router().
class RunningApp {
 public:
  explicit RunningApp(Config config, AppDeps deps = {},
                      const std::function<void(App&)>& before_configure = nullptr)
      : app_(std::make_unique<App>(std::move(config), std::move(deps))) {
    if (before_configure) before_configure(*app_);
    // The production bind path (bind_server: backlog 1024, no SO_REUSEPORT); config.port is 0.
    server_ = std::make_unique<ListeningServer>(
        [this](httplib::Server& server) { configure_server(server, *app_); },
        [this](httplib::Server& server) {
          auto port = bind_server(server, app_->config());
          return port ? port.value() : -1;
        });
  }
  ~RunningApp() { server_.reset(); }
  App& app() { return *app_; }
  ListeningServer& listening() { return *server_; }
  int port() const { return server_->port(); }
  std::string url() const { return server_->url(); }
  httplib::Client client() const { return server_->client(); }

 private:
  std::unique_ptr<App> app_;
  std::unique_ptr<ListeningServer> server_;
};

/// Sends raw bytes to 127.0.0.1:port and returns what was received: the first complete response
/// (when `stop_after_first`), or everything until the peer closes; reading also ends when
/// `read_limit` passes without data (a bound, not an assertion). Empty string on connect failure.
std::string raw_exchange(int port, const std::string& request,
                         std::chrono::milliseconds read_limit = std::chrono::seconds(10),
                         bool stop_after_first = true);

/// True when `raw` holds a complete first response (headers and Content-Length bytes of body).
bool first_response_complete(const std::string& raw);

/// True when a TCP connection to 127.0.0.1:port is accepted.
bool can_connect(int port);

/// The status code of the first HTTP response in `raw` (0 if none).
int raw_status(const std::string& raw);

}  // namespace flexcore::server::testing
