#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "flexcore/hang_up_by.h"

using namespace flexcore::hang_up_by;
using flexcore::ErrorCode;

namespace {
const std::string kConf = "CF0123456789abcdef0123456789abcdef";
const std::string kCustomer = "CA11111111111111111111111111111111";
const std::string kWorker = "CA22222222222222222222222222222222";

std::string attributes(const std::string& hang_up_by = "") {
  std::string conv = hang_up_by.empty() ? "" : R"(,"conversations":{"hang_up_by":")" + hang_up_by + "\"}";
  return R"({"name":"caller","conference":{"sid":")" + kConf + R"(","participants":{"customer":")" + kCustomer +
         R"(","worker":")" + kWorker + "\"}}" + conv + "}";
}

Decision decide_ok(EventFacts facts) {
  auto r = decide(facts);
  if (!r.ok()) FAIL("unexpected error: " << r.error().message);
  return r.value();
}
}  // namespace

TEST_CASE("hang up by: only voice task.wrapup events are considered", "[core][hang_up_by]") {
  CHECK(decide_ok({"task.completed", "voice", attributes(), true, kCustomer}).reason == kReasonIgnoredEvent);
  CHECK(decide_ok({"task.wrapup", "chat", attributes(), true, kCustomer}).reason == kReasonNotVoice);
  CHECK_FALSE(decide_ok({"task.wrapup", "chat", attributes(), true, kCustomer}).write);
}

TEST_CASE("hang up by: the decision table of seed-behaviour 5.4", "[core][hang_up_by]") {
  SECTION("no conference in attributes → no write") {
    auto d = decide_ok({"task.wrapup", "voice", R"({"name":"callback"})", true, kCustomer});
    CHECK_FALSE(d.write);
    CHECK(d.reason == kReasonNoConference);
    CHECK(decide_ok({"task.wrapup", "voice", R"({"conference":{"sid":"bogus"}})", true, kCustomer}).reason ==
          kReasonNoConference);
  }
  SECTION("customer's call ended the conference → customer, whatever was recorded") {
    for (const std::string existing : {"", "agent", "disconnect"}) {
      auto d = decide_ok({"task.wrapup", "voice", attributes(existing), true, kCustomer});
      CHECK(d.write);
      CHECK(d.value == "customer");
      CHECK(d.reason == kReasonCustomerEnded);
    }
  }
  SECTION("agent leg ended it and the plugin recorded agent → keep agent") {
    for (const std::string existing : {"agent", "Agent"}) {
      auto d = decide_ok({"task.wrapup", "voice", attributes(existing), true, kWorker});
      CHECK_FALSE(d.write);
      CHECK(d.reason == kReasonAgentRecorded);
    }
  }
  SECTION("agent leg (or another non-customer SID) ended it without agent recorded → disconnect") {
    for (const std::string existing : {"", "customer", "other"}) {
      auto d = decide_ok({"task.wrapup", "voice", attributes(existing), true, kWorker});
      CHECK(d.write);
      CHECK(d.value == "disconnect");
      CHECK(d.reason == kReasonAgentDisconnected);
    }
    CHECK(decide_ok({"task.wrapup", "voice", attributes(), true, "CA33333333333333333333333333333333"}).value ==
          "disconnect");
  }
  SECTION("conference still in progress (null ending SID) → no write, do not guess") {
    auto d = decide_ok({"task.wrapup", "voice", attributes(), true, std::nullopt});
    CHECK_FALSE(d.write);
    CHECK(d.reason == kReasonInProgress);
  }
  SECTION("conference fetch 404 → no write") {
    auto d = decide_ok({"task.wrapup", "voice", attributes(), false, std::nullopt});
    CHECK_FALSE(d.write);
    CHECK(d.reason == kReasonConferenceNotFound);
  }
}

TEST_CASE("hang up by: malformed attributes are an InvalidArgument, not a crash", "[core][hang_up_by]") {
  auto r = decide({"task.wrapup", "voice", "[1,2]", true, kCustomer});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::InvalidArgument);
  CHECK_FALSE(decide({"task.wrapup", "voice", "{", true, kCustomer}).ok());
  // Ignored events do not need to parse attributes.
  CHECK(decide({"task.created", "voice", "{", true, kCustomer}).ok());
}

TEST_CASE("hang up by: conference_of reads the conference Flex records", "[core][hang_up_by]") {
  auto ref = conference_of(attributes());
  REQUIRE(ref.ok());
  REQUIRE(ref.value().has_value());
  CHECK(ref.value()->sid == kConf);
  CHECK(ref.value()->customer_call == kCustomer);
  CHECK(ref.value()->worker_call == kWorker);
  CHECK_FALSE(conference_of("{}").value().has_value());
  CHECK_FALSE(conference_of(R"({"conference":null})").value().has_value());
}

TEST_CASE("hang up by: the plugin's agent write is voice-only and merges safely", "[core][hang_up_by]") {
  auto voice = agent_hang_up_attributes(R"({"a":1,"conversations":{"conversation_id":"WT1"}})", "voice");
  REQUIRE(voice.ok());
  REQUIRE(voice.value().has_value());
  CHECK(*voice.value() == R"({"a":1,"conversations":{"conversation_id":"WT1","hang_up_by":"agent"}})");
  auto null_conv = agent_hang_up_attributes(R"({"conversations":null})", "voice");
  CHECK(*null_conv.value() == R"({"conversations":{"hang_up_by":"agent"}})");
  auto chat = agent_hang_up_attributes(R"({"a":1})", "chat");
  REQUIRE(chat.ok());
  CHECK_FALSE(chat.value().has_value());
  CHECK_FALSE(agent_hang_up_attributes("oops", "chat").ok());
}
