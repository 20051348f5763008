// Callback and voicemail (seed-behaviour 4.3–4.5 and the issue-7 corrections), natively and in wasm.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "flexcore/callback.h"

using namespace flexcore::callback;
using flexcore::ErrorCode;

namespace {

const std::string kNow = "2024-05-01T12:00:00.000Z";
const std::string kWorkflow = "WW0123456789abcdef0123456789abcdef";
const std::string kFlow = "FW0123456789abcdef0123456789abcdef";
const std::string kRecording = "RE0123456789abcdef0123456789abcdef";
const std::string kTranscription = "TR0123456789abcdef0123456789abcdef";
const std::string kTask = "WT0123456789abcdef0123456789abcdef";
const std::string kOtherTask = "WTfedcba9876543210fedcba9876543210";
const std::string kReservation = "WR0123456789abcdef0123456789abcdef";
const std::string kRecordingUrl = "https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/" + kRecording;

ShapeOptions options(const std::string& zone = "UTC") { return ShapeOptions{kNow, zone, kWorkflow}; }

Params base() { return {{"numberToCall", "+15550100000"}, {"numberToCallFrom", "+15550100001"}, {"flexFlowSid", kFlow}}; }

Params with(Params params, const Params& more) {
  params.insert(params.end(), more.begin(), more.end());
  return params;
}

CallbackTask shape_ok(const Params& params, const ShapeOptions& opts = options()) {
  auto result = shape_callback_task(params, opts);
  if (!result.ok()) FAIL("unexpected error: " << result.error().message);
  return result.value();
}

flexcore::Error shape_error(const Params& params, const ShapeOptions& opts = options()) {
  auto result = shape_callback_task(params, opts);
  if (result.ok()) FAIL("expected an error, got " << result.value().attributes_json);
  return result.error();
}

}  // namespace

TEST_CASE("callback: a plain request becomes a callback task with the seed's exact attributes", "[core][callback]") {
  const CallbackTask task = shape_ok(base());
  CHECK(task.attributes_json ==
        R"j({"taskType":"callback","name":"Callback (+15550100000)","flow_execution_sid":")j" + kFlow +
            R"(","message":null,"callBackData":{"numberToCall":"+15550100000","numberToCallFrom":"+15550100001",)"
            R"("attempts":0,"mainTimeZone":"UTC","utcDateTimeReceived":"2024-05-01T12:00:00.000Z","isDeleted":false},)"
            R"("direction":"inbound","conversations":{}})");
  CHECK(task.task_type == "callback");
  CHECK(task.workflow_sid == kWorkflow);
  CHECK(task.task_channel == "voice");
  CHECK(task.priority == 0);
  CHECK(task.timeout == 86400);
  CHECK(task.virtual_start_time == kNow);
}

TEST_CASE("callback: a request with a RecordingSid becomes a voicemail with every recording field", "[core][callback]") {
  const CallbackTask task = shape_ok(with(base(), {{"RecordingSid", kRecording},
                                                   {"RecordingUrl", kRecordingUrl},
                                                   {"TranscriptionSid", kTranscription},
                                                   {"TranscriptionText", "Please call me back"},
                                                   {"message", "left a voicemail"},
                                                   {"conversation_id", kOtherTask}}),
                                   options("America/New_York"));
  CHECK(task.task_type == "voicemail");
  CHECK(task.attributes_json ==
        R"j({"taskType":"voicemail","name":"Voicemail (+15550100000)","flow_execution_sid":")j" + kFlow +
            R"(","message":"left a voicemail","callBackData":{"numberToCall":"+15550100000","numberToCallFrom":"+15550100001",)"
            R"("attempts":0,"mainTimeZone":"America/New_York","utcDateTimeReceived":"2024-05-01T12:00:00.000Z","RecordingSid":")" +
            kRecording + R"(","RecordingUrl":")" + kRecordingUrl + R"(","TranscriptionSid":")" + kTranscription +
            R"(","TranscriptionText":"Please call me back","isDeleted":false},"direction":"inbound","conversations":{"conversation_id":")" +
            kOtherTask + R"("}})");
}

TEST_CASE("callback: a RecordingUrl without RecordingSid stays a callback, an empty RecordingSid is kept", "[core][callback]") {
  const auto url_only = nlohmann::json::parse(shape_ok(with(base(), {{"RecordingUrl", kRecordingUrl}})).attributes_json);
  CHECK(url_only["taskType"] == "callback");
  CHECK(url_only["name"] == "Callback (+15550100000)");
  CHECK(url_only["callBackData"]["RecordingUrl"] == kRecordingUrl);
  CHECK_FALSE(url_only["callBackData"].contains("RecordingSid"));

  const auto empty_sid = nlohmann::json::parse(shape_ok(with(base(), {{"RecordingSid", ""}})).attributes_json);
  CHECK(empty_sid["taskType"] == "callback");
  CHECK(empty_sid["callBackData"]["RecordingSid"] == "");
}

TEST_CASE("callback: absent optional fields vanish, message is null, conversations is empty", "[core][callback]") {
  const auto attributes = nlohmann::json::parse(shape_ok(base()).attributes_json);
  for (const char* key : {"RecordingSid", "RecordingUrl", "TranscriptionSid", "TranscriptionText"}) {
    CHECK_FALSE(attributes["callBackData"].contains(key));
  }
  CHECK(attributes["message"].is_null());
  CHECK(attributes["conversations"] == nlohmann::json::object());
  // An empty message is kept as the empty string (seed: empty strings pass).
  CHECK(nlohmann::json::parse(shape_ok(with(base(), {{"message", ""}})).attributes_json)["message"] == "");
}

TEST_CASE("callback corrections: attempts is a number, isDeleted a boolean", "[core][callback][correction]") {
  auto attributes = nlohmann::json::parse(shape_ok(with(base(), {{"attempts", "2"}, {"isDeleted", "true"}})).attributes_json);
  CHECK(attributes["callBackData"]["attempts"] == 2);
  CHECK(attributes["callBackData"]["attempts"].is_number_integer());
  CHECK(attributes["callBackData"]["isDeleted"] == true);
  attributes = nlohmann::json::parse(shape_ok(with(base(), {{"isDeleted", "FALSE"}})).attributes_json);
  CHECK(attributes["callBackData"]["isDeleted"] == false);
  attributes = nlohmann::json::parse(shape_ok(with(base(), {{"isDeleted", ""}, {"attempts", ""}})).attributes_json);
  CHECK(attributes["callBackData"]["isDeleted"] == false);
  CHECK(attributes["callBackData"]["attempts"] == 0);
}

TEST_CASE("callback corrections: both transcription spellings are accepted, TranscriptionText first", "[core][callback][correction]") {
  auto attributes = nlohmann::json::parse(shape_ok(with(base(), {{"transcriptText", "hello"}})).attributes_json);
  CHECK(attributes["callBackData"]["TranscriptionText"] == "hello");
  attributes = nlohmann::json::parse(
      shape_ok(with(base(), {{"transcriptText", "second"}, {"TranscriptionText", "first"}})).attributes_json);
  CHECK(attributes["callBackData"]["TranscriptionText"] == "first");
}

TEST_CASE("callback corrections: priority and timeout are honoured", "[core][callback][correction]") {
  const CallbackTask task = shape_ok(with(base(), {{"priority", "50"}, {"timeout", "3600"}, {"taskChannel", "callback"},
                                                   {"workflowSid", "WWfedcba9876543210fedcba9876543210"}}));
  CHECK(task.priority == 50);
  CHECK(task.timeout == 3600);
  CHECK(task.task_channel == "callback");
  CHECK(task.workflow_sid == "WWfedcba9876543210fedcba9876543210");
  CHECK(shape_ok(with(base(), {{"timeout", "1209600"}})).timeout == 1209600);
  CHECK(shape_ok(with(base(), {{"priority", "2147483647"}})).priority == 2147483647);
}

TEST_CASE("callback corrections: a '+' lost to url-decoding is restored", "[core][callback][correction]") {
  const CallbackTask task = shape_ok({{"numberToCall", " 15550100000"}, {"numberToCallFrom", " 442071838750"}, {"flexFlowSid", kFlow}});
  const auto attributes = nlohmann::json::parse(task.attributes_json);
  CHECK(attributes["callBackData"]["numberToCall"] == "+15550100000");
  CHECK(attributes["callBackData"]["numberToCallFrom"] == "+442071838750");
  CHECK(attributes["name"] == "Callback (+15550100000)");
}

TEST_CASE("callback corrections: the original conversation id and request time carry into VirtualStartTime", "[core][callback][correction]") {
  const CallbackTask task = shape_ok(with(base(), {{"conversation_id", kOtherTask},
                                                   {"utcDateTimeReceived", "2024-04-30T08:15:30.250Z"},
                                                   {"attempts", "1"}}));
  CHECK(task.virtual_start_time == "2024-04-30T08:15:30.250Z");
  const auto attributes = nlohmann::json::parse(task.attributes_json);
  CHECK(attributes["callBackData"]["utcDateTimeReceived"] == "2024-04-30T08:15:30.250Z");
  CHECK(attributes["conversations"]["conversation_id"] == kOtherTask);
  // An offset time is normalised for TaskRouter; a future one is clamped to now.
  CHECK(shape_ok(with(base(), {{"utcDateTimeReceived", "2024-04-30T10:15:30+02:00"}})).virtual_start_time ==
        "2024-04-30T08:15:30.000Z");
  CHECK(shape_ok(with(base(), {{"utcDateTimeReceived", "2030-01-01T00:00:00Z"}})).virtual_start_time == kNow);
}

TEST_CASE("callback: missing required parameters are all named", "[core][callback][bad-input]") {
  const auto error = shape_error({{"numberToCallFrom", "+15550100001"}});
  CHECK(error.code == ErrorCode::InvalidArgument);
  CHECK(error.message ==
        "Missing numberToCall: the number of the customer to call; "
        "Missing flexFlowSid: the SID of the Flex Flow that triggered this function");
  CHECK(shape_error({{"numberToCall", "+15550100000"}, {"flexFlowSid", kFlow}}).message ==
        "Missing numberToCallFrom: the number to call the customer from");
}

TEST_CASE("callback: numbers that are not E.164 are refused with the field named", "[core][callback][bad-input]") {
  for (const char* bad : {"12345", "+1 (555) 010-0000", "%2B15550100000", "call me", "+0123456789", "+1234567890123456", "", "+15550100000 "}) {
    INFO(bad);
    const auto error = shape_error({{"numberToCall", bad}, {"numberToCallFrom", "+15550100001"}, {"flexFlowSid", kFlow}});
    CHECK(error.code == ErrorCode::InvalidArgument);
    CHECK(error.message.rfind("numberToCall must be an E.164 phone number", 0) == 0);
    const auto from = shape_error({{"numberToCall", "+15550100000"}, {"numberToCallFrom", bad}, {"flexFlowSid", kFlow}});
    CHECK(from.message.rfind("numberToCallFrom must be an E.164", 0) == 0);
  }
  CHECK(shape_error(with({{"numberToCall", "%2B15550100000"}}, base())).message.find("percent-encoded") != std::string::npos);
}

TEST_CASE("callback: bad attempts, isDeleted, priority, timeout and SIDs are refused", "[core][callback][bad-input]") {
  const std::vector<std::pair<Params, std::string>> cases = {
      {{{"attempts", "-1"}}, "attempts"},
      {{{"attempts", "abc"}}, "attempts"},
      {{{"attempts", "1e9"}}, "attempts"},
      {{{"attempts", "1001"}}, "attempts"},
      {{{"isDeleted", "yes"}}, "isDeleted"},
      {{{"timeout", "0"}}, "timeout"},
      {{{"timeout", "1209601"}}, "timeout"},
      {{{"timeout", "2592001"}}, "timeout"},
      {{{"priority", "-5"}}, "priority"},
      {{{"priority", "2147483648"}}, "priority"},
      {{{"workflowSid", "WW123"}}, "workflowSid"},
      {{{"taskChannel", "voice channel"}}, "taskChannel"},
      {{{"utcDateTimeReceived", "yesterday"}}, "utcDateTimeReceived"},
      {{{"RecordingSid", "RE123"}}, "RecordingSid"},
      {{{"TranscriptionSid", "nope"}}, "TranscriptionSid"},
      {{{"RecordingUrl", "javascript:alert(1)"}}, "RecordingUrl"},
      {{{"message", std::string(5000, 'm')}}, "message"},
  };
  for (const auto& [extra, field] : cases) {
    INFO(field);
    const auto error = shape_error(with(extra, base()));
    CHECK(error.code == ErrorCode::InvalidArgument);
    CHECK(error.message.rfind(field, 0) == 0);
  }
}

TEST_CASE("callback: a voicemail without RecordingSid but with a RecordingUrl stays a callback", "[core][callback][bad-input]") {
  const CallbackTask task = shape_ok(with(base(), {{"RecordingUrl", kRecordingUrl}, {"TranscriptionText", "hi"}}));
  CHECK(task.task_type == "callback");
}

TEST_CASE("callback: a 100 KB transcript is cut at a UTF-8 boundary and flagged, the voicemail kept", "[core][callback][bad-input]") {
  std::string transcript(8191, 'a');
  transcript += "\xC3\xA9";  // é straddles the limit
  transcript += std::string(100 * 1024, 'b');
  const CallbackTask task = shape_ok(with(base(), {{"RecordingSid", kRecording}, {"TranscriptionText", transcript}}));
  const auto attributes = nlohmann::json::parse(task.attributes_json);
  CHECK(attributes["taskType"] == "voicemail");
  CHECK(attributes["callBackData"]["TranscriptionText"] == std::string(8191, 'a'));
  CHECK(attributes["callBackData"]["transcriptionTruncated"] == true);
  CHECK(task.attributes_json.size() < 9000);
}

TEST_CASE("callback: no workflow anywhere is NotConfigured, a bad clock is refused", "[core][callback][bad-input]") {
  const auto error = shape_error(base(), ShapeOptions{kNow, "UTC", ""});
  CHECK(error.code == ErrorCode::NotConfigured);
  CHECK(error.message.find("TWILIO_FLEX_CALLBACK_WORKFLOW_SID") != std::string::npos);
  CHECK(shape_error(base(), ShapeOptions{"now", "UTC", kWorkflow}).code == ErrorCode::InvalidArgument);
}

TEST_CASE("callback: params_from_json takes strings, numbers and booleans", "[core][callback]") {
  auto params = params_from_json(R"({"numberToCall":"+15550100000","attempts":2,"isDeleted":true,"message":null})");
  REQUIRE(params.ok());
  CHECK(params.value() == Params{{"numberToCall", "+15550100000"}, {"attempts", "2"}, {"isDeleted", "true"}});
  CHECK_FALSE(params_from_json("[1]").ok());
  CHECK_FALSE(params_from_json(R"({"a":{"b":1}})").ok());
}

TEST_CASE("callback view: headings, phone, time, attempts and retry for a callback", "[core][callback][view]") {
  const CallbackTask task = shape_ok(with(base(), {{"attempts", "1"}, {"utcDateTimeReceived", "2024-04-30T08:15:30.250Z"}}),
                                     options("Europe/London"));
  const auto view = callback_view(task.attributes_json, ViewOptions{3, kNow, "America/Chicago"});
  REQUIRE(view.ok());
  REQUIRE(view.value().has_value());
  const CallbackView& v = *view.value();
  CHECK(v.task_type == "callback");
  CHECK(v.heading == "Callback Request");
  CHECK(v.description == "A contact has requested an immediate callback.");
  CHECK(v.contact_phone == "+15550100000");
  CHECK(v.number_to_call_from == "+15550100001");
  CHECK(v.received_utc == "2024-04-30T08:15:30.250Z");
  CHECK(v.agent_time_zone == "America/Chicago");
  CHECK(v.system_time_zone == "Europe/London");
  CHECK(v.attempt == 2);
  CHECK(v.attempt_label == "2 of 3");
  CHECK(v.retry_later_offered);
  CHECK(v.place_call_label == "Place Call Now To +15550100000");
  CHECK_FALSE(v.show_recording);
  CHECK_FALSE(v.show_transcript);

  const auto last = callback_view(shape_ok(with(base(), {{"attempts", "2"}})).attributes_json, ViewOptions{3, kNow, "UTC"});
  CHECK(last.value()->attempt_label == "3 of 3");
  CHECK_FALSE(last.value()->retry_later_offered);
}

TEST_CASE("callback view: recording and transcript hidden only when isDeleted is true or \"true\"", "[core][callback][view]") {
  const auto voicemail = [](const std::string& is_deleted) {
    return R"({"taskType":"voicemail","callBackData":{"numberToCall":"+15550100000","RecordingUrl":"https://x/r","TranscriptionText":"hi","isDeleted":)" +
           is_deleted + "}}";
  };
  for (const std::string shown : {"false", "\"false\"", "null", "0"}) {
    INFO(shown);
    const auto v = callback_view(voicemail(shown), ViewOptions{3, kNow, "UTC"});
    REQUIRE(v.ok());
    CHECK(v.value()->heading == "Contact Voicemail");
    CHECK(v.value()->show_recording);
    CHECK(v.value()->recording_url == "https://x/r");
    CHECK(v.value()->show_transcript);
    CHECK(v.value()->transcript == "hi");
  }
  for (const std::string hidden : {"true", "\"true\"", "\"TRUE\""}) {
    INFO(hidden);
    const auto v = callback_view(voicemail(hidden), ViewOptions{3, kNow, "UTC"});
    CHECK(v.value()->is_deleted);
    CHECK_FALSE(v.value()->show_recording);
    CHECK_FALSE(v.value()->show_transcript);
    CHECK(v.value()->recording_url.empty());
  }
}

TEST_CASE("callback view: seed tasks with string attempts, missing time, other task types", "[core][callback][view]") {
  const auto seed = callback_view(R"({"taskType":"callback","callBackData":{"numberToCall":"+1555","attempts":"1"}})",
                                  ViewOptions{0, kNow, "UTC"});
  CHECK(seed.value()->attempt == 2);
  CHECK(seed.value()->max_attempts == 3);  // invalid max → default
  CHECK(seed.value()->received_utc == kNow);
  CHECK(seed.value()->system_time_zone == "UTC");
  CHECK(callback_view(R"({"taskType":"callback","callBackData":{"attempts":"abc"}})", ViewOptions{}).value()->attempt == 1);
  CHECK_FALSE(callback_view(R"({"taskType":"chat"})", ViewOptions{}).value().has_value());
  CHECK_FALSE(callback_view("{}", ViewOptions{}).value().has_value());
  CHECK(callback_view("[]", ViewOptions{}).error().code == ErrorCode::InvalidArgument);
}

TEST_CASE("callback: max attempts from config defaults to 3", "[core][callback]") {
  CHECK(max_attempts_from_config("5") == 5);
  CHECK(max_attempts_from_config(" 2 ") == 2);
  for (const char* bad : {"", "<FLEX_APP_CALLBACK_RETRY_ATTEMPTS>", "0", "-1", "abc", "1e3", "1000"}) {
    INFO(bad);
    CHECK(max_attempts_from_config(bad) == 3);
  }
}

TEST_CASE("requeue: the next attempt keeps the original conversation id and reception time", "[core][callback][requeue]") {
  const CallbackTask first = shape_ok(with(base(), {{"RecordingSid", kRecording}, {"RecordingUrl", kRecordingUrl},
                                                    {"TranscriptionText", "hi"}, {"conversation_id", kOtherTask},
                                                    {"utcDateTimeReceived", "2024-04-30T08:15:30.250Z"}}));
  const auto params = requeue_params(RequeueTask{kTask, first.attributes_json, kWorkflow, 3600, 0}, 3);
  REQUIRE(params.ok());
  CHECK(params.value() == Params{{"numberToCall", "+15550100000"},
                                 {"numberToCallFrom", "+15550100001"},
                                 {"flexFlowSid", kFlow},
                                 {"workflowSid", kWorkflow},
                                 {"timeout", "3600"},
                                 {"attempts", "1"},
                                 {"conversation_id", kOtherTask},
                                 {"utcDateTimeReceived", "2024-04-30T08:15:30.250Z"},
                                 {"RecordingSid", kRecording},
                                 {"RecordingUrl", kRecordingUrl},
                                 {"TranscriptionText", "hi"}});
  // Feeding them back shapes the second attempt: attempts 1, same conversation, same VirtualStartTime.
  const CallbackTask second = shape_ok(params.value());
  const auto attributes = nlohmann::json::parse(second.attributes_json);
  CHECK(attributes["callBackData"]["attempts"] == 1);
  CHECK(attributes["conversations"]["conversation_id"] == kOtherTask);
  CHECK(second.virtual_start_time == "2024-04-30T08:15:30.250Z");
  CHECK(second.timeout == 3600);
  CHECK(second.task_type == "voicemail");
}

TEST_CASE("requeue: without a conversation id the current task SID is used, priority and deletion carried", "[core][callback][requeue]") {
  const std::string attributes =
      R"({"taskType":"callback","flow_execution_sid":"FW1","message":"m","callBackData":{"numberToCall":"+15550100000","numberToCallFrom":"+15550100001","attempts":"1","isDeleted":"true"},"conversations":{}})";
  const auto params = requeue_params(RequeueTask{kTask, attributes, kWorkflow, 86400, 7});
  REQUIRE(params.ok());
  const Params& p = params.value();
  const auto value_of = [&](const std::string& name) {
    for (const auto& [k, v] : p) {
      if (k == name) return v;
    }
    return std::string("<absent>");
  };
  CHECK(value_of("conversation_id") == kTask);
  CHECK(value_of("priority") == "7");
  CHECK(value_of("attempts") == "2");
  CHECK(value_of("message") == "m");
  CHECK(value_of("isDeleted") == "true");
  CHECK(value_of("RecordingSid") == "<absent>");
}

TEST_CASE("requeue: refused for the last attempt, other task types and bad input", "[core][callback][requeue][bad-input]") {
  const std::string attributes = shape_ok(with(base(), {{"attempts", "2"}})).attributes_json;
  const auto last = requeue_params(RequeueTask{kTask, attributes, kWorkflow, 86400, 0}, 3);
  REQUIRE_FALSE(last.ok());
  CHECK(last.error().message.find("no retry is left") != std::string::npos);
  CHECK(requeue_params(RequeueTask{kTask, attributes, kWorkflow, 86400, 0}, 4).ok());
  CHECK_FALSE(requeue_params(RequeueTask{kTask, R"({"taskType":"chat"})", kWorkflow, 86400, 0}).ok());
  CHECK_FALSE(requeue_params(RequeueTask{"WT1", attributes, kWorkflow, 86400, 0}).ok());
  CHECK_FALSE(requeue_params(RequeueTask{kTask, "not json", kWorkflow, 86400, 0}).ok());
  CHECK_FALSE(requeue_params(RequeueTask{kTask, R"({"taskType":"callback","callBackData":{}})", kWorkflow, 86400, 0}).ok());
}

TEST_CASE("outbound call attributes follow the seed's Place Call shape", "[core][callback]") {
  const auto out = outbound_call_attributes(R"j({"taskType":"callback","name":"Callback (+1)","conversations":{}})j", kTask, kReservation);
  REQUIRE(out.ok());
  CHECK(out.value() == R"j({"taskType":"callback-outbound","name":"Callback (+1)","conversations":{"conversation_id":")j" + kTask +
                           R"("},"autoClose":true,"parentTask":")" + kReservation + R"("})");
  const auto kept = outbound_call_attributes(R"({"conversations":{"conversation_id":"orig"}})", kTask, kReservation);
  CHECK(nlohmann::json::parse(kept.value())["conversations"]["conversation_id"] == "orig");
  CHECK_FALSE(outbound_call_attributes("{}", kTask, "WR1").ok());
  CHECK_FALSE(outbound_call_attributes("[]", kTask, kReservation).ok());
}

TEST_CASE("ISO-8601 helpers round-trip and reject malformed times", "[core][callback]") {
  CHECK(parse_iso8601_ms("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_iso8601_ms("2024-05-01T12:00:00.000Z") == 1714564800000LL);
  CHECK(format_iso8601_ms(1714564800123LL) == "2024-05-01T12:00:00.123Z");
  CHECK(format_iso8601_ms(*parse_iso8601_ms("1900-03-01T00:00:00Z")) == "1900-03-01T00:00:00.000Z");
  CHECK(format_iso8601_ms(*parse_iso8601_ms("2000-02-29T23:59:59.999+01:00")) == "2000-02-29T22:59:59.999Z");
  for (const char* bad : {"", "2024-05-01", "1899-12-31T23:59:59Z", "2023-02-29T00:00:00Z", "2024-05-01T12:00:00", "2024-05-01T12:00:00.Z"}) {
    INFO(bad);
    CHECK_FALSE(parse_iso8601_ms(bad));
  }
}
