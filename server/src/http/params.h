#pragma once
/// @file params.h
/// Strict decoding of request parameters (issue 3 "Bad input"): query strings and form bodies,
/// UTF-8 validation, and JSON bodies. Every failure is InvalidArgument naming what was wrong
/// (which part of the request, where, what was expected) without echoing values.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "flexcore/result.h"

namespace flexcore::server {

/// Decoded (name, value) parameters in the order received; names may repeat.
using Params = std::vector<std::pair<std::string, std::string>>;

/// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at most
/// U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

/// Decodes application/x-www-form-urlencoded text (a form body or a raw query string): pairs split
/// on '&' (empty pairs skipped), name and value on the first '=', '+' is a space, %XX is a byte.
/// Errors (InvalidArgument): a '%' not followed by two hex digits ("malformed <what>: invalid
/// percent-escape at byte N"), an empty name, or a decoded name/value that is not UTF-8
/// ("<what> parameter \"Name\" is not valid UTF-8").
/// `what` names the source in messages: "query string" or "form body".
Result<Params> decode_form(std::string_view text, std::string_view what);

/// Largest nesting of JSON arrays/objects parse_json_body accepts.
inline constexpr int kMaxJsonDepth = 64;

/// Parses a JSON request body. Errors (InvalidArgument): not valid JSON ("malformed JSON body at
/// line L, column C: <reason>", without quoting the body), invalid UTF-8, nesting deeper than
/// kMaxJsonDepth, or an object with a repeated key ("JSON body has the key \"Token\" twice").
Result<nlohmann::json> parse_json_body(std::string_view body);

}  // namespace flexcore::server
