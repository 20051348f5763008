#pragma once
/// @file callback.h
/// Callback and voicemail (seed: twilio/flex-plugin-library-callback-and-voicemail; seed-behaviour.md
/// section 4): the TaskRouter task a create-callback request becomes (4.2–4.4, with the corrections of
/// issue 7), what the agent's info panel shows for such a task (4.5), and the parameters of the next
/// attempt when the agent chooses Retry Later (4.5).
///
/// Pure functions: the clock, the server's time zone and the configuration are passed in.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flexcore/result.h"

namespace flexcore::callback {

/// Request parameters as received (form body and query string, decoded), in order. The first
/// occurrence of a name wins. Names are case-sensitive (`numberToCall`, `RecordingSid`, …).
using Params = std::vector<std::pair<std::string, std::string>>;

/// Default task timeout in seconds when `timeout` is absent (seed 4.2).
inline constexpr std::int64_t kDefaultTimeoutSeconds = 86400;
/// Largest TaskRouter task timeout: 2 weeks in seconds (upstream-contracts 3.1, spec CreateTask.Timeout).
inline constexpr std::int64_t kMaxTimeoutSeconds = 1209600;
/// Largest TaskRouter priority (2^31 - 1).
inline constexpr std::int64_t kMaxPriority = 2147483647;
/// Largest accepted `attempts` (a retry counter; anything larger is a client bug).
inline constexpr std::int64_t kMaxAttemptsParam = 1000;
/// Transcripts longer than this many bytes are cut (at a UTF-8 boundary) and flagged with
/// `callBackData.transcriptionTruncated: true`, so an oversized transcription never loses the voicemail.
inline constexpr std::size_t kMaxTranscriptionBytes = 8192;
/// Longest accepted `message`, in bytes.
inline constexpr std::size_t kMaxMessageBytes = 4096;
/// Default maximum number of callback attempts (seed 4.5: FLEX_APP_CALLBACK_RETRY_ATTEMPTS unset → 3).
inline constexpr int kDefaultMaxAttempts = 3;

/// What shaping needs besides the parameters.
struct ShapeOptions {
  /// Now, ISO-8601 UTC (e.g. "2024-05-01T12:00:00.000Z"): the default `utcDateTimeReceived` and the
  /// latest allowed VirtualStartTime.
  std::string now_utc;
  /// The server's IANA time zone, stored as `callBackData.mainTimeZone` ("UTC" on Twilio Functions).
  std::string time_zone = "UTC";
  /// Workflow used when the request has no `workflowSid` (TWILIO_FLEX_CALLBACK_WORKFLOW_SID); may be empty.
  std::string default_workflow_sid;
};

/// The TaskRouter create-task call a request becomes (upstream-contracts 3.1 form parameters).
struct CallbackTask {
  std::string attributes_json;     ///< `Attributes`: the seed-behaviour 4.3 document, exact key order
  std::string workflow_sid;        ///< `WorkflowSid` (WW…)
  std::string task_channel;        ///< `TaskChannel` (unique name, default "voice", or TC…)
  std::int64_t priority = 0;       ///< `Priority`, 0…2^31-1
  std::int64_t timeout = kDefaultTimeoutSeconds;  ///< `Timeout`, seconds, 1…1 209 600
  std::string virtual_start_time;  ///< `VirtualStartTime`: the original request time (ISO-8601 UTC, ms), never after now
  std::string task_type;           ///< "callback" or "voicemail" (also inside the attributes)
};

/// Shapes a create-callback request (seed-behaviour 4.2/4.3/4.4) into the TaskRouter task.
///
/// Attributes, in this key order: `taskType` ("voicemail" when `RecordingSid` is non-empty, else
/// "callback" — a `RecordingUrl` alone stays a callback), `name` ("Voicemail (<numberToCall>)" /
/// "Callback (<numberToCall>)"), `flow_execution_sid` (= `flexFlowSid`), `message` (or null),
/// `callBackData` {`numberToCall`, `numberToCallFrom`, `attempts`, `mainTimeZone`, `utcDateTimeReceived`,
/// `RecordingSid`, `RecordingUrl`, `TranscriptionSid`, `TranscriptionText` (each only when present; empty
/// strings kept), `isDeleted`}, `direction` ("inbound"), `conversations` ({`conversation_id`} or {}).
///
/// Corrections over the seed: `attempts` is a number (param: integer 0…1000, default 0); `isDeleted` a
/// boolean (param "true"/"false", any case, or empty = false); the transcript is read from
/// `TranscriptionText` or else `transcriptText`; `priority` (0…2^31-1, default 0) and `timeout`
/// (1…1 209 600 s, default 86 400) are honoured; both phone numbers must be E.164 (`+` then 7–15 digits,
/// first digit 1-9), where a value of digits with one leading space (a `+` that url-decoding turned into a
/// space) gets its `+` back; `conversation_id` is carried as given; `utcDateTimeReceived` must be ISO-8601
/// (default `now_utc`) and becomes `VirtualStartTime` (clamped to now) so a re-queued callback keeps its
/// place in the queue. `RecordingSid` (RE…), `TranscriptionSid` (TR…) and `RecordingUrl` (http/https)
/// are checked when non-empty.
///
/// Errors (all InvalidArgument, the message names the field and what was expected):
/// missing `numberToCall`/`numberToCallFrom`/`flexFlowSid` ("Missing <key>: <purpose>", every missing key,
/// joined by "; "); a bad number, attempts, isDeleted, priority, timeout, workflowSid, taskChannel,
/// utcDateTimeReceived, RecordingSid, TranscriptionSid, RecordingUrl or an over-long message;
/// `now_utc` not ISO-8601. NotConfigured "TWILIO_FLEX_CALLBACK_WORKFLOW_SID …" when neither the request
/// nor the options name a workflow.
Result<CallbackTask> shape_callback_task(const Params& params, const ShapeOptions& options);

/// Parses a JSON object of parameters (string, number or boolean values; null = absent) into Params,
/// numbers and booleans spelled as JSON does. Errors: InvalidArgument "params: …" for anything else.
Result<Params> params_from_json(std::string_view params_json);

/// E.164 check with the url-decoding repair described at shape_callback_task. Returns the number
/// (repaired) or InvalidArgument naming `field`.
Result<std::string> normalize_e164(std::string_view value, std::string_view field);

/// `FLEX_APP_CALLBACK_RETRY_ATTEMPTS` as a number: a positive integer up to 100, else kDefaultMaxAttempts
/// (the seed logs "Invalid number of retry attempts, setting it to default value of 3").
int max_attempts_from_config(std::string_view text) noexcept;

/// Options of callback_view.
struct ViewOptions {
  int max_attempts = kDefaultMaxAttempts;  ///< from max_attempts_from_config
  std::string now_utc;                     ///< now (ISO-8601 UTC), shown when the task has no reception time
  std::string agent_time_zone;             ///< the agent's IANA zone (the browser's), echoed for formatting
};

/// What the TaskInfoPanel shows for a callback/voicemail task (seed-behaviour 4.5, with the isDeleted
/// correction). Times are instants plus the zones to format them in: the plugin formats with Intl
/// (year/month/day, hour/minute/second, short zone name).
struct CallbackView {
  std::string task_type;            ///< "callback" | "voicemail"
  std::string heading;              ///< "Callback Request" | "Contact Voicemail"
  std::string description;          ///< "A contact has requested an immediate callback." | "A contact has left a voicemail that requires attention."
  std::string contact_phone;        ///< callBackData.numberToCall
  std::string number_to_call_from;  ///< callBackData.numberToCallFrom
  std::string received_utc;         ///< utcDateTimeReceived (normalised ISO-8601 UTC, ms), or now_utc when absent/invalid
  std::string agent_time_zone;      ///< ViewOptions::agent_time_zone
  std::string system_time_zone;     ///< callBackData.mainTimeZone ("UTC" when absent)
  int attempt = 1;                  ///< this attempt: attempts + 1
  int max_attempts = kDefaultMaxAttempts;
  std::string attempt_label;        ///< "<attempt> of <max_attempts>"
  bool retry_later_offered = false; ///< attempt < max_attempts
  std::string place_call_label;     ///< "Place Call Now To <numberToCall>"
  bool show_recording = false;      ///< RecordingUrl present and not deleted
  std::string recording_url;        ///< when show_recording
  bool show_transcript = false;     ///< TranscriptionText present and not deleted
  std::string transcript;           ///< when show_transcript
  bool is_deleted = false;          ///< isDeleted is true or "true" (any case)
};

/// The panel view of a task, or std::nullopt when its `taskType` is neither "callback" nor "voicemail"
/// (the panel is not replaced). `attempts` may be a number or a numeric string (seed tasks); anything
/// else counts as 0. Errors: InvalidArgument "attributes: …" when `attributes_json` is not a JSON object.
Result<std::optional<CallbackView>> callback_view(std::string_view attributes_json, const ViewOptions& options);

/// The task being re-queued (Flex ITask fields).
struct RequeueTask {
  std::string task_sid;         ///< WT… (the current task)
  std::string attributes_json;  ///< its attributes
  std::string workflow_sid;     ///< WW…
  std::int64_t timeout = kDefaultTimeoutSeconds;
  std::int64_t priority = 0;
};

/// The parameters of POST /callback/flex/create-callback for the next attempt (seed-behaviour 4.5
/// "Retry Later", corrected): numberToCall, numberToCallFrom, flexFlowSid (= flow_execution_sid),
/// workflowSid, timeout, priority (omitted when 0), attempts (= attempts + 1), conversation_id (the
/// ORIGINAL conversations.conversation_id, the current task SID only when absent), message,
/// utcDateTimeReceived (original, so VirtualStartTime keeps the queue position), RecordingSid,
/// RecordingUrl, TranscriptionSid, TranscriptionText, isDeleted — empty/false optional values omitted.
/// With `max_attempts` > 0, a task already on its last allowed attempt is refused.
/// Errors: InvalidArgument for non-object attributes, a task that is not callback/voicemail, missing
/// callBackData numbers, a bad task SID, or the last attempt reached.
Result<Params> requeue_params(const RequeueTask& task, int max_attempts = 0);

/// Task attributes for Flex's StartOutboundCall from a callback task (seed 4.5 "Place call"): the original
/// attributes with `taskType` "callback-outbound", `conversations` {conversation_id: the existing one or
/// `task_sid`}, `autoClose` true and `parentTask` = `reservation_sid`; returned as a JSON object text.
/// Errors: InvalidArgument for non-object attributes or bad SIDs (WT…, WR…).
Result<std::string> outbound_call_attributes(std::string_view attributes_json, std::string_view task_sid,
                                             std::string_view reservation_sid);

/// Parses ISO-8601 (`2024-05-01T12:00:00Z`, optional fraction, `Z` or ±HH:MM) into milliseconds since
/// the Unix epoch; std::nullopt when malformed. Years 1900–9999.
std::optional<std::int64_t> parse_iso8601_ms(std::string_view text) noexcept;

/// Milliseconds since the epoch as ISO-8601 UTC with milliseconds ("2024-05-01T12:00:00.000Z").
std::string format_iso8601_ms(std::int64_t epoch_ms);

}  // namespace flexcore::callback
