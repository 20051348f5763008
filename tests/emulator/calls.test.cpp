// Calls and voicemails played by the emulator (POST /__emulator/calls, …/hang-up, …/wrap-up, …/transfer,
// POST /__emulator/voicemails, the Recording media), against the real emulator process.
#include "test_support.h"
// after test_support.h (which declares flexcore::emulator::testing after EmulatorProcess)
#include "event_receiver.h"

#include "flexcore/emulator/call_scenario.h"

#include <catch2/catch.hpp>

#include <cstring>

using flexcore::emulator::CallScenario;
using flexcore::emulator::EmulatorProcess;
using namespace flexcore::emulator::testing;
using json = nlohmann::json;

namespace {

const std::string kWs = "WS2222222222222222222222222222abcd";

struct Rig {
  EmulatorProcess emulator;
  EventReceiver receiver;
  json seeded;
  httplib::Client client = client_for(emulator);

  Rig() {
    client.set_basic_auth(emulator.account_sid().c_str(), emulator.auth_token().c_str());
    seeded = emulator.control("POST", "/taskrouter/workspaces",
                              {{"sid", kWs},
                               {"eventCallbackUrl", receiver.url("/taskrouter/events")},
                               {"taskQueues", {{{"friendlyName", "Everyone"}}}},
                               {"workers",
                                {{{"friendlyName", "ana"}, {"attributes", {{"contact_uri", "client:ana"}}}, {"activity", "Available"}},
                                 {{"friendlyName", "bob"}, {"attributes", {{"contact_uri", "client:bob"}}}, {"activity", "Offline"}}}},
                               {"workflows", {{{"friendlyName", "Assign to Anyone"}, {"taskQueue", "Everyone"}, {"knownWorker", "targetWorker"}}}}},
                              201);
  }
  std::string workflow() const { return seeded["workflows"][0]["sid"]; }
  std::string worker(std::size_t i) const { return seeded["workers"][i]["sid"]; }
  json call(const json& attributes = json::object()) {
    return emulator.control("POST", "/calls",
                            {{"workspaceSid", kWs}, {"workflowSid", workflow()}, {"from", "+15550100100"}, {"to", "+15550100001"},
                             {"attributes", attributes}},
                            201);
  }
  json rest(const std::string& method, const std::string& path, const httplib::Params& params = {}, int expected = 200) {
    const auto result = method == "GET" ? client.Get(path.c_str()) : client.Post(path.c_str(), params);
    REQUIRE(result);
    INFO(path << " → " << result->body);
    REQUIRE(result->status == expected);
    return json_of(result);
  }
  json task(const std::string& sid) { return rest("GET", "/taskrouter/v1/Workspaces/" + kWs + "/Tasks/" + sid); }
  json accept(const json& created) {
    return rest("POST", "/taskrouter/v1/Workspaces/" + kWs + "/Tasks/" + created["taskSid"].get<std::string>() + "/Reservations/" +
                            created["reservationSid"].get<std::string>(),
                {{"ReservationStatus", "accepted"}});
  }
  json conference(const std::string& sid) {
    return rest("GET", "/voice/2010-04-01/Accounts/" + emulator.account_sid() + "/Conferences/" + sid + ".json");
  }
};

std::uint32_t le32(const std::string& data, std::size_t at) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(data[at + static_cast<std::size_t>(i)]);
  return value;
}
std::uint16_t le16(const std::string& data, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(data[at]) | (static_cast<unsigned char>(data[at + 1]) << 8));
}

}  // namespace

TEST_CASE("a call creates a routed task with Flex's attributes and a conference with the customer leg", "[emulator][calls]") {
  Rig rig;
  const json created = rig.call({{"targetWorker", rig.worker(0)}, {"customer", "Carol"}});
  CHECK(created["workerSid"] == rig.worker(0));
  CHECK(created["reservationSid"].get<std::string>().rfind("WR", 0) == 0);
  CHECK(created["status"] == "ringing");
  const json task = rig.task(created["taskSid"]);
  CHECK(task["assignment_status"] == "reserved");
  CHECK(task["task_channel_unique_name"] == "voice");
  const json attributes = json::parse(task["attributes"].get<std::string>());
  CHECK(attributes["customer"] == "Carol");
  CHECK(attributes["from"] == "+15550100100");
  CHECK(attributes["to"] == "+15550100001");
  CHECK(attributes["direction"] == "inbound");
  CHECK(attributes["call_sid"] == created["customerCallSid"]);
  CHECK(attributes["conference"]["sid"] == created["conferenceSid"]);
  CHECK(attributes["conference"]["participants"]["customer"] == created["customerCallSid"]);
  const json conference = rig.conference(created["conferenceSid"]);
  CHECK(conference["friendly_name"] == created["taskSid"]);
  CHECK(conference["status"] == "in-progress");

  // Accepting over REST (Flex's AcceptTask) assigns the task and joins the worker leg.
  rig.accept(created);
  const json call = rig.emulator.control("GET", "/calls/" + created["taskSid"].get<std::string>());
  CHECK(call["status"] == "in-progress");
  CHECK(call["workerCallSid"].get<std::string>().rfind("CA", 0) == 0);
  const json after = json::parse(rig.task(created["taskSid"])["attributes"].get<std::string>());
  CHECK(after["conference"]["participants"]["worker"] == call["workerCallSid"]);
  const json participants = rig.rest("GET", "/voice/2010-04-01/Accounts/" + rig.emulator.account_sid() + "/Conferences/" +
                                                created["conferenceSid"].get<std::string>() + "/Participants.json");
  CHECK(participants["participants"].size() == 2);
  CHECK(rig.task(created["taskSid"])["assignment_status"] == "assigned");
}

TEST_CASE("the customer hanging up ends the conference, wraps the task up and sends task.wrapup", "[emulator][calls]") {
  Rig rig;
  const json created = rig.call();
  rig.accept(created);
  const json answer = rig.emulator.control("POST", "/calls/" + created["taskSid"].get<std::string>() + "/hang-up", {{"party", "customer"}});
  CHECK(answer["task"]["assignment_status"] == "wrapping");
  CHECK(answer["event"]["eventType"] == "task.wrapup");
  CHECK(answer["event"]["status"] == 204);
  CHECK(answer["conference"]["status"] == "completed");
  CHECK(answer["conference"]["call_sid_ending_conference"] == created["customerCallSid"]);
  CHECK(answer["call"]["endedBy"] == "customer");
  const auto received = rig.receiver.received();
  REQUIRE_FALSE(received.empty());
  const auto& wrapup = received.back();  // the hang-up answer waited for this delivery
  CHECK(wrapup.param("EventType") == "task.wrapup");
  CHECK(wrapup.param("TaskSid") == created["taskSid"]);
  CHECK(flexcore::server::verify_signature(rig.emulator.auth_token(), {rig.receiver.url("/taskrouter/events"), wrapup.signature, wrapup.params, false, ""}));
  // A second hang-up is refused.
  CHECK_THROWS_WITH(rig.emulator.control("POST", "/calls/" + created["taskSid"].get<std::string>() + "/hang-up", {{"party", "worker"}}),
                    Catch::Contains("409"));
}

TEST_CASE("the worker hanging up ends the conference with the worker's call", "[emulator][calls]") {
  Rig rig;
  const json created = rig.call();
  rig.accept(created);
  const json call = rig.emulator.control("GET", "/calls/" + created["taskSid"].get<std::string>());
  const json answer = rig.emulator.control("POST", "/calls/" + created["taskSid"].get<std::string>() + "/hang-up", {{"party", "worker"}});
  CHECK(answer["conference"]["call_sid_ending_conference"] == call["workerCallSid"]);
  CHECK(answer["task"]["assignment_status"] == "wrapping");
}

TEST_CASE("a caller who hangs up before an agent answers abandons the task", "[emulator][calls]") {
  Rig rig;
  const json created = rig.call();
  CHECK_THROWS_WITH(rig.emulator.control("POST", "/calls/" + created["taskSid"].get<std::string>() + "/hang-up", {{"party", "worker"}}),
                    Catch::Contains("409"));
  const json answer = rig.emulator.control("POST", "/calls/" + created["taskSid"].get<std::string>() + "/hang-up", {{"party", "customer"}});
  CHECK(answer["task"]["assignment_status"] == "canceled");
  CHECK(answer["event"]["eventType"] == "task.canceled");
  // ana is free again: the next call is offered to her.
  CHECK(rig.call()["workerSid"] == rig.worker(0));
}

TEST_CASE("a call with nobody available waits, and is offered when a worker becomes available", "[emulator][calls]") {
  Rig rig;
  const json first = rig.call();
  const json second = rig.call();
  CHECK(second["reservationSid"].is_null());
  CHECK(rig.task(second["taskSid"])["assignment_status"] == "pending");
  const json activities = rig.rest("GET", "/taskrouter/v1/Workspaces/" + kWs + "/Activities?FriendlyName=Available")["activities"];
  rig.rest("POST", "/taskrouter/v1/Workspaces/" + kWs + "/Workers/" + rig.worker(1), {{"ActivitySid", activities[0]["sid"].get<std::string>()}});
  CHECK(rig.task(second["taskSid"])["assignment_status"] == "reserved");
  const json reservations = rig.rest("GET", "/taskrouter/v1/Workspaces/" + kWs + "/Tasks/" + second["taskSid"].get<std::string>() + "/Reservations");
  CHECK(reservations["reservations"][0]["worker_sid"] == rig.worker(1));
  CHECK(rig.emulator.control("GET", "/calls")["calls"].size() == 2);
}

TEST_CASE("calls refuse bad input with a message naming the field", "[emulator][calls][bad-input]") {
  Rig rig;
  const auto refused = [&](const json& body, const std::string& status, const std::string& text) {
    CHECK_THROWS_WITH(rig.emulator.control("POST", "/calls", body, 201), Catch::Contains(status) && Catch::Contains(text));
  };
  const json good = {{"workspaceSid", kWs}, {"workflowSid", rig.workflow()}, {"from", "+15550100100"}, {"to", "+15550100001"}};
  json bad = good;
  bad["from"] = "5550100";
  refused(bad, "400", "'from'");
  bad = good;
  bad.erase("to");
  refused(bad, "400", "'to'");
  bad = good;
  bad["attributes"] = json::array();
  refused(bad, "400", "'attributes'");
  bad = good;
  bad["color"] = "red";
  refused(bad, "400", "color");
  bad = good;
  bad["workflowSid"] = "WW00000000000000000000000000000000";
  refused(bad, "404", "workflow");
  CHECK_THROWS_WITH(rig.emulator.control("POST", "/calls/WT00000000000000000000000000000000/hang-up", {{"party", "customer"}}),
                    Catch::Contains("404"));
  const json created = rig.call();
  CHECK_THROWS_WITH(rig.emulator.control("POST", "/calls/" + created["taskSid"].get<std::string>() + "/hang-up", {{"party", "agent"}}),
                    Catch::Contains("400") && Catch::Contains("party"));
}

TEST_CASE("a voicemail is a playable WAV recording and a signed Studio request", "[emulator][calls][voicemail]") {
  Rig rig;
  rig.receiver.answer(200, R"({"success":true,"taskSid":"WT00000000000000000000000000000001"})");
  const json answer = rig.emulator.control("POST", "/voicemails",
                                           {{"url", rig.receiver.url("/callback/studio/create-callback")},
                                            {"from", "+15550100200"},
                                            {"to", "+15550100001"},
                                            {"flexFlowSid", "FW00000000000000000000000000000001"},
                                            {"transcription", "Hello, please call me back about my order."},
                                            {"durationSeconds", 3}});
  CHECK(answer["status"] == 200);
  CHECK(json::parse(answer["body"].get<std::string>())["success"] == true);
  const std::string sid = answer["recordingSid"];
  CHECK(sid.rfind("RE", 0) == 0);
  const std::string media_path = "/voice/2010-04-01/Accounts/" + rig.emulator.account_sid() + "/Recordings/" + sid;
  CHECK(answer["recordingUrl"] == rig.emulator.base_url() + media_path);

  const auto received = rig.receiver.received();
  REQUIRE(received.size() == 1);
  const auto& studio = received[0];
  CHECK(studio.path == "/callback/studio/create-callback");
  CHECK(flexcore::server::verify_signature(rig.emulator.auth_token(),
                                           {rig.receiver.url("/callback/studio/create-callback"), studio.signature, studio.params, false, ""}));
  CHECK(studio.param("RecordingSid") == sid);
  CHECK(studio.param("RecordingUrl") == answer["recordingUrl"]);
  CHECK(studio.param("TranscriptionText") == "Hello, please call me back about my order.");
  CHECK(studio.param("numberToCall") == "+15550100200");
  CHECK(studio.param("numberToCallFrom") == "+15550100001");
  CHECK(studio.param("flexFlowSid") == "FW00000000000000000000000000000001");

  // The media: without credentials, with and without .wav, a valid RIFF/WAVE PCM file of the duration.
  httplib::Client anonymous = client_for(rig.emulator);
  for (const std::string& path : {media_path, media_path + ".wav"}) {
    const auto wav = anonymous.Get(path.c_str());
    REQUIRE(wav);
    CHECK(wav->status == 200);
    CHECK(wav->get_header_value("Content-Type") == "audio/x-wav");
    const std::string& data = wav->body;
    REQUIRE(data.size() == 44 + 3 * 8000 * 2);
    CHECK(data.compare(0, 4, "RIFF") == 0);
    CHECK(le32(data, 4) == data.size() - 8);
    CHECK(data.compare(8, 8, "WAVEfmt ") == 0);
    CHECK(le16(data, 20) == 1);     // PCM
    CHECK(le16(data, 22) == 1);     // mono
    CHECK(le32(data, 24) == 8000);  // Hz
    CHECK(le16(data, 34) == 16);    // bits
    CHECK(data.compare(36, 4, "data") == 0);
    CHECK(le32(data, 40) == 3 * 8000 * 2);
    // Not silence: a signal with pauses.
    int loud = 0, quiet = 0;
    for (std::size_t at = 44; at + 1 < data.size(); at += 2) {
      const auto sample = static_cast<std::int16_t>(le16(data, at));
      if (sample > 2000 || sample < -2000) ++loud;
      if (sample == 0) ++quiet;
    }
    CHECK(loud > 1000);
    CHECK(quiet > 1000);
  }
  CHECK(anonymous.Get((media_path + ".wav").c_str())->body == anonymous.Get(media_path.c_str())->body);  // deterministic
  CHECK(anonymous.Get(("/voice/2010-04-01/Accounts/" + rig.emulator.account_sid() + "/Recordings/RE00000000000000000000000000000000.wav").c_str())->status == 404);
  // The Recording resource (API 2010, Basic auth).
  const json resource = rig.rest("GET", media_path + ".json");
  CHECK(resource["sid"] == sid);
  CHECK(resource["duration"] == "3");
  CHECK(resource["status"] == "completed");
  CHECK(anonymous.Get((media_path + ".json").c_str())->status == 401);
  CHECK(rig.emulator.control("GET", "/voicemails")["recordings"][0]["transcription_text"] == "Hello, please call me back about my order.");

  CHECK_THROWS_WITH(rig.emulator.control("POST", "/voicemails", {{"url", "http://example.com/x"}, {"from", "+15550100200"}, {"to", "+15550100001"}, {"flexFlowSid", "FW1"}}),
                    Catch::Contains("400"));
  CHECK_THROWS_WITH(rig.emulator.control("POST", "/voicemails", {{"url", rig.receiver.url("/x")}, {"from", "+15550100200"}, {"to", "+15550100001"}, {"flexFlowSid", "FW1"}, {"durationSeconds", 0}}),
                    Catch::Contains("durationSeconds"));
}

TEST_CASE("CallScenario plays its calls through the emulator's calls routes", "[emulator][calls]") {
  EmulatorProcess emulator;
  CallScenario scenario(emulator);
  const auto call = scenario.start_call({{"name", "Ada"}});
  CHECK(scenario.task(call)["assignment_status"] == "assigned");
  CHECK(scenario.attributes(call)["conference"]["participants"]["worker"] == call.worker_call);
  const json listed = emulator.control("GET", "/calls/" + call.task_sid);
  CHECK(listed["status"] == "in-progress");
  const auto next = scenario.cold_transfer(call);
  CHECK(next.conference_sid == call.conference_sid);
  CHECK(next.worker_call != call.worker_call);
  CHECK(scenario.attributes(next)["conference"]["participants"]["worker"] == next.worker_call);
  scenario.hang_up(next, CallScenario::Party::Customer);
  CHECK(scenario.task(next)["assignment_status"] == "assigned");  // hang_up leaves the wrap-up to wrap_up()
}
