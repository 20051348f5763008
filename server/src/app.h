#pragma once
/// @file app.h
/// The application object (everything a request may need, built once from the Config) and
/// configure_server(), which wires every route and hook onto an httplib::Server in one place so
/// tests run exactly the production stack on 127.0.0.1 port 0.

#include <memory>

#include <spdlog/logger.h>

#include "auth/flex_token.h"
#include "config.h"
#include "flexcore/result.h"
#include "http/router.h"
#include "metrics.h"
#include "ops/readiness.h"
#include "runtime.h"
#include "upstream/http_client.h"
#include "upstream/retrying_client.h"

namespace httplib {
class Server;
}

namespace flexcore::server {

/// Replaceable collaborators; every null member gets the production implementation (SystemClock,
/// SystemSleeper, SystemRandom, CurlHttpClient, JSON logger on stderr). Tests inject a recording
/// Sleeper / fixed Random / manual Clock, or a logger writing to a buffer.
struct AppDeps {
  std::shared_ptr<Clock> clock;
  std::shared_ptr<Sleeper> sleeper;
  std::shared_ptr<Random> random;
  std::shared_ptr<upstream::HttpClient> transport;  ///< one attempt per call (wrapped for retries)
  std::shared_ptr<spdlog::logger> logger;
};

/// Owns configuration, metrics, upstream clients, the token validator, readiness probe and routes.
class App {
 public:
  explicit App(Config config, AppDeps deps = {});
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  const Config& config() const noexcept;
  Registry& registry() noexcept;
  ServerMetrics& metrics() noexcept;
  const Clock& clock() const noexcept;
  Sleeper& sleeper() noexcept;
  Random& random() noexcept;
  /// The upstream client routes use: RetryingClient over the transport (seed-behaviour 6).
  upstream::HttpClient& upstream() noexcept;
  /// Single attempts, no retries (readiness checks).
  upstream::HttpClient& transport() noexcept;
  auth::TokenValidator& tokens() noexcept;
  ReadinessProbe& readiness() noexcept;
  /// The route table; add feature routes before configure_server().
  Router& router() noexcept;
  spdlog::logger& logger() noexcept;

 private:
  friend void configure_server(httplib::Server& server, App& app);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Wires `app` onto `server`: the built-in routes (/healthz, /readyz, /metrics, /session) plus
/// every route already in app.router(), the request pipeline (request ids, body limit → 413, strict
/// query/form/JSON decoding → 400, CORS, Flex-token and Twilio-signature auth, the error table,
/// 404/405 in JSON, exceptions → 500 with a request id, metrics, one JSON log line per request)
/// and the server settings (thread pool of config.threads, TCP_NODELAY, keep-alive, timeouts).
/// `app` must outlive `server`. Call once per server.
void configure_server(httplib::Server& server, App& app);

/// Binds `server` to config.host:config.port (port 0 = any free port) with SO_REUSEADDR (no
/// SO_REUSEPORT: a second server on the same port is an error) and a listen backlog of 1024
/// (toolchain.md section 3). Returns the bound port. Errors: Unavailable naming host:port.
Result<int> bind_server(httplib::Server& server, const Config& config);

/// GET /healthz, GET /readyz, GET /metrics (server/README.md "Operations").
void register_operations_routes(Router& router, App& app);

/// GET|POST /session (Flex token): {"identity","roles","workerSid","expiration"}.
void register_session_routes(Router& router, App& app);

/// GET|POST /get-segment-id (Flex token; TaskSid): Flex Insights segment IDs of a task (issue 4).
void register_segment_lookup_routes(Router& router, App& app);
/// GET|POST /fetch-persona (Flex token), POST /fetch-persona-studio (X-Twilio-Signature), POST
/// /identify-user (either): Segment customer context (issue 5; server/README.md "Customer context").
void register_customer_context_routes(Router& router, App& app);
/// Agent extensions (issue 6): /admin/list, /admin/extensions, /admin/update, /admin/update-status,
/// /admin/publish, /admin/audit (Flex token; writes need admin or supervisor) and the Studio lookup
/// /agent-extensions + /agentExtensions (Twilio signature). Store: <FLEXCORE_DATA_DIR>/agent-extensions.sqlite.
void register_agent_extensions_routes(Router& router, App& app);
/// POST /taskrouter/events (X-Twilio-Signature; hang up by, issue 8) and, when
/// HANG_UP_BY_CONFERENCE_CALLBACK=1, POST /voice/conference-status. See server/README.md.
void register_hang_up_by_routes(Router& router, App& app);
/// POST /callback/flex/create-callback (Flex token), GET|POST /callback/studio/create-callback
/// (X-Twilio-Signature): a callback or voicemail TaskRouter task (seed-behaviour 4.2; routes/callback.cpp).
void register_callback_routes(Router& router, App& app);

}  // namespace flexcore::server
