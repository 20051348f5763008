#pragma once
// json_tape.h — internal (not installed, not public API): a strict, validating, non-recursive JSON scanner
// that records a flat "tape" of tokens instead of building a DOM (the simdjson idea, scalar code).
//
// Why: customer_context reads one subtree (`context`) of task attributes that may be hundreds of KB. A DOM
// parse (nlohmann) allocates every node and sorts keys; ordered_json is quadratic in keys. The tape is one
// pass over the bytes, one allocation, and lets readers skip any container in O(1).
//
// Grammar: RFC 8259, strict (no comments, no trailing commas, no leading zeros, no NaN); strings must be
// valid UTF-8 (RFC 3629: no overlong forms, no encoded surrogates, nothing above U+10FFFF) with no raw
// control characters; escapes \" \\ \/ \b \f \n \r \t \uXXXX (lone surrogate escapes are allowed, as in
// JSON.parse). A leading UTF-8 BOM is skipped (as nlohmann does). Nesting depth is bounded only by memory.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flexcore/result.h"

namespace flexcore::detail::json_tape {

enum class Kind : std::uint8_t { Object, Array, String, Number, True, False, Null };

/// One tape entry.
/// - Object/Array: `begin` = offset of '{'/'['; `end` = tape index one past the container's last entry
///   (the index of its next sibling). Object children alternate key (String), value.
/// - String: `begin` = offset of the opening quote, `end` = offset one past the closing quote;
///   `escaped` tells whether the content has a backslash.
/// - Number/True/False/Null: `begin`..`end` = the literal's bytes.
struct Token {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  Kind kind = Kind::Null;
  bool escaped = false;
};

/// A scanned document: the text (not owned; must outlive the Tape) and its tokens. tokens[0] is the root.
struct Tape {
  std::string_view text;
  std::vector<Token> tokens;

  /// Index of the entry after `index` and everything inside it.
  std::uint32_t next(std::uint32_t index) const noexcept {
    const Token& t = tokens[index];
    return (t.kind == Kind::Object || t.kind == Kind::Array) ? t.end : index + 1;
  }
  /// The raw bytes of a string's content (between the quotes, escapes not decoded).
  std::string_view raw_string(std::uint32_t index) const noexcept {
    const Token& t = tokens[index];
    return text.substr(t.begin + 1, t.end - t.begin - 2);
  }
  /// The bytes of a number or literal.
  std::string_view literal(std::uint32_t index) const noexcept {
    const Token& t = tokens[index];
    return text.substr(t.begin, t.end - t.begin);
  }
};

/// Scans `text`. Errors: InvalidArgument "<what>: invalid JSON at byte N: <reason>" (N counts from 0 in the
/// input as given); PayloadTooLarge when the text is 4 GiB or more. An empty or whitespace-only text is
/// invalid JSON here; callers decide whether that means "no value".
Result<Tape> scan(std::string_view text, std::string_view what);

/// Decodes a string token's content into UTF-8, appended to `out`. A lone surrogate escape (\ud800) is kept
/// as its 3-byte generalised UTF-8 form (ED A0 80, "WTF-8") so writers can re-escape it like
/// JSON.stringify; display code replaces it with U+FFFD.
void decode_string(const Tape& tape, std::uint32_t index, std::string& out);

/// The decoded content of a string token; a view into the text when it has no escapes, else into `scratch`.
std::string_view string_value(const Tape& tape, std::uint32_t index, std::string& scratch);

}  // namespace flexcore::detail::json_tape
