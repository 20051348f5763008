#pragma once
/// @file task_attributes.h
/// TaskRouter task attributes (a JSON object, sent to Twilio as the `Attributes` form field) and the
/// `conversations.*` keys Flex Insights reads from them (upstream-contracts.md 4.4).
/// Shared by hang up by (writes `conversations.hang_up_by`) and callback (`conversations.conversation_id`).

#include <string>
#include <string_view>

#include "flexcore/result.h"

namespace flexcore::task_attributes {

/// Returns `attributes_json` with only the keys of `patch_json` changed inside its top-level
/// `conversations` object; every other byte of the document (key order, spacing, number spelling,
/// escapes, other `conversations` keys) is preserved.
///
/// - `attributes_json`: a JSON object (the task's attributes). An empty string is treated as `{}`.
/// - `patch_json`: a JSON object of `conversations` keys to set, e.g. `{"hang_up_by":"agent"}`; its values
///   are written in compact JSON.
/// - A key that already exists is replaced in place (the LAST occurrence, the one JSON.parse keeps);
///   a new key is appended at the end of `conversations`; when `conversations` is absent it is appended to
///   the top-level object; when it is present but not an object (e.g. `null`) it is replaced by one.
///
/// Errors: InvalidArgument "attributes: …" when `attributes_json` is not a JSON object;
/// InvalidArgument "patch: …" when `patch_json` is not a JSON object.
///
/// **Example**: `merge_conversations(R"({"a":1.50,"conversations":{"x":"y"}})", R"({"hang_up_by":"agent"})")`
/// → `{"a":1.50,"conversations":{"x":"y","hang_up_by":"agent"}}`.
Result<std::string> merge_conversations(std::string_view attributes_json, std::string_view patch_json);

}  // namespace flexcore::task_attributes
