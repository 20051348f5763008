#pragma once
/// @file twilio_error.h
/// Twilio REST error bodies (upstream-contracts 0.2: `{"code","message","more_info","status"}`) and
/// the mapping from a failed upstream call to the flexcore::Error a route returns.

#include <optional>
#include <string>
#include <string_view>

#include "flexcore/error.h"
#include "upstream/http_client.h"

namespace flexcore::server::upstream {

/// A parsed Twilio error body.
struct TwilioError {
  int status = 0;         ///< "status" (or the HTTP status when the body omits it)
  int code = 0;           ///< Twilio error code (20404, 20003, 20429, 54208...); 0 when absent
  std::string message;    ///< "message"
  std::string more_info;  ///< "more_info" (a docs URL)
};

/// Parses `response.body` as a Twilio error body. nullopt when it is not a JSON object with at
/// least a numeric "code" or a string "message".
std::optional<TwilioError> parse_twilio_error(const Response& response);

/// The error a route returns for an upstream call that did not succeed (`service` names the API in
/// messages, e.g. "Twilio IAM"):
/// - timeout → DeadlineExceeded; connect failure / connection lost / TLS → Unavailable;
/// - 401, 403 → UpstreamError "… rejected the server's credentials";
/// - 400 → InvalidArgument, 404 → NotFound, 409 and 412 → Conflict (with Twilio's message and code);
/// - 429 → ResourceExhausted, 503 → Unavailable, 504 → DeadlineExceeded (after the retries);
/// - any other status → UpstreamError.
/// Messages carry the attempt count and the Twilio code/message, never credentials or bodies.
Error upstream_error(const Response& response, std::string_view service);

}  // namespace flexcore::server::upstream
