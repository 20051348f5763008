// Voice (API 2010) conferences and participants (upstream-contracts.md 3.3) against the real emulator
// process: who ended a conference, live-only participants, auth, and the control routes.
#include "test_support.h"

#include <catch2/catch.hpp>

using flexcore::emulator::EmulatorProcess;
using namespace flexcore::emulator::testing;
using json = nlohmann::json;

namespace {

const std::string kCustomer = "CA00000000000000000000000000000001";
const std::string kWorker = "CA00000000000000000000000000000002";
const std::string kConference = "CF0123456789abcdef0123456789abcdef";

struct Voice {
  EmulatorProcess emulator;
  httplib::Client client = client_for(emulator);

  std::string conference_path(const std::string& sid = kConference) const {
    return "/voice/2010-04-01/Accounts/" + emulator.account_sid() + "/Conferences/" + sid;
  }
  httplib::Result control(const std::string& path, const json& body) {
    return client.Post(("/__emulator/voice" + path).c_str(), body.dump(), "application/json");
  }
  httplib::Result get(const std::string& path) {
    client.set_basic_auth(emulator.account_sid().c_str(), emulator.auth_token().c_str());
    return client.Get(path.c_str());
  }
  /// A conference with the customer and worker legs Flex creates (both end the conference on exit).
  void two_party_call() {
    REQUIRE(control("/conferences", {{"sid", kConference}, {"friendlyName", "WT0123456789abcdef0123456789abcdef"}})->status == 201);
    REQUIRE(control("/conferences/" + kConference + "/participants",
                    {{"callSid", kCustomer}, {"label", "customer"}, {"endConferenceOnExit", true}})
                ->status == 201);
    REQUIRE(control("/conferences/" + kConference + "/participants",
                    {{"callSid", kWorker}, {"label", "worker"}, {"endConferenceOnExit", true}})
                ->status == 201);
  }
};

}  // namespace

TEST_CASE("a live conference is in progress with no ending call SID", "[emulator][voice]") {
  Voice v;
  v.two_party_call();
  const auto result = v.get(v.conference_path() + ".json");
  REQUIRE(result);
  CHECK(result->status == 200);
  const json conference = json_of(result);
  CHECK(conference["sid"] == kConference);
  CHECK(conference["status"] == "in-progress");
  CHECK(conference["call_sid_ending_conference"].is_null());
  CHECK(conference["reason_conference_ended"].is_null());
  CHECK(conference["friendly_name"] == "WT0123456789abcdef0123456789abcdef");
  CHECK(conference["account_sid"] == v.emulator.account_sid());
  CHECK(conference["uri"] == "/2010-04-01/Accounts/" + v.emulator.account_sid() + "/Conferences/" + kConference + ".json");
  CHECK(conference["date_created"].get<std::string>().find("+0000") != std::string::npos);

  const json participants = json_of(v.get(v.conference_path() + "/Participants.json"));
  REQUIRE(participants["participants"].size() == 2);
  CHECK(participants["participants"][0]["call_sid"] == kCustomer);
  CHECK(participants["participants"][0]["label"] == "customer");
  CHECK(participants["participants"][0]["status"] == "connected");
  CHECK(participants["participants"][1]["call_sid"] == kWorker);
}

TEST_CASE("the customer hanging up ends the conference with the customer's call SID", "[emulator][voice]") {
  Voice v;
  v.two_party_call();
  const auto left = v.control("/conferences/" + kConference + "/participants/" + kCustomer + "/leave", json::object());
  REQUIRE(left);
  CHECK(left->status == 200);
  CHECK(json_of(left)["participant"]["reason_participant_left"] == "participant_hung_up");
  const json conference = json_of(v.get(v.conference_path() + ".json"));
  CHECK(conference["status"] == "completed");
  CHECK(conference["call_sid_ending_conference"] == kCustomer);
  CHECK(conference["reason_conference_ended"] == "participant-with-end-conference-on-exit-left");
  // Every leg is gone once the conference ended: participants 404 and an empty list.
  for (const auto& sid : {kCustomer, kWorker}) {
    const auto participant = v.get(v.conference_path() + "/Participants/" + sid + ".json");
    REQUIRE(participant);
    CHECK(participant->status == 404);
    CHECK(json_of(participant)["code"] == 20404);
  }
  CHECK(json_of(v.get(v.conference_path() + "/Participants.json"))["participants"].empty());
}

TEST_CASE("a participant without endConferenceOnExit leaving keeps the conference going, the last one ends it",
          "[emulator][voice]") {
  Voice v;
  REQUIRE(v.control("/conferences", {{"sid", kConference}})->status == 201);
  REQUIRE(v.control("/conferences/" + kConference + "/participants", {{"callSid", kCustomer}, {"label", "customer"}})->status == 201);
  REQUIRE(v.control("/conferences/" + kConference + "/participants", {{"callSid", kWorker}, {"label", "worker"}})->status == 201);
  REQUIRE(v.control("/conferences/" + kConference + "/participants/" + kWorker + "/leave", json::object())->status == 200);
  json conference = json_of(v.get(v.conference_path() + ".json"));
  CHECK(conference["status"] == "in-progress");
  CHECK(conference["call_sid_ending_conference"].is_null());
  // The one who left is 404; the one still there is found by call SID and by label.
  CHECK(v.get(v.conference_path() + "/Participants/" + kWorker + ".json")->status == 404);
  CHECK(json_of(v.get(v.conference_path() + "/Participants/customer.json"))["call_sid"] == kCustomer);
  REQUIRE(v.control("/conferences/" + kConference + "/participants/customer/leave", json::object())->status == 200);
  conference = json_of(v.get(v.conference_path() + ".json"));
  CHECK(conference["status"] == "completed");
  CHECK(conference["reason_conference_ended"] == "last-participant-left");
  CHECK(conference["call_sid_ending_conference"] == kCustomer);
}

TEST_CASE("kicking a participant with DELETE and ending a conference via the API", "[emulator][voice]") {
  Voice v;
  v.two_party_call();
  v.client.set_basic_auth(v.emulator.account_sid().c_str(), v.emulator.auth_token().c_str());
  const auto kicked = v.client.Delete((v.conference_path() + "/Participants/" + kWorker + ".json").c_str());
  REQUIRE(kicked);
  CHECK(kicked->status == 204);
  json conference = json_of(v.get(v.conference_path() + ".json"));
  CHECK(conference["reason_conference_ended"] == "participant-with-end-conference-on-exit-kicked");
  CHECK(conference["call_sid_ending_conference"] == kWorker);

  const std::string other = "CFffffffffffffffffffffffffffffffff";
  REQUIRE(v.control("/conferences", {{"sid", other}})->status == 201);
  REQUIRE(v.control("/conferences/" + other + "/participants", {{"callSid", kCustomer}})->status == 201);
  const auto ended = v.client.Post((v.conference_path(other) + ".json").c_str(), "Status=completed",
                                   "application/x-www-form-urlencoded");
  REQUIRE(ended);
  CHECK(ended->status == 200);
  conference = json_of(ended);
  CHECK(conference["status"] == "completed");
  CHECK(conference["reason_conference_ended"] == "conference-ended-via-api");
  CHECK(conference["call_sid_ending_conference"].is_null());
}

TEST_CASE("participant updates change Muted and Hold, bad values are 400", "[emulator][voice]") {
  Voice v;
  v.two_party_call();
  v.client.set_basic_auth(v.emulator.account_sid().c_str(), v.emulator.auth_token().c_str());
  const auto path = v.conference_path() + "/Participants/" + kCustomer + ".json";
  const auto updated = v.client.Post(path.c_str(), "Hold=true&Muted=true", "application/x-www-form-urlencoded");
  REQUIRE(updated);
  CHECK(updated->status == 200);
  CHECK(json_of(updated)["hold"] == true);
  CHECK(json_of(updated)["muted"] == true);
  CHECK(json_of(v.get(v.conference_path() + "/Participants.json?Hold=true"))["participants"].size() == 1);
  const auto bad = v.client.Post(path.c_str(), "Hold=maybe", "application/x-www-form-urlencoded");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(json_of(bad)["code"] == 20001);
}

TEST_CASE("an unknown conference is 404 20404 and the list filters by status", "[emulator][voice]") {
  Voice v;
  v.two_party_call();
  const auto missing = v.get(v.conference_path("CFeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee") + ".json");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(json_of(missing)["code"] == 20404);
  const auto base = "/voice/2010-04-01/Accounts/" + v.emulator.account_sid() + "/Conferences.json";
  CHECK(json_of(v.get(base + "?Status=in-progress"))["conferences"].size() == 1);
  CHECK(json_of(v.get(base + "?Status=completed"))["conferences"].empty());
  // The spec check rejects a parameter the API does not have.
  const auto bad = v.get(base + "?Colour=red");
  REQUIRE(bad);
  CHECK(bad->status == 400);
}

TEST_CASE("Voice calls need the account's Basic credentials", "[emulator][voice]") {
  Voice v;
  v.two_party_call();
  v.client.set_basic_auth(v.emulator.account_sid().c_str(), "wrong");
  const auto denied = v.client.Get((v.conference_path() + ".json").c_str());
  REQUIRE(denied);
  CHECK(denied->status == 401);
  CHECK(json_of(denied)["code"] == 20003);
  v.client.set_basic_auth(v.emulator.account_sid().c_str(), v.emulator.auth_token().c_str());
  const auto other_account = v.client.Get(
      ("/voice/2010-04-01/Accounts/AC11111111111111111111111111111111/Conferences/" + kConference + ".json").c_str());
  REQUIRE(other_account);
  CHECK(other_account->status == 401);
}

TEST_CASE("Voice control routes reject bad input and reset clears conferences", "[emulator][voice]") {
  Voice v;
  CHECK(v.control("/conferences", {{"sid", "CF1"}})->status == 400);
  CHECK(v.control("/conferences", {{"colour", "red"}})->status == 400);
  REQUIRE(v.control("/conferences", {{"sid", kConference}})->status == 201);
  CHECK(v.control("/conferences", {{"sid", kConference}})->status == 409);
  CHECK(v.control("/conferences/" + kConference + "/participants", {{"callSid", "CA1"}})->status == 400);
  CHECK(v.control("/conferences/" + kConference + "/participants", {{"endConferenceOnExit", "yes"}})->status == 400);
  CHECK(v.control("/conferences/CFeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee/participants", json::object())->status == 404);
  REQUIRE(v.control("/conferences/" + kConference + "/participants", {{"callSid", kCustomer}})->status == 201);
  CHECK(v.control("/conferences/" + kConference + "/participants", {{"callSid", kCustomer}})->status == 409);
  CHECK(v.control("/conferences/" + kConference + "/participants/" + kCustomer + "/leave", {{"reason", "bored"}})->status == 400);
  CHECK(v.control("/conferences/" + kConference + "/participants/" + kWorker + "/leave", json::object())->status == 404);
  REQUIRE(v.control("/conferences/" + kConference + "/participants/" + kCustomer + "/leave", json::object())->status == 200);
  CHECK(v.control("/conferences/" + kConference + "/participants", json::object())->status == 409);  // ended

  const json all = json_of(v.client.Get("/__emulator/voice/conferences"));
  REQUIRE(all["conferences"].size() == 1);
  CHECK(all["conferences"][0]["participants"][0]["reason_participant_left"] == "participant_hung_up");
  v.emulator.reset();
  CHECK(json_of(v.client.Get("/__emulator/voice/conferences"))["conferences"].empty());
}
