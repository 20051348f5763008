#pragma once
/// @file cors.h
/// CORS for the browser-facing API (issue 3 item 6; seed-behaviour 6): allowed origins come from
/// FLEXCORE_CORS_ORIGINS (default https://flex.twilio.com; "*" only when configured).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config.h"

namespace flexcore::server {

inline constexpr std::string_view kCorsAllowMethods = "OPTIONS, GET, POST";
inline constexpr std::string_view kCorsAllowHeaders = "Content-Type";
inline constexpr std::string_view kCorsMaxAgeSeconds = "600";

/// True when `origin` (the request's Origin header) may read responses: "*" is configured, or the
/// origin equals a configured one (scheme and host compared case-insensitively, trailing '/' ignored).
bool cors_origin_allowed(const Config& config, std::string_view origin);

/// The CORS headers of every response to a request with `origin` (empty when the request had no
/// Origin): Access-Control-Allow-Origin ("*" when configured, else the echoed allowed origin, with
/// Vary: Origin; absent for a disallowed origin), Access-Control-Allow-Methods and
/// Access-Control-Allow-Headers.
std::vector<std::pair<std::string, std::string>> cors_headers(const Config& config, std::string_view origin);

}  // namespace flexcore::server
