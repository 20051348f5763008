#pragma once
/// @file reason.h
/// Machine-readable reasons for the problems a user sees (issue 9, "Strings"): the core decides WHAT is
/// wrong, the plugin decides HOW to say it. Every user-facing problem the core reports (a SID check, a row
/// of the Agent Extensions view) carries, next to its English message, a stable reason id and named
/// parameters; the plugin maps the id to a key of its strings table (en-US, es-MX, administrator overrides)
/// and fills `{{name}}` placeholders from the parameters. An id the plugin does not know falls back to the
/// English message.
///
/// Stable: the ids below are part of the wire format (the wasm bindings, the npm package's `REASONS`, the
/// `problems[].reason` member of flexcore-server's JSON bodies). Add ids; never rename or reuse one.

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace flexcore {

/// One parameter of a Reason: a camelCase name (the plugin's `{{name}}` placeholder) and its value as text
/// (numbers in decimal, e.g. "256").
struct ReasonParam {
  std::string name;
  std::string value;
  bool operator==(const ReasonParam& o) const { return name == o.name && value == o.value; }
};

/// A reason id plus its parameters, e.g. `{"too_long", {{"maxLength","256"},{"length","300"}}}`.
struct Reason {
  std::string id;                   ///< one of kAllReasons
  std::vector<ReasonParam> params;  ///< in the order the id's documentation lists them
  bool operator==(const Reason& o) const { return id == o.id && params == o.params; }
  /// The value of parameter `name`, or "" when the reason has no such parameter.
  std::string_view param(std::string_view name) const noexcept {
    for (const ReasonParam& p : params) {
      if (p.name == name) return p.value;
    }
    return {};
  }
};

/// Every reason id the core can produce, with its parameters:
/// - `required`: the value is empty (after trimming, where the field is trimmed). No parameters.
/// - `too_long`: `maxLength` (Unicode code points allowed), `length` (code points given).
/// - `invalid_utf8`: the text is not valid UTF-8. No parameters.
/// - `control_character`: the text contains a control character (U+0000–U+001F, U+007F). No parameters.
/// - `not_digits`: a character other than 0-9; `character` is the first one, printable ASCII as itself
///   (e.g. "-"), anything else as "U+XXXX" (e.g. "U+0661").
/// - `too_few_digits` / `too_many_digits`: `minDigits`, `maxDigits` (the allowed range), `digits` (given).
/// - `taken`: another worker has the extension number: `extensionNumber`, `conflictingWorkerSid`,
///   `conflictingWorkerName` ("" when that row has no name).
/// - `sid_wrong_length`: `prefix` (e.g. "WT"), `length` (characters given; a SID has 34).
/// - `sid_wrong_prefix`: `prefix` (the two letters a SID of this type starts with).
/// - `sid_not_hex`: `prefix`; the 32 characters after the prefix are not all hex digits.
inline constexpr std::array<std::string_view, 11> kAllReasons = {
    "required",       "too_long", "invalid_utf8",     "control_character", "not_digits",  "too_few_digits",
    "too_many_digits", "taken",   "sid_wrong_length", "sid_wrong_prefix",  "sid_not_hex",
};

}  // namespace flexcore
