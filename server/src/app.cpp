#include "app.h"

#include <sys/socket.h>

#include <httplib.h>

#include "flexcore/version.h"
#include "http/pipeline.h"
#include "log.h"

namespace flexcore::server {

struct App::Impl {
  Config config;
  std::shared_ptr<Clock> clock;
  std::shared_ptr<Sleeper> sleeper;
  std::shared_ptr<Random> random;
  std::shared_ptr<spdlog::logger> logger;
  Registry registry;
  ServerMetrics metrics{registry};
  std::shared_ptr<upstream::HttpClient> transport;
  std::unique_ptr<upstream::RetryingClient> retrying;
  std::unique_ptr<auth::TokenValidator> tokens;
  std::unique_ptr<ReadinessProbe> readiness;
  Router router;
  bool configured = false;
};

App::App(Config config, AppDeps deps) : impl_(std::make_unique<Impl>()) {
  Impl& d = *impl_;
  d.config = std::move(config);
  d.clock = deps.clock ? std::move(deps.clock) : std::make_shared<SystemClock>();
  d.sleeper = deps.sleeper ? std::move(deps.sleeper) : std::make_shared<SystemSleeper>();
  d.random = deps.random ? std::move(deps.random) : std::make_shared<SystemRandom>();
  d.logger = deps.logger ? std::move(deps.logger) : make_stderr_logger(d.config.log_level);
  if (deps.transport) {
    d.transport = std::move(deps.transport);
  } else {
    upstream::CurlOptions options;
    options.connect_timeout = d.config.upstream_connect_timeout;
    options.timeout = d.config.upstream_timeout;
    options.user_agent = "flexcore-server/" + std::string(flexcore::version());
    d.transport = std::make_shared<upstream::CurlHttpClient>(options, &d.metrics);
  }
  upstream::RetryPolicy policy;
  policy.retry_limit = d.config.retry_limit;
  policy.min_backoff = d.config.min_backoff;
  policy.max_backoff = d.config.max_backoff;
  d.retrying = std::make_unique<upstream::RetryingClient>(*d.transport, policy, *d.clock, *d.sleeper, *d.random,
                                                          &d.metrics);
  d.tokens = std::make_unique<auth::TokenValidator>(d.config, *d.retrying, *d.clock, &d.metrics);
  d.readiness = std::make_unique<ReadinessProbe>(d.config, *d.transport, *d.clock);
  d.registry.gauge("flexcore_build_info", "flexcore-server build; the value is always 1.", {"version"})
      .labels({std::string(flexcore::version())})
      .set(1);
}

App::~App() = default;

const Config& App::config() const noexcept { return impl_->config; }
Registry& App::registry() noexcept { return impl_->registry; }
ServerMetrics& App::metrics() noexcept { return impl_->metrics; }
const Clock& App::clock() const noexcept { return *impl_->clock; }
Sleeper& App::sleeper() noexcept { return *impl_->sleeper; }
Random& App::random() noexcept { return *impl_->random; }
upstream::HttpClient& App::upstream() noexcept { return *impl_->retrying; }
upstream::HttpClient& App::transport() noexcept { return *impl_->transport; }
auth::TokenValidator& App::tokens() noexcept { return *impl_->tokens; }
ReadinessProbe& App::readiness() noexcept { return *impl_->readiness; }
Router& App::router() noexcept { return impl_->router; }
spdlog::logger& App::logger() noexcept { return *impl_->logger; }

void configure_server(httplib::Server& server, App& app) {
  if (!app.impl_->configured) {
    register_operations_routes(app.router(), app);
    register_session_routes(app.router(), app);
    register_segment_lookup_routes(app.router(), app);
    register_customer_context_routes(app.router(), app);
    register_agent_extensions_routes(app.router(), app);
    register_hang_up_by_routes(app.router(), app);
    register_callback_routes(app.router(), app);
    app.impl_->configured = true;
  }
  const Config& config = app.config();
  const auto threads = static_cast<std::size_t>(std::max(1, config.threads));
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(100000);
  server.set_keep_alive_timeout(5);
  server.set_read_timeout(10, 0);
  server.set_write_timeout(10, 0);
  server.set_payload_max_length(config.max_body_bytes);
  install_pipeline(server, app);
}

Result<int> bind_server(httplib::Server& server, const Config& config) {
  auto listen_fd = std::make_shared<int>(-1);
  server.set_socket_options([listen_fd](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    *listen_fd = sock;
  });
  int port = config.port;
  if (port == 0) {
    port = server.bind_to_any_port(config.host);
    if (port <= 0) {
      return Error{ErrorCode::Unavailable, "cannot listen on " + config.host + " (any port)"};
    }
  } else if (!server.bind_to_port(config.host, port)) {
    return Error{ErrorCode::Unavailable, "cannot listen on " + config.host + ":" + std::to_string(port) +
                                             " (address in use or not available; see FLEXCORE_HOST / FLEXCORE_PORT)"};
  }
  if (*listen_fd >= 0) ::listen(*listen_fd, 1024);  // httplib's compiled-in backlog is 5
  return port;
}

}  // namespace flexcore::server
