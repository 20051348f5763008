// Agent extensions routes of flexcore-server over real sockets, with Flex tokens issued and validated by
// the real upstream emulator process (IAM) and the SQLite store in a temporary FLEXCORE_DATA_DIR:
// every route, role and conflict, bad input, the signed Studio lookup and the seed compatibility flag.
// ctest also runs this suite with FLEXCORE_TEST_EXTENSIONS_STORE=sync (native.sync.<case>): the same
// tests on the Twilio Sync store of the same emulator (issue 10).

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <thread>

#include "auth/twilio_signature.h"
#include "extensions_store_harness.h"
#include "fakes.h"
#include "flexcore/emulator/emulator_process.h"
#include "runtime.h"
#include "test_server.h"
#include "upstream/http_client.h"

using namespace flexcore;
using namespace flexcore::server;
using namespace flexcore::server::testing;
using flexcore::emulator::EmulatorProcess;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kPublicUrl = "https://flexcore.example.com";

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("flexcore-ax-routes-" + random_hex(8));
  TempDir() { fs::create_directories(path); }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string worker(char c) { return "WK" + std::string(32, c); }

struct Fixture {
  EmulatorProcess emulator;
  TempDir dir;
  std::map<std::string, std::string> extra_env;
  std::unique_ptr<RunningApp> server;
  std::string supervisor, supervisor2, admin, agent;

  explicit Fixture(std::map<std::string, std::string> extra = {}) : extra_env(std::move(extra)) {
    supervisor = emulator.issue_token("sam.supervisor", {"supervisor"}).token;
    supervisor2 = emulator.issue_token("sue.supervisor", {"agent", "supervisor"}).token;
    admin = emulator.issue_token("ada.admin", {"admin"}).token;
    agent = emulator.issue_token("al.agent", {"agent"}).token;
    start();
  }
  void start() {
    auto env = extra_env;
    env.emplace("ACCOUNT_SID", emulator.account_sid());
    env.emplace("AUTH_TOKEN", emulator.auth_token());
    env.emplace("FLEXCORE_IAM_URL", emulator.base_url());
    env.emplace("FLEXCORE_DATA_DIR", dir.path.string());
    env.emplace("FLEXCORE_PUBLIC_URL", kPublicUrl);
    env.emplace("FLEXCORE_THREADS", "32");
    if (sync_store_selected()) {  // issue 10: the same suite on the Twilio Sync store (emulator)
      env.emplace("FLEXCORE_EXTENSIONS_STORE", "sync");
      env.emplace("FLEXCORE_SYNC_URL", emulator.family_url("sync"));
    }
    AppDeps deps;
    deps.sleeper = std::make_shared<RecordingSleeper>();
    deps.random = std::make_shared<ScriptedRandom>();
    server = std::make_unique<RunningApp>(make_config(env), deps);
  }
  void restart() {
    server.reset();
    start();
  }

  httplib::Result post(const std::string& path, const std::string& token, json body = json::object()) {
    body["Token"] = token;
    return server->client().Post(path.c_str(), body.dump(), "application/json");
  }
  json ok_json(const std::string& path, const std::string& token, json body = json::object()) {
    auto result = post(path, token, std::move(body));
    REQUIRE(result);
    INFO(path << " → " << result->status << " " << result->body);
    REQUIRE(result->status == 200);
    return json::parse(result->body);
  }
  httplib::Result save(const std::string& token, const std::string& action, char w, const std::string& number,
                       const std::string& name = "Agent") {
    return post("/admin/extensions", token,
                {{"action", action},
                 {"entry", {{"workerSid", worker(w)}, {"workerFullName", name + " " + std::string(1, w)},
                            {"extensionNumber", number}}}});
  }
  // The Studio lookup, signed as Twilio signs a form POST.
  httplib::Result lookup(const std::string& path, const std::string& extension, bool sign = true) {
    const std::vector<FormParam> params = {{"agentExt", extension}};
    httplib::Headers headers;
    if (sign) headers.emplace("X-Twilio-Signature", compute_signature(emulator.auth_token(), kPublicUrl + path, params));
    return server->client().Post(path.c_str(), headers, upstream::form_encode(params), "application/x-www-form-urlencoded");
  }
  std::string version() { return ok_json("/admin/list", supervisor)["version"]; }
};

}  // namespace

TEST_CASE("agent extensions: writes and the audit log need the admin or supervisor role — any user lists",
          "[server][emulator][agent-extensions]") {
  Fixture f;
  for (const std::string path : {"/admin/extensions", "/admin/update", "/admin/update-status", "/admin/publish",
                                 "/admin/audit"}) {
    auto denied = f.post(path, f.agent, {{"action", "create"}});
    REQUIRE(denied);
    INFO(path);
    CHECK(denied->status == 403);
    CHECK(json::parse(denied->body)["code"] == "PermissionDenied");
    auto anonymous = f.server->client().Post(path.c_str(), "{}", "application/json");
    REQUIRE(anonymous);
    CHECK(anonymous->status == 403);
  }
  auto list = f.ok_json("/admin/list", f.agent);
  CHECK(list["data"] == json::array());
  CHECK(list["versionIsDeployed"] == true);
  CHECK(list["version"].get<std::string>().rfind("ZN", 0) == 0);
  CHECK(f.save(f.admin, "create", 'a', "100")->status == 200);
  CHECK(f.save(f.supervisor2, "create", 'b', "200")->status == 200);
  CHECK(f.ok_json("/admin/audit", f.admin)["total"] == 2);
}

TEST_CASE("agent extensions: create, update and delete one draft row with validation and 409 on a duplicate",
          "[server][emulator][agent-extensions]") {
  Fixture f;
  auto created = f.save(f.supervisor, "create", 'a', " 0123 ");
  REQUIRE(created);
  REQUIRE(created->status == 200);
  const auto entry = json::parse(created->body)["entry"];
  CHECK(entry["extensionNumber"] == "0123");
  CHECK(entry["updatedBy"] == "sam.supervisor");
  CHECK(entry["updatedAt"].get<std::string>().size() == 24);

  auto duplicate = f.save(f.supervisor2, "create", 'b', "0123");
  REQUIRE(duplicate);
  CHECK(duplicate->status == 409);
  const auto conflict = json::parse(duplicate->body);
  CHECK(conflict["code"] == "AlreadyExists");
  CHECK_THAT(conflict["error"].get<std::string>(), Catch::Contains(worker('a')));
  CHECK(conflict["problems"][0]["field"] == "extensionNumber");
  CHECK(conflict["problems"][0]["conflictingWorkerSid"] == worker('a'));
  CHECK(conflict["problems"][0]["reason"] == "taken");  // the core's machine-readable reason reaches the body

  CHECK(f.save(f.supervisor, "create", 'a', "555")->status == 409);  // the worker already has a row
  CHECK(f.save(f.supervisor, "update", 'z', "555")->status == 404);
  auto updated = f.save(f.supervisor2, "update", 'a', "0124", "Renamed");
  REQUIRE(updated->status == 200);
  CHECK(json::parse(updated->body)["entry"]["updatedBy"] == "sue.supervisor");

  auto removed = f.post("/admin/extensions", f.supervisor, {{"action", "delete"}, {"workerSid", worker('a')}});
  REQUIRE(removed);
  CHECK(removed->status == 200);
  CHECK(f.ok_json("/admin/list", f.supervisor)["draft"] == json::array());
  auto gone = f.post("/admin/extensions", f.supervisor, {{"action", "delete"}, {"workerSid", worker('a')}});
  CHECK(gone->status == 404);
  auto bad_sid = f.post("/admin/extensions", f.supervisor, {{"action", "delete"}, {"workerSid", "WK123"}});
  CHECK(bad_sid->status == 400);
  auto bad_action = f.post("/admin/extensions", f.supervisor, {{"action", "upsert"}});
  REQUIRE(bad_action);
  CHECK(bad_action->status == 400);
  CHECK_THAT(json::parse(bad_action->body)["error"].get<std::string>(), Catch::Contains("action must be"));

  const auto audit = f.ok_json("/admin/audit", f.supervisor, {{"pageSize", 2}});
  CHECK(audit["total"] == 3);
  CHECK(audit["pageCount"] == 2);
  REQUIRE(audit["items"].size() == 2);
  CHECK(audit["items"][0]["action"] == "delete");
  CHECK(audit["items"][0]["actor"] == "sam.supervisor");
  CHECK(audit["items"][0]["before"]["extensionNumber"] == "0124");
  CHECK(audit["items"][0]["after"].is_null());
  CHECK(audit["items"][1]["action"] == "update");
}

TEST_CASE("agent extensions: every bad extension, worker SID and body shape is a clear 4xx and stores nothing",
          "[server][emulator][agent-extensions]") {
  Fixture f;
  for (const std::string bad : {"-5", "1.5", "1e3", "0x1F", "12345678901", "", "   ", "\xd9\xa1\xd9\xa2\xd9\xa3"}) {
    auto result = f.save(f.supervisor, "create", 'a', bad);
    REQUIRE(result);
    INFO("extension '" << bad << "' → " << result->body);
    CHECK(result->status == 400);
    const auto body = json::parse(result->body);
    CHECK(body["code"] == "InvalidArgument");
    CHECK(body["problems"][0]["field"] == "extensionNumber");
  }
  for (const std::string& bad : std::vector<std::string>{"WS" + std::string(32, 'a'), "WK123", "wk" + std::string(32, 'a'), ""}) {
    auto result = f.post("/admin/extensions", f.supervisor,
                         {{"action", "create"}, {"entry", {{"workerSid", bad}, {"workerFullName", "A"}, {"extensionNumber", "1"}}}});
    REQUIRE(result);
    CHECK(result->status == 400);
    CHECK(json::parse(result->body)["problems"][0]["field"] == "workerSid");
  }
  auto number = f.post("/admin/extensions", f.supervisor,
                       {{"action", "create"}, {"entry", {{"workerSid", worker('a')}, {"workerFullName", "A"}, {"extensionNumber", 1e3}}}});
  REQUIRE(number);
  CHECK(number->status == 400);
  CHECK_THAT(json::parse(number->body)["error"].get<std::string>(), Catch::Contains("extensionNumber: expected a string"));

  const auto version = f.version();
  auto not_array = f.post("/admin/update", f.supervisor, {{"data", {{"a", 1}}}, {"version", version}});
  REQUIRE(not_array);
  CHECK(not_array->status == 400);
  CHECK(json::parse(not_array->body)["error"] == "data: expected a JSON array, got object");
  auto no_version = f.post("/admin/update", f.supervisor, {{"data", json::array()}});
  CHECK(no_version->status == 400);
  auto bad_row = f.post("/admin/update", f.supervisor,
                        {{"data", {{{"workerSid", worker('a')}, {"workerFullName", "A"}, {"extensionNumber", "-5"}}}},
                         {"version", version}});
  REQUIRE(bad_row);
  CHECK(bad_row->status == 400);
  CHECK_THAT(json::parse(bad_row->body)["error"].get<std::string>(), Catch::StartsWith("data[0].extensionNumber"));

  // A 10 MB data array is over the body limit: 413 before anything is parsed.
  std::string big = R"({"Token":")" + f.supervisor + R"(","version":")" + version + R"(","data":[)";
  while (big.size() < 10 * 1024 * 1024) {
    big += R"({"workerSid":"WKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","workerFullName":"x","extensionNumber":"1"},)";
  }
  big += R"({}]})";
  auto too_big = f.server->client().Post("/admin/update", big, "application/json");
  REQUIRE(too_big);
  CHECK(too_big->status == 413);

  CHECK(f.save(f.supervisor, "create", 'a', "12")->status == 200);
  auto bad_status = f.post("/admin/update-status", f.supervisor, {{"buildSid", "ZBnope"}});
  CHECK(bad_status->status == 400);
  auto missing_build = f.post("/admin/update-status", f.supervisor, {{"buildSid", "ZB" + std::string(32, '0')}});
  CHECK(missing_build->status == 404);
  auto bad_sort = f.post("/admin/list", f.supervisor, {{"sortBy", "salary"}});
  REQUIRE(bad_sort);
  CHECK(bad_sort->status == 400);
  CHECK_THAT(json::parse(bad_sort->body)["error"].get<std::string>(), Catch::Contains("sortBy must be one of"));

  const auto list = f.ok_json("/admin/list", f.supervisor);
  CHECK(list["draft"].size() == 1);
  CHECK(list["version"] == version);
  CHECK(f.ok_json("/admin/audit", f.supervisor)["total"] == 1);
}

TEST_CASE("agent extensions: /admin/list filters, sorts and pages the draft through queryExtensions",
          "[server][emulator][agent-extensions]") {
  Fixture f;
  const std::string names[] = {"Carol", "alice", "Bob", "dave", "Eve"};
  for (int i = 0; i < 5; ++i) {
    REQUIRE(f.save(f.supervisor, "create", static_cast<char>('a' + i), std::to_string(10 - i) + "0", names[i])->status == 200);
  }
  auto sorted = f.ok_json("/admin/list", f.supervisor, {{"sortBy", "workerFullName"}, {"pageSize", "2"}, {"page", "2"}});
  CHECK(sorted["page"]["total"] == 5);
  CHECK(sorted["page"]["pageCount"] == 3);
  REQUIRE(sorted["page"]["items"].size() == 2);
  CHECK(sorted["page"]["items"][0]["workerFullName"] == "Carol a");
  CHECK(sorted["page"]["items"][1]["workerFullName"] == "dave d");
  CHECK(sorted["draft"].size() == 5);

  // Query string parameters work as well (GET).
  auto by_query = f.server->client().Get(
      ("/admin/list?Token=" + f.supervisor + "&filter=AL&sortBy=extensionNumber&sortDir=desc").c_str());
  REQUIRE(by_query);
  REQUIRE(by_query->status == 200);
  const auto filtered = json::parse(by_query->body)["page"];
  CHECK(filtered["total"] == 1);
  CHECK(filtered["items"][0]["workerFullName"] == "alice b");

  auto numeric = f.ok_json("/admin/list", f.supervisor, {{"sortBy", "extensionNumber"}, {"numeric", true}});
  CHECK(numeric["page"]["items"][0]["extensionNumber"] == "60");
  auto text = f.ok_json("/admin/list", f.supervisor, {{"sortBy", "extensionNumber"}});
  CHECK(text["page"]["items"][0]["extensionNumber"] == "100");
}

TEST_CASE("agent extensions: update → status → publish makes the set live for the signed Studio lookup",
          "[server][emulator][agent-extensions]") {
  Fixture f;
  REQUIRE(f.save(f.supervisor, "create", 'a', "1234")->status == 200);
  REQUIRE(f.save(f.supervisor, "create", 'b', "0123")->status == 200);
  const auto list = f.ok_json("/admin/list", f.supervisor);
  const auto version = list["version"].get<std::string>();

  // Stale version: JSON 409 with the seed's message.
  auto stale = f.post("/admin/update", f.supervisor, {{"data", list["draft"]}, {"version", "ZN" + std::string(32, '0')}});
  REQUIRE(stale);
  CHECK(stale->status == 409);
  CHECK(json::parse(stale->body) ==
        json{{"error", "Provided version SID is not the latest deployed asset version SID"}, {"code", "Conflict"}});

  const auto update = f.ok_json("/admin/update", f.supervisor, {{"data", list["draft"]}, {"version", version}});
  CHECK(update["success"] == true);
  const auto build_sid = update["buildSid"].get<std::string>();
  CHECK(f.ok_json("/admin/update-status", f.supervisor, {{"buildSid", build_sid}})["buildStatus"] == "completed");
  const auto pending = f.ok_json("/admin/list", f.supervisor);
  CHECK(pending["versionIsDeployed"] == false);
  CHECK(pending["data"] == json::array());

  // Not yet live.
  auto before = f.lookup("/agent-extensions", "1234");
  REQUIRE(before);
  CHECK(before->status == 404);
  CHECK(json::parse(before->body)["error"] == "No agent has extension 1234");

  const auto publish = f.ok_json("/admin/publish", f.supervisor, {{"buildSid", build_sid}});
  CHECK(publish["deploymentSid"].get<std::string>().rfind("ZD", 0) == 0);
  const auto live = f.ok_json("/admin/list", f.supervisor);
  CHECK(live["versionIsDeployed"] == true);
  REQUIRE(live["data"].size() == 2);
  CHECK(live["data"][0]["mapKey"] == worker('a'));

  for (const std::string path : {"/agent-extensions", "/agentExtensions"}) {
    auto found = f.lookup(path, "1234");
    REQUIRE(found);
    CHECK(found->status == 200);
    CHECK(json::parse(found->body) == json{{"workerSID", worker('a')}, {"workerSid", worker('a')}});
  }
  CHECK(json::parse(f.lookup("/agent-extensions", "0123")->body)["workerSid"] == worker('b'));
  CHECK(f.lookup("/agent-extensions", "123")->status == 404);  // string comparison: leading zeros matter
  CHECK(f.lookup("/agent-extensions", "1234", false)->status == 403);
  CHECK(f.lookup("/agent-extensions", "")->status == 400);

  // An older build cannot be published over a newer one.
  const auto update2 = f.ok_json("/admin/update", f.supervisor, {{"data", json::array()}, {"version", f.version()}});
  auto old = f.post("/admin/publish", f.supervisor, {{"buildSid", build_sid}});
  CHECK(old->status == 409);  // the deployed build, but no longer the latest
  auto newer_then_old = f.ok_json("/admin/update", f.supervisor, {{"data", list["draft"]}, {"version", f.version()}});
  auto stale_publish = f.post("/admin/publish", f.supervisor, {{"buildSid", update2["buildSid"]}});
  REQUIRE(stale_publish);
  CHECK(stale_publish->status == 409);
  CHECK(f.lookup("/agent-extensions", "1234")->status == 200);  // the live set did not change

  // The published set survives a restart (loaded from the SQLite file into the lookup table).
  f.restart();
  CHECK(json::parse(f.lookup("/agent-extensions", "1234")->body)["workerSid"] == worker('a'));
  CHECK(f.ok_json("/admin/audit", f.supervisor)["items"][0]["action"] == "build");
}

TEST_CASE("agent extensions: two supervisors racing — one wins, the other gets 409",
          "[server][emulator][agent-extensions]") {
  Fixture f;
  for (int round = 0; round < 5; ++round) {
    const std::string number = std::to_string(700 + round);
    std::atomic<int> ok{0}, conflict{0};
    auto run = [&](const std::string& token, char w) {
      auto result = f.save(token, "create", w, number);
      if (result && result->status == 200) ++ok;
      if (result && result->status == 409) ++conflict;
      if (result && result->status != 200 && result->status != 409) FAIL_CHECK(result->status << " " << result->body);
    };
    const char a = static_cast<char>('a' + round), b = static_cast<char>('5' + round);
    std::thread t1(run, f.supervisor, a), t2(run, f.supervisor2, b);
    t1.join();
    t2.join();
    CHECK(ok == 1);
    CHECK(conflict == 1);
  }
  // The same for /admin/update with one version: the second update is stale.
  const auto list = f.ok_json("/admin/list", f.supervisor);
  std::atomic<int> ok{0}, conflict{0};
  auto update = [&](const std::string& token) {
    auto result = f.post("/admin/update", token, {{"data", list["draft"]}, {"version", list["version"]}});
    if (result && result->status == 200) ++ok;
    if (result && result->status == 409) ++conflict;
  };
  std::thread t1(update, f.supervisor), t2(update, f.supervisor2);
  t1.join();
  t2.join();
  CHECK(ok == 1);
  CHECK(conflict == 1);
}

TEST_CASE("agent extensions: the seed compatibility flag answers an unknown extension with an empty 200",
          "[server][emulator][agent-extensions]") {
  Fixture f(std::map<std::string, std::string>{{"FLEXCORE_AGENT_EXTENSIONS_SEED_COMPAT", "1"}});
  auto unknown = f.lookup("/agentExtensions", "999");
  REQUIRE(unknown);
  CHECK(unknown->status == 200);
  CHECK(unknown->body.empty());
}
