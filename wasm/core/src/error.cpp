#include "flexcore/error.h"

namespace flexcore {

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::InvalidArgument: return "InvalidArgument";
    case ErrorCode::NotFound: return "NotFound";
    case ErrorCode::AlreadyExists: return "AlreadyExists";
    case ErrorCode::Conflict: return "Conflict";
    case ErrorCode::PermissionDenied: return "PermissionDenied";
    case ErrorCode::Unauthenticated: return "Unauthenticated";
    case ErrorCode::PayloadTooLarge: return "PayloadTooLarge";
    case ErrorCode::ResourceExhausted: return "ResourceExhausted";
    case ErrorCode::NotConfigured: return "NotConfigured";
    case ErrorCode::Unavailable: return "Unavailable";
    case ErrorCode::UpstreamError: return "UpstreamError";
    case ErrorCode::DeadlineExceeded: return "DeadlineExceeded";
    case ErrorCode::Internal: return "Internal";
  }
  return "Internal";
}

std::optional<ErrorCode> error_code_from_string(std::string_view name) noexcept {
  for (ErrorCode code : kAllErrorCodes) {
    if (to_string(code) == name) return code;
  }
  return std::nullopt;
}

}  // namespace flexcore
