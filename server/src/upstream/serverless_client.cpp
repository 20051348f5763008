#include "upstream/serverless_client.h"

#include <utility>

#include "upstream/twilio_error.h"

namespace flexcore::server::upstream {

namespace {

bool success(const Response& response) {
  return response.answered() && response.status >= 200 && response.status < 300;
}

Error bad_answer(std::string_view what, std::string_view problem) {
  return Error{ErrorCode::UpstreamError,
               std::string(kServerlessService) + " answered " + std::string(what) + " " + std::string(problem)};
}

std::string text_of(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<std::vector<ServerlessVersion>> parse_versions(const nlohmann::json& build, const char* key, const char* owner_key) {
  std::vector<ServerlessVersion> out;
  const auto it = build.find(key);
  if (it == build.end() || it->is_null()) return out;
  if (!it->is_array()) return bad_answer("a build", std::string("whose ") + key + " is not an array");
  for (const auto& item : *it) {
    ServerlessVersion version;
    if (item.is_string()) {
      version.sid = item.get<std::string>();  // the create answer of some API versions lists bare SIDs
    } else if (item.is_object()) {
      version.sid = text_of(item, "sid");
      version.owner_sid = text_of(item, owner_key);
      version.path = text_of(item, "path");
      version.visibility = text_of(item, "visibility");
    }
    if (version.sid.empty()) return bad_answer("a build", std::string("with an entry of ") + key + " without sid");
    out.push_back(std::move(version));
  }
  return out;
}

// The boundary: a fixed prefix plus a counter, lengthened until it occurs in no value.
std::string pick_boundary(const std::vector<Header>& fields, std::string_view content) {
  for (unsigned n = 0;; ++n) {
    std::string boundary = "flexcore-boundary-" + std::to_string(n) + "-7d1f3a";
    bool clash = content.find(boundary) != std::string_view::npos;
    for (const auto& [name, value] : fields) clash = clash || value.find(boundary) != std::string::npos || name.find(boundary) != std::string::npos;
    if (!clash) return boundary;
  }
}

}  // namespace

std::string multipart_body(const std::vector<Header>& fields, std::string_view file_field, std::string_view filename,
                           std::string_view content_type, std::string_view content, std::string_view boundary) {
  std::string body;
  for (const auto& [name, value] : fields) {
    body += "--" + std::string(boundary) + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
  }
  body += "--" + std::string(boundary) + "\r\nContent-Disposition: form-data; name=\"" + std::string(file_field) +
          "\"; filename=\"" + std::string(filename) + "\"\r\nContent-Type: " + std::string(content_type) + "\r\n\r\n";
  body += content;
  body += "\r\n--" + std::string(boundary) + "--\r\n";
  return body;
}

Result<ServerlessBuild> parse_serverless_build(const nlohmann::json& build) {
  if (!build.is_object()) return bad_answer("a build", "that is not a JSON object");
  ServerlessBuild out;
  out.sid = text_of(build, "sid");
  if (out.sid.empty()) return bad_answer("a build", "without sid");
  out.status = text_of(build, "status");
  out.runtime = text_of(build, "runtime");
  auto assets = parse_versions(build, "asset_versions", "asset_sid");
  if (!assets) return assets.error();
  out.asset_versions = std::move(assets).value();
  auto functions = parse_versions(build, "function_versions", "function_sid");
  if (!functions) return functions.error();
  out.function_versions = std::move(functions).value();
  const auto dependencies = build.find("dependencies");
  if (dependencies != build.end() && dependencies->is_array()) out.dependencies = *dependencies;
  return out;
}

ServerlessClient::ServerlessClient(HttpClient& client, std::string base_url, std::string upload_url, BasicAuth credentials)
    : client_(client), base_url_(std::move(base_url)), upload_url_(std::move(upload_url)), credentials_(std::move(credentials)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  while (!upload_url_.empty() && upload_url_.back() == '/') upload_url_.pop_back();
}

Request ServerlessClient::base_request(std::string method, std::string url) const {
  Request request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.basic_auth = credentials_;
  return request;
}

Result<nlohmann::json> ServerlessClient::call(Request request, std::string_view what) {
  const Response response = client_.send(request);
  if (!success(response)) return upstream_error(response, kServerlessService);
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return bad_answer(what, "with a body that is not a JSON object");
  return body;
}

Result<std::optional<ServerlessBuild>> ServerlessClient::latest_build(std::string_view service) {
  auto page = call(base_request("GET", base_url_ + "/v1/Services/" + url_encode(service) + "/Builds?PageSize=1"), "the build list");
  if (!page) return page.error();
  const auto builds = page.value().find("builds");
  if (builds == page.value().end() || !builds->is_array()) return bad_answer("the build list", "without a builds array");
  if (builds->empty()) return std::optional<ServerlessBuild>();
  auto build = parse_serverless_build(builds->front());
  if (!build) return build.error();
  return std::optional<ServerlessBuild>(std::move(build).value());
}

Result<std::optional<std::string>> ServerlessClient::latest_deployment_build(std::string_view service,
                                                                              std::string_view environment) {
  auto page = call(base_request("GET", base_url_ + "/v1/Services/" + url_encode(service) + "/Environments/" +
                                           url_encode(environment) + "/Deployments?PageSize=1"),
                   "the deployment list");
  if (!page) return page.error();
  const auto deployments = page.value().find("deployments");
  if (deployments == page.value().end() || !deployments->is_array()) {
    return bad_answer("the deployment list", "without a deployments array");
  }
  if (deployments->empty()) return std::optional<std::string>();
  const std::string build_sid = deployments->front().is_object() ? text_of(deployments->front(), "build_sid") : "";
  if (build_sid.empty()) return bad_answer("a deployment", "without build_sid");
  return std::optional<std::string>(build_sid);
}

Result<std::optional<std::string>> ServerlessClient::find_asset(std::string_view service, std::string_view friendly_name) {
  std::string url = base_url_ + "/v1/Services/" + url_encode(service) + "/Assets?PageSize=1000";
  for (int pages = 0; pages < 1000 && !url.empty(); ++pages) {
    auto page = call(base_request("GET", url), "the asset list");
    if (!page) return page.error();
    const auto assets = page.value().find("assets");
    if (assets == page.value().end() || !assets->is_array()) return bad_answer("the asset list", "without an assets array");
    for (const auto& asset : *assets) {
      if (asset.is_object() && text_of(asset, "friendly_name") == friendly_name && !text_of(asset, "sid").empty()) {
        return std::optional<std::string>(text_of(asset, "sid"));
      }
    }
    url.clear();
    const auto meta = page.value().find("meta");
    if (meta != page.value().end() && meta->is_object()) url = text_of(*meta, "next_page_url");
  }
  return std::optional<std::string>();
}

Result<std::string> ServerlessClient::create_asset(std::string_view service, std::string_view friendly_name) {
  Request request = base_request("POST", base_url_ + "/v1/Services/" + url_encode(service) + "/Assets");
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.body = form_encode({{"FriendlyName", std::string(friendly_name)}});
  auto asset = call(std::move(request), "the asset creation");
  if (!asset) return asset.error();
  std::string sid = text_of(asset.value(), "sid");
  if (sid.empty()) return bad_answer("the asset creation", "without sid");
  return sid;
}

Result<ServerlessVersion> ServerlessClient::upload_asset_version(std::string_view service, std::string_view asset_sid,
                                                                 std::string_view path, std::string_view visibility,
                                                                 std::string_view content, std::string_view content_type) {
  const std::vector<Header> fields{{"Path", std::string(path)}, {"Visibility", std::string(visibility)}};
  const std::string boundary = pick_boundary(fields, content);
  std::string filename(path.substr(path.find_last_of('/') == std::string_view::npos ? 0 : path.find_last_of('/') + 1));
  if (filename.empty()) filename = "asset";
  Request request = base_request("POST", upload_url_ + "/v1/Services/" + url_encode(service) + "/Assets/" +
                                             url_encode(asset_sid) + "/Versions");
  request.headers.emplace_back("Content-Type", "multipart/form-data; boundary=" + boundary);
  request.body = multipart_body(fields, "Content", filename, content_type, content, boundary);
  auto version = call(std::move(request), "the asset version upload");
  if (!version) return version.error();
  ServerlessVersion out{text_of(version.value(), "sid"), text_of(version.value(), "asset_sid"),
                        text_of(version.value(), "path"), text_of(version.value(), "visibility")};
  if (out.sid.empty()) return bad_answer("the asset version upload", "without sid (Missing new version SID in response)");
  if (out.owner_sid.empty()) out.owner_sid = std::string(asset_sid);
  if (out.path.empty()) out.path = std::string(path);
  return out;
}

Result<ServerlessBuild> ServerlessClient::create_build(std::string_view service, const std::vector<std::string>& asset_versions,
                                                       const std::vector<std::string>& function_versions,
                                                       const nlohmann::json& dependencies) {
  std::vector<Header> params;
  for (const auto& sid : asset_versions) params.emplace_back("AssetVersions", sid);
  for (const auto& sid : function_versions) params.emplace_back("FunctionVersions", sid);
  if (!dependencies.is_null()) params.emplace_back("Dependencies", dependencies.dump());
  Request request = base_request("POST", base_url_ + "/v1/Services/" + url_encode(service) + "/Builds");
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.body = form_encode(params);
  auto build = call(std::move(request), "the build creation");
  if (!build) return build.error();
  return parse_serverless_build(build.value());
}

Result<std::string> ServerlessClient::build_status(std::string_view service, std::string_view build_sid) {
  auto status = call(base_request("GET", base_url_ + "/v1/Services/" + url_encode(service) + "/Builds/" +
                                             url_encode(build_sid) + "/Status"),
                     "the build status");
  if (!status) return status.error();
  std::string value = text_of(status.value(), "status");
  if (value.empty()) return bad_answer("the build status", "without status");
  return value;
}

Result<std::string> ServerlessClient::create_deployment(std::string_view service, std::string_view environment,
                                                        std::string_view build_sid) {
  Request request = base_request("POST", base_url_ + "/v1/Services/" + url_encode(service) + "/Environments/" +
                                             url_encode(environment) + "/Deployments");
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.body = form_encode({{"BuildSid", std::string(build_sid)}});
  auto deployment = call(std::move(request), "the deployment");
  if (!deployment) return deployment.error();
  std::string sid = text_of(deployment.value(), "sid");
  if (sid.empty()) return bad_answer("the deployment", "without sid");
  return sid;
}

}  // namespace flexcore::server::upstream
