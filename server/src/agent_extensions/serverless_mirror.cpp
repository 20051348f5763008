// The Serverless mirror of published agent extensions (issue 10; seed-behaviour 3.3, upstream-contracts 3.4).
// The rules of the sequence live here; the HTTP calls in upstream/serverless_client.cpp.

#include "agent_extensions/serverless_mirror.h"

#include <utility>

#include "app.h"
#include "config.h"

namespace flexcore::server::agent_extensions {

namespace ax = flexcore::agent_extensions;

namespace {

constexpr std::string_view kVersionConflict = "Provided version SID is not the latest deployed asset version SID";

std::string setting(const Config& config, std::string_view name, std::string fallback = {}) {
  const auto it = config.settings.find(name);
  return it == config.settings.end() || it->second.value.empty() ? std::move(fallback) : it->second.value;
}

// The asset's path with a leading '/' (Serverless adds one; the seed compares build paths with it).
std::string asset_path(const std::string& name) { return !name.empty() && name.front() == '/' ? name : "/" + name; }

}  // namespace

Error mirror_error(const Error& error, std::string_view step) {
  Error out = error;
  switch (error.code) {
    case ErrorCode::InvalidArgument:
    case ErrorCode::NotFound:
    case ErrorCode::AlreadyExists:
    case ErrorCode::Conflict:
    case ErrorCode::PermissionDenied:
    case ErrorCode::Unauthenticated:
    case ErrorCode::PayloadTooLarge:
      out.code = ErrorCode::UpstreamError;
      break;
    default:
      break;
  }
  out.message = "Serverless mirror (" + std::string(step) + "): " + error.message;
  return out;
}

ServerlessMirror::ServerlessMirror(upstream::ServerlessClient client, MirrorSettings settings, Status configured,
                                   Sleeper& sleeper)
    : client_(std::move(client)), settings_(std::move(settings)), configured_(std::move(configured)), sleeper_(sleeper) {
  settings_.asset_name = asset_path(settings_.asset_name);
}

Result<MirrorState> ServerlessMirror::state() {
  if (!configured_) return configured_.error();
  auto latest = client_.latest_build(settings_.service);
  if (!latest) return mirror_error(latest.error(), "latest build");
  auto deployed = client_.latest_deployment_build(settings_.service, settings_.environment);
  if (!deployed) return mirror_error(deployed.error(), "latest deployment");
  MirrorState state;
  if (latest.value()) {
    state.latest_build_sid = latest.value()->sid;
    for (const auto& version : latest.value()->asset_versions) {
      if (version.path == settings_.asset_name) state.version = version.sid;
    }
  }
  state.deployed_build_sid = deployed.value().value_or("");
  state.version_is_deployed = !state.latest_build_sid.empty() && state.deployed_build_sid == state.latest_build_sid;
  return state;
}

Result<std::string> ServerlessMirror::local_version_for(std::string_view given, const PublishedState& local) {
  if (!configured_) return configured_.error();
  if (given == local.version) return local.version;
  // The seed's update step 1: only the latest build (its asset version is the concurrency token).
  auto latest = client_.latest_build(settings_.service);
  if (!latest) return mirror_error(latest.error(), "latest build");
  if (latest.value()) {
    for (const auto& version : latest.value()->asset_versions) {
      if (version.path == settings_.asset_name && version.sid == given) return local.version;
    }
  }
  return Error{ErrorCode::Conflict, std::string(kVersionConflict)};
}

Result<MirrorOutcome> ServerlessMirror::publish(const std::vector<Extension>& rows) {
  if (!configured_) return configured_.error();
  std::lock_guard lock(mutex_);
  MirrorOutcome outcome;
  // 1. The latest build: its other pieces are kept.
  auto latest = client_.latest_build(settings_.service);
  if (!latest) return mirror_error(latest.error(), "latest build");
  std::string asset_sid;
  std::vector<std::string> asset_versions, function_versions;
  nlohmann::json dependencies = nullptr;
  if (latest.value()) {
    const auto& build = *latest.value();
    for (const auto& version : build.asset_versions) {
      if (version.path == settings_.asset_name) {
        if (asset_sid.empty()) asset_sid = version.owner_sid;
      }
    }
    for (const auto& version : build.asset_versions) {
      // Every other asset keeps its version; ours is replaced (two versions of one asset are refused: 20001).
      if (version.path != settings_.asset_name && (asset_sid.empty() || version.owner_sid != asset_sid)) {
        asset_versions.push_back(version.sid);
      }
    }
    for (const auto& version : build.function_versions) function_versions.push_back(version.sid);
    dependencies = build.dependencies;
  }
  outcome.kept_asset_versions = asset_versions.size();
  outcome.kept_function_versions = function_versions.size();
  // 2. First publish: the asset may exist without being in the latest build, or not at all.
  if (asset_sid.empty()) {
    auto found = client_.find_asset(settings_.service, settings_.asset_name);
    if (!found) return mirror_error(found.error(), "asset lookup");
    if (found.value()) {
      asset_sid = *found.value();
    } else {
      auto created = client_.create_asset(settings_.service, settings_.asset_name);
      if (!created) return mirror_error(created.error(), "asset creation");
      asset_sid = created.value();
    }
  }
  // 3. The new asset version: the seed's array ({workerFullName, extensionNumber, workerSid, mapKey}).
  auto uploaded = client_.upload_asset_version(settings_.service, asset_sid, settings_.asset_name, "private",
                                               ax::to_json(rows, ax::RowShape::Published), "application/json");
  if (!uploaded) return mirror_error(uploaded.error(), "asset version upload");
  outcome.asset_version = uploaded.value().sid;
  asset_versions.insert(asset_versions.begin(), outcome.asset_version);
  // 4. The build.
  auto build = client_.create_build(settings_.service, asset_versions, function_versions, dependencies);
  if (!build) return mirror_error(build.error(), "build");
  outcome.build_sid = build.value().sid;
  // 5. Status polls until completed.
  std::string status = build.value().status;
  for (;;) {
    if (outcome.status_polls >= settings_.max_polls) {
      return Error{ErrorCode::DeadlineExceeded, "Serverless mirror (build status): build " + outcome.build_sid +
                                                    " still " + status + " after " + std::to_string(outcome.status_polls) +
                                                    " status polls; nothing was deployed"};
    }
    if (outcome.status_polls > 0) sleeper_.sleep_for(settings_.poll_interval);
    auto polled = client_.build_status(settings_.service, outcome.build_sid);
    ++outcome.status_polls;
    if (!polled) return mirror_error(polled.error(), "build status");
    status = polled.value();
    if (status == "completed") break;
    if (status == "failed") {
      return Error{ErrorCode::UpstreamError,
                   "Serverless mirror (build status): build " + outcome.build_sid + " failed; nothing was deployed"};
    }
  }
  // 6. The deployment.
  auto deployment = client_.create_deployment(settings_.service, settings_.environment, outcome.build_sid);
  if (!deployment) return mirror_error(deployment.error(), "deployment");
  outcome.deployment_sid = deployment.value();
  return outcome;
}

Status apply_mirror_state(ServerlessMirror& mirror, PublishedState& state) {
  auto mirrored = mirror.state();
  if (!mirrored) return mirrored.error();
  if (!mirrored.value().version.empty()) {
    state.version = mirrored.value().version;
    state.version_is_deployed = mirrored.value().version_is_deployed;
  }
  return ok_status();
}

Result<std::string> mirror_expected_version(ExtensionStore& store, ServerlessMirror& mirror, std::string_view given) {
  if (!mirror.configured()) return mirror.configured().error();
  auto local = store.published();
  if (!local) return local.error();
  return mirror.local_version_for(given, local.value());
}

Result<std::optional<MirrorOutcome>> mirror_build(ExtensionStore& store, ServerlessMirror& mirror,
                                                  std::string_view build_sid) {
  if (!mirror.configured()) return mirror.configured().error();
  auto state = store.published();
  if (!state) return state.error();
  if (state.value().deployed_build_sid == build_sid) return std::optional<MirrorOutcome>();
  auto build = store.build(build_sid);
  if (!build) return build.error();
  if (build.value().status != "completed") {
    return Error{ErrorCode::Conflict, "build " + build.value().build_sid + " is " + build.value().status + ", not completed"};
  }
  if (state.value().latest_build_sid != build_sid) {
    return Error{ErrorCode::Conflict, "build " + std::string(build_sid) +
                                          " is not the latest build: agent extensions were updated by someone else; "
                                          "reload and try again"};
  }
  auto rows = store.build_rows(build_sid);
  if (!rows) return rows.error();
  auto outcome = mirror.publish(rows.value());
  if (!outcome) return outcome.error();
  return std::optional<MirrorOutcome>(std::move(outcome).value());
}

std::shared_ptr<ServerlessMirror> make_serverless_mirror(App& app) {
  const Config& config = app.config();
  if (setting(config, "FLEXCORE_PUBLISH_ASSET", "0") != "1") return nullptr;
  MirrorSettings settings;
  settings.service = setting(config, "TWILIO_SERVICE_SID");
  settings.environment = setting(config, "TWILIO_ENVIRONMENT_SID");
  settings.asset_name = setting(config, "TWILIO_ASSET_NAME", "/extensions.json");
  settings.poll_interval = std::chrono::milliseconds(std::stoll(setting(config, "FLEXCORE_SERVERLESS_BUILD_POLL_MS", "1000")));
  settings.max_polls = std::stoi(setting(config, "FLEXCORE_SERVERLESS_BUILD_POLLS", "300"));
  Status configured = config.require({"TWILIO_SERVICE_SID", "TWILIO_ENVIRONMENT_SID", "ACCOUNT_SID"});
  if (configured && !config.has_account_credentials()) {
    configured = Error{ErrorCode::NotConfigured, "not configured: set AUTH_TOKEN or API_KEY + API_SECRET (see server/README.md)"};
  }
  upstream::BasicAuth credentials = !config.auth_token.empty() ? upstream::BasicAuth{config.account_sid, config.auth_token}
                                                               : upstream::BasicAuth{config.api_key, config.api_secret};
  upstream::ServerlessClient client(app.upstream(), config.urls.serverless, config.urls.serverless_upload,
                                    std::move(credentials));
  return std::make_shared<ServerlessMirror>(std::move(client), std::move(settings), std::move(configured), app.sleeper());
}

}  // namespace flexcore::server::agent_extensions
