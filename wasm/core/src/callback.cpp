#include "flexcore/callback.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

#include "flexcore/sid.h"

namespace flexcore::callback {
namespace {

using ordered_json = nlohmann::ordered_json;
using json = nlohmann::json;

constexpr auto kReplace = nlohmann::json::error_handler_t::replace;

const std::string* find(const Params& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) return &value;
  }
  return nullptr;
}

Error invalid(std::string message) { return Error{ErrorCode::InvalidArgument, std::move(message)}; }

// Strict non-negative decimal integer up to `max`; nullopt otherwise.
std::optional<std::int64_t> parse_count(std::string_view text, std::int64_t max) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > max) return std::nullopt;
  return value;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Length of the longest prefix of `s` with at most `max` bytes that does not cut a UTF-8 sequence.
std::size_t utf8_prefix(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s.size();
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

bool is_task_channel_name(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// Reads callBackData.attempts: a number or a numeric string; anything else is 0.
std::int64_t attempts_of(const json& data) {
  if (!data.is_object() || !data.contains("attempts")) return 0;
  const json& value = data["attempts"];
  if (value.is_number_integer()) return std::max<std::int64_t>(0, value.get<std::int64_t>());
  if (value.is_number_float()) {
    const double d = value.get<double>();
    return d >= 0 && d <= static_cast<double>(kMaxAttemptsParam) ? static_cast<std::int64_t>(d) : 0;
  }
  if (value.is_string()) return parse_count(value.get<std::string>(), kMaxAttemptsParam).value_or(0);
  return 0;
}

bool is_deleted_value(const json& data) {
  if (!data.is_object() || !data.contains("isDeleted")) return false;
  const json& value = data["isDeleted"];
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string()) return ascii_lower(value.get<std::string>()) == "true";
  return false;
}

std::string string_field(const json& object, const char* name) {
  if (!object.is_object() || !object.contains(name) || !object[name].is_string()) return {};
  return object[name].get<std::string>();
}

Result<json> parse_object(std::string_view text, std::string_view field) {
  if (text.empty()) return json::object();
  json parsed = json::parse(text.begin(), text.end(), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return Result<json>::failure(ErrorCode::InvalidArgument, std::string(field) + ": expected a JSON object");
  }
  return parsed;
}

}  // namespace

std::optional<std::int64_t> parse_iso8601_ms(std::string_view text) noexcept {
  const auto digits = [&](std::size_t at, std::size_t count) -> std::optional<int> {
    if (at + count > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  const auto year = digits(0, 4), month = digits(5, 2), day = digits(8, 2), hour = digits(11, 2),
             minute = digits(14, 2), second = digits(17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (*year < 1900 || *month < 1 || *month > 12 || *day < 1 || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
  if (*day > kDays[*month - 1] || (*month == 2 && *day == 29 && !leap)) return std::nullopt;
  std::size_t at = 19;
  std::int64_t millis = 0;
  if (at < text.size() && text[at] == '.') {
    ++at;
    const std::size_t start = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      if (at - start < 3) millis = millis * 10 + (text[at] - '0');
      ++at;
    }
    if (at == start || at - start > 9) return std::nullopt;
    for (std::size_t n = at - start; n < 3; ++n) millis *= 10;
  }
  std::int64_t offset_minutes = 0;
  if (at + 1 == text.size() && (text[at] == 'Z' || text[at] == 'z')) {
    // UTC
  } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') && text[at + 3] == ':') {
    const auto oh = digits(at + 1, 2), om = digits(at + 4, 2);
    if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
    offset_minutes = (*oh * 60 + *om) * (text[at] == '+' ? 1 : -1);
  } else {
    return std::nullopt;
  }
  const std::int64_t days = days_from_civil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
  const std::int64_t seconds = days * 86400 + *hour * 3600 + *minute * 60 + *second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

std::string format_iso8601_ms(std::int64_t epoch_ms) {
  std::int64_t days = epoch_ms >= 0 ? epoch_ms / 86400000 : -((-epoch_ms + 86399999) / 86400000);
  std::int64_t rest = epoch_ms - days * 86400000;
  // civil_from_days (Howard Hinnant)
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  const int hh = static_cast<int>(rest / 3600000);
  rest %= 3600000;
  const int mm = static_cast<int>(rest / 60000);
  rest %= 60000;
  const int ss = static_cast<int>(rest / 1000);
  const int ms = static_cast<int>(rest % 1000);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<long long>(y), m, d, hh, mm, ss, ms);
  return buffer;
}

Result<std::string> normalize_e164(std::string_view value, std::string_view field) {
  std::string number(value);
  // url_encode in Studio's Liquid leaves '+' as is; a form decoder then turns it into a space.
  if (number.size() >= 2 && number[0] == ' ' && number[1] >= '0' && number[1] <= '9') number[0] = '+';
  const std::string expected = " must be an E.164 phone number: '+' then 7 to 15 digits, the first not 0 (e.g. +15550100000)";
  if (number.rfind("%2B", 0) == 0 || number.rfind("%2b", 0) == 0) {
    return Result<std::string>::failure(ErrorCode::InvalidArgument,
                                        std::string(field) + expected + "; got a percent-encoded value (decode it once)");
  }
  bool ok = number.size() >= 8 && number.size() <= 16 && number[0] == '+' && number[1] >= '1' && number[1] <= '9';
  for (std::size_t i = 1; ok && i < number.size(); ++i) ok = number[i] >= '0' && number[i] <= '9';
  if (!ok) {
    std::string got = number.empty() ? "an empty value" : std::to_string(number.size()) + " characters";
    if (!number.empty() && number.size() <= 32) {
      bool printable = std::all_of(number.begin(), number.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
      if (printable) got = "\"" + number + "\"";
    }
    return Result<std::string>::failure(ErrorCode::InvalidArgument, std::string(field) + expected + ", got " + got);
  }
  return number;
}

int max_attempts_from_config(std::string_view text) noexcept {
  std::string_view t = trim(text);
  if (t.empty() || t.size() > 3) return kDefaultMaxAttempts;
  int value = 0;
  for (const char c : t) {
    if (c < '0' || c > '9') return kDefaultMaxAttempts;
    value = value * 10 + (c - '0');
  }
  return value >= 1 && value <= 100 ? value : kDefaultMaxAttempts;
}

Result<Params> params_from_json(std::string_view params_json) {
  ordered_json parsed = ordered_json::parse(params_json.begin(), params_json.end(), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return Result<Params>::failure(ErrorCode::InvalidArgument, "params: expected a JSON object of parameter names to values");
  }
  Params out;
  for (const auto& [key, value] : parsed.items()) {
    if (value.is_null()) continue;
    if (value.is_string()) {
      out.emplace_back(key, value.get<std::string>());
    } else if (value.is_number() || value.is_boolean()) {
      out.emplace_back(key, value.dump());
    } else {
      return Result<Params>::failure(ErrorCode::InvalidArgument,
                                     "params." + key + ": expected a string, number, boolean or null");
    }
  }
  return out;
}

Result<CallbackTask> shape_callback_task(const Params& params, const ShapeOptions& options) {
  // Required keys (seed 4.2): missing only when absent; every missing key is reported.
  static const std::pair<const char*, const char*> kRequired[] = {
      {"numberToCall", "the number of the customer to call"},
      {"numberToCallFrom", "the number to call the customer from"},
      {"flexFlowSid", "the SID of the Flex Flow that triggered this function"},
  };
  std::string missing;
  for (const auto& [key, purpose] : kRequired) {
    if (find(params, key) == nullptr) {
      if (!missing.empty()) missing += "; ";
      missing += std::string("Missing ") + key + ": " + purpose;
    }
  }
  if (!missing.empty()) return invalid(missing);

  const auto now_ms = parse_iso8601_ms(options.now_utc);
  if (!now_ms) return invalid("nowUtc must be an ISO-8601 UTC date-time such as 2024-05-01T12:00:00.000Z");

  auto number_to_call = normalize_e164(*find(params, "numberToCall"), "numberToCall");
  if (!number_to_call) return number_to_call.error();
  auto number_to_call_from = normalize_e164(*find(params, "numberToCallFrom"), "numberToCallFrom");
  if (!number_to_call_from) return number_to_call_from.error();
  const std::string& flex_flow_sid = *find(params, "flexFlowSid");
  if (flex_flow_sid.size() > 64) return invalid("flexFlowSid must be a Flex Flow or Studio Flow SID (at most 64 characters)");

  CallbackTask task;
  // workflowSid
  if (const auto* value = find(params, "workflowSid"); value != nullptr && !value->empty()) {
    if (!is_valid_sid(*value, "WW")) return invalid("workflowSid must be a Workflow SID: \"WW\" followed by 32 hex digits");
    task.workflow_sid = *value;
  } else if (!options.default_workflow_sid.empty()) {
    task.workflow_sid = options.default_workflow_sid;
  } else {
    return Error{ErrorCode::NotConfigured,
                 "TWILIO_FLEX_CALLBACK_WORKFLOW_SID is not set and the request names no workflowSid"};
  }
  // taskChannel
  task.task_channel = "voice";
  if (const auto* value = find(params, "taskChannel"); value != nullptr && !value->empty()) {
    if (!is_task_channel_name(*value)) {
      return invalid("taskChannel must be a task channel unique name (letters, digits, _ or -, at most 64) or a TC SID");
    }
    task.task_channel = *value;
  }
  // priority / timeout (honoured: the seed at HEAD dropped them)
  if (const auto* value = find(params, "priority"); value != nullptr && !value->empty()) {
    const auto parsed = parse_count(*value, kMaxPriority);
    if (!parsed) return invalid("priority must be an integer from 0 to 2147483647");
    task.priority = *parsed;
  }
  if (const auto* value = find(params, "timeout"); value != nullptr && !value->empty()) {
    const auto parsed = parse_count(*value, kMaxTimeoutSeconds);
    if (!parsed || *parsed < 1) return invalid("timeout must be an integer number of seconds from 1 to 1209600 (2 weeks)");
    task.timeout = *parsed;
  }
  // attempts
  std::int64_t attempts = 0;
  if (const auto* value = find(params, "attempts"); value != nullptr && !value->empty()) {
    const auto parsed = parse_count(*value, kMaxAttemptsParam);
    if (!parsed) return invalid("attempts must be an integer from 0 to 1000 (the number of earlier attempts)");
    attempts = *parsed;
  }
  // isDeleted
  bool is_deleted = false;
  if (const auto* value = find(params, "isDeleted"); value != nullptr && !value->empty()) {
    const std::string lowered = ascii_lower(*value);
    if (lowered != "true" && lowered != "false") return invalid("isDeleted must be true or false");
    is_deleted = lowered == "true";
  }
  // utcDateTimeReceived → VirtualStartTime
  std::string received = format_iso8601_ms(*now_ms);
  std::int64_t received_ms = *now_ms;
  if (const auto* value = find(params, "utcDateTimeReceived"); value != nullptr && !value->empty()) {
    const auto parsed = parse_iso8601_ms(*value);
    if (!parsed) {
      return invalid("utcDateTimeReceived must be an ISO-8601 date-time from 1900 on, such as 2024-05-01T12:00:00.000Z");
    }
    received = *value;
    received_ms = *parsed;
  }
  task.virtual_start_time = format_iso8601_ms(std::min(received_ms, *now_ms));
  // message
  const std::string* message = find(params, "message");
  if (message != nullptr && message->size() > kMaxMessageBytes) return invalid("message must be at most 4096 bytes");
  // voicemail fields
  const std::string* recording_sid = find(params, "RecordingSid");
  if (recording_sid != nullptr && !recording_sid->empty() && !is_valid_sid(*recording_sid, "RE")) {
    return invalid("RecordingSid must be a Recording SID: \"RE\" followed by 32 hex digits");
  }
  const std::string* transcription_sid = find(params, "TranscriptionSid");
  if (transcription_sid != nullptr && !transcription_sid->empty() && !is_valid_sid(*transcription_sid, "TR")) {
    return invalid("TranscriptionSid must be a Transcription SID: \"TR\" followed by 32 hex digits");
  }
  const std::string* recording_url = find(params, "RecordingUrl");
  if (recording_url != nullptr && !recording_url->empty() &&
      (recording_url->size() > 2048 ||
       (recording_url->rfind("https://", 0) != 0 && recording_url->rfind("http://", 0) != 0))) {
    return invalid("RecordingUrl must be an http(s) URL of at most 2048 characters");
  }
  const std::string* transcript = find(params, "TranscriptionText");
  if (transcript == nullptr) transcript = find(params, "transcriptText");

  task.task_type = recording_sid != nullptr && !recording_sid->empty() ? "voicemail" : "callback";
  ordered_json data = ordered_json::object();
  data["numberToCall"] = number_to_call.value();
  data["numberToCallFrom"] = number_to_call_from.value();
  data["attempts"] = attempts;
  data["mainTimeZone"] = options.time_zone.empty() ? std::string("UTC") : options.time_zone;
  data["utcDateTimeReceived"] = received;
  if (recording_sid != nullptr) data["RecordingSid"] = *recording_sid;
  if (recording_url != nullptr) data["RecordingUrl"] = *recording_url;
  if (transcription_sid != nullptr) data["TranscriptionSid"] = *transcription_sid;
  bool truncated = false;
  if (transcript != nullptr) {
    const std::size_t keep = utf8_prefix(*transcript, kMaxTranscriptionBytes);
    truncated = keep < transcript->size();
    data["TranscriptionText"] = transcript->substr(0, keep);
  }
  data["isDeleted"] = is_deleted;
  if (truncated) data["transcriptionTruncated"] = true;

  ordered_json attributes = ordered_json::object();
  attributes["taskType"] = task.task_type;
  attributes["name"] = (task.task_type == "voicemail" ? "Voicemail (" : "Callback (") + number_to_call.value() + ")";
  attributes["flow_execution_sid"] = flex_flow_sid;
  attributes["message"] = message != nullptr ? ordered_json(*message) : ordered_json(nullptr);
  attributes["callBackData"] = std::move(data);
  attributes["direction"] = "inbound";
  ordered_json conversations = ordered_json::object();
  if (const auto* id = find(params, "conversation_id"); id != nullptr) conversations["conversation_id"] = *id;
  attributes["conversations"] = std::move(conversations);
  task.attributes_json = attributes.dump(-1, ' ', false, kReplace);
  return task;
}

Result<std::optional<CallbackView>> callback_view(std::string_view attributes_json, const ViewOptions& options) {
  auto parsed = parse_object(attributes_json, "attributes");
  if (!parsed) return parsed.error();
  const json& attributes = parsed.value();
  const std::string task_type = string_field(attributes, "taskType");
  if (task_type != "callback" && task_type != "voicemail") return std::optional<CallbackView>();
  const json data = attributes.contains("callBackData") && attributes["callBackData"].is_object() ? attributes["callBackData"]
                                                                                                   : json::object();
  CallbackView view;
  view.task_type = task_type;
  if (task_type == "callback") {
    view.heading = "Callback Request";
    view.description = "A contact has requested an immediate callback.";
  } else {
    view.heading = "Contact Voicemail";
    view.description = "A contact has left a voicemail that requires attention.";
  }
  view.contact_phone = string_field(data, "numberToCall");
  view.number_to_call_from = string_field(data, "numberToCallFrom");
  const auto received = parse_iso8601_ms(string_field(data, "utcDateTimeReceived"));
  const auto now = parse_iso8601_ms(options.now_utc);
  view.received_utc = received ? format_iso8601_ms(*received) : (now ? format_iso8601_ms(*now) : std::string());
  view.agent_time_zone = options.agent_time_zone;
  view.system_time_zone = string_field(data, "mainTimeZone");
  if (view.system_time_zone.empty()) view.system_time_zone = "UTC";
  view.max_attempts = options.max_attempts >= 1 ? options.max_attempts : kDefaultMaxAttempts;
  view.attempt = static_cast<int>(attempts_of(data) + 1);
  view.attempt_label = std::to_string(view.attempt) + " of " + std::to_string(view.max_attempts);
  view.retry_later_offered = view.attempt < view.max_attempts;
  view.place_call_label = "Place Call Now To " + view.contact_phone;
  view.is_deleted = is_deleted_value(data);
  const std::string url = string_field(data, "RecordingUrl");
  view.show_recording = !view.is_deleted && !url.empty();
  if (view.show_recording) view.recording_url = url;
  const std::string text = string_field(data, "TranscriptionText");
  view.show_transcript = !view.is_deleted && !text.empty();
  if (view.show_transcript) view.transcript = text;
  return std::optional<CallbackView>(std::move(view));
}

Result<Params> requeue_params(const RequeueTask& task, int max_attempts) {
  if (!is_valid_sid(task.task_sid, "WT")) return invalid("taskSid must be a Task SID: \"WT\" followed by 32 hex digits");
  auto parsed = parse_object(task.attributes_json, "attributes");
  if (!parsed) return parsed.error();
  const json& attributes = parsed.value();
  const std::string task_type = string_field(attributes, "taskType");
  if (task_type != "callback" && task_type != "voicemail") {
    return invalid("attributes.taskType must be callback or voicemail to re-queue, got " +
                   (task_type.empty() ? std::string("none") : "\"" + task_type.substr(0, 32) + "\""));
  }
  const json data = attributes.contains("callBackData") && attributes["callBackData"].is_object() ? attributes["callBackData"]
                                                                                                   : json::object();
  const std::string number_to_call = string_field(data, "numberToCall");
  const std::string number_to_call_from = string_field(data, "numberToCallFrom");
  if (number_to_call.empty() || number_to_call_from.empty()) {
    return invalid("attributes.callBackData must hold numberToCall and numberToCallFrom");
  }
  const std::int64_t next_attempts = attempts_of(data) + 1;
  if (max_attempts > 0 && next_attempts >= max_attempts) {
    return invalid("this is attempt " + std::to_string(next_attempts) + " of " + std::to_string(max_attempts) +
                   ": no retry is left");
  }
  if (!task.workflow_sid.empty() && !is_valid_sid(task.workflow_sid, "WW")) {
    return invalid("workflowSid must be a Workflow SID: \"WW\" followed by 32 hex digits");
  }
  std::string conversation_id = task.task_sid;
  if (attributes.contains("conversations") && attributes["conversations"].is_object()) {
    const std::string original = string_field(attributes["conversations"], "conversation_id");
    if (!original.empty()) conversation_id = original;
  }
  Params out;
  const auto add = [&](const char* name, const std::string& value) {
    if (!value.empty()) out.emplace_back(name, value);
  };
  add("numberToCall", number_to_call);
  add("numberToCallFrom", number_to_call_from);
  add("flexFlowSid", string_field(attributes, "flow_execution_sid"));
  add("workflowSid", task.workflow_sid);
  out.emplace_back("timeout", std::to_string(task.timeout));
  if (task.priority != 0) out.emplace_back("priority", std::to_string(task.priority));
  out.emplace_back("attempts", std::to_string(next_attempts));
  add("conversation_id", conversation_id);
  add("message", string_field(attributes, "message"));
  add("utcDateTimeReceived", string_field(data, "utcDateTimeReceived"));
  add("RecordingSid", string_field(data, "RecordingSid"));
  add("RecordingUrl", string_field(data, "RecordingUrl"));
  add("TranscriptionSid", string_field(data, "TranscriptionSid"));
  add("TranscriptionText", string_field(data, "TranscriptionText"));
  if (is_deleted_value(data)) out.emplace_back("isDeleted", "true");
  return out;
}

Result<std::string> outbound_call_attributes(std::string_view attributes_json, std::string_view task_sid,
                                             std::string_view reservation_sid) {
  if (!is_valid_sid(task_sid, "WT")) return invalid("taskSid must be a Task SID: \"WT\" followed by 32 hex digits");
  if (!is_valid_sid(reservation_sid, "WR")) return invalid("reservationSid must be a Reservation SID: \"WR\" followed by 32 hex digits");
  if (attributes_json.empty()) attributes_json = "{}";
  ordered_json attributes = ordered_json::parse(attributes_json.begin(), attributes_json.end(), nullptr, false);
  if (attributes.is_discarded() || !attributes.is_object()) return invalid("attributes: expected a JSON object");
  std::string conversation_id(task_sid);
  if (attributes.contains("conversations") && attributes["conversations"].is_object() &&
      attributes["conversations"].contains("conversation_id") && attributes["conversations"]["conversation_id"].is_string() &&
      !attributes["conversations"]["conversation_id"].get<std::string>().empty()) {
    conversation_id = attributes["conversations"]["conversation_id"].get<std::string>();
  }
  attributes["taskType"] = "callback-outbound";
  attributes["conversations"] = ordered_json{{"conversation_id", conversation_id}};
  attributes["autoClose"] = true;
  attributes["parentTask"] = std::string(reservation_sid);
  return attributes.dump(-1, ' ', false, kReplace);
}

}  // namespace flexcore::callback
