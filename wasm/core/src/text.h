#pragma once
// text.h — internal UTF-8 helpers shared by customer_context and agent_extensions (not public API).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace flexcore::detail::text {

/// True when `s` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, max U+10FFFF).
bool is_valid_utf8(std::string_view s) noexcept;

/// Number of code points in UTF-8 (or generalised UTF-8) text: the bytes that are not continuation bytes.
std::size_t code_points(std::string_view s) noexcept;

/// Byte length of the longest prefix of `s` holding at most `max` code points.
std::size_t prefix_bytes(std::string_view s, std::size_t max) noexcept;

/// Appends `s` as display text: C0 control characters other than TAB, LF and CR become their Unicode
/// "control picture" (U+0000 → U+2400 "␀", U+001B → U+241B "␛"), DEL becomes U+2421 "␡", and a
/// surrogate code point (generalised UTF-8 from a lone \\uD800 escape) becomes U+FFFD. Everything else,
/// including `<`, `>` and `&`, is copied as is: display text is plain text, never markup.
void append_display(std::string& out, std::string_view s);

/// True when append_display(s) would copy `s` unchanged (the common case; lets callers skip a copy).
bool is_display_clean(std::string_view s) noexcept;

/// Appends `s` with simple case folding (lower case) for ASCII, Latin-1, Latin Extended-A, Latin Extended
/// Additional, Greek, Cyrillic, Armenian and fullwidth Latin letters; other characters are copied as is.
/// Used for case-insensitive filters and sorts.
void append_folded(std::string& out, std::string_view s);

/// Appends one code point as UTF-8 (surrogates as generalised 3-byte UTF-8).
void append_utf8(std::string& out, std::uint32_t cp);

/// Appends `s` as a JSON string literal, escaped as JSON.stringify does (`"` `\\` \b \f \n \r \t, other
/// control characters as \u00XX); a byte sequence that is not well-formed UTF-8 is written as U+FFFD, so the
/// output is always valid JSON (never throws, unlike nlohmann's dump with the default error handler).
void append_json_string(std::string& out, std::string_view s);

}  // namespace flexcore::detail::text
