#include "upstream/twilio_error.h"

#include <nlohmann/json.hpp>

namespace flexcore::server::upstream {

std::optional<TwilioError> parse_twilio_error(const Response& response) {
  const auto json = nlohmann::json::parse(response.body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return std::nullopt;
  TwilioError error;
  error.status = response.status;
  bool found = false;
  if (const auto it = json.find("code"); it != json.end() && it->is_number_integer()) {
    error.code = it->get<int>();
    found = true;
  }
  if (const auto it = json.find("message"); it != json.end() && it->is_string()) {
    error.message = it->get<std::string>();
    found = true;
  }
  if (const auto it = json.find("more_info"); it != json.end() && it->is_string()) {
    error.more_info = it->get<std::string>();
  }
  if (const auto it = json.find("status"); it != json.end() && it->is_number_integer()) {
    error.status = it->get<int>();
  }
  if (!found) return std::nullopt;
  return error;
}

Error upstream_error(const Response& response, std::string_view service) {
  const std::string name(service);
  const std::string attempts =
      response.attempts > 1 ? " (after " + std::to_string(response.attempts) + " attempts)" : "";
  if (!response.answered()) {
    switch (response.transport) {
      case TransportError::Timeout:
        return Error{ErrorCode::DeadlineExceeded, name + " did not answer in time" + attempts};
      case TransportError::ConnectFailed:
      case TransportError::ConnectionLost:
      case TransportError::Tls:
        return Error{ErrorCode::Unavailable,
                     name + " is unreachable: " + response.transport_message + attempts};
      default:
        return Error{ErrorCode::UpstreamError, name + " call failed: " + response.transport_message};
    }
  }
  std::string detail;
  if (const auto twilio = parse_twilio_error(response)) {
    if (!twilio->message.empty()) detail = ": " + twilio->message;
    if (twilio->code != 0) detail += " (Twilio error " + std::to_string(twilio->code) + ")";
  }
  const std::string status = " answered HTTP " + std::to_string(response.status);
  switch (response.status) {
    case 401:
    case 403:
      return Error{ErrorCode::UpstreamError, name + " rejected the server's credentials (HTTP " +
                                                 std::to_string(response.status) + ")"};
    case 400: return Error{ErrorCode::InvalidArgument, name + status + detail};
    case 404: return Error{ErrorCode::NotFound, name + status + detail};
    case 409:
    case 412: return Error{ErrorCode::Conflict, name + status + detail + attempts};
    case 429: return Error{ErrorCode::ResourceExhausted, name + " is rate limiting" + detail + attempts};
    case 503: return Error{ErrorCode::Unavailable, name + " is unavailable" + detail + attempts};
    case 504: return Error{ErrorCode::DeadlineExceeded, name + status + detail + attempts};
    default: return Error{ErrorCode::UpstreamError, name + status + detail};
  }
}

}  // namespace flexcore::server::upstream
