#pragma once
/// @file error.h
/// The one error vocabulary of flexcore (architecture.md, "Errors, one vocabulary end to end").
///
/// The same enumerator names cross every boundary as strings: the wasm bindings return
/// `{ok:false, error:{code:"InvalidArgument", message}}`, the TS facade throws `CoreError` with
/// `.code === "InvalidArgument"`, and flexcore-server answers `{"error": message, "code": "InvalidArgument"}`
/// with the HTTP status from its single ErrorCode → status table.

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace flexcore {

/// Why a core (or server) operation failed. Stable: names are part of the wire format.
enum class ErrorCode {
  InvalidArgument,     ///< a field has the wrong shape or value (HTTP 400)
  NotFound,            ///< the thing asked for does not exist (404)
  AlreadyExists,       ///< a create collided with an existing item (409)
  Conflict,            ///< a concurrent change won: version / revision / ETag mismatch (409)
  PermissionDenied,    ///< authenticated, but the role does not allow it (403)
  Unauthenticated,     ///< missing or invalid Flex token or Twilio signature (403 as the seeds do)
  PayloadTooLarge,     ///< request body or input over its configured limit (413)
  ResourceExhausted,   ///< rate limited upstream or locally (429)
  NotConfigured,       ///< a setting the operation needs is missing (503, names the variable)
  Unavailable,         ///< an upstream is unreachable or answered 503 after retries (503)
  UpstreamError,       ///< an upstream answered with an unexpected error (502)
  DeadlineExceeded,    ///< a time budget ran out (504)
  Internal,            ///< a bug: should never happen (500)
};

/// Every ErrorCode, in declaration order (for tables and exhaustive tests).
inline constexpr std::array<ErrorCode, 13> kAllErrorCodes = {
    ErrorCode::InvalidArgument,  ErrorCode::NotFound,          ErrorCode::AlreadyExists,
    ErrorCode::Conflict,         ErrorCode::PermissionDenied,  ErrorCode::Unauthenticated,
    ErrorCode::PayloadTooLarge,  ErrorCode::ResourceExhausted, ErrorCode::NotConfigured,
    ErrorCode::Unavailable,      ErrorCode::UpstreamError,     ErrorCode::DeadlineExceeded,
    ErrorCode::Internal,
};

/// The wire name of a code: the enumerator spelled as is ("InvalidArgument").
std::string_view to_string(ErrorCode code) noexcept;

/// Inverse of to_string(); std::nullopt for an unknown name (case-sensitive).
std::optional<ErrorCode> error_code_from_string(std::string_view name) noexcept;

/// An error: a code plus a human message that names the field and what was expected.
/// Messages never contain secrets (tokens, passwords, auth tokens).
struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;
};

}  // namespace flexcore
