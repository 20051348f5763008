#pragma once
/// @file readiness.h
/// /readyz (issue 3 item 8): ready when the configuration needed to authenticate anyone is complete
/// (ACCOUNT_SID plus AUTH_TOKEN or API_KEY + API_SECRET) and every checked upstream answers HTTP
/// at all (any status counts: the host is reachable). Results are cached for a few seconds so a
/// probe storm does not become an upstream storm.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config.h"
#include "runtime.h"
#include "upstream/http_client.h"

namespace flexcore::server {

/// One readiness report.
struct Readiness {
  bool ready = false;
  std::string summary;    ///< "ready", or what is not ready (names variables and hosts)
  nlohmann::json checks;  ///< {"config":{"ok","missing":[...]}, "iam":{"ok","url","error"?}}
};

/// Checks configuration and upstream reachability; thread-safe.
class ReadinessProbe {
 public:
  /// `transport` should be the non-retrying client; `ttl` is how long a result is reused.
  ReadinessProbe(const Config& config, upstream::HttpClient& transport, const Clock& clock,
                 std::chrono::milliseconds ttl = std::chrono::seconds(5));
  /// The cached report if younger than the TTL, else a fresh one (one GET per upstream, timeout
  /// min(FLEXCORE_UPSTREAM_TIMEOUT_MS, 2000 ms)).
  Readiness check();

 private:
  const Config& config_;
  upstream::HttpClient& transport_;
  const Clock& clock_;
  std::chrono::milliseconds ttl_;
  std::mutex mutex_;
  std::optional<std::pair<std::chrono::steady_clock::time_point, Readiness>> cached_;
};

}  // namespace flexcore::server
