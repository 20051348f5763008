#pragma once
/// @file sqlite_store.h
/// The embedded ExtensionStore: one SQLite file (`<FLEXCORE_DATA_DIR>/agent-extensions.sqlite`) through
/// SQLiteCpp (Debian libsqlitecpp-dev). WAL journal, synchronous=FULL (an acknowledged write survives a
/// kill -9 and a power cut), busy timeout 5 s, schema version in `PRAGMA user_version` with forward
/// migrations applied on open (a file from a newer flexcore is refused). One connection guarded by a mutex:
/// writes are serialised; each write is one BEGIN IMMEDIATE transaction.
///
/// Schema (version 1): `draft` (worker_sid PK, worker_full_name, extension_number UNIQUE, updated_by,
/// updated_at), `builds` (seq, build_sid, version_sid, status, rows_json, created_by, created_at),
/// `deployments` (seq, deployment_sid, build_sid, created_by, created_at), `audit` (id, at, actor, action,
/// worker_sid, before_json, after_json). A new file starts with one empty build, deployed.

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "agent_extensions/store.h"

namespace SQLite {
class Database;
}

namespace flexcore::server::agent_extensions {

/// The schema version this build writes (PRAGMA user_version).
inline constexpr int kSchemaVersion = 1;

/// SID generator: `prefix` + 32 lower-case hex digits. Injectable for tests; default random.
using SidGenerator = std::function<std::string(std::string_view prefix)>;

class SqliteExtensionStore final : public ExtensionStore {
 public:
  /// Opens (creating the directories and file when missing) and migrates `path`.
  /// Errors: Unavailable "agent extensions store <path>: …" when the file cannot be opened or created;
  /// Internal when the file's schema version is newer than kSchemaVersion or a migration fails.
  static Result<std::unique_ptr<SqliteExtensionStore>> open(const std::filesystem::path& path,
                                                            SidGenerator sids = nullptr);
  ~SqliteExtensionStore() override;

  Result<std::vector<Extension>> draft() override;
  Result<PublishedState> published() override;
  Result<DraftOutcome> change_draft(DraftAction action, const Extension& entry, const Actor& actor,
                                    const ValidationOptions& options) override;
  Result<BuildInfo> prepare_publish(const std::vector<Extension>& rows, std::string_view expected_version,
                                    const Actor& actor, const ValidationOptions& options) override;
  Result<BuildInfo> build(std::string_view build_sid) override;
  Result<PublishOutcome> publish(std::string_view build_sid, const Actor& actor) override;
  Result<AuditPage> audit(std::uint32_t page, std::uint32_t page_size) override;
  Result<std::vector<Extension>> build_rows(std::string_view build_sid) override;

  /// The schema version of the open file (PRAGMA user_version).
  int schema_version();
  /// PRAGMA journal_mode of the open file ("wal").
  std::string journal_mode();

 private:
  SqliteExtensionStore(std::unique_ptr<SQLite::Database> db, SidGenerator sids);
  Result<PublishedState> published_locked();

  std::mutex mutex_;
  std::unique_ptr<SQLite::Database> db_;
  SidGenerator sids_;
};

/// The store file inside a data directory: `<data_dir>/agent-extensions.sqlite`.
std::filesystem::path store_path(const std::filesystem::path& data_dir);

}  // namespace flexcore::server::agent_extensions
