#pragma once
/// @file hang_up_by.h
/// Hang up by (seed: brypo/flex-insights-hang-up-by; seed-behaviour.md section 5): which party ended a
/// voice call, recorded in the task attribute `conversations.hang_up_by` that Flex Insights reads
/// (values `customer`, `agent`, `disconnect`).

#include <optional>
#include <string>
#include <string_view>

#include "flexcore/result.h"

namespace flexcore::hang_up_by {

/// The conference Flex records in task attributes: `{"conference":{"sid":"CF…","participants":
/// {"customer":"CA…","worker":"CA…"}}}`. Missing participant call SIDs are empty strings.
struct ConferenceRef {
  std::string sid;           ///< conference SID (CF…)
  std::string customer_call; ///< call SID of the customer leg (CA…), or empty
  std::string worker_call;   ///< call SID of the agent leg (CA…), or empty
};

/// Reads `attributes.conference` from the task attributes JSON. std::nullopt when there is none, or it
/// has no valid `sid` (a CF SID) — e.g. a callback task before dialing.
/// Errors: InvalidArgument "attributes: …" when `attributes_json` is not a JSON object.
Result<std::optional<ConferenceRef>> conference_of(std::string_view attributes_json);

/// What a TaskRouter event means for `conversations.hang_up_by`.
struct Decision {
  bool write = false;   ///< true: set conversations.hang_up_by to `value`
  std::string value;    ///< "customer" | "disconnect" when write
  std::string reason;   ///< why, one of the kReason* constants (for logs and tests)
};

inline constexpr std::string_view kReasonIgnoredEvent = "ignored-event";            ///< not task.wrapup
inline constexpr std::string_view kReasonNotVoice = "not-voice";                    ///< task channel is not voice
inline constexpr std::string_view kReasonNoConference = "no-conference";            ///< attributes have no conference
inline constexpr std::string_view kReasonConferenceNotFound = "conference-not-found";  ///< fetch answered 404
inline constexpr std::string_view kReasonInProgress = "conference-in-progress";     ///< call_sid_ending_conference null
inline constexpr std::string_view kReasonCustomerEnded = "customer-ended";          ///< write customer
inline constexpr std::string_view kReasonAgentRecorded = "agent-already-recorded";  ///< keep agent
inline constexpr std::string_view kReasonAgentDisconnected = "agent-disconnected";  ///< write disconnect

/// Facts for one TaskRouter event callback.
struct EventFacts {
  std::string event_type;        ///< `EventType`, e.g. "task.wrapup"
  std::string task_channel;      ///< `TaskChannelUniqueName`, e.g. "voice"
  std::string attributes_json;   ///< the task's current attributes (JSON object text)
  bool conference_found = true;  ///< false when GET Conferences/{sid} answered 404
  /// The conference's `call_sid_ending_conference`; std::nullopt when null (still in progress) or not fetched.
  std::optional<std::string> call_sid_ending_conference;
};

/// The decision table of seed-behaviour 5.4, evaluated on `task.wrapup` for voice tasks only:
/// no conference → no write; conference 404 → no write; ending SID null → no write (do not guess);
/// ending SID == the customer's call SID → write "customer"; any other SID → keep an existing "agent"
/// (set by the plugin, compared case-insensitively) or else write "disconnect".
/// Errors: InvalidArgument when `attributes_json` is not a JSON object.
Result<Decision> decide(const EventFacts& facts);

/// For the plugin's `beforeHangupCall`: the task attributes with `conversations.hang_up_by = "agent"`
/// merged in (task_attributes::merge_conversations) for `voice` tasks; other channels → std::nullopt
/// (nothing to write).
/// Errors: InvalidArgument when `attributes_json` is not a JSON object.
Result<std::optional<std::string>> agent_hang_up_attributes(std::string_view attributes_json,
                                                            std::string_view task_channel);

}  // namespace flexcore::hang_up_by
