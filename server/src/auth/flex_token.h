#pragma once
/// @file flex_token.h
/// Flex-token authentication as twilio-flex-token-validator does it (seed-behaviour 0,
/// upstream-contracts 1): the `Token` request parameter is POSTed to IAM
/// `/v1/Accounts/{AccountSid}/Tokens/validate` with the account's Basic credentials; a result with
/// `"valid": true` authenticates the request. Valid results are cached until their `expiration`
/// (bounded LRU keyed by the SHA-256 of the token, never the token itself), and concurrent
/// validations of the same token share one IAM call.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <initializer_list>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "config.h"
#include "flexcore/result.h"
#include "http/params.h"
#include "runtime.h"
#include "upstream/http_client.h"

namespace flexcore::server {
struct ServerMetrics;
}

namespace flexcore::server::auth {

/// Seed message when the server has no account credentials (twilio-flex-token-validator 1.5.8).
inline constexpr std::string_view kMissingCredentialsMessage =
    "Unauthorized: AccountSid or AuthToken was not provided. For more information, please visit "
    "https://twilio.com/console/runtime/functions/configure";
/// Seed message when the request has no (or an empty) Token.
inline constexpr std::string_view kMissingTokenMessage = "Unauthorized: Token was not provided";

/// What IAM says about a valid token (the seeds' `event.TokenResult`).
struct TokenResult {
  std::string identity;       ///< "identity"
  std::string realm_user_id;  ///< "realm_user_id"
  std::string worker_sid;     ///< "worker_sid" (WK…), may be empty
  std::string expiration;     ///< "expiration" as IAM sent it (ISO-8601 UTC)
  std::vector<std::string> roles;  ///< "roles": agent, supervisor, admin…
  std::optional<std::chrono::system_clock::time_point> expires_at;  ///< parsed expiration
  nlohmann::json raw;         ///< the whole IAM answer

  /// True when `role` is among roles.
  bool has_role(std::string_view role) const;
};
using TokenResultPtr = std::shared_ptr<const TokenResult>;

/// Parses an ISO-8601 UTC timestamp "YYYY-MM-DDThh:mm:ss[.fff…]Z" (also "+00:00") with a year in
/// 1970-2200; nullopt otherwise.
std::optional<std::chrono::system_clock::time_point> parse_iso8601_utc(std::string_view text);

/// The Token a request carries (upstream-contracts 1.1): from the query string, a form body or a
/// top-level JSON body key, all named exactly `Token`. nullopt when none carries one.
/// Errors (InvalidArgument → 400): Token repeated inside one source; Token in two sources with
/// different values; a JSON Token that is not a string.
Result<std::optional<std::string>> extract_token(const Params& query, const Params& form,
                                                 const nlohmann::json* json_body);

/// ok when `token` has at least one of `roles`; else PermissionDenied (403) naming the roles.
/// **Example**: `require_role(*token, {"admin", "supervisor"})` guards admin writes.
Status require_role(const TokenResult& token, std::initializer_list<std::string_view> roles);
/// The same check for a route's role list (Route::roles); an empty list allows every user.
Status require_role(const TokenResult& token, const std::vector<std::string>& roles);

/// Validates Flex tokens against IAM with caching and coalescing. Thread-safe.
class TokenValidator {
 public:
  /// `http` should be the retrying client; `metrics` may be null.
  TokenValidator(const Config& config, upstream::HttpClient& http, const Clock& clock,
                 ServerMetrics* metrics);

  /// Validates `token` (seed-behaviour 0 steps 2-4). Errors:
  /// - Unauthenticated (403) with kMissingCredentialsMessage when the server has no ACCOUNT_SID or
  ///   neither AUTH_TOKEN nor API_KEY+API_SECRET; with kMissingTokenMessage for an empty token;
  ///   with IAM's `message` when IAM answers `"valid": false`;
  /// - UpstreamError (502) when IAM rejects the server's credentials (401/403) or answers without
  ///   a JSON `valid` field; Unavailable / ResourceExhausted / DeadlineExceeded when IAM cannot be
  ///   reached after the retries (upstream/twilio_error.h).
  Result<TokenResultPtr> validate(std::string_view token);

  /// Number of cached valid results.
  std::size_t cached() const;

 private:
  struct Flight;
  struct Entry {
    std::string key;
    TokenResultPtr result;
    std::chrono::system_clock::time_point expires_at;
  };
  Result<TokenResultPtr> call_iam(std::string_view token);

  std::string validate_url_;
  std::optional<upstream::BasicAuth> credentials_;
  upstream::HttpClient& http_;
  const Clock& clock_;
  ServerMetrics* metrics_;
  std::size_t capacity_;

  mutable std::mutex mutex_;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::unordered_map<std::string, std::shared_ptr<Flight>> in_flight_;
};

}  // namespace flexcore::server::auth
