#pragma once
/// @file serverless_client.h
/// Twilio Serverless v1 (upstream-contracts.md 3.4, spec twilio_serverless_v1.json) and its upload host
/// serverless-upload.twilio.com: the calls that publish one asset the way the agent-extensions seed does
/// (seed-behaviour 3.3) — latest build, latest deployment, asset lookup/creation, asset version upload
/// (multipart/form-data), build creation, build status, deployment.
///
/// Calls go through the HttpClient it is given — in the product the RetryingClient, so 429/503 and network
/// failures are retried per seed-behaviour 6. Wire format: form-encoded bodies with repeated keys for arrays
/// (`AssetVersions=ZN1&AssetVersions=ZN2`), `Dependencies` as one JSON string field, Basic auth with the
/// account credentials, JSON answers. Errors are upstream_error() (upstream/twilio_error.h) of the failed call.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "flexcore/result.h"
#include "upstream/http_client.h"

namespace flexcore::server::upstream {

/// The service name used in error messages ("Twilio Serverless answered HTTP 404 …").
inline constexpr std::string_view kServerlessService = "Twilio Serverless";

/// One asset or function version of a build (`asset_versions[]` / `function_versions[]` objects).
struct ServerlessVersion {
  std::string sid;         ///< ZN…
  std::string owner_sid;   ///< asset_sid / function_sid (ZH…)
  std::string path;        ///< "/extensions.json"
  std::string visibility;  ///< public | protected | private
};

/// A build as Serverless returns it (fetch, list or create).
struct ServerlessBuild {
  std::string sid;     ///< ZB…
  std::string status;  ///< building | completed | failed
  std::vector<ServerlessVersion> asset_versions;
  std::vector<ServerlessVersion> function_versions;
  nlohmann::json dependencies = nlohmann::json::array();  ///< [{"name","version"}]
  std::string runtime;                                    ///< "node18"… ("" when absent)
};

/// A Serverless client for one account. Thread-safe when `client` is.
class ServerlessClient {
 public:
  /// `client`: the (retrying) upstream client, must outlive this object; `base_url`: e.g.
  /// "https://serverless.twilio.com" (FLEXCORE_SERVERLESS_URL); `upload_url`: e.g.
  /// "https://serverless-upload.twilio.com" (FLEXCORE_SERVERLESS_UPLOAD_URL); both without trailing
  /// slash; `credentials`: Account SID + Auth Token or API Key + secret (never logged).
  ServerlessClient(HttpClient& client, std::string base_url, std::string upload_url, BasicAuth credentials);

  /// The newest build: `GET /v1/Services/{service}/Builds?PageSize=1` (lists are newest first);
  /// nullopt when the service has no build. Errors: upstream_error(); UpstreamError for a body that
  /// is not a `builds` page.
  Result<std::optional<ServerlessBuild>> latest_build(std::string_view service);

  /// The build SID of the newest deployment of `environment`:
  /// `GET /v1/Services/{service}/Environments/{environment}/Deployments?PageSize=1`; nullopt when none.
  Result<std::optional<std::string>> latest_deployment_build(std::string_view service, std::string_view environment);

  /// The SID (ZH…) of the asset whose friendly name is `friendly_name` (every page of
  /// `GET …/Assets`), or nullopt.
  Result<std::optional<std::string>> find_asset(std::string_view service, std::string_view friendly_name);

  /// Create Asset `POST …/Assets` `FriendlyName` (≤ 255 characters) → the new ZH… SID.
  Result<std::string> create_asset(std::string_view service, std::string_view friendly_name);

  /// Create Asset Version on the upload host: `POST {upload}/v1/Services/{service}/Assets/{asset}/Versions`,
  /// multipart/form-data parts `Path`, `Visibility`, `Content` (a file part named after the path's last
  /// segment, with `content_type`) → the version (ZN…). Errors: upstream_error(); UpstreamError when the
  /// answer has no `sid` (the seed's "Missing new version SID in response").
  Result<ServerlessVersion> upload_asset_version(std::string_view service, std::string_view asset_sid,
                                                 std::string_view path, std::string_view visibility,
                                                 std::string_view content, std::string_view content_type);

  /// Create Build `POST …/Builds` with `AssetVersions` and `FunctionVersions` repeated per SID and
  /// `Dependencies` (JSON text of the array; not sent when null). No `Runtime` (as the seed).
  Result<ServerlessBuild> create_build(std::string_view service, const std::vector<std::string>& asset_versions,
                                       const std::vector<std::string>& function_versions,
                                       const nlohmann::json& dependencies);

  /// Build status `GET …/Builds/{build}/Status` → "building" | "completed" | "failed".
  Result<std::string> build_status(std::string_view service, std::string_view build_sid);

  /// Create Deployment `POST …/Environments/{environment}/Deployments` `BuildSid` → the ZD… SID.
  Result<std::string> create_deployment(std::string_view service, std::string_view environment,
                                        std::string_view build_sid);

 private:
  Result<nlohmann::json> call(Request request, std::string_view what);
  Request base_request(std::string method, std::string url) const;

  HttpClient& client_;
  std::string base_url_;
  std::string upload_url_;
  BasicAuth credentials_;
};

/// Parses a build object (create/fetch/list item). Errors: UpstreamError naming the missing field.
Result<ServerlessBuild> parse_serverless_build(const nlohmann::json& build);

/// A multipart/form-data body: `fields` as plain parts, then one file part `file_field` named
/// `filename` with `content_type`. `boundary` must not occur in any value (the caller picks a random one).
std::string multipart_body(const std::vector<Header>& fields, std::string_view file_field, std::string_view filename,
                           std::string_view content_type, std::string_view content, std::string_view boundary);

}  // namespace flexcore::server::upstream
