#pragma once
/// @file http_error.h
/// The ONE table from flexcore::ErrorCode to an HTTP status, and the one place error bodies are built
/// (architecture.md "Errors, one vocabulary end to end").
///
/// | ErrorCode         | HTTP |      | ErrorCode         | HTTP |
/// |-------------------|------|------|-------------------|------|
/// | InvalidArgument   | 400  |      | PayloadTooLarge   | 413  |
/// | NotFound          | 404  |      | ResourceExhausted | 429  |
/// | AlreadyExists     | 409  |      | NotConfigured     | 503  |
/// | Conflict          | 409  |      | Unavailable       | 503  |
/// | PermissionDenied  | 403  |      | UpstreamError     | 502  |
/// | Unauthenticated   | 403  |      | DeadlineExceeded  | 504  |
/// | Internal          | 500  |      |                   |      |
///
/// Body: `{"error": "<message>", "code": "<ErrorCode name>"}`, plus `"requestId"` for Internal (500).

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "flexcore/error.h"
#include "http/reply.h"

namespace flexcore::server {

/// The HTTP status of `code` (table above). Unauthenticated is 403, as the seeds answer.
int http_status(ErrorCode code) noexcept;

/// The ErrorCode that best describes an HTTP error status produced outside our handlers by the HTTP
/// library (400 bad request line or header, 413, 414 URI too long, 404...). Not for upstream answers
/// (upstream/twilio_error.h maps those):
/// 400/405/411/414/415/422/431 → InvalidArgument, 401/403 → Unauthenticated, 404 → NotFound,
/// 409/412 → Conflict, 413 → PayloadTooLarge, 429 → ResourceExhausted, 503 → Unavailable,
/// 504 → DeadlineExceeded, other 5xx → Internal, anything else → InvalidArgument.
ErrorCode error_code_for_http_status(int status) noexcept;

/// The JSON error reply for `error`: status from the table, body `{"error","code"}` and, for
/// ErrorCode::Internal, `"requestId": request_id`. `extra` (an object) adds fields an endpoint
/// documents (for example /readyz's "checks"); it never overrides error/code/requestId.
Reply error_reply(const Error& error, std::string_view request_id,
                  const nlohmann::json& extra = nlohmann::json::object());

/// 405 for a known path asked with a method it does not serve: the same JSON form with
/// code "InvalidArgument" and an `Allow` header listing `allowed` (comma-separated). This is the
/// router's only status outside the table (there is no ErrorCode for it).
Reply method_not_allowed_reply(std::string_view method, std::string_view path,
                               const std::vector<std::string>& allowed);

/// The Flex-token failure reply exactly as twilio-flex-token-validator answers (seed-behaviour 0.5):
/// status 403, the bare message as body, Content-Type text/plain (the seed's "plain/text" typo is
/// not reproduced). Used only by the Flex-token middleware.
Reply token_failure_reply(std::string_view message);

}  // namespace flexcore::server
