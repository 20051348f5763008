#pragma once
/// @file store.h
/// The agent extensions store (issue 6, seed-behaviour 3): the draft set supervisors edit (the seed's Sync
/// Map), builds prepared from it (the seed's Serverless asset version + build) and the deployed build (the
/// seed's deployment, read by the Studio lookup). An interface, so a shared store can follow; the embedded
/// default is SqliteExtensionStore (sqlite_store.h).
///
/// Versions and builds keep the seed's request/response vocabulary (upstream-contracts 3.4): every build has
/// an asset version SID (ZN…, the `version` of /admin/list and /admin/update) and a build SID (ZB…); a
/// deployment (ZD…) makes one build the live set. `version` is the asset version of the LATEST build and
/// `versionIsDeployed` says whether that build is the deployed one, exactly as the seed computes them.
///
/// Every write is one transaction: it is either entirely stored (rows, build, audit entries) or not at all.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flexcore/agent_extensions.h"
#include "flexcore/result.h"

namespace flexcore::server::agent_extensions {

using flexcore::agent_extensions::Extension;
using flexcore::agent_extensions::ValidationOptions;
using flexcore::agent_extensions::Validation;

/// Who writes and when: the Flex token's identity and the server clock (ISO-8601 UTC, ms precision).
struct Actor {
  std::string identity;  ///< the token's `identity` (never the token)
  std::string at;        ///< "2026-11-21T20:30:52.123Z"
};

/// The published side as /admin/list reports it.
struct PublishedState {
  std::vector<Extension> rows;      ///< rows of the deployed build (Sync map order: ascending workerSid)
  std::string version;              ///< asset version SID (ZN…) of the latest build
  std::string latest_build_sid;     ///< ZB… of the latest build
  std::string deployed_build_sid;   ///< ZB… of the deployed build
  std::string deployed_version;     ///< asset version SID (ZN…) of the deployed build
  bool version_is_deployed = true;  ///< latest build == deployed build
};

/// One build (the seed's asset version + build).
struct BuildInfo {
  std::string build_sid;    ///< ZB…
  std::string version;      ///< ZN… asset version of this build
  std::string status;       ///< "building" | "completed" | "failed" (local builds complete at once)
  std::size_t row_count = 0;
};

/// One edit of the draft set (/admin/extensions).
enum class DraftAction {
  Create,  ///< a worker without a row gets one (AlreadyExists when it has one)
  Update,  ///< the worker's row is replaced (NotFound when it has none)
  Delete,  ///< the worker's row is removed (NotFound when it has none); only entry.worker_sid is read
};

/// The outcome of change_draft: the validation (nothing is stored unless it is ok) and the stored row
/// (for Delete: the removed row).
struct DraftOutcome {
  Validation validation;
  Extension row;
};

/// The result of publish().
struct PublishOutcome {
  std::string deployment_sid;  ///< ZD…
  PublishedState state;        ///< the published side after the deployment
  bool already_deployed = false;  ///< the build was already live: nothing changed
};

/// One audit log entry: who changed what, when, with the row before and after.
struct AuditEntry {
  std::int64_t id = 0;     ///< increasing
  std::string at;          ///< ISO-8601 UTC
  std::string actor;       ///< identity of the writer
  std::string action;      ///< "create" | "update" | "delete" | "replace-add" | "replace-change" | "replace-remove" | "build" | "publish"
  std::string worker_sid;  ///< the row's Worker SID; empty for build/publish
  std::string before;      ///< JSON text (row in Draft shape, or {"version","buildSid","rows"}), "" when none
  std::string after;       ///< JSON text, "" when none
};

/// One page of the audit log, newest first.
struct AuditPage {
  std::vector<AuditEntry> items;
  std::size_t total = 0;
  std::uint32_t page = 1;
  std::uint32_t page_size = 50;
};

/// Storage of the agent extensions. Implementations are thread-safe.
class ExtensionStore {
 public:
  virtual ~ExtensionStore() = default;

  /// The draft rows (with updatedBy/updatedAt), ascending workerSid. Errors: Internal / Unavailable.
  virtual Result<std::vector<Extension>> draft() = 0;

  /// The published side (deployed rows, latest version, versionIsDeployed).
  virtual Result<PublishedState> published() = 0;

  /// Creates, updates or deletes one draft row atomically. The row is validated with
  /// flexcore::agent_extensions::validate_extension against the other rows inside the same transaction,
  /// so two writers racing for one extension number cannot both win (the loser's validation carries the
  /// AlreadyExists problem naming the winner). Errors: NotFound (update/delete of a worker without a row),
  /// AlreadyExists (create for a worker that has a row), InvalidArgument (bad options), Internal.
  virtual Result<DraftOutcome> change_draft(DraftAction action, const Extension& entry, const Actor& actor,
                                            const ValidationOptions& options) = 0;

  /// /admin/update: replaces the draft set with `rows` and prepares a build of it, when `expected_version`
  /// is the latest build's asset version. Rows are validated (every row, every field) and must not repeat
  /// a workerSid or an extension number. Unchanged rows keep their updatedBy/updatedAt.
  /// Errors: Conflict "Provided version SID is not the latest deployed asset version SID";
  /// InvalidArgument "data[3].extensionNumber: …" (first problem) / AlreadyExists for a repeated extension.
  virtual Result<BuildInfo> prepare_publish(const std::vector<Extension>& rows, std::string_view expected_version,
                                            const Actor& actor, const ValidationOptions& options) = 0;

  /// A build by SID. Errors: NotFound "build ZB… not found".
  virtual Result<BuildInfo> build(std::string_view build_sid) = 0;

  /// /admin/publish: makes the build the live set (one transaction). Errors: NotFound; Conflict when the
  /// build failed or a newer build exists (publishing it would drop someone else's changes).
  virtual Result<PublishOutcome> publish(std::string_view build_sid, const Actor& actor) = 0;

  /// The audit log, newest first; page >= 1, page_size 1–1000 (InvalidArgument otherwise).
  virtual Result<AuditPage> audit(std::uint32_t page, std::uint32_t page_size) = 0;

  /// The rows of one build, as they will be published (ascending workerSid) — what the Serverless mirror
  /// uploads (issue 10). Errors: NotFound "build ZB… not found"; stores that cannot answer it return
  /// NotConfigured (the default), so a mirrored publish fails instead of uploading the wrong set.
  virtual Result<std::vector<Extension>> build_rows(std::string_view build_sid) {
    return Error{ErrorCode::NotConfigured,
                 "this agent extensions store cannot list the rows of build " + std::string(build_sid) +
                     " (needed by FLEXCORE_PUBLISH_ASSET=1)"};
  }
};

}  // namespace flexcore::server::agent_extensions
