#pragma once
/// @file sid.h
/// Twilio SIDs (string identifiers): a two-letter type prefix followed by 32 hexadecimal digits,
/// 34 characters in all, e.g. `WT` + 32 hex for a TaskRouter Task (the Task SID), `WK` a Worker,
/// `WS` a Workspace, `WW` a Workflow, `AC` an Account, `CA` a Call, `CF` a Conference, `RE` a Recording.
///
/// Case: Twilio itself issues the prefix in upper case and the 32 hex digits in **lower** case
/// (e.g. `WTaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`, see every SID in the Twilio OpenAPI examples, which match
/// `^WT[0-9a-fA-F]{32}$`). Twilio's own OpenAPI patterns accept both cases for the hex part, and the
/// seeds' plugin regex (segment lookup: `/^WT[0-9a-fA-F]{32}$/`) does too, so flexcore accepts
/// upper- and lower-case hex digits; the prefix must match exactly (upper case).

#include <string>
#include <string_view>

#include <optional>

#include "flexcore/reason.h"
#include "flexcore/result.h"

namespace flexcore {

/// Length of every Twilio SID: 2 prefix letters + 32 hex digits.
inline constexpr std::size_t kSidLength = 34;

/// True when `value` is `prefix` (exactly two upper-case ASCII letters, compared case-sensitively)
/// followed by exactly 32 hexadecimal digits (0-9, a-f, A-F). No trimming: surrounding whitespace
/// makes the value invalid. A `prefix` that is not two upper-case letters makes every value invalid.
///
/// **Example**: `is_valid_sid("WT0123456789abcdef0123456789abcdef", "WT") == true`.
bool is_valid_sid(std::string_view value, std::string_view prefix) noexcept;

/// Validates `value` as a SID of type `prefix` for the request field `field`.
/// Returns the value unchanged on success; on failure ErrorCode::InvalidArgument with a message such
/// as `TaskSid must be a Task SID: "WT" followed by 32 hex digits (34 characters), got 12 characters`.
/// The offending value itself is not echoed (it may be pasted secret material).
Result<std::string> check_sid(std::string_view value, std::string_view prefix, std::string_view field);

/// Why `value` is not a SID of type `prefix` (no trimming), or std::nullopt when it is one. Reasons
/// (flexcore/reason.h): `required` (empty), `sid_wrong_length` {prefix, length}, `sid_wrong_prefix` {prefix},
/// `sid_not_hex` {prefix}, checked in that order. check_sid's message says the same in English.
std::optional<Reason> sid_reason(std::string_view value, std::string_view prefix);

/// Removes ASCII whitespace (space, \t, \n, \r, \f, \v) from both ends. Used wherever the seeds trim
/// user input (the Task SID box, extension numbers).
std::string_view trim(std::string_view value) noexcept;

}  // namespace flexcore
