#include "flexcore/hang_up_by.h"

#include <nlohmann/json.hpp>

#include "flexcore/sid.h"
#include "flexcore/task_attributes.h"

namespace flexcore::hang_up_by {
namespace {

using nlohmann::json;

Result<json> parse_attributes(std::string_view attributes_json) {
  if (attributes_json.find_first_not_of(" \t\r\n") == std::string_view::npos) return json::object();
  json document = json::parse(attributes_json, nullptr, false);
  if (document.is_discarded()) return Result<json>::failure(ErrorCode::InvalidArgument, "attributes: not valid JSON");
  if (!document.is_object()) {
    return Result<json>::failure(ErrorCode::InvalidArgument,
                                 std::string("attributes: expected a JSON object, got ") + document.type_name());
  }
  return document;
}

std::string string_member(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool equals_ignore_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

Decision no_write(std::string_view reason) { return Decision{false, {}, std::string(reason)}; }

}  // namespace

Result<std::optional<ConferenceRef>> conference_of(std::string_view attributes_json) {
  auto attributes = parse_attributes(attributes_json);
  if (!attributes.ok()) return attributes.error();
  const json& document = attributes.value();
  auto it = document.find("conference");
  if (it == document.end() || !it->is_object()) return std::optional<ConferenceRef>();
  ConferenceRef ref;
  ref.sid = string_member(*it, "sid");
  if (!is_valid_sid(ref.sid, "CF")) return std::optional<ConferenceRef>();
  auto participants = it->find("participants");
  if (participants != it->end()) {
    ref.customer_call = string_member(*participants, "customer");
    ref.worker_call = string_member(*participants, "worker");
  }
  return std::optional<ConferenceRef>(std::move(ref));
}

Result<Decision> decide(const EventFacts& facts) {
  if (facts.event_type != "task.wrapup") return no_write(kReasonIgnoredEvent);
  if (facts.task_channel != "voice") return no_write(kReasonNotVoice);
  auto conference = conference_of(facts.attributes_json);
  if (!conference.ok()) return conference.error();
  if (!conference.value()) return no_write(kReasonNoConference);
  if (!facts.conference_found) return no_write(kReasonConferenceNotFound);
  if (!facts.call_sid_ending_conference || facts.call_sid_ending_conference->empty()) {
    return no_write(kReasonInProgress);
  }
  const ConferenceRef& ref = *conference.value();
  if (!ref.customer_call.empty() && *facts.call_sid_ending_conference == ref.customer_call) {
    return Decision{true, "customer", std::string(kReasonCustomerEnded)};
  }
  auto attributes = parse_attributes(facts.attributes_json);  // already validated above
  const json& document = attributes.value();
  std::string existing;
  if (auto conv = document.find("conversations"); conv != document.end()) existing = string_member(*conv, "hang_up_by");
  if (equals_ignore_case(existing, "agent")) return no_write(kReasonAgentRecorded);
  return Decision{true, "disconnect", std::string(kReasonAgentDisconnected)};
}

Result<std::optional<std::string>> agent_hang_up_attributes(std::string_view attributes_json,
                                                            std::string_view task_channel) {
  if (task_channel != "voice") {
    auto attributes = parse_attributes(attributes_json);  // still reject garbage, even when not writing
    if (!attributes.ok()) return attributes.error();
    return std::optional<std::string>();
  }
  auto merged = task_attributes::merge_conversations(attributes_json, R"({"hang_up_by":"agent"})");
  if (!merged.ok()) return merged.error();
  return std::optional<std::string>(std::move(merged).value());
}

}  // namespace flexcore::hang_up_by
