#pragma once
/// @file http_util.h
/// Small HTTP helpers shared by the emulator's modules: percent-encoding, form/query parsing,
/// Basic credentials, ISO-8601 timestamps, random identifiers and JSON responses.

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flexcore::emulator {

/// One decoded name/value pair of a query string or form body, in the order received (names may repeat).
using Param = std::pair<std::string, std::string>;
/// Decoded parameters in the order received.
using Params = std::vector<Param>;

/// Percent-decodes `text` (`%41` → `A`); with `plus_as_space`, `+` becomes a space (form encoding).
/// Malformed escapes (`%G1`, a trailing `%`) are kept literally, as browsers and Twilio do.
std::string url_decode(std::string_view text, bool plus_as_space);

/// Percent-encodes everything except RFC 3986 unreserved characters (`A-Z a-z 0-9 - _ . ~`).
std::string url_encode(std::string_view text);

/// Parses `a=1&b=2&a=3` (query string or application/x-www-form-urlencoded body) into decoded pairs.
/// Empty pieces are skipped; a piece without `=` yields an empty value.
Params parse_form(std::string_view text);

/// Encodes pairs as application/x-www-form-urlencoded (`url_encode` of names and values, joined by `&`).
std::string encode_form(const Params& params);

/// The raw (still encoded) query string of a request target (`/p?a=1` → `a=1`), empty if none.
std::string_view raw_query(std::string_view target);

/// The media type of a Content-Type value, lower-cased and without parameters
/// (`Application/JSON; charset=utf-8` → `application/json`).
std::string media_type(std::string_view content_type);

/// Lower-cases ASCII letters.
std::string to_lower(std::string_view text);

/// Username and password of an `Authorization: Basic …` header.
struct BasicCredentials {
  std::string username;  ///< Account SID (AC…) or API key SID (SK…)
  std::string password;  ///< Auth Token or API key secret
};

/// Decodes an `Authorization` header value of the Basic scheme; nullopt when the scheme is not Basic,
/// the base64 is invalid or there is no `:`.
std::optional<BasicCredentials> parse_basic_authorization(std::string_view header_value);

/// `2026-11-21T17:55:16.123Z` (UTC, milliseconds, `Z`), the format IAM uses for `expiration`.
std::string iso8601_utc(std::chrono::system_clock::time_point when);

/// `bytes` cryptographically random bytes as lower-case hex (2 × bytes characters). Throws
/// std::runtime_error if the system random source fails.
std::string random_hex(std::size_t bytes);

/// Unpadded base64url (RFC 4648 §5) of `data`.
std::string base64url_encode(std::string_view data);

/// `bytes` cryptographically random bytes as unpadded base64url (RFC 4648 §5).
std::string random_base64url(std::size_t bytes);

/// A Twilio SID: `prefix` (two upper-case letters, e.g. "WK") followed by 32 random lower-case hex digits.
std::string random_sid(std::string_view prefix);

/// True when `text` is `prefix` followed by exactly 32 hex digits (either case).
bool is_sid(std::string_view text, std::string_view prefix);

/// Sets `status`, `Content-Type: application/json` and the serialised body.
void send_json(httplib::Response& res, int status, const nlohmann::json& body);

/// Control-API error answer: `status` with body `{"error": message}`.
void send_control_error(httplib::Response& res, int status, std::string_view message);

}  // namespace flexcore::emulator
