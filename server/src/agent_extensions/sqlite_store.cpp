#include "agent_extensions/sqlite_store.h"

#include <algorithm>
#include <system_error>
#include <unordered_map>
#include <utility>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include "log.h"
#include "runtime.h"

namespace flexcore::server::agent_extensions {
namespace {

namespace ax = flexcore::agent_extensions;

Error store_error(const SQLite::Exception& e, std::string_view what) {
  const int code = e.getErrorCode() & 0xff;
  ErrorCode mapped = ErrorCode::Internal;
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_CANTOPEN || code == SQLITE_READONLY ||
      code == SQLITE_IOERR) {
    mapped = ErrorCode::Unavailable;
  } else if (code == SQLITE_FULL) {
    mapped = ErrorCode::ResourceExhausted;
  } else if (code == SQLITE_CONSTRAINT) {
    mapped = ErrorCode::Conflict;
  }
  return Error{mapped, "agent extensions store: " + std::string(what) + ": " + e.what()};
}

// BEGIN IMMEDIATE … COMMIT; rolls back when destroyed before commit() (an exception or an early return).
class WriteTransaction {
 public:
  explicit WriteTransaction(SQLite::Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
  ~WriteTransaction() {
    if (!done_) {
      try {
        db_.exec("ROLLBACK");
      } catch (...) {  // nothing more to do: SQLite rolls back on its own when the statement failed
      }
    }
  }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit() {
    db_.exec("COMMIT");
    done_ = true;
  }

 private:
  SQLite::Database& db_;
  bool done_ = false;
};

Extension read_draft_row(SQLite::Statement& q) {
  Extension row;
  row.worker_sid = q.getColumn(0).getString();
  row.worker_full_name = q.getColumn(1).getString();
  row.extension_number = q.getColumn(2).getString();
  row.updated_by = q.getColumn(3).getString();
  row.updated_at = q.getColumn(4).getString();
  return row;
}

constexpr const char* kDraftColumns = "worker_sid, worker_full_name, extension_number, updated_by, updated_at";

std::vector<Extension> all_draft_rows(SQLite::Database& db) {
  SQLite::Statement q(db, std::string("SELECT ") + kDraftColumns + " FROM draft ORDER BY worker_sid");
  std::vector<Extension> rows;
  while (q.executeStep()) rows.push_back(read_draft_row(q));
  return rows;
}

std::optional<Extension> draft_row(SQLite::Database& db, std::string_view worker_sid) {
  SQLite::Statement q(db, std::string("SELECT ") + kDraftColumns + " FROM draft WHERE worker_sid = ?");
  q.bind(1, std::string(worker_sid));
  if (q.executeStep()) return read_draft_row(q);
  return std::nullopt;
}

void insert_audit(SQLite::Database& db, const Actor& actor, std::string_view action, std::string_view worker_sid,
                  const std::string& before, const std::string& after) {
  SQLite::Statement q(db,
                      "INSERT INTO audit (at, actor, action, worker_sid, before_json, after_json) VALUES (?,?,?,?,?,?)");
  q.bind(1, actor.at);
  q.bind(2, actor.identity);
  q.bind(3, std::string(action));
  q.bind(4, std::string(worker_sid));
  q.bind(5, before);
  q.bind(6, after);
  q.exec();
}

std::string row_json(const Extension& row) { return ax::to_json(row, ax::RowShape::Draft); }

struct BuildRow {
  std::string build_sid, version, status, rows_json;
  std::int64_t seq = 0;
};

std::optional<BuildRow> latest_build(SQLite::Database& db) {
  SQLite::Statement q(db, "SELECT build_sid, version_sid, status, seq FROM builds ORDER BY seq DESC LIMIT 1");
  if (!q.executeStep()) return std::nullopt;
  return BuildRow{q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(), "",
                  q.getColumn(3).getInt64()};
}

std::optional<BuildRow> build_by_sid(SQLite::Database& db, std::string_view build_sid, bool with_rows) {
  SQLite::Statement q(db, "SELECT build_sid, version_sid, status, seq, rows_json FROM builds WHERE build_sid = ?");
  q.bind(1, std::string(build_sid));
  if (!q.executeStep()) return std::nullopt;
  return BuildRow{q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                  with_rows ? q.getColumn(4).getString() : std::string(), q.getColumn(3).getInt64()};
}

std::pair<std::string, std::string> latest_deployment(SQLite::Database& db) {  // {deployment_sid, build_sid}
  SQLite::Statement q(db, "SELECT deployment_sid, build_sid FROM deployments ORDER BY seq DESC LIMIT 1");
  if (!q.executeStep()) return {};
  return {q.getColumn(0).getString(), q.getColumn(1).getString()};
}

std::size_t json_array_size(const std::string& rows_json) {
  // Rows were written by to_json(…, Published): one "workerSid" member per row.
  std::size_t count = 0;
  for (std::size_t at = rows_json.find("\"workerSid\""); at != std::string::npos;
       at = rows_json.find("\"workerSid\"", at + 1)) {
    ++count;
  }
  return count;
}

void insert_build(SQLite::Database& db, const BuildRow& build, const Actor& actor) {
  SQLite::Statement q(db,
                      "INSERT INTO builds (build_sid, version_sid, status, rows_json, created_by, created_at) "
                      "VALUES (?,?,?,?,?,?)");
  q.bind(1, build.build_sid);
  q.bind(2, build.version);
  q.bind(3, build.status);
  q.bind(4, build.rows_json);
  q.bind(5, actor.identity);
  q.bind(6, actor.at);
  q.exec();
}

void insert_deployment(SQLite::Database& db, const std::string& deployment_sid, const std::string& build_sid,
                       const Actor& actor) {
  SQLite::Statement q(db,
                      "INSERT INTO deployments (deployment_sid, build_sid, created_by, created_at) VALUES (?,?,?,?)");
  q.bind(1, deployment_sid);
  q.bind(2, build_sid);
  q.bind(3, actor.identity);
  q.bind(4, actor.at);
  q.exec();
}

// Migration 0 → 1: the tables and an empty deployed build.
void migrate_to_1(SQLite::Database& db, const SidGenerator& sids) {
  db.exec(R"sql(
    CREATE TABLE draft (
      worker_sid       TEXT PRIMARY KEY NOT NULL,
      worker_full_name TEXT NOT NULL,
      extension_number TEXT NOT NULL UNIQUE,
      updated_by       TEXT NOT NULL,
      updated_at       TEXT NOT NULL
    );
    CREATE TABLE builds (
      seq         INTEGER PRIMARY KEY AUTOINCREMENT,
      build_sid   TEXT NOT NULL UNIQUE,
      version_sid TEXT NOT NULL UNIQUE,
      status      TEXT NOT NULL CHECK (status IN ('building', 'completed', 'failed')),
      rows_json   TEXT NOT NULL,
      created_by  TEXT NOT NULL,
      created_at  TEXT NOT NULL
    );
    CREATE TABLE deployments (
      seq            INTEGER PRIMARY KEY AUTOINCREMENT,
      deployment_sid TEXT NOT NULL UNIQUE,
      build_sid      TEXT NOT NULL REFERENCES builds (build_sid),
      created_by     TEXT NOT NULL,
      created_at     TEXT NOT NULL
    );
    CREATE TABLE audit (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      at          TEXT NOT NULL,
      actor       TEXT NOT NULL,
      action      TEXT NOT NULL,
      worker_sid  TEXT NOT NULL,
      before_json TEXT NOT NULL,
      after_json  TEXT NOT NULL
    );
  )sql");
  const Actor system{"flexcore-server", iso8601_now()};
  BuildRow initial{sids("ZB"), sids("ZN"), "completed", "[]", 0};
  insert_build(db, initial, system);
  insert_deployment(db, sids("ZD"), initial.build_sid, system);
}

}  // namespace

std::filesystem::path store_path(const std::filesystem::path& data_dir) { return data_dir / "agent-extensions.sqlite"; }

SqliteExtensionStore::SqliteExtensionStore(std::unique_ptr<SQLite::Database> db, SidGenerator sids)
    : db_(std::move(db)), sids_(std::move(sids)) {}

SqliteExtensionStore::~SqliteExtensionStore() = default;

Result<std::unique_ptr<SqliteExtensionStore>> SqliteExtensionStore::open(const std::filesystem::path& path,
                                                                         SidGenerator sids) {
  using R = Result<std::unique_ptr<SqliteExtensionStore>>;
  if (!sids) sids = [](std::string_view prefix) { return std::string(prefix) + random_hex(16); };
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    return R::failure(ErrorCode::Unavailable, "agent extensions store " + path.string() +
                                                  ": cannot create the directory: " + ec.message());
  }
  std::unique_ptr<SQLite::Database> db;
  try {
    db = std::make_unique<SQLite::Database>(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db->setBusyTimeout(5000);
    db->exec("PRAGMA journal_mode=WAL");
    db->exec("PRAGMA synchronous=FULL");
    db->exec("PRAGMA foreign_keys=ON");
  } catch (const SQLite::Exception& e) {
    return R::failure(ErrorCode::Unavailable, "agent extensions store " + path.string() + ": " + e.what());
  }
  try {
    const int version = db->execAndGet("PRAGMA user_version").getInt();
    if (version > kSchemaVersion) {
      return R::failure(ErrorCode::Internal, "agent extensions store " + path.string() + ": schema version " +
                                                 std::to_string(version) + " is newer than this flexcore-server (" +
                                                 std::to_string(kSchemaVersion) + ")");
    }
    // Forward migrations, each in its own transaction together with the user_version bump.
    const std::vector<std::function<void(SQLite::Database&, const SidGenerator&)>> migrations = {migrate_to_1};
    for (int v = version; v < kSchemaVersion; ++v) {
      WriteTransaction txn(*db);
      migrations[static_cast<std::size_t>(v)](*db, sids);
      db->exec("PRAGMA user_version = " + std::to_string(v + 1));
      txn.commit();
    }
  } catch (const SQLite::Exception& e) {
    return R::failure(ErrorCode::Internal, "agent extensions store " + path.string() + ": migration failed: " + e.what());
  }
  return std::unique_ptr<SqliteExtensionStore>(new SqliteExtensionStore(std::move(db), std::move(sids)));
}

int SqliteExtensionStore::schema_version() {
  std::lock_guard lock(mutex_);
  return db_->execAndGet("PRAGMA user_version").getInt();
}

std::string SqliteExtensionStore::journal_mode() {
  std::lock_guard lock(mutex_);
  return db_->execAndGet("PRAGMA journal_mode").getString();
}

Result<std::vector<Extension>> SqliteExtensionStore::draft() {
  std::lock_guard lock(mutex_);
  try {
    return all_draft_rows(*db_);
  } catch (const SQLite::Exception& e) {
    return store_error(e, "reading the draft");
  }
}

Result<PublishedState> SqliteExtensionStore::published_locked() {
  PublishedState state;
  auto latest = latest_build(*db_);
  if (!latest) return Error{ErrorCode::Internal, "agent extensions store: no build found"};
  const auto [deployment_sid, deployed_build_sid] = latest_deployment(*db_);
  auto deployed = build_by_sid(*db_, deployed_build_sid, true);
  if (!deployed) return Error{ErrorCode::Internal, "agent extensions store: no deployment found"};
  auto rows = ax::parse_extensions(deployed->rows_json, "published");
  if (!rows) return Error{ErrorCode::Internal, "agent extensions store: " + rows.error().message};
  state.rows = std::move(rows).value();
  state.version = latest->version;
  state.latest_build_sid = latest->build_sid;
  state.deployed_build_sid = deployed->build_sid;
  state.deployed_version = deployed->version;
  state.version_is_deployed = latest->build_sid == deployed->build_sid;
  return state;
}

Result<PublishedState> SqliteExtensionStore::published() {
  std::lock_guard lock(mutex_);
  try {
    return published_locked();
  } catch (const SQLite::Exception& e) {
    return store_error(e, "reading the published set");
  }
}

Result<DraftOutcome> SqliteExtensionStore::change_draft(DraftAction action, const Extension& entry,
                                                        const Actor& actor, const ValidationOptions& options) {
  auto checked = ax::check_validation_options(options);
  if (!checked) return checked.error();
  std::lock_guard lock(mutex_);
  try {
    WriteTransaction txn(*db_);
    const auto current = draft_row(*db_, entry.worker_sid);
    DraftOutcome outcome;
    if (action == DraftAction::Delete) {
      if (!current) return Error{ErrorCode::NotFound, "workerSid " + entry.worker_sid + " has no extension"};
      SQLite::Statement del(*db_, "DELETE FROM draft WHERE worker_sid = ?");
      del.bind(1, entry.worker_sid);
      del.exec();
      insert_audit(*db_, actor, "delete", entry.worker_sid, row_json(*current), "");
      txn.commit();
      outcome.row = *current;
      return outcome;
    }
    if (action == DraftAction::Create && current) {
      return Error{ErrorCode::AlreadyExists, "workerSid " + entry.worker_sid + " already has extension " +
                                                 current->extension_number + "; edit that row instead"};
    }
    if (action == DraftAction::Update && !current) {
      return Error{ErrorCode::NotFound, "workerSid " + entry.worker_sid + " has no extension to update"};
    }
    // Normalise first (trimmed number), then validate against the rows holding that number — inside the
    // transaction, so a concurrent writer of the same number is either seen here or waits for us.
    auto first = ax::validate_extension(entry, {}, options);
    if (!first) return first.error();
    std::vector<Extension> holders;
    {
      SQLite::Statement q(*db_, std::string("SELECT ") + kDraftColumns +
                                    " FROM draft WHERE extension_number = ? AND worker_sid <> ?");
      q.bind(1, first.value().entry.extension_number);
      q.bind(2, entry.worker_sid);
      while (q.executeStep()) holders.push_back(read_draft_row(q));
    }
    auto validation = ax::validate_extension(entry, holders, options);
    if (!validation) return validation.error();
    outcome.validation = std::move(validation).value();
    if (!outcome.validation.ok()) return outcome;  // nothing stored; the transaction rolls back

    Extension row = outcome.validation.entry;
    row.updated_by = actor.identity;
    row.updated_at = actor.at;
    if (action == DraftAction::Create) {
      SQLite::Statement ins(*db_, "INSERT INTO draft (worker_sid, worker_full_name, extension_number, updated_by, "
                                  "updated_at) VALUES (?,?,?,?,?)");
      ins.bind(1, row.worker_sid);
      ins.bind(2, row.worker_full_name);
      ins.bind(3, row.extension_number);
      ins.bind(4, row.updated_by);
      ins.bind(5, row.updated_at);
      ins.exec();
      insert_audit(*db_, actor, "create", row.worker_sid, "", row_json(row));
    } else {
      SQLite::Statement upd(*db_, "UPDATE draft SET worker_full_name = ?, extension_number = ?, updated_by = ?, "
                                  "updated_at = ? WHERE worker_sid = ?");
      upd.bind(1, row.worker_full_name);
      upd.bind(2, row.extension_number);
      upd.bind(3, row.updated_by);
      upd.bind(4, row.updated_at);
      upd.bind(5, row.worker_sid);
      upd.exec();
      insert_audit(*db_, actor, "update", row.worker_sid, row_json(*current), row_json(row));
    }
    txn.commit();
    outcome.row = std::move(row);
    return outcome;
  } catch (const SQLite::Exception& e) {
    return store_error(e, "saving a draft row");
  }
}

Result<BuildInfo> SqliteExtensionStore::prepare_publish(const std::vector<Extension>& rows,
                                                        std::string_view expected_version, const Actor& actor,
                                                        const ValidationOptions& options) {
  // Validate the set (the core's rule) before touching the store; repeated workerSids below (diff_extensions).
  auto validated = ax::validate_extension_set(rows, options);
  if (!validated) return validated.error();
  std::vector<Extension> normalised = std::move(validated).value();

  std::lock_guard lock(mutex_);
  try {
    WriteTransaction txn(*db_);
    auto latest = latest_build(*db_);
    if (!latest || latest->version != expected_version) {
      return Error{ErrorCode::Conflict, "Provided version SID is not the latest deployed asset version SID"};
    }
    const auto current = all_draft_rows(*db_);
    auto diff = ax::diff_extensions(normalised, current);  // a repeated workerSid → InvalidArgument "draft[…]"
    if (!diff) {
      Error error = diff.error();
      if (error.message.rfind("draft", 0) == 0) error.message.replace(0, 5, "data");
      return error;
    }
    std::unordered_map<std::string, const Extension*> by_sid;
    for (const auto& row : current) by_sid.emplace(row.worker_sid, &row);
    std::unordered_map<std::string, const Extension*> changed;
    for (const auto& change : diff.value().changed) changed.emplace(change.after.worker_sid, &change.before);

    db_->exec("DELETE FROM draft");
    SQLite::Statement ins(*db_, "INSERT INTO draft (worker_sid, worker_full_name, extension_number, updated_by, "
                                "updated_at) VALUES (?,?,?,?,?)");
    for (auto& row : normalised) {
      const auto old = by_sid.find(row.worker_sid);
      const bool same = old != by_sid.end() && !changed.count(row.worker_sid);
      row.updated_by = same ? old->second->updated_by : actor.identity;
      row.updated_at = same ? old->second->updated_at : actor.at;
      ins.bind(1, row.worker_sid);
      ins.bind(2, row.worker_full_name);
      ins.bind(3, row.extension_number);
      ins.bind(4, row.updated_by);
      ins.bind(5, row.updated_at);
      ins.exec();
      ins.reset();
      if (old == by_sid.end()) {
        insert_audit(*db_, actor, "replace-add", row.worker_sid, "", row_json(row));
      } else if (!same) {
        insert_audit(*db_, actor, "replace-change", row.worker_sid, row_json(*old->second), row_json(row));
      }
    }
    for (const auto& removed : diff.value().removed) {
      insert_audit(*db_, actor, "replace-remove", removed.worker_sid, row_json(removed), "");
    }
    BuildRow build{sids_("ZB"), sids_("ZN"), "completed", ax::to_json(normalised, ax::RowShape::Published), 0};
    insert_build(*db_, build, actor);
    insert_audit(*db_, actor, "build", "",
                 nlohmann::json{{"version", latest->version}, {"buildSid", latest->build_sid}}.dump(),
                 nlohmann::json{{"version", build.version}, {"buildSid", build.build_sid}, {"rows", normalised.size()}}
                     .dump());
    txn.commit();
    return BuildInfo{build.build_sid, build.version, build.status, normalised.size()};
  } catch (const SQLite::Exception& e) {
    return store_error(e, "preparing a publish");
  }
}

Result<BuildInfo> SqliteExtensionStore::build(std::string_view build_sid) {
  std::lock_guard lock(mutex_);
  try {
    auto build = build_by_sid(*db_, build_sid, true);
    if (!build) return Error{ErrorCode::NotFound, "build " + std::string(build_sid) + " not found"};
    return BuildInfo{build->build_sid, build->version, build->status, json_array_size(build->rows_json)};
  } catch (const SQLite::Exception& e) {
    return store_error(e, "reading a build");
  }
}

Result<std::vector<Extension>> SqliteExtensionStore::build_rows(std::string_view build_sid) {
  std::lock_guard lock(mutex_);
  try {
    auto build = build_by_sid(*db_, build_sid, true);
    if (!build) return Error{ErrorCode::NotFound, "build " + std::string(build_sid) + " not found"};
    auto rows = ax::parse_extensions(build->rows_json, "build");
    if (!rows) return Error{ErrorCode::Internal, "agent extensions store: " + rows.error().message};
    return std::move(rows).value();
  } catch (const SQLite::Exception& e) {
    return store_error(e, "reading a build");
  }
}

Result<PublishOutcome> SqliteExtensionStore::publish(std::string_view build_sid, const Actor& actor) {
  std::lock_guard lock(mutex_);
  try {
    WriteTransaction txn(*db_);
    auto build = build_by_sid(*db_, build_sid, false);
    if (!build) return Error{ErrorCode::NotFound, "build " + std::string(build_sid) + " not found"};
    if (build->status != "completed") {
      return Error{ErrorCode::Conflict, "build " + build->build_sid + " is " + build->status + ", not completed"};
    }
    auto latest = latest_build(*db_);
    if (!latest || latest->build_sid != build->build_sid) {
      return Error{ErrorCode::Conflict, "build " + build->build_sid +
                                            " is not the latest build: agent extensions were updated by someone "
                                            "else; reload and try again"};
    }
    const auto [old_deployment, old_build_sid] = latest_deployment(*db_);
    PublishOutcome outcome;
    if (old_build_sid == build->build_sid) {
      outcome.deployment_sid = old_deployment;
      outcome.already_deployed = true;
    } else {
      outcome.deployment_sid = sids_("ZD");
      insert_deployment(*db_, outcome.deployment_sid, build->build_sid, actor);
      auto old = build_by_sid(*db_, old_build_sid, false);
      insert_audit(*db_, actor, "publish", "",
                   nlohmann::json{{"buildSid", old_build_sid}, {"version", old ? old->version : ""}}.dump(),
                   nlohmann::json{{"buildSid", build->build_sid},
                                  {"version", build->version},
                                  {"deploymentSid", outcome.deployment_sid}}
                       .dump());
    }
    auto state = published_locked();
    if (!state) return state.error();
    txn.commit();
    outcome.state = std::move(state).value();
    return outcome;
  } catch (const SQLite::Exception& e) {
    return store_error(e, "publishing");
  }
}

Result<AuditPage> SqliteExtensionStore::audit(std::uint32_t page, std::uint32_t page_size) {
  if (page < 1) return Error{ErrorCode::InvalidArgument, "page must be at least 1, got " + std::to_string(page)};
  if (page_size < 1 || page_size > 1000) {
    return Error{ErrorCode::InvalidArgument, "pageSize must be between 1 and 1000, got " + std::to_string(page_size)};
  }
  std::lock_guard lock(mutex_);
  try {
    AuditPage out;
    out.page = page;
    out.page_size = page_size;
    out.total = static_cast<std::size_t>(db_->execAndGet("SELECT count(*) FROM audit").getInt64());
    SQLite::Statement q(*db_, "SELECT id, at, actor, action, worker_sid, before_json, after_json FROM audit "
                              "ORDER BY id DESC LIMIT ? OFFSET ?");
    q.bind(1, static_cast<std::int64_t>(page_size));
    q.bind(2, static_cast<std::int64_t>(page - 1) * page_size);
    while (q.executeStep()) {
      out.items.push_back(AuditEntry{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                                     q.getColumn(3).getString(), q.getColumn(4).getString(),
                                     q.getColumn(5).getString(), q.getColumn(6).getString()});
    }
    return out;
  } catch (const SQLite::Exception& e) {
    return store_error(e, "reading the audit log");
  }
}

}  // namespace flexcore::server::agent_extensions
