#pragma once
/// @file sync_store.h
/// The shared ExtensionStore on Twilio Sync (issue 10; seed-behaviour 3.2; upstream-contracts 3.2), chosen
/// with FLEXCORE_EXTENSIONS_STORE=sync so several flexcore-server instances share one set of extensions.
///
/// Sync objects (in the service FLEXCORE_SYNC_SERVICE; each created on first start when missing):
/// - Draft Map (FLEXCORE_EXTENSIONS_SYNC_MAP, default `AgentExtensionMaps`, the seed's map): item key =
///   workerSid, data = the seed's item plus the writer:
///   `{"workerFullName","extensionNumber","workerSid","updatedBy","updatedAt"}`. Every update / delete
///   carries `If-Match: <item revision>`; a create uses Sync's duplicate-key check (409 54208). A lost race
///   is ErrorCode::Conflict (HTTP 409 to the supervisor), never a silent overwrite. Items edited by hand
///   that do not have that shape (not an object, non-string members, key ≠ workerSid) are skipped with a
///   logged warning.
/// - Builds Map (FLEXCORE_EXTENSIONS_SYNC_BUILDS_MAP, default `AgentExtensionBuilds`): immutable builds.
///   Item `<ZB…>` = `{"buildSid","version","status","rowCount","chunks","createdBy","createdAt"}`; items
///   `<ZB…>_<n>` = `{"rows":[…]}` (the rows in the seed's asset shape, split so each item stays well under
///   Sync's 16 KiB data limit).
/// - Published Document (FLEXCORE_EXTENSIONS_SYNC_DOCUMENT, default `AgentExtensionsPublished`):
///   `{"latest":<build meta>,"deployed":<build meta + "deploymentSid">}`. A prepared build becomes the
///   latest, and a publish becomes live, with ONE document write carrying `If-Match` — so an instance
///   stopped mid-publish leaves the old or the new set, never a mix, and two concurrent publishes cannot
///   both win (the second gets Conflict).
/// - Audit List (FLEXCORE_EXTENSIONS_SYNC_AUDIT_LIST, default `AgentExtensionsAudit`): one List Item per
///   AuditEntry `{"at","actor","action","workerSid","before","after"}` (before/after as JSON text); the
///   entry id is the item index + 1.
///
/// Within one instance writes are serialised (a mutex), so two supervisors racing for one extension number
/// on the same instance cannot both win. Across instances, the row itself is protected by If-Match; a
/// number taken twice on two instances at the same moment cannot be published (prepare_publish refuses a
/// repeated number with AlreadyExists).
///
/// Validation stays in the core (flexcore::agent_extensions); this file does Sync I/O. Rows of a deployed
/// build are cached by build SID (builds are immutable), so published() costs one document read when
/// nothing changed — the live-reload poller calls it every FLEXCORE_EXTENSIONS_POLL_MS.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "agent_extensions/sqlite_store.h"
#include "agent_extensions/store.h"
#include "upstream/sync_client.h"

namespace flexcore::server::agent_extensions {

/// Names (or SIDs) of the Sync objects the store uses.
struct SyncStoreNames {
  std::string service = "flexcore-agent-extensions";      ///< FLEXCORE_SYNC_SERVICE: IS… SID or friendly name
  std::string draft_map = "AgentExtensionMaps";            ///< FLEXCORE_EXTENSIONS_SYNC_MAP: MP… or unique name
  std::string builds_map = "AgentExtensionBuilds";         ///< FLEXCORE_EXTENSIONS_SYNC_BUILDS_MAP
  std::string document = "AgentExtensionsPublished";       ///< FLEXCORE_EXTENSIONS_SYNC_DOCUMENT: ET… or unique name
  std::string audit_list = "AgentExtensionsAudit";         ///< FLEXCORE_EXTENSIONS_SYNC_AUDIT_LIST: ES… or unique name
};

class SyncExtensionStore final : public ExtensionStore {
 public:
  /// Resolves (creating when missing) the service, both maps, the list and the document; a new document
  /// gets one empty build, deployed (as a new SQLite file). `client` must outlive the store; `logger`
  /// receives the warnings about malformed items. Errors: those of the Sync calls (Unavailable,
  /// ResourceExhausted, UpstreamError for rejected credentials, NotFound for an IS… SID that does not
  /// exist) and Internal when the document holds no valid build pointers.
  static Result<std::unique_ptr<SyncExtensionStore>> open(std::unique_ptr<upstream::SyncClient> client,
                                                          SyncStoreNames names, std::shared_ptr<spdlog::logger> logger,
                                                          SidGenerator sids = nullptr);
  ~SyncExtensionStore() override;

  Result<std::vector<Extension>> draft() override;
  Result<PublishedState> published() override;
  Result<DraftOutcome> change_draft(DraftAction action, const Extension& entry, const Actor& actor,
                                    const ValidationOptions& options) override;
  Result<BuildInfo> prepare_publish(const std::vector<Extension>& rows, std::string_view expected_version,
                                    const Actor& actor, const ValidationOptions& options) override;
  Result<BuildInfo> build(std::string_view build_sid) override;
  Result<PublishOutcome> publish(std::string_view build_sid, const Actor& actor) override;
  Result<AuditPage> audit(std::uint32_t page, std::uint32_t page_size) override;
  /// The rows of one build (issue 10: what the Serverless mirror uploads). Errors: NotFound; Sync errors.
  Result<std::vector<Extension>> build_rows(std::string_view build_sid) override;

  /// The resolved SIDs: service IS…, draft map MP…, builds map MP…, document ET…, audit list ES….
  struct Sids {
    std::string service, draft_map, builds_map, document, audit_list;
  };
  const Sids& sids() const noexcept { return sids_; }
  /// The Sync client (call counts per object for the rate report).
  upstream::SyncClient& client() noexcept { return *client_; }

 private:
  struct DraftItem {
    Extension row;
    std::string revision;
  };
  struct Doc {
    nlohmann::json latest, deployed;
    std::string revision;
  };

  SyncExtensionStore(std::unique_ptr<upstream::SyncClient> client, Sids sids,
                     std::shared_ptr<spdlog::logger> logger, SidGenerator sid_generator);
  Result<std::vector<DraftItem>> draft_items();
  Result<Doc> document();
  Result<std::vector<Extension>> build_rows(const nlohmann::json& meta);
  Result<PublishedState> state_of(const Doc& doc);
  Status append_audit(const Actor& actor, std::string_view action, std::string_view worker_sid,
                      const std::string& before, const std::string& after);
  Result<nlohmann::json> write_build(const std::vector<Extension>& rows, const Actor& actor);

  std::unique_ptr<upstream::SyncClient> client_;
  Sids sids_;
  std::shared_ptr<spdlog::logger> logger_;
  SidGenerator sid_generator_;
  std::mutex write_mutex_;  ///< serialises this instance's writes
  std::mutex cache_mutex_;
  std::map<std::string, std::shared_ptr<const std::vector<Extension>>> rows_cache_;  ///< build SID → rows
};

/// Rows per chunk item of a build: each chunk's JSON stays under this many bytes (Sync's limit is 16 KiB).
inline constexpr std::size_t kBuildChunkBytes = 12000;

}  // namespace flexcore::server::agent_extensions
