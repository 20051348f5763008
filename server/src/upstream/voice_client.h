#pragma once
/// @file voice_client.h
/// Twilio Voice (API 2010) conference fetch (upstream-contracts.md 3.3): who ended a conference.
/// Calls go through the (retrying) HttpClient it is given; Basic auth with the account credentials.

#include <optional>
#include <string>
#include <string_view>

#include "flexcore/result.h"
#include "upstream/http_client.h"

namespace flexcore::server::upstream {

/// The service name used in error messages.
inline constexpr std::string_view kVoiceService = "Twilio Voice";

/// The fields of a conference resource that hang up by needs.
struct ConferenceInfo {
  std::string sid;                                        ///< CF…
  std::string status;                                     ///< init | in-progress | completed
  std::optional<std::string> call_sid_ending_conference;  ///< CA…; nullopt while null (not ended by a leg)
  std::optional<std::string> reason_conference_ended;     ///< e.g. participant-with-end-conference-on-exit-left
};

/// An API 2010 client for one account. Thread-safe when `client` is.
class VoiceClient {
 public:
  /// `client` must outlive this object; `base_url` e.g. "https://api.twilio.com" (no trailing slash
  /// needed); `account_sid` the AC… in the path; `credentials` Basic auth (never logged).
  VoiceClient(HttpClient& client, std::string base_url, std::string account_sid, BasicAuth credentials);

  /// `GET /2010-04-01/Accounts/{AC}/Conferences/{CF}.json`.
  /// Errors: InvalidArgument for a malformed CF SID (nothing sent); NotFound for 404 (20404);
  /// other upstream_error() codes; UpstreamError when the 2xx body is not a conference object or
  /// `call_sid_ending_conference` is neither null nor a string.
  Result<ConferenceInfo> fetch_conference(std::string_view conference_sid);

 private:
  HttpClient& client_;
  std::string base_url_;
  std::string account_sid_;
  BasicAuth credentials_;
};

}  // namespace flexcore::server::upstream
