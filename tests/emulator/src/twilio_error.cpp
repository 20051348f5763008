#include "twilio_error.h"

#include "http_util.h"

namespace flexcore::emulator {

nlohmann::json twilio_error_body(int status, int code, std::string_view message, const nlohmann::json& details) {
  nlohmann::json body{{"code", code},
                      {"message", std::string(message)},
                      {"more_info", "https://www.twilio.com/docs/errors/" + std::to_string(code)},
                      {"status", status}};
  if (!details.is_null()) body["details"] = details;
  return body;
}

std::string not_found_message(std::string_view path) {
  std::string_view shown = path;
  if (shown.size() > 2 && shown[0] == '/' && shown[1] == 'v') {
    std::size_t i = 2;
    while (i < shown.size() && shown[i] >= '0' && shown[i] <= '9') ++i;
    if (i > 2 && (i == shown.size() || shown[i] == '/')) shown.remove_prefix(i);
  }
  if (shown.empty()) shown = "/";
  return "The requested resource " + std::string(shown) + " was not found";
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Unknown";
  }
}

nlohmann::json default_twilio_error(int status, std::string_view path) {
  switch (status) {
    case 400: return twilio_error_body(status, 20001, "Bad Request");
    case 401: return twilio_error_body(status, 20003, "Authenticate");
    case 403: return twilio_error_body(status, 20403, "Forbidden");
    case 404: return twilio_error_body(status, 20404, not_found_message(path));
    case 405: return twilio_error_body(status, 20004, "Method not allowed");
    case 429: return twilio_error_body(status, 20429, "Too Many Requests");
    case 500: return twilio_error_body(status, 20500, "Internal Server Error");
    case 503: return twilio_error_body(status, 20503, "Service Unavailable");
    default: return twilio_error_body(status, status, reason_phrase(status));
  }
}

void send_twilio_error(httplib::Response& res, int status, int code, std::string_view message,
                       const nlohmann::json& details) {
  send_json(res, status, twilio_error_body(status, code, message, details));
}

}  // namespace flexcore::emulator
