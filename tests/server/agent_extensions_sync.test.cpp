// The Twilio Sync agent extensions store (server/src/agent_extensions/sync_store.h) against a real emulator
// process — what only a shared store has: two instances racing for one row (one 409), an instance stopped
// mid-publish (old or new set, never a mix), Sync 429 bursts retried, hand-edited malformed map items
// skipped with a warning, all pages read, and the two-server live reload (a publish on instance A is served
// by the signed Studio lookup of instance B within 5 s). The generic store and routes suites also run on
// this store (native.sync.<case>).

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "agent_extensions/live_reload.h"
#include "auth/twilio_signature.h"
#include "extensions_store_harness.h"
#include "fakes.h"
#include "flexcore/emulator/emulator_process.h"
#include "runtime.h"
#include "test_server.h"
#include "upstream/http_client.h"

using namespace flexcore;
using namespace flexcore::server;
using namespace flexcore::server::agent_extensions;
using namespace flexcore::server::testing;
using nlohmann::json;

namespace {

std::string sid(char c) { return "WK" + std::string(32, c); }

Extension row(char c, std::string number, std::string name = "Agent") {
  return Extension{sid(c), std::move(name) + " " + std::string(1, c), std::move(number), "", ""};
}

const Actor kAlice{"alice", "2026-01-01T00:00:00.000Z"};
const Actor kBob{"bob", "2026-01-01T00:00:01.000Z"};

std::vector<std::string> numbers(const std::vector<Extension>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.extension_number);
  return out;
}

// Creates and publishes `rows` (update + publish) → the build SID.
std::string publish_rows(ExtensionStore& store, const std::vector<Extension>& rows, const Actor& actor) {
  auto build = store.prepare_publish(rows, store.published().value().version, actor, {});
  REQUIRE(build.ok());
  auto published = store.publish(build.value().build_sid, actor);
  REQUIRE(published.ok());
  return build.value().build_sid;
}

}  // namespace

TEST_CASE("a new Sync store creates its service, maps, list and document with an empty deployed build",
          "[server][emulator][agent-extensions][sync-only]") {
  SyncStoreEnv env;
  auto store = env.open();
  auto published = store->published();
  REQUIRE(published.ok());
  CHECK(published.value().rows.empty());
  CHECK(published.value().version.rfind("ZN", 0) == 0);
  CHECK(published.value().version.size() == 34);
  CHECK(published.value().version_is_deployed);
  CHECK(store->sids().service.rfind("IS", 0) == 0);
  CHECK(store->sids().draft_map.rfind("MP", 0) == 0);
  CHECK(store->sids().document.rfind("ET", 0) == 0);
  CHECK(store->sids().audit_list.rfind("ES", 0) == 0);
  // A second instance finds the same objects (by name) and the same published version.
  auto second = env.open();
  CHECK(second->sids().service == store->sids().service);
  CHECK(second->sids().draft_map == store->sids().draft_map);
  CHECK(second->sids().document == store->sids().document);
  CHECK(second->published().value().version == published.value().version);
  // Every Sync call carried the account credentials.
  for (const auto& call : env.emulator().requests("", "/sync/**")) {
    CHECK(call["auth"]["username"] == env.emulator().account_sid());
  }
}

TEST_CASE("two Sync store instances updating the same row at once: one wins, the other gets Conflict",
          "[server][emulator][agent-extensions][sync-only]") {
  SyncStoreEnv env;
  auto a = env.open();
  auto b = env.open();
  REQUIRE(a->change_draft(DraftAction::Create, row('a', "100"), kAlice, {}).value().validation.ok());
  const std::string item_path = "/sync/v1/Services/*/Maps/*/Items/" + sid('a');
  // Instance A's write is held by the emulator before it is applied; B reads the same revision meanwhile and
  // writes first; A's write then arrives with a stale If-Match.
  env.emulator().add_fault({{"method", "POST"}, {"path", item_path}, {"delayMs", 1500}, {"count", 1}});
  Result<DraftOutcome> from_a = Error{ErrorCode::Internal, "not run"};
  std::thread writer([&] { from_a = a->change_draft(DraftAction::Update, row('a', "101", "From A"), kAlice, {}); });
  REQUIRE(wait_until([&] { return env.emulator().faults()[0]["hits"].get<int>() == 1; }));
  auto from_b = b->change_draft(DraftAction::Update, row('a', "102", "From B"), kBob, {});
  writer.join();
  REQUIRE(from_b.ok());
  CHECK(from_b.value().validation.ok());
  REQUIRE_FALSE(from_a.ok());
  CHECK(from_a.error().code == ErrorCode::Conflict);
  CHECK_THAT(from_a.error().message, Catch::Contains("changed by someone else"));
  const auto rows = a->draft().value();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].extension_number == "102");  // B's write was not overwritten
  CHECK(rows[0].updated_by == "bob");
  // The same for a delete racing an update.
  env.emulator().add_fault({{"method", "DELETE"}, {"path", item_path}, {"delayMs", 1500}, {"count", 1}});
  Status deleted = ok_status();
  std::thread remover([&] {
    auto outcome = a->change_draft(DraftAction::Delete, row('a', ""), kAlice, {});
    if (!outcome) deleted = outcome.error();
  });
  REQUIRE(wait_until([&] { return env.emulator().faults()[1]["hits"].get<int>() == 1; }));
  REQUIRE(b->change_draft(DraftAction::Update, row('a', "103"), kBob, {}).ok());
  remover.join();
  REQUIRE_FALSE(deleted.ok());
  CHECK(deleted.error().code == ErrorCode::Conflict);
  CHECK(a->draft().value().size() == 1);
}

TEST_CASE("an instance stopped mid-publish leaves the old or the new published set, never a mix",
          "[server][emulator][agent-extensions][sync-only]") {
  SyncStoreEnv env;
  auto store = env.open();
  publish_rows(*store, {row('a', "100"), row('b', "200")}, kAlice);
  const auto old_version = store->published().value().version;

  // /admin/update dies while writing the build (a chunk write is dropped): nothing points at it.
  env.emulator().add_fault({{"method", "POST"}, {"path", "/sync/v1/Services/*/Maps/*/Items"}, {"drop", true},
                            {"count", 0}});
  auto failed_build = store->prepare_publish({row('c', "300")}, old_version, kAlice, {});
  REQUIRE_FALSE(failed_build.ok());
  env.emulator().clear_faults();
  {
    auto restarted = env.open();
    auto state = restarted->published().value();
    CHECK(state.version == old_version);
    CHECK(state.version_is_deployed);
    CHECK(numbers(state.rows) == std::vector<std::string>{"100", "200"});
  }

  // The build succeeds; the publish dies on its one document write: the old set stays live.
  auto build = store->prepare_publish({row('c', "300"), row('d', "400"), row('e', "500")}, old_version, kBob, {});
  REQUIRE(build.ok());
  env.emulator().add_fault({{"method", "POST"}, {"path", "/sync/v1/Services/*/Documents/*"}, {"status", 500},
                            {"count", 1}});
  auto failed_publish = store->publish(build.value().build_sid, kBob);
  REQUIRE_FALSE(failed_publish.ok());
  {
    auto restarted = env.open();
    auto state = restarted->published().value();
    CHECK(numbers(state.rows) == std::vector<std::string>{"100", "200"});
    CHECK_FALSE(state.version_is_deployed);  // built, not deployed
    // Publishing again from the restarted instance completes it: the new set, whole.
    auto retried = restarted->publish(build.value().build_sid, kBob);
    REQUIRE(retried.ok());
    CHECK(numbers(retried.value().state.rows) == std::vector<std::string>{"300", "400", "500"});
  }
  CHECK(numbers(store->published().value().rows) == std::vector<std::string>{"300", "400", "500"});
}

TEST_CASE("Sync 429 bursts are retried with the policy's backoff and Retry-After",
          "[server][emulator][agent-extensions][sync-only]") {
  SyncStoreEnv env;
  auto store = env.open();
  REQUIRE(store->change_draft(DraftAction::Create, row('a', "100"), kAlice, {}).value().validation.ok());
  const auto sleeps_before = env.sleeper().sleeps().size();
  env.emulator().add_fault({{"method", "GET"}, {"path", "/sync/v1/Services/*/Maps/*/Items"}, {"status", 429},
                            {"count", 3}});
  env.emulator().add_fault({{"method", "GET"}, {"path", "/sync/v1/Services/*/Maps/*/Items"}, {"status", 429},
                            {"headers", {{"Retry-After", "2"}}}, {"count", 1}});
  auto rows = store->draft();
  REQUIRE(rows.ok());
  CHECK(rows.value().size() == 1);
  const auto faults = env.emulator().faults();
  CHECK(faults[0]["hits"] == 3);
  CHECK(faults[1]["hits"] == 1);
  const auto sleeps = env.sleeper().sleeps();
  // Three random backoffs (the scripted random answers the minimum, 100 ms) and the 2 s Retry-After.
  const std::vector<std::chrono::milliseconds> retry_sleeps(sleeps.begin() + static_cast<long>(sleeps_before),
                                                            sleeps.end());
  CHECK(retry_sleeps == std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(100),
                                                               std::chrono::milliseconds(100),
                                                               std::chrono::milliseconds(100),
                                                               std::chrono::milliseconds(2000)});
  // A burst longer than the retry limit (5 retries) is a 429 to the caller, never a crash.
  env.emulator().add_fault({{"method", "GET"}, {"path", "/sync/v1/Services/*/Maps/*/Items"}, {"status", 429},
                            {"count", 6}});
  auto exhausted = store->draft();
  REQUIRE_FALSE(exhausted.ok());
  CHECK(exhausted.error().code == ErrorCode::ResourceExhausted);
}

TEST_CASE("hand-edited malformed Sync map items are skipped with a logged warning",
          "[server][emulator][agent-extensions][sync-only]") {
  SyncStoreEnv env;
  auto store = env.open();
  REQUIRE(store->change_draft(DraftAction::Create, row('a', "100"), kAlice, {}).value().validation.ok());
  auto client = env.client();
  const auto& sids = store->sids();
  REQUIRE(client->create_map_item(sids.service, sids.draft_map, sid('b'), json{{"extensionNumber", 200}}).ok());
  REQUIRE(client->create_map_item(sids.service, sids.draft_map, sid('c'),
                                  json{{"workerSid", sid('d')}, {"extensionNumber", "300"}})
              .ok());
  REQUIRE(client->create_map_item(sids.service, sids.draft_map, "not-a-worker", json{{"note", "hello"}}).ok());
  REQUIRE(client->create_map_item(sids.service, sids.draft_map, sid('e'),
                                  json{{"workerFullName", "Seed Row"}, {"extensionNumber", "500"},
                                       {"workerSid", sid('e')}})
              .ok());  // the seed's shape (no updatedBy/updatedAt) is valid
  auto rows = store->draft();
  REQUIRE(rows.ok());
  REQUIRE(rows.value().size() == 2);
  CHECK(rows.value()[0].worker_sid == sid('a'));
  CHECK(rows.value()[1].worker_sid == sid('e'));
  CHECK(rows.value()[1].worker_full_name == "Seed Row");
  const auto log = env.log().text();
  CHECK_THAT(log, Catch::Contains("malformed Sync map item skipped"));
  CHECK_THAT(log, Catch::Contains(sid('b')));
  CHECK_THAT(log, Catch::Contains("extensionNumber is number"));
  CHECK_THAT(log, Catch::Contains("differs from the item key"));
  CHECK_THAT(log, Catch::Contains("not-a-worker"));
  // Writes keep working around them.
  CHECK(store->change_draft(DraftAction::Create, row('f', "600"), kBob, {}).value().validation.ok());
}

TEST_CASE("more than one page of Sync map items is read whole (the seed's >50 items bug does not exist)",
          "[server][emulator][agent-extensions][sync-only]") {
  SyncStoreEnv env;
  upstream::SyncClientOptions small_pages;
  small_pages.map_page_size = 7;
  auto store = env.open({}, small_pages);
  std::vector<Extension> rows;
  char hex[33];
  for (int i = 0; i < 60; ++i) {
    std::snprintf(hex, sizeof hex, "%032x", i);
    rows.push_back(Extension{"WK" + std::string(hex), "Agent " + std::to_string(i), std::to_string(1000 + i), "", ""});
  }
  env.emulator().clear_requests();
  publish_rows(*store, rows, kAlice);
  auto draft = store->draft();
  REQUIRE(draft.ok());
  REQUIRE(draft.value().size() == 60);
  CHECK(draft.value().back().extension_number == "1059");
  CHECK(store->published().value().rows.size() == 60);
  // The last read followed next_page_url: ceil(60 / 7) = 9 pages.
  env.emulator().clear_requests();
  REQUIRE(store->draft().ok());
  CHECK(env.emulator().requests("GET", "/sync/v1/Services/*/Maps/*/Items").size() == 9);
}

TEST_CASE("live reload: a publish on instance A is served by the signed Studio lookup of instance B within 5 s",
          "[server][emulator][agent-extensions][sync-only]") {
  flexcore::emulator::EmulatorProcess emulator;
  const std::string public_url = "https://flexcore.example.com";
  const auto supervisor = emulator.issue_token("sam.supervisor", {"supervisor"}).token;
  auto start = [&] {
    std::map<std::string, std::string> env = {{"ACCOUNT_SID", emulator.account_sid()},
                                              {"AUTH_TOKEN", emulator.auth_token()},
                                              {"FLEXCORE_IAM_URL", emulator.base_url()},
                                              {"FLEXCORE_PUBLIC_URL", public_url},
                                              {"FLEXCORE_EXTENSIONS_STORE", "sync"},
                                              {"FLEXCORE_SYNC_URL", emulator.family_url("sync")},
                                              {"FLEXCORE_EXTENSIONS_POLL_MS", "200"}};
    AppDeps deps;
    deps.sleeper = std::make_shared<RecordingSleeper>();
    deps.random = std::make_shared<ScriptedRandom>();
    return std::make_unique<RunningApp>(make_config(env), deps);
  };
  auto a = start();
  auto b = start();
  auto post = [&](RunningApp& app, const std::string& path, json body) {
    body["Token"] = supervisor;
    auto result = app.client().Post(path.c_str(), body.dump(), "application/json");
    REQUIRE(result);
    INFO(path << " → " << result->status << " " << result->body);
    REQUIRE(result->status == 200);
    return json::parse(result->body);
  };
  auto lookup = [&](RunningApp& app, const std::string& extension) {
    const std::vector<FormParam> params = {{"agentExt", extension}};
    httplib::Headers headers;
    headers.emplace("X-Twilio-Signature",
                    compute_signature(emulator.auth_token(), public_url + "/agent-extensions", params));
    auto result = app.client().Post("/agent-extensions", headers, upstream::form_encode(params),
                                    "application/x-www-form-urlencoded");
    return result ? result->status : 0;
  };
  REQUIRE(lookup(*b, "4321") == 404);
  post(*a, "/admin/extensions",
       {{"action", "create"}, {"entry", {{"workerSid", sid('a')}, {"workerFullName", "Ann"}, {"extensionNumber", "4321"}}}});
  const auto list = post(*a, "/admin/list", json::object());
  const auto build = post(*a, "/admin/update", {{"data", list["draft"]}, {"version", list["version"]}});
  post(*a, "/admin/publish", {{"buildSid", build["buildSid"]}});
  CHECK(lookup(*a, "4321") == 200);  // A installs its own publish at once
  // B picks it up from the Sync document (bounded loop: the issue's 5 s budget).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline && (status = lookup(*b, "4321")) != 200) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(status == 200);
  // And B's /admin/list shows the same published version.
  CHECK(post(*b, "/admin/list", json::object())["version"] == build["version"]);
  // Two servers updating the same row at once: A's write is held by the emulator until B has written; A
  // then answers 409 and B's row stays.
  emulator.add_fault({{"method", "POST"}, {"path", "/sync/v1/Services/*/Maps/*/Items/" + sid('a')}, {"delayMs", 1500},
                      {"count", 1}});
  int a_status = 0;
  std::thread from_a([&] {
    json body = {{"action", "update"},
                 {"entry", {{"workerSid", sid('a')}, {"workerFullName", "Ann A"}, {"extensionNumber", "4322"}}},
                 {"Token", supervisor}};
    auto result = a->client().Post("/admin/extensions", body.dump(), "application/json");
    a_status = result ? result->status : 0;
  });
  REQUIRE(wait_until([&] { return emulator.faults()[0]["hits"].get<int>() == 1; }));
  post(*b, "/admin/extensions",
       {{"action", "update"}, {"entry", {{"workerSid", sid('a')}, {"workerFullName", "Ann B"}, {"extensionNumber", "4323"}}}});
  from_a.join();
  CHECK(a_status == 409);
  CHECK(post(*a, "/admin/list", json::object())["draft"][0]["workerFullName"] == "Ann B");
  // Both servers stop cleanly (the pollers join).
  a.reset();
  b.reset();
}

TEST_CASE("live reload: reload_published installs only a changed deployed build and keeps the old set on errors",
          "[server][emulator][agent-extensions][sync-only]") {
  SyncStoreEnv env;
  auto writer = env.open();
  ExtensionsService service([&env]() -> Result<std::unique_ptr<ExtensionStore>> {
    auto opened = env.try_open();
    if (!opened) return opened.error();
    return std::unique_ptr<ExtensionStore>(std::move(opened).value());
  });
  REQUIRE(service.store().ok());
  const auto first = service.live();
  REQUIRE(first);
  CHECK(reload_published(service).value() == false);  // nothing changed
  CHECK(service.live() == first);
  publish_rows(*writer, {row('a', "100")}, kAlice);
  CHECK(reload_published(service).value() == true);
  REQUIRE(service.live()->table.find("100") != nullptr);
  CHECK(service.live()->table.find("100")->worker_sid == sid('a'));
  // Sync unavailable: an error, the live set stays.
  env.emulator().add_fault({{"method", "GET"}, {"path", "/sync/v1/Services/*/Documents/*"}, {"status", 500},
                            {"count", 1}});
  auto failed = reload_published(service);
  REQUIRE_FALSE(failed.ok());
  CHECK(service.live()->table.find("100") != nullptr);
  // A poller stops at once when destroyed (no hang), whatever its interval.
  const auto logger = make_logger(env.log().sink(), "info");  // outlives both pollers
  {
    PublishedPoller poller(service, std::chrono::milliseconds(60000), *logger);
  }
  {
    PublishedPoller poller(service, std::chrono::milliseconds(20), *logger);
    publish_rows(*writer, {row('b', "200")}, kBob);
    CHECK(wait_until([&] { return service.live()->table.find("200") != nullptr; }));
    CHECK(poller.reloads() >= 1);
  }
}
