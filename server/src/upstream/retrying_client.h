#pragma once
/// @file retrying_client.h
/// The retry policy of seed-behaviour.md section 6, CORRECT version (issue 3 item 3):
/// - retry when the upstream answers HTTP 412, 429 or 503, or the call fails at network level
///   (connect failure, connection lost, timeout), at most `retry_limit` times
///   (TWILIO_SERVICE_RETRY_LIMIT, default 5 → at most 6 attempts);
/// - 412 is retried at once (except for a request carrying If-Match: re-sending the same stale version
///   cannot succeed, so that 412 is returned for the caller to re-read); 429, 503 and network failures after a uniformly random integer delay in
///   [min_backoff, max_backoff] ms (TWILIO_SERVICE_MIN_BACKOFF / _MAX_BACKOFF, 100 / 300);
/// - a `Retry-After` header (delta-seconds or IMF-fixdate HTTP date) on a 429/503 replaces the random
///   delay; it is capped at `max_retry_after` (10 s) so one upstream cannot hold a request for long;
/// - TLS failures and other 4xx/5xx answers are returned at once.
/// The status of the failed upstream call drives both the decision and what the route maps
/// (the seed's "every SDK error is a 500" bug is not reproduced).

#include <chrono>
#include <optional>
#include <string_view>

#include "runtime.h"
#include "upstream/http_client.h"

namespace flexcore::server::upstream {

/// Retry settings.
struct RetryPolicy {
  int retry_limit = 5;                                  ///< retries after the first attempt
  std::chrono::milliseconds min_backoff{100};           ///< smallest random delay (ms)
  std::chrono::milliseconds max_backoff{300};           ///< largest random delay (ms)
  std::chrono::milliseconds max_retry_after{10000};     ///< cap on a Retry-After delay (ms)
};

/// Why a response is retried: "412", "429", "503", "network"; nullopt when it is final.
std::optional<std::string_view> retry_reason(const Response& response) noexcept;

/// The delay a Retry-After value asks for, relative to `now`: delta-seconds ("120") or an
/// IMF-fixdate ("Wed, 21 Oct 2015 07:28:00 GMT"); dates in the past give 0. nullopt when the value
/// is empty or malformed.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now);

/// A decorator applying RetryPolicy around another HttpClient. Thread-safe if `inner`, the clock,
/// sleeper and random source are. Response::attempts counts the attempts made.
class RetryingClient final : public HttpClient {
 public:
  RetryingClient(HttpClient& inner, RetryPolicy policy, const Clock& clock, Sleeper& sleeper,
                 Random& random, ServerMetrics* metrics = nullptr);

  Response send(const Request& request) override;

  const RetryPolicy& policy() const noexcept { return policy_; }

 private:
  HttpClient& inner_;
  RetryPolicy policy_;
  const Clock& clock_;
  Sleeper& sleeper_;
  Random& random_;
  ServerMetrics* metrics_;
};

}  // namespace flexcore::server::upstream
