// Hang up by (issue 8): POST /taskrouter/events driven by whole calls played on the real emulator
// (CallScenario: TaskRouter task, accepted reservation, Voice conference with customer and worker
// legs, a hang-up, the signed task.wrapup). Every scenario of seed-behaviour 5.4 asserts the task's
// final attributes as the emulator holds them.
#include <catch2/catch.hpp>

#include <atomic>

#include "fakes.h"
#include "flexcore/emulator/call_scenario.h"
#include "flexcore/emulator/emulator_process.h"
#include "flexcore/hang_up_by.h"
#include "test_server.h"
#include "upstream/http_client.h"

using namespace flexcore;
using namespace flexcore::server;
using namespace flexcore::server::testing;
using flexcore::emulator::CallScenario;
using flexcore::emulator::EmulatorProcess;
using json = nlohmann::json;

namespace {

const std::string kTaskPaths = "/taskrouter/v1/Workspaces/*/Tasks/*";
const std::string kConferencePaths = "/voice/2010-04-01/Accounts/*/Conferences/*";

std::map<std::string, std::string> env_for(const EmulatorProcess& emulator, std::map<std::string, std::string> extra = {}) {
  extra.emplace("ACCOUNT_SID", emulator.account_sid());
  extra.emplace("AUTH_TOKEN", emulator.auth_token());
  extra.emplace("FLEXCORE_TASKROUTER_URL", emulator.family_url("taskrouter"));
  extra.emplace("FLEXCORE_VOICE_URL", emulator.family_url("voice"));
  extra.emplace("FLEXCORE_IAM_URL", emulator.base_url());
  return extra;
}

AppDeps quiet_deps(std::shared_ptr<upstream::HttpClient> transport = nullptr) {
  AppDeps deps;
  deps.sleeper = std::make_shared<RecordingSleeper>();
  deps.random = std::make_shared<ScriptedRandom>();
  deps.transport = std::move(transport);
  return deps;
}

/// Emulator, scenario and server wired together.
struct Rig {
  EmulatorProcess emulator;
  CallScenario scenario{emulator};
  std::unique_ptr<RunningApp> server;

  explicit Rig(std::map<std::string, std::string> extra_env = {}, std::shared_ptr<upstream::HttpClient> transport = nullptr) {
    server = std::make_unique<RunningApp>(make_config(env_for(emulator, std::move(extra_env))), quiet_deps(std::move(transport)));
  }
  std::string events_url() const { return server->url() + "/taskrouter/events"; }
  json wrap_up(const CallScenario::Call& call, const json& overrides = json::object()) {
    return scenario.wrap_up(call, events_url(), overrides);
  }
  /// Sends a signed TaskRouter event with exactly `params`.
  json send(const json& params, bool bad_signature = false) {
    return emulator.send_webhook({{"url", events_url()}, {"params", params}, {"badSignature", bad_signature}});
  }
  std::size_t upstream_calls(const std::string& method, const std::string& glob) {
    return emulator.requests(method, glob).size();
  }
};

json body_of(const json& answer) { return json::parse(answer.at("body").get<std::string>()); }

/// The plugin's write before HangupCall: the core's agent_hang_up_attributes over the current attributes.
void plugin_writes_agent(CallScenario& scenario, const CallScenario::Call& call) {
  auto merged = hang_up_by::agent_hang_up_attributes(scenario.raw_attributes(call), "voice");
  REQUIRE(merged.ok());
  REQUIRE(merged.value());
  scenario.set_attributes(call, json::parse(*merged.value()));
}

}  // namespace

TEST_CASE("hang up by: the customer hangs up, the server writes customer and keeps every other attribute",
          "[server][emulator][hang-up-by]") {
  Rig rig;
  const json base = {{"name", "Ada"}, {"from", "+15550100"}, {"conversations", {{"abandoned", "No"}, {"queue", "Sales"}}}};
  const auto call = rig.scenario.start_call(base);
  const std::string before = rig.scenario.raw_attributes(call);
  rig.scenario.hang_up(call, CallScenario::Party::Customer);
  const json answer = rig.wrap_up(call);
  CHECK(answer["status"] == 200);
  const json body = body_of(answer);
  CHECK(body["written"] == true);
  CHECK(body["value"] == "customer");
  CHECK(body["reason"] == "customer-ended");
  CHECK(body["attempts"] == 1);

  const json after = rig.scenario.attributes(call);
  CHECK(after["conversations"]["hang_up_by"] == "customer");
  CHECK(after["conversations"]["abandoned"] == "No");
  CHECK(after["conversations"]["queue"] == "Sales");
  CHECK(after["name"] == "Ada");
  CHECK(after["conference"]["sid"] == call.conference_sid);
  // Byte for byte: only conversations.hang_up_by was added.
  json expected = json::parse(before);
  expected["conversations"]["hang_up_by"] = "customer";
  CHECK(after == expected);
  // One conditional write, with the ETag of the fetch.
  const auto updates = rig.emulator.requests("POST", kTaskPaths);
  REQUIRE(updates.size() == 1);
  CHECK(updates[0]["headers"].contains("if-match"));
  CHECK(updates[0]["status"] == 200);
}

TEST_CASE("hang up by: the agent hangs up, the plugin's agent is kept and nothing is written", "[server][emulator][hang-up-by]") {
  Rig rig;
  const auto call = rig.scenario.start_call();
  plugin_writes_agent(rig.scenario, call);
  rig.scenario.hang_up(call, CallScenario::Party::Worker);
  rig.emulator.clear_requests();
  const json answer = rig.wrap_up(call);
  CHECK(answer["status"] == 200);
  CHECK(body_of(answer)["written"] == false);
  CHECK(body_of(answer)["reason"] == "agent-already-recorded");
  CHECK(rig.upstream_calls("POST", kTaskPaths) == 0);
  CHECK(rig.scenario.attributes(call)["conversations"]["hang_up_by"] == "agent");
}

TEST_CASE("hang up by: the agent hangs up and the plugin's write is not in the event snapshot yet, the current task keeps agent",
          "[server][emulator][hang-up-by]") {
  Rig rig;
  const auto call = rig.scenario.start_call();
  rig.scenario.hang_up(call, CallScenario::Party::Worker);
  // The event carries attributes from before the plugin's write (a stale snapshot).
  const std::string stale = rig.scenario.raw_attributes(call);
  plugin_writes_agent(rig.scenario, call);
  const json answer = rig.wrap_up(call, {{"TaskAttributes", stale}});
  CHECK(answer["status"] == 200);
  CHECK(body_of(answer)["written"] == false);
  CHECK(body_of(answer)["reason"] == "agent-already-recorded");
  CHECK(rig.scenario.attributes(call)["conversations"]["hang_up_by"] == "agent");
}

TEST_CASE("hang up by: the agent's browser disconnects, the server writes disconnect", "[server][emulator][hang-up-by]") {
  Rig rig;
  const auto call = rig.scenario.start_call({{"conversations", {{"hang_up_by", "Customer"}}}});  // Studio's default
  rig.scenario.hang_up(call, CallScenario::Party::Worker);
  const json answer = rig.wrap_up(call);
  CHECK(answer["status"] == 200);
  CHECK(body_of(answer)["value"] == "disconnect");
  CHECK(body_of(answer)["reason"] == "agent-disconnected");
  CHECK(rig.scenario.attributes(call)["conversations"]["hang_up_by"] == "disconnect");
}

TEST_CASE("hang up by: a conference the Voice API does not know is logged and nothing is written",
          "[server][emulator][hang-up-by]") {
  Rig rig;
  const json missing = {{"conference",
                         {{"sid", "CFdddddddddddddddddddddddddddddddd"},
                          {"participants", {{"customer", "CAdddddddddddddddddddddddddddddd01"}, {"worker", "CAdddddddddddddddddddddddddddddd02"}}}}}};
  const auto call = rig.scenario.start_call(missing, false);
  const std::string before = rig.scenario.raw_attributes(call);
  const json answer = rig.wrap_up(call);
  CHECK(answer["status"] == 200);
  CHECK(body_of(answer)["reason"] == "conference-not-found");
  CHECK(rig.upstream_calls("GET", kConferencePaths) == 1);
  CHECK(rig.upstream_calls("POST", kTaskPaths) == 0);
  CHECK(rig.scenario.raw_attributes(call) == before);
}

TEST_CASE("hang up by: a task without a conference is answered without any upstream call", "[server][emulator][hang-up-by]") {
  Rig rig;
  const auto call = rig.scenario.start_call({{"type", "callback"}}, false);
  rig.emulator.clear_requests();
  const json answer = rig.wrap_up(call);
  CHECK(answer["status"] == 200);
  CHECK(body_of(answer)["reason"] == "no-conference");
  // Only the scenario's own fetch of the task (to build the event) reached TaskRouter.
  CHECK(rig.upstream_calls("GET", kConferencePaths) == 0);
  CHECK(rig.upstream_calls("POST", kTaskPaths) == 0);
  CHECK_FALSE(rig.scenario.attributes(call).contains("conversations"));
}

TEST_CASE("hang up by: a conference still in progress at wrap-up is not guessed", "[server][emulator][hang-up-by]") {
  Rig rig;
  const auto call = rig.scenario.start_call();
  const std::string before = rig.scenario.raw_attributes(call);
  const json answer = rig.wrap_up(call);
  CHECK(answer["status"] == 200);
  CHECK(body_of(answer)["reason"] == "conference-in-progress");
  CHECK(rig.upstream_calls("POST", kTaskPaths) == 0);
  CHECK(rig.scenario.raw_attributes(call) == before);
}

namespace {
/// The transport of the server under test: after the FIRST task fetch returns, another writer
/// changes the task (as the plugin or a supervisor would) — deterministically between our fetch
/// and our write.
class ConcurrentWriter final : public upstream::HttpClient {
 public:
  std::function<void()> on_first_task_fetch;
  upstream::Response send(const upstream::Request& request) override {
    upstream::Response response = inner_.send(request);
    if (request.method == "GET" && request.url.find("/Tasks/WT") != std::string::npos && !fired_.exchange(true)) {
      if (on_first_task_fetch) on_first_task_fetch();
    }
    return response;
  }

 private:
  upstream::CurlHttpClient inner_;
  std::atomic<bool> fired_{false};
};
}  // namespace

TEST_CASE("hang up by: a concurrent attribute update between fetch and write gets 412, the retry keeps both",
          "[server][emulator][hang-up-by]") {
  auto transport = std::make_shared<ConcurrentWriter>();
  Rig rig({}, transport);
  const auto call = rig.scenario.start_call({{"name", "Ada"}});
  rig.scenario.hang_up(call, CallScenario::Party::Customer);
  transport->on_first_task_fetch = [&] {
    json attributes = rig.scenario.attributes(call);
    attributes["conversations"]["queue"] = "Support";
    attributes["supervisor_note"] = "escalated";
    rig.scenario.set_attributes(call, attributes);
  };
  rig.emulator.clear_requests();
  const json answer = rig.wrap_up(call);
  CHECK(answer["status"] == 200);
  CHECK(body_of(answer)["written"] == true);
  CHECK(body_of(answer)["attempts"] == 2);
  const json after = rig.scenario.attributes(call);
  CHECK(after["conversations"]["hang_up_by"] == "customer");
  CHECK(after["conversations"]["queue"] == "Support");
  CHECK(after["supervisor_note"] == "escalated");
  CHECK(after["name"] == "Ada");
  // Updates: the concurrent writer (no If-Match), ours refused with 412, ours accepted.
  const auto updates = rig.emulator.requests("POST", kTaskPaths);
  REQUIRE(updates.size() == 3);
  CHECK_FALSE(updates[0]["headers"].contains("if-match"));
  CHECK(updates[1]["status"] == 412);
  CHECK(updates[2]["status"] == 200);
  CHECK(updates[1]["headers"]["if-match"] != updates[2]["headers"]["if-match"]);
}

TEST_CASE("hang up by: 412 on every round ends in a 500 after HANG_UP_BY_MERGE_ATTEMPTS rounds, nothing written",
          "[server][emulator][hang-up-by]") {
  Rig rig(std::map<std::string, std::string>{{"HANG_UP_BY_MERGE_ATTEMPTS", "2"}});
  const auto call = rig.scenario.start_call();
  rig.scenario.hang_up(call, CallScenario::Party::Customer);
  const std::string before = rig.scenario.raw_attributes(call);
  rig.emulator.add_fault({{"method", "POST"}, {"path", kTaskPaths}, {"status", 412}, {"count", 0}});
  const json answer = rig.wrap_up(call);
  rig.emulator.clear_faults();
  CHECK(answer["status"] == 500);
  CHECK(body_of(answer)["code"] == "Conflict");
  CHECK(rig.upstream_calls("POST", kTaskPaths) == 2);
  CHECK(rig.scenario.raw_attributes(call) == before);
}

TEST_CASE("hang up by: cold transfer, then the customer hangs up", "[server][emulator][hang-up-by]") {
  Rig rig;
  const auto first = rig.scenario.start_call();
  const auto second = rig.scenario.cold_transfer(first);
  // The first agent wraps up while the customer talks to the second: nothing is guessed.
  const json early = rig.wrap_up(first);
  CHECK(early["status"] == 200);
  CHECK(body_of(early)["reason"] == "conference-in-progress");
  rig.scenario.hang_up(second, CallScenario::Party::Customer);
  const json late = rig.wrap_up(second);
  CHECK(late["status"] == 200);
  CHECK(body_of(late)["value"] == "customer");
  CHECK(rig.scenario.attributes(second)["conversations"]["hang_up_by"] == "customer");
  CHECK_FALSE(rig.scenario.attributes(first).contains("conversations"));
}

TEST_CASE("hang up by: non-voice tasks and other events are ignored with 200 and no upstream call",
          "[server][emulator][hang-up-by]") {
  Rig rig;
  const auto chat = rig.scenario.start_call({{"channelType", "web"}}, false, "chat");
  rig.emulator.clear_requests();
  const json answer = rig.wrap_up(chat);
  CHECK(answer["status"] == 200);
  CHECK(body_of(answer)["reason"] == "not-voice");
  rig.emulator.clear_requests();
  for (const char* event : {"task.created", "reservation.accepted", "task.completed", "workspace.something-new"}) {
    const json ignored = rig.send({{"EventType", event}, {"TaskChannelUniqueName", "voice"}});
    CHECK(ignored["status"] == 200);
    CHECK(body_of(ignored)["reason"] == "ignored-event");
  }
  CHECK(rig.emulator.requests().empty());
}

TEST_CASE("hang up by: unsigned or wrongly signed events are 403 and nothing is fetched", "[server][emulator][hang-up-by][bad-input]") {
  Rig rig;
  const auto call = rig.scenario.start_call();
  rig.scenario.hang_up(call, CallScenario::Party::Customer);
  rig.emulator.clear_requests();
  const json wrong = rig.send({{"EventType", "task.wrapup"}, {"TaskChannelUniqueName", "voice"}, {"TaskSid", call.task_sid},
                               {"WorkspaceSid", rig.scenario.workspace_sid()}, {"TaskAttributes", rig.scenario.raw_attributes(call)}},
                              true);
  CHECK(wrong["status"] == 403);
  auto client = rig.server->client();
  const auto unsigned_post = client.Post("/taskrouter/events", "EventType=task.wrapup&TaskChannelUniqueName=voice",
                                         "application/x-www-form-urlencoded");
  REQUIRE(unsigned_post);
  CHECK(unsigned_post->status == 403);
  CHECK(rig.emulator.requests("", "/voice/**").empty());
  CHECK(rig.upstream_calls("POST", kTaskPaths) == 0);
  CHECK_FALSE(rig.scenario.attributes(call).contains("conversations"));
}

TEST_CASE("hang up by: malformed wrap-up events get a defined 4xx and write nothing", "[server][emulator][hang-up-by][bad-input]") {
  Rig rig;
  const auto call = rig.scenario.start_call();
  rig.scenario.hang_up(call, CallScenario::Party::Customer);
  const std::string before = rig.scenario.raw_attributes(call);
  rig.emulator.clear_requests();

  struct Case {
    json overrides;
    int status;
    std::string mentions;
  };
  const std::vector<Case> cases = {
      {{{"TaskAttributes", "{not json"}}, 400, "TaskAttributes"},
      {{{"TaskAttributes", "[1,2]"}}, 400, "TaskAttributes"},
      {{{"TaskAttributes", json{{"conference", call.conference_sid}}.dump()}}, 400, "TaskAttributes.conference"},
      {{{"TaskAttributes", json{{"conference", {{"sid", call.conference_sid}}}}.dump()}}, 400, "participants.customer"},
      {{{"TaskAttributes", json{{"conference", {{"sid", call.conference_sid}, {"participants", "x"}}}}.dump()}}, 400, "participants.customer"},
      {{{"TaskAttributes", json{{"pad", std::string(1000000, 'x')}}.dump()}}, 413, "TaskAttributes"},
      {{{"TaskAttributes", nullptr}}, 400, "TaskAttributes"},
      {{{"TaskSid", "WT123"}}, 400, "TaskSid"},
      {{{"TaskSid", nullptr}}, 400, "TaskSid"},
      {{{"WorkspaceSid", "nope"}}, 400, "WorkspaceSid"},
      {{{"EventType", nullptr}}, 400, "EventType"},
  };
  for (const auto& c : cases) {
    INFO(c.overrides.dump().substr(0, 200));
    const json answer = rig.scenario.wrap_up(call, rig.events_url(), c.overrides);
    CHECK(answer["status"] == c.status);
    CHECK_THAT(body_of(answer)["error"].get<std::string>(), Catch::Contains(c.mentions));
  }
  CHECK(rig.emulator.requests("", "/voice/**").empty());
  CHECK(rig.upstream_calls("POST", kTaskPaths) == 0);
  CHECK(rig.scenario.raw_attributes(call) == before);
}

TEST_CASE("hang up by: upstream failures are 500 with nothing half-written", "[server][emulator][hang-up-by]") {
  Rig rig(std::map<std::string, std::string>{{"TWILIO_SERVICE_RETRY_LIMIT", "1"}});
  const auto call = rig.scenario.start_call();
  rig.scenario.hang_up(call, CallScenario::Party::Customer);
  const std::string before = rig.scenario.raw_attributes(call);

  SECTION("the conference fetch keeps failing") {
    rig.emulator.add_fault({{"method", "GET"}, {"path", kConferencePaths}, {"status", 503}, {"count", 0}});
    const json answer = rig.wrap_up(call);
    CHECK(answer["status"] == 500);
    CHECK(body_of(answer)["code"] == "Unavailable");
    CHECK(rig.upstream_calls("GET", kConferencePaths) == 2);
  }
  SECTION("the task update keeps failing") {
    rig.emulator.add_fault({{"method", "POST"}, {"path", kTaskPaths}, {"status", 503}, {"count", 0}});
    const json answer = rig.wrap_up(call);
    CHECK(answer["status"] == 500);
    CHECK(body_of(answer)["code"] == "Unavailable");
  }
  SECTION("TaskRouter rejects the credentials") {
    rig.emulator.add_fault({{"method", "POST"}, {"path", kTaskPaths}, {"status", 401}, {"count", 0}});
    const json answer = rig.wrap_up(call);
    CHECK(answer["status"] == 500);
    CHECK(body_of(answer)["code"] == "UpstreamError");
    CHECK(answer["body"].get<std::string>().find(rig.emulator.auth_token()) == std::string::npos);
  }
  rig.emulator.clear_faults();
  CHECK(rig.scenario.raw_attributes(call) == before);
}

TEST_CASE("hang up by: a transient 503 on the conference fetch is retried and the write happens", "[server][emulator][hang-up-by]") {
  Rig rig;
  const auto call = rig.scenario.start_call();
  rig.scenario.hang_up(call, CallScenario::Party::Customer);
  rig.emulator.add_fault({{"method", "GET"}, {"path", kConferencePaths}, {"status", 503}, {"count", 1}});
  const json answer = rig.wrap_up(call);
  CHECK(answer["status"] == 200);
  CHECK(rig.scenario.attributes(call)["conversations"]["hang_up_by"] == "customer");
}

TEST_CASE("hang up by: the optional conference status callback writes customer on the customer's hang-up",
          "[server][emulator][hang-up-by]") {
  EmulatorProcess emulator;
  CallScenario scenario(emulator);
  RunningApp server(make_config(env_for(emulator, {{"HANG_UP_BY_CONFERENCE_CALLBACK", "1"},
                                                   {"TWILIO_FLEX_WORKSPACE_SID", scenario.workspace_sid()}})),
                    quiet_deps());
  const auto call = scenario.start_call();
  const std::string url = server.url() + "/voice/conference-status";
  auto leave = [&](const std::string& call_sid, const std::string& reason) {
    return emulator.send_webhook({{"url", url},
                                  {"params",
                                   {{"StatusCallbackEvent", "participant-leave"},
                                    {"ConferenceSid", call.conference_sid},
                                    {"FriendlyName", call.task_sid},
                                    {"AccountSid", emulator.account_sid()},
                                    {"SequenceNumber", "3"},
                                    {"CallSid", call_sid},
                                    {"ReasonParticipantLeft", reason},
                                    {"ParticipantCallStatus", "completed"}}}});
  };
  // The worker leaving is not an early signal (it may be a transfer); a join is ignored.
  const json worker = leave(call.worker_call, "participant_hung_up");
  CHECK(worker["status"] == 200);
  CHECK(body_of(worker)["reason"] == "not-the-customer");
  CHECK_FALSE(scenario.attributes(call).contains("conversations"));
  const json customer = leave(call.customer_call, "participant_hung_up");
  CHECK(customer["status"] == 200);
  CHECK(body_of(customer)["value"] == "customer");
  CHECK(scenario.attributes(call)["conversations"]["hang_up_by"] == "customer");

  RunningApp without(make_config(env_for(emulator)), quiet_deps());
  const json off = emulator.send_webhook({{"url", without.url() + "/voice/conference-status"},
                                          {"params", {{"StatusCallbackEvent", "participant-leave"}}}});
  CHECK(off["status"] == 404);
}
