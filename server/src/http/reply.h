#pragma once
/// @file reply.h
/// What a route handler answers: status, body, content type and extra headers. Error replies are
/// never built by hand: handlers return flexcore::Error and http_error.h turns it into a Reply.

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace flexcore::server {

/// An HTTP answer produced by a handler (or by the error table).
struct Reply {
  int status = 200;                                          ///< HTTP status code
  std::string body;                                          ///< raw body bytes
  std::string content_type = "application/json";             ///< Content-Type (ignored when body is empty)
  std::vector<std::pair<std::string, std::string>> headers;  ///< extra response headers

  /// `value` serialised as JSON (UTF-8; invalid UTF-8 in strings is replaced by U+FFFD).
  static Reply json(const nlohmann::json& value, int status = 200);
  /// A text/plain; charset=utf-8 body.
  static Reply text(std::string body, int status = 200);
  /// No body (204 by default).
  static Reply empty(int status = 204);
};

}  // namespace flexcore::server
