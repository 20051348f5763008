// The agent extensions stores: SQLite (server/src/agent_extensions/sqlite_store.h) on real files in a
// temporary directory — schema and migration, draft CRUD with validation, races, update/build/publish with
// optimistic concurrency, audit log, and that a failed write leaves nothing behind — and, for every test not
// tagged [sqlite], the same test on the Twilio Sync store (sync_store.h) against a real emulator process:
// ctest runs this file twice (native.<case> with SQLite, native.sync.<case> with
// FLEXCORE_TEST_EXTENSIONS_STORE=sync; tests/server/CMakeLists.txt).

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <SQLiteCpp/SQLiteCpp.h>

#include "agent_extensions/sqlite_store.h"
#include "extensions_store_harness.h"
#include "runtime.h"

using namespace flexcore;
using namespace flexcore::server::agent_extensions;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("flexcore-ax-" + flexcore::server::random_hex(8));
  TempDir() { fs::create_directories(path); }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string sid(char c) { return "WK" + std::string(32, c); }

Extension row(char c, std::string number, std::string name = "Agent") {
  return Extension{sid(c), std::move(name) + " " + std::string(1, c), std::move(number), "", ""};
}

const Actor kAlice{"alice", "2026-01-01T00:00:00.000Z"};
const Actor kBob{"bob", "2026-01-01T00:00:01.000Z"};

std::unique_ptr<SqliteExtensionStore> open_sqlite_store(const fs::path& path) {
  auto opened = SqliteExtensionStore::open(path);
  REQUIRE(opened.ok());
  return std::move(opened).value();
}

// The store under test: SQLite at `path`, or (FLEXCORE_TEST_EXTENSIONS_STORE=sync) the Sync store on a fresh
// emulator process.
// (The pointer keeps the harness — emulator, clients — alive.)
std::shared_ptr<ExtensionStore> open_store(const fs::path& path) {
  std::shared_ptr<flexcore::server::testing::StoreHarness> harness = flexcore::server::testing::StoreHarness::open(path);
  return std::shared_ptr<ExtensionStore>(harness, &harness->store());
}

}  // namespace

TEST_CASE("a new store file is created in WAL mode at the current schema version with an empty deployed set",
          "[server][agent-extensions][store][sqlite]") {
  TempDir dir;
  const auto path = store_path(dir.path / "nested" / "data");
  auto store = open_sqlite_store(path);
  CHECK(fs::exists(path));
  CHECK(store->schema_version() == kSchemaVersion);
  CHECK(store->journal_mode() == "wal");
  auto published = store->published();
  REQUIRE(published.ok());
  CHECK(published.value().rows.empty());
  CHECK(published.value().version.rfind("ZN", 0) == 0);
  CHECK(published.value().version.size() == 34);
  CHECK(published.value().version_is_deployed);
  CHECK(store->draft().value().empty());
}

TEST_CASE("a store file from a newer schema version is refused, an existing one is reopened with its data",
          "[server][agent-extensions][store][sqlite]") {
  TempDir dir;
  const auto path = store_path(dir.path);
  {
    auto store = open_sqlite_store(path);
    REQUIRE(store->change_draft(DraftAction::Create, row('a', "100"), kAlice, {}).value().validation.ok());
  }
  {
    auto store = open_sqlite_store(path);
    REQUIRE(store->draft().value().size() == 1);
    CHECK(store->draft().value()[0].updated_by == "alice");
  }
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = 99");
  }
  auto refused = SqliteExtensionStore::open(path);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::Internal);
  CHECK_THAT(refused.error().message, Catch::Contains("schema version 99 is newer"));
}

TEST_CASE("a data directory that cannot be created is Unavailable naming the path", "[server][agent-extensions][store][sqlite]") {
  TempDir dir;
  const auto blocker = dir.path / "file";
  { std::ofstream(blocker) << "x"; }
  auto opened = SqliteExtensionStore::open(store_path(blocker / "sub"));
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().code == ErrorCode::Unavailable);
  CHECK_THAT(opened.error().message, Catch::Contains((blocker / "sub").string()));
}

TEST_CASE("draft rows are created, updated and deleted with updated-by, updated-at and audit entries",
          "[server][agent-extensions][store]") {
  TempDir dir;
  auto store = open_store(store_path(dir.path));
  auto created = store->change_draft(DraftAction::Create, row('a', " 0123 "), kAlice, {});
  REQUIRE(created.ok());
  REQUIRE(created.value().validation.ok());
  CHECK(created.value().row.extension_number == "0123");  // trimmed, leading zero kept
  CHECK(created.value().row.updated_by == "alice");
  CHECK(created.value().row.updated_at == kAlice.at);

  auto again = store->change_draft(DraftAction::Create, row('a', "555"), kBob, {});
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == ErrorCode::AlreadyExists);

  auto updated = store->change_draft(DraftAction::Update, row('a', "0124", "Renamed"), kBob, {});
  REQUIRE(updated.ok());
  REQUIRE(updated.value().validation.ok());
  auto rows = store->draft().value();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].extension_number == "0124");
  CHECK(rows[0].worker_full_name == "Renamed a");
  CHECK(rows[0].updated_by == "bob");

  auto missing = store->change_draft(DraftAction::Update, row('b', "1"), kBob, {});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::NotFound);

  REQUIRE(store->change_draft(DraftAction::Delete, row('a', ""), kAlice, {}).ok());
  CHECK(store->draft().value().empty());
  CHECK(store->change_draft(DraftAction::Delete, row('a', ""), kAlice, {}).error().code == ErrorCode::NotFound);

  auto audit = store->audit(1, 10).value();
  REQUIRE(audit.total == 3);
  CHECK(audit.items[0].action == "delete");
  CHECK(audit.items[0].actor == "alice");
  CHECK_THAT(audit.items[0].before, Catch::Contains("\"extensionNumber\":\"0124\""));
  CHECK(audit.items[0].after.empty());
  CHECK(audit.items[1].action == "update");
  CHECK_THAT(audit.items[1].before, Catch::Contains("\"0123\""));
  CHECK_THAT(audit.items[1].after, Catch::Contains("\"0124\""));
  CHECK(audit.items[2].action == "create");
  CHECK(audit.items[2].before.empty());
  auto second_page = store->audit(2, 2).value();
  REQUIRE(second_page.items.size() == 1);
  CHECK(second_page.items[0].action == "create");
  CHECK(store->audit(0, 10).error().code == ErrorCode::InvalidArgument);
  CHECK(store->audit(1, 1001).error().code == ErrorCode::InvalidArgument);
}

TEST_CASE("invalid rows are reported with every problem and nothing is stored", "[server][agent-extensions][store]") {
  TempDir dir;
  auto store = open_store(store_path(dir.path));
  for (const std::string bad : {"-5", "1.5", "1e3", "0x1F", "12345678901", "", "\xd9\xa1\xd9\xa2\xd9\xa3"}) {
    auto outcome = store->change_draft(DraftAction::Create, row('a', bad), kAlice, {});
    REQUIRE(outcome.ok());
    REQUIRE_FALSE(outcome.value().validation.ok());
    CHECK(outcome.value().validation.problems[0].field == "extensionNumber");
  }
  Extension wrong = row('a', "12");
  wrong.worker_sid = "WS" + std::string(32, 'a');
  wrong.worker_full_name = "";
  auto outcome = store->change_draft(DraftAction::Create, wrong, kAlice, {});
  REQUIRE(outcome.ok());
  CHECK(outcome.value().validation.problems.size() == 2);
  CHECK(store->draft().value().empty());
  CHECK(store->audit(1, 10).value().total == 0);
}

TEST_CASE("a duplicate extension names the other worker — a worker keeps its own number",
          "[server][agent-extensions][store]") {
  TempDir dir;
  auto store = open_store(store_path(dir.path));
  REQUIRE(store->change_draft(DraftAction::Create, row('a', "100"), kAlice, {}).value().validation.ok());
  auto duplicate = store->change_draft(DraftAction::Create, row('b', "100"), kBob, {});
  REQUIRE(duplicate.ok());
  REQUIRE(duplicate.value().validation.problems.size() == 1);
  CHECK(duplicate.value().validation.problems[0].code == ErrorCode::AlreadyExists);
  CHECK(duplicate.value().validation.problems[0].conflicting_worker_sid == sid('a'));
  CHECK(store->change_draft(DraftAction::Update, row('a', "100", "New name"), kAlice, {}).value().validation.ok());
}

TEST_CASE("two supervisors saving the same extension concurrently: exactly one wins", "[server][agent-extensions][store]") {
  TempDir dir;
  auto store = open_store(store_path(dir.path));
  for (int round = 0; round < 20; ++round) {
    const std::string number = std::to_string(1000 + round);
    std::atomic<int> wins{0}, conflicts{0};
    auto save = [&](char worker, const Actor& actor) {
      auto outcome = store->change_draft(DraftAction::Create, row(worker, number), actor, {});
      if (outcome.ok() && outcome.value().validation.ok()) ++wins;
      if (outcome.ok() && !outcome.value().validation.ok() &&
          outcome.value().validation.problems[0].code == ErrorCode::AlreadyExists) {
        ++conflicts;
      }
    };
    const char first = static_cast<char>('a' + (round % 3)), second = static_cast<char>('d' + (round % 3));
    std::thread t1(save, first, kAlice), t2(save, second, kBob);
    t1.join();
    t2.join();
    CHECK(wins == 1);
    CHECK(conflicts == 1);
    // Reset for the next round.
    for (char c : {first, second}) (void)store->change_draft(DraftAction::Delete, row(c, ""), kAlice, {});
  }
}

TEST_CASE("update replaces the draft and prepares a build — a stale version is a Conflict — publish swaps the set",
          "[server][agent-extensions][store]") {
  TempDir dir;
  auto store = open_store(store_path(dir.path));
  const auto v0 = store->published().value().version;
  REQUIRE(store->change_draft(DraftAction::Create, row('a', "100"), kAlice, {}).value().validation.ok());

  auto build = store->prepare_publish({row('a', "100"), row('b', " 200 ")}, v0, kBob, {});
  REQUIRE(build.ok());
  CHECK(build.value().status == "completed");
  CHECK(build.value().row_count == 2);
  const auto draft = store->draft().value();
  REQUIRE(draft.size() == 2);
  CHECK(draft[0].updated_by == "alice");  // unchanged row keeps its writer
  CHECK(draft[1].updated_by == "bob");
  CHECK(draft[1].extension_number == "200");

  auto state = store->published().value();
  CHECK(state.version == build.value().version);
  CHECK_FALSE(state.version_is_deployed);  // built, not yet deployed
  CHECK(state.rows.empty());

  auto stale = store->prepare_publish({row('c', "300")}, v0, kAlice, {});
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.error().code == ErrorCode::Conflict);
  CHECK(stale.error().message == "Provided version SID is not the latest deployed asset version SID");
  CHECK(store->draft().value().size() == 2);  // untouched

  CHECK(store->build(build.value().build_sid).value().status == "completed");
  CHECK(store->build("ZB" + std::string(32, '0')).error().code == ErrorCode::NotFound);

  auto published = store->publish(build.value().build_sid, kBob);
  REQUIRE(published.ok());
  CHECK(published.value().deployment_sid.rfind("ZD", 0) == 0);
  CHECK(published.value().state.version_is_deployed);
  REQUIRE(published.value().state.rows.size() == 2);
  CHECK(published.value().state.rows[1].extension_number == "200");
  auto again = store->publish(build.value().build_sid, kBob);
  REQUIRE(again.ok());
  CHECK(again.value().already_deployed);
  CHECK(again.value().deployment_sid == published.value().deployment_sid);

  // A newer build makes the older one unpublishable (it would drop someone else's changes).
  auto newer = store->prepare_publish({row('a', "101")}, build.value().version, kAlice, {});
  REQUIRE(newer.ok());
  auto old = store->publish(build.value().build_sid, kBob);
  REQUIRE_FALSE(old.ok());
  CHECK(old.error().code == ErrorCode::Conflict);

  auto audit = store->audit(1, 100).value();
  std::vector<std::string> actions;
  for (const auto& e : audit.items) actions.push_back(e.action);
  CHECK(actions == std::vector<std::string>{"build", "replace-remove", "replace-change", "publish", "build",
                                            "replace-add", "create"});
}

TEST_CASE("an update with an invalid or repeated row is refused whole and stores nothing",
          "[server][agent-extensions][store]") {
  TempDir dir;
  auto store = open_store(store_path(dir.path));
  const auto v0 = store->published().value().version;
  auto invalid = store->prepare_publish({row('a', "100"), row('b', "1e3")}, v0, kAlice, {});
  REQUIRE_FALSE(invalid.ok());
  CHECK(invalid.error().code == ErrorCode::InvalidArgument);
  CHECK_THAT(invalid.error().message, Catch::StartsWith("data[1].extensionNumber: "));

  auto repeated_number = store->prepare_publish({row('a', "100"), row('b', "100")}, v0, kAlice, {});
  REQUIRE_FALSE(repeated_number.ok());
  CHECK(repeated_number.error().code == ErrorCode::AlreadyExists);

  auto repeated_worker = store->prepare_publish({row('a', "100"), row('a', "200")}, v0, kAlice, {});
  REQUIRE_FALSE(repeated_worker.ok());
  CHECK(repeated_worker.error().code == ErrorCode::InvalidArgument);
  CHECK_THAT(repeated_worker.error().message, Catch::StartsWith("data["));

  CHECK(store->draft().value().empty());
  CHECK(store->published().value().version == v0);
  CHECK(store->audit(1, 10).value().total == 0);
}

TEST_CASE("10,000 rows go through update and publish", "[server][agent-extensions][store]") {
  TempDir dir;
  auto store = open_store(store_path(dir.path));
  std::vector<Extension> rows;
  char hex[33];
  for (int i = 0; i < 10000; ++i) {
    std::snprintf(hex, sizeof hex, "%032x", i);
    rows.push_back(Extension{"WK" + std::string(hex), "Agent " + std::to_string(i), std::to_string(100000 + i), "", ""});
  }
  auto build = store->prepare_publish(rows, store->published().value().version, kAlice, {});
  REQUIRE(build.ok());
  auto published = store->publish(build.value().build_sid, kAlice);
  REQUIRE(published.ok());
  CHECK(published.value().state.rows.size() == 10000);
  CHECK(store->draft().value().size() == 10000);
}
