#include "http/http_error.h"

namespace flexcore::server {

Reply Reply::json(const nlohmann::json& value, int status) {
  Reply reply;
  reply.status = status;
  reply.body = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  reply.content_type = "application/json";
  return reply;
}

Reply Reply::text(std::string body, int status) {
  Reply reply;
  reply.status = status;
  reply.body = std::move(body);
  reply.content_type = "text/plain; charset=utf-8";
  return reply;
}

Reply Reply::empty(int status) {
  Reply reply;
  reply.status = status;
  reply.content_type.clear();
  return reply;
}

int http_status(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::InvalidArgument: return 400;
    case ErrorCode::NotFound: return 404;
    case ErrorCode::AlreadyExists: return 409;
    case ErrorCode::Conflict: return 409;
    case ErrorCode::PermissionDenied: return 403;
    case ErrorCode::Unauthenticated: return 403;
    case ErrorCode::PayloadTooLarge: return 413;
    case ErrorCode::ResourceExhausted: return 429;
    case ErrorCode::NotConfigured: return 503;
    case ErrorCode::Unavailable: return 503;
    case ErrorCode::UpstreamError: return 502;
    case ErrorCode::DeadlineExceeded: return 504;
    case ErrorCode::Internal: return 500;
  }
  return 500;
}

ErrorCode error_code_for_http_status(int status) noexcept {
  switch (status) {
    case 401:
    case 403: return ErrorCode::Unauthenticated;
    case 404: return ErrorCode::NotFound;
    case 409:
    case 412: return ErrorCode::Conflict;
    case 413: return ErrorCode::PayloadTooLarge;
    case 429: return ErrorCode::ResourceExhausted;
    case 503: return ErrorCode::Unavailable;
    case 504: return ErrorCode::DeadlineExceeded;
    default: break;
  }
  if (status >= 500) return ErrorCode::Internal;
  return ErrorCode::InvalidArgument;
}

Reply error_reply(const Error& error, std::string_view request_id, const nlohmann::json& extra) {
  nlohmann::json body = nlohmann::json::object();
  if (extra.is_object()) body = extra;
  body["error"] = error.message;
  body["code"] = std::string(to_string(error.code));
  if (error.code == ErrorCode::Internal) {
    body["requestId"] = std::string(request_id);
  } else {
    body.erase("requestId");
  }
  return Reply::json(body, http_status(error.code));
}

Reply method_not_allowed_reply(std::string_view method, std::string_view path,
                               const std::vector<std::string>& allowed) {
  std::string allow;
  for (const auto& name : allowed) {
    if (!allow.empty()) allow += ", ";
    allow += name;
  }
  nlohmann::json body = {
      {"error", "method " + std::string(method) + " is not allowed on " + std::string(path) +
                    "; allowed: " + allow},
      {"code", std::string(to_string(ErrorCode::InvalidArgument))}};
  Reply reply = Reply::json(body, 405);
  reply.headers.emplace_back("Allow", allow);
  return reply;
}

Reply token_failure_reply(std::string_view message) {
  return Reply::text(std::string(message), 403);
}

}  // namespace flexcore::server
