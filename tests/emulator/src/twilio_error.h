#pragma once
/// @file twilio_error.h
/// Twilio REST error bodies (upstream-contracts.md 0.2): `{"code","message","more_info","status"}`
/// plus an optional `details` object.

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace flexcore::emulator {

/// `{"code": code, "message": message, "more_info": "https://www.twilio.com/docs/errors/<code>", "status": status}`;
/// `details` is added when it is not null.
nlohmann::json twilio_error_body(int status, int code, std::string_view message,
                                 const nlohmann::json& details = nullptr);

/// The error body the emulator answers for `status` when a fault gives no body:
/// 400 → 20001 "Bad Request", 401 → 20003 "Authenticate", 403 → 20403 "Forbidden",
/// 404 → 20404 "The requested resource <path> was not found", 405 → 20004 "Method not allowed",
/// 429 → 20429 "Too Many Requests", 500 → 20500 "Internal Server Error",
/// 503 → 20503 "Service Unavailable". Any other status uses the status itself as `code` and the
/// HTTP reason phrase as `message` (the emulator's convention; Twilio documents no code for them).
nlohmann::json default_twilio_error(int status, std::string_view path);

/// The 404 message Twilio uses: "The requested resource <path> was not found", where a leading
/// version segment `/v1` (any `/v<digits>`) is left out as Twilio does for its v1 products.
std::string not_found_message(std::string_view path);

/// Answers `status` with a Twilio error body (Content-Type application/json).
void send_twilio_error(httplib::Response& res, int status, int code, std::string_view message,
                       const nlohmann::json& details = nullptr);

/// The standard HTTP reason phrase for `status` ("Too Many Requests"), or "Unknown" when unlisted.
std::string_view reason_phrase(int status);

}  // namespace flexcore::emulator
