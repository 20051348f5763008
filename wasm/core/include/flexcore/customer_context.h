#pragma once
/// @file customer_context.h
/// Customer context (seed: "Customer Context Plugin", seed-behaviour.md section 2): the task attribute
/// `context` shown as key/value rows (the "Bot context" section, 2.2), Segment Profile traits and events as
/// rows (2.7, Profile API replies of upstream-contracts.md 5.1), and the identifier rules of profile lookups
/// (2.5).
///
/// ## Value display rules (one set for context, traits and event properties)
/// A row is `{key, value, kind, truncated}`. `value` is display text, i.e. what the agent sees:
/// - string → the string itself; number → its JavaScript text (`JSON.stringify`: `1.50` → `1.5`,
///   `1e2` → `100`, `-0` → `0`, `1e400` → `null`); boolean → `true` / `false`; null → empty text;
/// - object / array → compact JSON, exactly as `JSON.stringify(JSON.parse(text))` writes it (keys in
///   `Object.keys` order at every level, duplicate keys resolved like `JSON.parse`: last value at the first
///   key's position), unless DisplayOptions::flatten expands objects into dotted keys (`address.city`).
/// - display text is plain text: `<b>` stays the five characters `<b>` (the plugin renders text, never
///   HTML). C0 control characters other than TAB/LF/CR become Unicode control pictures (U+0007 → "␇",
///   DEL → "␡"), and a lone surrogate (`"\ud800"`) becomes U+FFFD; keys get the same treatment.
/// - limits (DisplayOptions): containers nested deeper than `max_depth` show as `{…}` / `[…]`; keys longer
///   than `max_key_length` and values longer than `max_value_length` code points are cut and end with "…";
///   any of these sets `truncated`. After `max_rows` rows one marker row `{key:"…", value:"<n> more not
///   shown", kind:Omitted}` ends the list.
///
/// ## Key order
/// JavaScript `Object.keys` order: keys that are canonical array indices ("0" … "4294967294", no leading
/// zeros, no sign) first in ascending numeric order, then the other keys in first-insertion order.
///
/// ## Input
/// JSON text (UTF-8). The attributes/traits/events text is validated strictly (RFC 8259, well-formed UTF-8;
/// a leading BOM is skipped) but only the subtree shown is materialised: a 400 KB attribute document is one
/// pass over its bytes. Nesting depth is bounded only by memory (the scanner is not recursive).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flexcore/result.h"

namespace flexcore::customer_context {

/// The JSON type of a row's value, plus Omitted for the "more rows not shown" marker row.
enum class ValueKind : std::uint8_t { String, Number, Boolean, Null, Object, Array, Omitted };

/// Wire name of a kind: "string", "number", "boolean", "null", "object", "array", "omitted".
std::string_view to_string(ValueKind kind) noexcept;

/// One displayed key/value pair.
struct Row {
  std::string key;             ///< display text of the key (dotted path when flattened)
  std::string value;           ///< display text of the value (see the file comment)
  ValueKind kind = ValueKind::Null;
  bool truncated = false;      ///< a limit of DisplayOptions cut the key or the value
  bool operator==(const Row& other) const {
    return key == other.key && value == other.value && kind == other.kind && truncated == other.truncated;
  }
};

/// Display limits and the flatten switch. Defaults suit the Flex task canvas tab.
struct DisplayOptions {
  /// Expand nested objects into rows with dotted keys (`address.city`); arrays stay compact JSON.
  /// An empty object stays one row `{}`. Keys are joined as they are: a key that itself contains a `.`
  /// gives a path that reads like a deeper one (display only; nothing parses the path back).
  bool flatten = false;
  /// Deepest container level shown: a context value is level 1, its children level 2, … (1–64).
  std::uint32_t max_depth = 10;
  /// Longest key shown, in Unicode code points (1–1,000,000).
  std::uint32_t max_key_length = 256;
  /// Longest value shown, in Unicode code points (1–100,000,000).
  std::uint32_t max_value_length = 2000;
  /// Most rows returned before the marker row (1–10,000,000).
  std::uint32_t max_rows = 1000;
};

/// Checks the ranges documented on DisplayOptions. InvalidArgument names the option, e.g.
/// "maxDepth must be between 1 and 64, got 0" (option names as the JavaScript facade spells them).
Status check_options(const DisplayOptions& options);

/// The rows of `attributes.context` (seed-behaviour 2.2 CORRECT).
///
/// - `attributes_json`: the task attributes, a JSON object. Empty or whitespace-only text means `{}`.
/// - `context` missing, or not an object (a string, an array, a number, null) → no rows, not an error.
///   When `context` appears twice, the last one counts (JSON.parse).
///
/// Errors: InvalidArgument "attributes: invalid JSON at byte N: …" / "attributes: expected a JSON object,
/// got array"; InvalidArgument naming the option for out-of-range DisplayOptions; PayloadTooLarge for text of
/// 4 GiB or more.
///
/// **Example**: `{"context":{"b":{"x":[1,2.50]},"10":true,"2":null,"a":"<i>hi</i>"}}` →
/// `2`:"" (null), `10`:"true" (boolean), `b`:`{"x":[1,2.5]}` (object), `a`:`<i>hi</i>` (string).
Result<std::vector<Row>> context_rows(std::string_view attributes_json, const DisplayOptions& options = {});

/// The rows of a Segment Profile `traits` object (the `traits` member of the `GET …/traits` reply,
/// upstream-contracts 5.1; fetch-persona's `traits`). `null` or empty text → no rows.
/// Errors: InvalidArgument "traits: invalid JSON at byte N: …" or "traits: expected a JSON object, got …".
Result<std::vector<Row>> trait_rows(std::string_view traits_json, const DisplayOptions& options = {});

/// One Segment event for the events timeline.
struct EventRow {
  std::string name;          ///< `event` for a track event; the `type` otherwise ("page", "identify", …)
  std::string type;          ///< `type` as sent ("track", "page", …); empty when missing or not a string
  std::string timestamp;     ///< `timestamp` exactly as sent (ISO-8601); empty when missing or not a string
  std::string display_time;  ///< display_timestamp(timestamp), or empty when it does not parse
  std::vector<Row> properties;  ///< rows of `properties` (same rules as context_rows)
  bool operator==(const EventRow& other) const {
    return name == other.name && type == other.type && timestamp == other.timestamp &&
           display_time == other.display_time && properties == other.properties;
  }
};

/// The events of a Segment Profile `GET …/events` reply's `data` array (fetch-persona's `events`),
/// newest first: sorted by the instant of `timestamp` (offsets honoured, fractions to the nanosecond),
/// stable for equal timestamps; events without a parseable timestamp follow all others in input order.
/// `null` or empty text → no events. Name and type obey the key limits, properties the DisplayOptions.
/// Errors: InvalidArgument "events: invalid JSON …", "events: expected a JSON array, got object",
/// "events[3]: expected an object, got string".
Result<std::vector<EventRow>> event_rows(std::string_view events_json, const DisplayOptions& options = {});

/// A UTC instant: whole seconds since 1970-01-01T00:00:00Z plus nanoseconds (0–999,999,999).
struct Instant {
  std::int64_t seconds = 0;
  std::int32_t nanos = 0;
  bool operator==(const Instant& o) const { return seconds == o.seconds && nanos == o.nanos; }
  bool operator<(const Instant& o) const { return seconds != o.seconds ? seconds < o.seconds : nanos < o.nanos; }
};

/// Parses an RFC 3339 / ISO-8601 timestamp: `YYYY-MM-DD` followed by `T`, `t` or a space and
/// `hh:mm:ss`, an optional fraction of 1–9 digits, then `Z`, `z` or an offset `±hh:mm`. A bare date
/// `YYYY-MM-DD` means midnight UTC (as JavaScript's Date.parse). Calendar-checked (Feb 29 only in leap
/// years, seconds 00–59). std::nullopt when the text is anything else.
std::optional<Instant> parse_timestamp(std::string_view text) noexcept;

/// The timestamp shown to agents: the instant in UTC as "YYYY-MM-DD hh:mm:ss UTC" (fraction dropped,
/// e.g. "2018-01-05T02:16:35.663+02:00" → "2018-01-05 00:16:35 UTC"). Locale- and timezone-free by design:
/// the core has no clock and no timezone data. std::nullopt when parse_timestamp fails.
std::optional<std::string> display_timestamp(std::string_view text);

/// The default Segment identifier type of profile lookups (fetch-persona's `idType`).
inline constexpr std::string_view kDefaultIdType = "user_id";

/// Normalises the identifier of a Segment profile lookup (seed-behaviour 2.5 step 1, CORRECT).
///
/// Input: the parameter value as the HTTP layer decoded it (form/query percent-decoding done, so `%2B` has
/// already become `+`; this function does no percent-decoding: a literal `%2B` stays three characters).
/// - `id_type` `phone`: all ASCII whitespace (space, TAB, …) and every `-` are removed (the seed's rule: `+55 11 9999-0000` →
///   `+551199990000`) and a leading `+` is kept. **Lost-plus rule**: an unencoded `+` in a form or query
///   value arrives as a space, so a value that starts with exactly one space immediately followed by a
///   digit, and whose cleaned form is 8–15 digits (the E.164 length range), gets its `+` back:
///   `" 5511999990000"` → `+5511999990000`. Any other leading whitespace is just removed
///   (`"  11 9999-0000"` → `1199990000`).
/// - any other `id_type` (`user_id`, `email`, `anonymous_id`, custom): surrounding ASCII whitespace is
///   trimmed and nothing else changes, so user IDs such as UUIDs keep their `-` (the seed stripped spaces
///   and `-` from every type, which broke such IDs; deliberate deviation).
/// Unicode is kept as is (profile_path percent-encodes it).
///
/// Errors: InvalidArgument "identifier is required" (empty after normalisation), "identifier must be
/// valid UTF-8", "identifier must not contain control characters", "identifier must be at most 1024 bytes";
/// the id_type errors of check_id_type.
Result<std::string> normalize_profile_identifier(std::string_view id_type, std::string_view identifier);

/// Checks a Segment identifier type: 1–64 characters from `A–Z a–z 0–9 _ .` (e.g. `user_id`, `email`,
/// `phone`, `anonymous_id`, `ios.idfa`). InvalidArgument "idType must be 1-64 characters from A-Z, a-z,
/// 0-9, '_' and '.'" otherwise (a `/` or `:` would change the Profile API path).
Status check_id_type(std::string_view id_type);

/// The Profile API path of one user profile (upstream-contracts 5.1), without the trailing
/// `/traits|/events|/external_ids`: `/v1/spaces/{space_id}/collections/users/profiles/{id_type}:{id}` where
/// `{id}` is normalize_profile_identifier(id_type, identifier) percent-encoded like JavaScript's
/// encodeURIComponent (so `+` → `%2B`, `@` → `%40`, UTF-8 bytes as `%XX`, upper-case hex).
/// Errors: InvalidArgument "spaceId must be 1-128 characters from A-Z, a-z, 0-9, '_' and '-'"; the errors
/// of normalize_profile_identifier.
///
/// **Example**: `profile_path("spa_1", "phone", " 55 11 9999-0000")` →
/// `/v1/spaces/spa_1/collections/users/profiles/phone:%2B551199990000`.
Result<std::string> profile_path(std::string_view space_id, std::string_view id_type, std::string_view identifier);

/// encodeURIComponent over UTF-8 bytes: keeps `A–Z a–z 0–9 - _ . ! ~ * ' ( )`, writes every other byte as
/// `%XX` (upper-case hex).
std::string encode_uri_component(std::string_view text);

}  // namespace flexcore::customer_context
