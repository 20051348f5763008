/// @file hang_up_by.cpp
/// Hang up by (issue 8; seed-behaviour 5, upstream-contracts 3.1 / 3.3 / 4.4):
///
/// POST /taskrouter/events — the TaskRouter Workspace Event Callback URL (X-Twilio-Signature).
///   Every event but `task.wrapup` on the `voice` channel → 200 at once, nothing fetched.
///   For a voice wrap-up: `TaskAttributes.conference` → GET the conference (API 2010) → the core's
///   decision table (hang_up_by::decide) → a safe merge of `conversations.hang_up_by` (fetch task +
///   ETag, re-decide on the current attributes, task_attributes::merge_conversations, update with
///   If-Match, re-fetch on 412, at most HANG_UP_BY_MERGE_ATTEMPTS rounds).
///   Answers 200 `{"written","value"?,"reason","attempts"?}`; conference 404 → 200 no write (logged);
///   upstream failures → 500 (error form with the original code) and nothing half-written: the only
///   write is the single conditional task update.
///
/// POST /voice/conference-status — optional (HANG_UP_BY_CONFERENCE_CALLBACK=1): a conference status
///   callback `participant-leave` with `ReasonParticipantLeft=participant_hung_up` for the customer
///   leg writes `customer` early (the task is named by the conference's FriendlyName, the Task SID
///   under Flex native conferencing). Everything else → 200 no write.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app.h"
#include "flexcore/hang_up_by.h"
#include "flexcore/sid.h"
#include "flexcore/task_attributes.h"
#include "http/http_error.h"
#include "log.h"
#include "upstream/taskrouter_client.h"
#include "upstream/voice_client.h"

namespace flexcore::server {
namespace {

namespace hub = flexcore::hang_up_by;

struct HangUpByClients {
  upstream::TaskRouterClient taskrouter;
  upstream::VoiceClient voice;
};

upstream::BasicAuth account_auth(const Config& config) {
  if (!config.auth_token.empty()) return {config.account_sid, config.auth_token};
  return {config.api_key, config.api_secret};
}

Reply outcome(bool written, std::string_view reason, const std::string& value = {}, int attempts = 0) {
  nlohmann::json body = {{"written", written}, {"reason", reason}};
  if (!value.empty()) body["value"] = value;
  if (attempts > 0) body["attempts"] = attempts;
  return Reply::json(body);
}

/// Upstream failures are answered 500 (so TaskRouter's debugger shows them) in the one error form,
/// keeping the original code ("Unavailable", "Conflict"...) in the body.
Reply upstream_failure(App& app, const RequestContext& ctx, const Error& error, std::string_view task_sid) {
  log_event(app.logger(), spdlog::level::err, "hang up by: upstream failure",
            {{"requestId", ctx.request_id}, {"taskSid", task_sid}, {"code", to_string(error.code)},
             {"error", error.message}});
  Reply reply = error_reply(error, ctx.request_id);
  reply.status = 500;
  return reply;
}

/// Largest `TaskAttributes` accepted (bytes): TaskRouter's configuration limit on task attributes
/// (16 KiB, whitespace included; TaskRouter resource-limits page), so a longer one cannot come from it.
constexpr std::size_t kMaxTaskAttributesBytes = 16 * 1024;

Result<std::string> required_sid(const RequestContext& ctx, std::string_view name, std::string_view prefix) {
  const auto value = ctx.param(name);
  if (!value || value->empty()) {
    return Error{ErrorCode::InvalidArgument, std::string(name) + " is required for task.wrapup events"};
  }
  return check_sid(*value, prefix, name);
}

/// Validates `TaskAttributes` and reads its conference. nullopt: no `conference` key at all.
Result<std::optional<hub::ConferenceRef>> event_conference(const std::string& attributes) {
  const auto document = nlohmann::json::parse(attributes, nullptr, false);
  if (document.is_discarded()) return Error{ErrorCode::InvalidArgument, "TaskAttributes: not valid JSON"};
  if (!document.is_object()) {
    return Error{ErrorCode::InvalidArgument,
                 std::string("TaskAttributes: expected a JSON object, got ") + document.type_name()};
  }
  const auto member = document.find("conference");
  if (member == document.end() || member->is_null()) return std::optional<hub::ConferenceRef>();
  auto ref = hub::conference_of(attributes);
  if (!ref.ok()) return Error{ErrorCode::InvalidArgument, "TaskAttributes: " + ref.error().message};
  if (!ref.value()) {
    return Error{ErrorCode::InvalidArgument,
                 "TaskAttributes.conference: expected an object {\"sid\":\"CF…\",\"participants\":"
                 "{\"customer\":\"CA…\",\"worker\":\"CA…\"}}"};
  }
  if (!is_valid_sid(ref.value()->customer_call, "CA")) {
    return Error{ErrorCode::InvalidArgument,
                 "TaskAttributes.conference.participants.customer: expected the customer's Call SID (CA + 32 hex); "
                 "without it the customer's leg cannot be told from the agent's"};
  }
  return ref;
}

/// The transform of the safe merge: decide again on the task's current attributes (another writer,
/// e.g. the plugin's "agent", may have changed them) and merge only conversations.hang_up_by.
/// `customer_only` (conference status callback): write only when `ending` is the customer's leg.
upstream::TaskRouterClient::AttributesTransform hang_up_by_transform(const std::optional<std::string>& ending,
                                                                      bool customer_only, hub::Decision& last) {
  return [ending, customer_only, &last](const upstream::TaskSnapshot& task) -> Result<std::optional<std::string>> {
    if (customer_only) {
      auto ref = hub::conference_of(task.attributes);
      if (!ref.ok() || !ref.value() || ref.value()->customer_call.empty() || ref.value()->customer_call != ending) {
        last = hub::Decision{false, {}, "not-the-customer"};
        return std::optional<std::string>();
      }
    }
    hub::EventFacts facts;
    facts.event_type = "task.wrapup";
    facts.task_channel = "voice";
    facts.attributes_json = task.attributes;
    facts.conference_found = true;
    facts.call_sid_ending_conference = ending;
    auto decision = hub::decide(facts);
    if (!decision.ok()) {
      return Error{ErrorCode::UpstreamError, "the task's current attributes: " + decision.error().message};
    }
    last = decision.value();
    if (!last.write) return std::optional<std::string>();
    auto merged = task_attributes::merge_conversations(task.attributes,
                                                       nlohmann::json{{"hang_up_by", last.value}}.dump());
    if (!merged.ok()) return merged.error();
    return std::optional<std::string>(std::move(merged).value());
  };
}

Result<Reply> write_decision(App& app, HangUpByClients& clients, const RequestContext& ctx,
                             const std::string& workspace_sid, const std::string& task_sid,
                             const std::optional<std::string>& ending, bool customer_only) {
  hub::Decision last;
  auto merged = clients.taskrouter.update_attributes_safely(workspace_sid, task_sid,
                                                            hang_up_by_transform(ending, customer_only, last),
                                                            app.config().hang_up_by_merge_attempts);
  if (!merged.ok()) {
    if (merged.error().code == ErrorCode::NotFound) {
      log_event(app.logger(), spdlog::level::warn, "hang up by: task not found, nothing written",
                {{"requestId", ctx.request_id}, {"taskSid", task_sid}});
      return outcome(false, "task-not-found");
    }
    return upstream_failure(app, ctx, merged.error(), task_sid);
  }
  log_event(app.logger(), spdlog::level::info, "hang up by",
            {{"requestId", ctx.request_id}, {"taskSid", task_sid}, {"written", merged.value().written},
             {"value", last.value}, {"reason", last.reason}, {"attempts", merged.value().attempts}});
  return outcome(merged.value().written, last.reason, last.write ? last.value : std::string(),
                 merged.value().attempts);
}

Result<Reply> handle_event(App& app, HangUpByClients& clients, RequestContext& ctx) {
  const auto event_type = ctx.param("EventType");
  if (!event_type || event_type->empty()) {
    return Error{ErrorCode::InvalidArgument, "EventType is required (a TaskRouter event callback parameter)"};
  }
  // The fast path: TaskRouter posts every workspace event here and expects a quick answer.
  if (*event_type != "task.wrapup") return outcome(false, hub::kReasonIgnoredEvent);
  if (ctx.param("TaskChannelUniqueName").value_or("") != "voice") return outcome(false, hub::kReasonNotVoice);

  auto task_sid = required_sid(ctx, "TaskSid", "WT");
  if (!task_sid.ok()) return task_sid.error();
  auto workspace_sid = required_sid(ctx, "WorkspaceSid", "WS");
  if (!workspace_sid.ok()) return workspace_sid.error();
  const Config& config = app.config();
  if (!config.flex_workspace_sid.empty() && workspace_sid.value() != config.flex_workspace_sid) {
    return Error{ErrorCode::InvalidArgument,
                 "WorkspaceSid: the event is for another workspace than TWILIO_FLEX_WORKSPACE_SID"};
  }
  const auto attributes = ctx.param("TaskAttributes");
  if (!attributes) return Error{ErrorCode::InvalidArgument, "TaskAttributes is required for task.wrapup events"};
  if (attributes->size() > kMaxTaskAttributesBytes) {
    return Error{ErrorCode::PayloadTooLarge, "TaskAttributes: " + std::to_string(attributes->size()) +
                                                 " bytes, more than TaskRouter's 16384-byte limit on task attributes"};
  }
  auto conference = event_conference(*attributes);
  if (!conference.ok()) return conference.error();
  if (!conference.value()) return outcome(false, hub::kReasonNoConference);
  if (!config.has_account_credentials()) {
    return Error{ErrorCode::NotConfigured,
                 "not configured: set ACCOUNT_SID and AUTH_TOKEN (or API_KEY and API_SECRET) (see server/README.md)"};
  }

  auto fetched = clients.voice.fetch_conference(conference.value()->sid);
  hub::EventFacts facts;
  facts.event_type = *event_type;
  facts.task_channel = "voice";
  facts.attributes_json = *attributes;
  if (!fetched.ok()) {
    if (fetched.error().code != ErrorCode::NotFound) return upstream_failure(app, ctx, fetched.error(), task_sid.value());
    facts.conference_found = false;
    log_event(app.logger(), spdlog::level::warn, "hang up by: conference not found, nothing written",
              {{"requestId", ctx.request_id}, {"taskSid", task_sid.value()},
               {"conferenceSid", conference.value()->sid}});
  } else {
    facts.call_sid_ending_conference = fetched.value().call_sid_ending_conference;
  }
  // First decision on the event's snapshot: no task fetch at all when nothing can be written.
  auto decision = hub::decide(facts);
  if (!decision.ok()) return Error{ErrorCode::InvalidArgument, "TaskAttributes: " + decision.error().message};
  if (!decision.value().write) return outcome(false, decision.value().reason);
  return write_decision(app, clients, ctx, workspace_sid.value(), task_sid.value(),
                        facts.call_sid_ending_conference, false);
}

Result<Reply> handle_conference_status(App& app, HangUpByClients& clients, RequestContext& ctx) {
  const auto event = ctx.param("StatusCallbackEvent");
  if (!event || event->empty()) {
    return Error{ErrorCode::InvalidArgument, "StatusCallbackEvent is required (a conference status callback parameter)"};
  }
  if (*event != "participant-leave") return outcome(false, hub::kReasonIgnoredEvent);
  if (ctx.param("ReasonParticipantLeft").value_or("") != "participant_hung_up") {
    return outcome(false, "not-a-hang-up");
  }
  const auto call_sid = ctx.param("CallSid").value_or("");
  if (!is_valid_sid(call_sid, "CA")) return Error{ErrorCode::InvalidArgument, "CallSid: expected a Call SID (CA + 32 hex)"};
  const auto task_sid = ctx.param("FriendlyName").value_or("");
  // Flex native conferencing names the conference after the task; other conferences are not ours.
  if (!is_valid_sid(task_sid, "WT")) return outcome(false, "not-a-flex-task-conference");
  const Config& config = app.config();
  if (config.flex_workspace_sid.empty()) return config.require({"TWILIO_FLEX_WORKSPACE_SID"}).error();
  if (!config.has_account_credentials()) {
    return Error{ErrorCode::NotConfigured,
                 "not configured: set ACCOUNT_SID and AUTH_TOKEN (or API_KEY and API_SECRET) (see server/README.md)"};
  }
  // Only the customer's own hang-up is an early signal; the agent's side is settled at wrap-up
  // (the plugin's "agent" or "disconnect"): a worker leg leaving may also be a transfer.
  return write_decision(app, clients, ctx, config.flex_workspace_sid, task_sid, call_sid, true);
}

}  // namespace

void register_hang_up_by_routes(Router& router, App& app) {
  const Config& config = app.config();
  auto clients = std::make_shared<HangUpByClients>(HangUpByClients{
      upstream::TaskRouterClient(app.upstream(), config.urls.taskrouter, account_auth(config)),
      upstream::VoiceClient(app.upstream(), config.urls.voice, config.account_sid, account_auth(config))});
  router.add({"POST"}, "/taskrouter/events", AuthMode::TwilioSignature,
             [&app, clients](RequestContext& ctx) { return handle_event(app, *clients, ctx); });
  if (config.hang_up_by_conference_callback) {
    router.add({"POST"}, "/voice/conference-status", AuthMode::TwilioSignature,
               [&app, clients](RequestContext& ctx) { return handle_conference_status(app, *clients, ctx); });
  }
}

}  // namespace flexcore::server
