#pragma once
/// @file serverless_mirror.h
/// The optional mirror of published agent extensions to a Twilio Serverless asset (issue 10, "Optional
/// mirror"; seed-behaviour 3.3, upstream-contracts 3.4), on with FLEXCORE_PUBLISH_ASSET=1.
///
/// /admin/publish first mirrors the build being published, then makes it the live set locally; if any
/// Serverless step fails the publish fails and the live set stays the old one. The mirror publishes as
/// the seed does, with its drop-the-other-assets bug fixed:
///   1. latest build      GET  /v1/Services/{TWILIO_SERVICE_SID}/Builds?PageSize=1
///   2. (first publish only, when the latest build has no version of the asset) find the asset by its
///      friendly name TWILIO_ASSET_NAME (GET …/Assets) or create it (POST …/Assets)
///   3. asset version     POST {upload}/v1/Services/{ZS}/Assets/{ZH}/Versions  multipart Path=TWILIO_ASSET_NAME,
///                        Visibility=private, Content=<the rows as the seed's asset array> (application/json)
///   4. build             POST …/Builds  AssetVersions = the new version + every OTHER asset version of the latest
///                        build, FunctionVersions = all of the latest build's, Dependencies = its dependencies
///   5. status polls      GET  …/Builds/{ZB}/Status every FLEXCORE_SERVERLESS_BUILD_POLL_MS until completed
///                        (failed → the publish fails; FLEXCORE_SERVERLESS_BUILD_POLLS polls at most → 504)
///   6. deployment        POST …/Environments/{TWILIO_ENVIRONMENT_SID}/Deployments BuildSid=ZB…
/// /admin/list's `version` and `versionIsDeployed` then come from Serverless as the seed computes them (the
/// asset's version in the latest build; latest deployment's build == latest build), and /admin/update
/// accepts either that version or the local store's.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "agent_extensions/store.h"
#include "flexcore/result.h"
#include "runtime.h"
#include "upstream/serverless_client.h"

namespace flexcore::server {
class App;
}

namespace flexcore::server::agent_extensions {

/// Settings of the mirror (server/README.md "Agent extensions: Serverless mirror").
struct MirrorSettings {
  std::string service;      ///< TWILIO_SERVICE_SID (ZS… or the service's unique name)
  std::string environment;  ///< TWILIO_ENVIRONMENT_SID (ZE…)
  std::string asset_name = "/extensions.json";   ///< TWILIO_ASSET_NAME: asset path and friendly name
  std::chrono::milliseconds poll_interval{1000};  ///< FLEXCORE_SERVERLESS_BUILD_POLL_MS
  int max_polls = 300;                             ///< FLEXCORE_SERVERLESS_BUILD_POLLS (× interval = budget)
};

/// The Serverless side as /admin/list reports it.
struct MirrorState {
  std::string version;             ///< ZN… of the asset in the latest build ("" when it has none)
  std::string latest_build_sid;    ///< ZB… ("" when the service has no build)
  std::string deployed_build_sid;  ///< build of the latest deployment ("" when none)
  bool version_is_deployed = false;  ///< latest deployment's build == latest build
};

/// What one mirrored publish created.
struct MirrorOutcome {
  std::string asset_version;   ///< ZN… uploaded
  std::string build_sid;       ///< ZB… built
  std::string deployment_sid;  ///< ZD… deployed
  std::size_t kept_asset_versions = 0;     ///< other assets' versions carried into the build
  std::size_t kept_function_versions = 0;  ///< function versions carried into the build
  int status_polls = 0;                    ///< GET …/Status calls made
};

/// Publishes the live set to a Serverless asset. Thread-safe (one publish at a time).
class ServerlessMirror {
 public:
  /// `configured`: ok, or NotConfigured naming the missing settings (every call then returns it).
  /// `client` must use the retrying upstream client; `sleeper` paces the status polls.
  ServerlessMirror(upstream::ServerlessClient client, MirrorSettings settings, Status configured, Sleeper& sleeper);

  /// The seed's `version`/`versionIsDeployed` (steps of /admin/list: latest build, latest deployment).
  /// Errors: NotConfigured; the upstream errors of ServerlessClient.
  Result<MirrorState> state();

  /// Uploads `rows` as the asset (the seed's array shape, with mapKey), builds with the service's other
  /// versions kept, polls the build and deploys it (steps 1–6 above). Nothing is deployed unless every
  /// step before succeeded. Errors: NotConfigured; UpstreamError "… build ZB… failed" / any upstream
  /// error (401/403 → 502, 429 → 429, 503/network → 503, timeout → 504, other 4xx/5xx → 502);
  /// DeadlineExceeded when the build is still building after max_polls polls.
  Result<MirrorOutcome> publish(const std::vector<Extension>& rows);

  /// The local store version /admin/update should check for the `version` a client sent: the local
  /// latest version when `given` is the Serverless asset version (what /admin/list reports) or the local
  /// one; Conflict "Provided version SID is not the latest deployed asset version SID" otherwise.
  Result<std::string> local_version_for(std::string_view given, const PublishedState& local);

  /// ok, or NotConfigured naming the missing settings.
  const Status& configured() const noexcept { return configured_; }

  /// The settings in use.
  const MirrorSettings& settings() const noexcept { return settings_; }

 private:
  upstream::ServerlessClient client_;
  MirrorSettings settings_;
  Status configured_;
  Sleeper& sleeper_;
  std::mutex mutex_;
};

/// /admin/list with the mirror: replaces `state.version` / `state.version_is_deployed` with Serverless's
/// (when the service has a build holding the asset). Errors: those of ServerlessMirror::state().
Status apply_mirror_state(ServerlessMirror& mirror, PublishedState& state);

/// /admin/update with the mirror: the local version to check `given` against (local_version_for).
Result<std::string> mirror_expected_version(ExtensionStore& store, ServerlessMirror& mirror, std::string_view given);

/// /admin/publish with the mirror, before the local publish: checks the build can be published (exists,
/// completed, the latest — the same Conflicts the store would answer) and mirrors its rows. nullopt when
/// the build is already the live one (nothing to mirror). Errors: those checks, build_rows(), publish().
Result<std::optional<MirrorOutcome>> mirror_build(ExtensionStore& store, ServerlessMirror& mirror,
                                                  std::string_view build_sid);

/// The mirror configured from `app`'s settings, or nullptr when FLEXCORE_PUBLISH_ASSET is not 1.
std::shared_ptr<ServerlessMirror> make_serverless_mirror(App& app);

/// Maps a Serverless failure to what a supervisor sees: the upstream's own 4xx (its request was wrong,
/// not the supervisor's) become UpstreamError (502), except 429 (ResourceExhausted); the rest is unchanged.
Error mirror_error(const Error& error, std::string_view step);

}  // namespace flexcore::server::agent_extensions
