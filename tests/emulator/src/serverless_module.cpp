#include "serverless_module.h"

#include "http_util.h"
#include "taskrouter_module.h"  // iso8601_seconds
#include "twilio_error.h"

#include <algorithm>
#include <set>

namespace flexcore::emulator {
namespace {

using Clock = std::chrono::system_clock;

constexpr std::string_view kPublicBase = "https://serverless.twilio.com/v1";
constexpr std::string_view kUploadBase = "https://serverless-upload.twilio.com/v1";
constexpr std::string_view kMountPrefix = "/serverless";
constexpr int kMaxPageSize = 1000;
constexpr std::size_t kMaxFriendlyName = 255;
constexpr std::size_t kMaxContent = 10 * 1024 * 1024;  // Twilio's asset limit is 10 MB per file

std::optional<std::string> value_of(const Params& params, const std::string& name) {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::vector<std::string> values_of(const Params& params, const std::string& name) {
  std::vector<std::string> values;
  for (const auto& [key, value] : params) {
    if (key == name) values.push_back(value);
  }
  return values;
}

std::optional<long long> parse_count(const std::string& text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

void invalid_parameter(httplib::Response& res, const std::string& name, const std::string& message) {
  send_twilio_error(res, 400, 20001, message, nlohmann::json{{"parameter", name}});
}

void not_found(httplib::Response& res, const std::string& path) {
  send_twilio_error(res, 404, 20404, not_found_message(path));
}

// The v1 paging envelope (upstream-contracts 0.4), URLs pointing back at the emulator.
void send_page(const UpstreamRequest& request, httplib::Response& res, const std::string& key,
               const std::vector<nlohmann::json>& items) {
  long long page_size = 50;
  long long page = 0;
  if (const auto value = value_of(request.query, "PageSize")) {
    const auto parsed = parse_count(*value);
    if (!parsed || *parsed < 1 || *parsed > kMaxPageSize) {
      invalid_parameter(res, "PageSize", "Invalid parameter: PageSize must be an integer from 1 to 1000");
      return;
    }
    page_size = *parsed;
  }
  if (const auto value = value_of(request.query, "Page")) {
    const auto parsed = parse_count(*value);
    if (!parsed) {
      invalid_parameter(res, "Page", "Invalid parameter: Page must be a non-negative integer");
      return;
    }
    page = *parsed;
  }
  const std::string base = "http://" + request.http.get_header_value("Host") + std::string(kMountPrefix) + request.path;
  const auto url_for = [&](long long p) {
    Params params{{"PageSize", std::to_string(page_size)}, {"Page", std::to_string(p)}};
    if (p > 0) params.emplace_back("PageToken", "PT" + std::to_string(p));
    return base + "?" + encode_form(params);
  };
  const auto total = static_cast<long long>(items.size());
  nlohmann::json list = nlohmann::json::array();
  const long long first = page * page_size;
  for (long long i = first; i < total && i < first + page_size; ++i) list.push_back(items[static_cast<std::size_t>(i)]);
  nlohmann::json meta{{"page", page},
                      {"page_size", page_size},
                      {"first_page_url", url_for(0)},
                      {"previous_page_url", page > 0 ? nlohmann::json(url_for(page - 1)) : nlohmann::json(nullptr)},
                      {"url", url_for(page)},
                      {"next_page_url", first + page_size < total ? nlohmann::json(url_for(page + 1)) : nlohmann::json(nullptr)},
                      {"key", key}};
  send_json(res, 200, nlohmann::json{{key, list}, {"meta", meta}});
}

bool valid_visibility(const std::string& visibility) {
  return visibility == "public" || visibility == "protected" || visibility == "private";
}

// A Serverless path: a leading '/' is added when missing (upstream-contracts 3.4 step 2).
std::string normalise_path(std::string path) {
  if (path.empty() || path.front() != '/') path.insert(path.begin(), '/');
  return path;
}

// `Dependencies`: a JSON array of {"name","version"}; twilio-run wraps the JSON in extra double quotes.
std::optional<nlohmann::json> parse_dependencies(const std::string& text, std::string& problem) {
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_discarded() && parsed.is_string()) parsed = nlohmann::json::parse(parsed.get<std::string>(), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_array()) {
    problem = "Dependencies must be a JSON array of {\"name\",\"version\"}";
    return std::nullopt;
  }
  for (const auto& dependency : parsed) {
    if (!dependency.is_object() || !dependency.contains("name") || !dependency["name"].is_string() ||
        !dependency.contains("version") || !dependency["version"].is_string()) {
      problem = "Dependencies must be a JSON array of {\"name\",\"version\"} strings";
      return std::nullopt;
    }
  }
  return parsed;
}

}  // namespace

ServerlessModule::ServerlessModule(ModuleContext context) : context_(context) {}

void ServerlessModule::register_routes(Router& upstream, ControlApi& control) {
  upstream.add_family("serverless", {std::string(kMountPrefix)}, "serverless");
  upstream.add_family("serverless-upload", {"/serverless-upload"});
  const auto authed = [this](auto body) {
    return [this, body](const UpstreamRequest& request, httplib::Response& res) {
      if (!require_twilio_basic_auth(request.http, res, context_.config.credentials)) return;
      body(request, res);
    };
  };
  const auto route = [&](const std::string& method, const std::string& path, Handler handler) {
    upstream.add_route("serverless", method, path,
                       authed([this, handler](const UpstreamRequest& r, httplib::Response& res) { (this->*handler)(r, res); }));
  };
  const auto kind_route = [&](const std::string& method, const std::string& path,
                              void (ServerlessModule::*handler)(const UpstreamRequest&, httplib::Response&, bool),
                              bool is_function) {
    upstream.add_route("serverless", method, path,
                       authed([this, handler, is_function](const UpstreamRequest& r, httplib::Response& res) {
                         (this->*handler)(r, res, is_function);
                       }));
  };
  route("POST", "/v1/Services", &ServerlessModule::create_service);
  route("GET", "/v1/Services", &ServerlessModule::list_services);
  route("GET", "/v1/Services/{Sid}", &ServerlessModule::fetch_service);
  kind_route("POST", "/v1/Services/{ServiceSid}/Assets", &ServerlessModule::create_resource, false);
  kind_route("GET", "/v1/Services/{ServiceSid}/Assets", &ServerlessModule::list_resources, false);
  kind_route("GET", "/v1/Services/{ServiceSid}/Assets/{Sid}", &ServerlessModule::fetch_resource, false);
  kind_route("GET", "/v1/Services/{ServiceSid}/Assets/{AssetSid}/Versions", &ServerlessModule::list_versions, false);
  kind_route("GET", "/v1/Services/{ServiceSid}/Assets/{AssetSid}/Versions/{Sid}", &ServerlessModule::fetch_version, false);
  kind_route("POST", "/v1/Services/{ServiceSid}/Functions", &ServerlessModule::create_resource, true);
  kind_route("GET", "/v1/Services/{ServiceSid}/Functions", &ServerlessModule::list_resources, true);
  kind_route("GET", "/v1/Services/{ServiceSid}/Functions/{Sid}", &ServerlessModule::fetch_resource, true);
  kind_route("GET", "/v1/Services/{ServiceSid}/Functions/{FunctionSid}/Versions", &ServerlessModule::list_versions, true);
  kind_route("GET", "/v1/Services/{ServiceSid}/Functions/{FunctionSid}/Versions/{Sid}", &ServerlessModule::fetch_version,
             true);
  route("GET", "/v1/Services/{ServiceSid}/Functions/{FunctionSid}/Versions/{Sid}/Content",
        &ServerlessModule::fetch_function_content);
  route("POST", "/v1/Services/{ServiceSid}/Builds", &ServerlessModule::create_build);
  route("GET", "/v1/Services/{ServiceSid}/Builds", &ServerlessModule::list_builds);
  route("GET", "/v1/Services/{ServiceSid}/Builds/{Sid}", &ServerlessModule::fetch_build);
  route("GET", "/v1/Services/{ServiceSid}/Builds/{Sid}/Status", &ServerlessModule::fetch_build_status);
  route("POST", "/v1/Services/{ServiceSid}/Environments", &ServerlessModule::create_environment);
  route("GET", "/v1/Services/{ServiceSid}/Environments", &ServerlessModule::list_environments);
  route("GET", "/v1/Services/{ServiceSid}/Environments/{Sid}", &ServerlessModule::fetch_environment);
  route("POST", "/v1/Services/{ServiceSid}/Environments/{EnvironmentSid}/Deployments", &ServerlessModule::create_deployment);
  route("GET", "/v1/Services/{ServiceSid}/Environments/{EnvironmentSid}/Deployments", &ServerlessModule::list_deployments);
  route("GET", "/v1/Services/{ServiceSid}/Environments/{EnvironmentSid}/Deployments/{Sid}",
        &ServerlessModule::fetch_deployment);

  for (const bool is_function : {false, true}) {
    const std::string path = is_function ? "/v1/Services/{ServiceSid}/Functions/{FunctionSid}/Versions"
                                         : "/v1/Services/{ServiceSid}/Assets/{AssetSid}/Versions";
    upstream.add_route("serverless-upload", "POST", path,
                       authed([this, is_function](const UpstreamRequest& r, httplib::Response& res) {
                         upload_version(r, res, is_function);
                       }));
  }

  control.add("POST", "/serverless/services",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams&) { seed_service(req, res); });
  control.add("GET", "/serverless/services/{ServiceSid}/environments/{Environment}/live",
              [this](const httplib::Request&, httplib::Response& res, const PathParams& params) { live(res, params); });
  control.add("GET", "/serverless/asset-versions/{Sid}",
              [this](const httplib::Request&, httplib::Response& res, const PathParams& params) {
                asset_version_content(res, params);
              });
  control.add("POST", "/serverless/settings",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams&) { settings(req, res); });
  control.add("GET", "/serverless/state",
              [this](const httplib::Request&, httplib::Response& res, const PathParams&) { state(res); });
}

void ServerlessModule::reset() {
  std::lock_guard lock(mutex_);
  services_.clear();
  build_polls_ = 1;
  fail_builds_ = 0;
}

// ---------------------------------------------------------------------------------------------- JSON

nlohmann::json ServerlessModule::service_json(const Service& service) const {
  const std::string url = std::string(kPublicBase) + "/Services/" + service.sid;
  return nlohmann::json{{"sid", service.sid},
                        {"account_sid", context_.config.credentials.account_sid},
                        {"friendly_name", service.friendly_name},
                        {"unique_name", service.unique_name},
                        {"include_credentials", true},
                        {"ui_editable", false},
                        {"domain_base", service.unique_name + "-1234"},
                        {"date_created", iso8601_seconds(service.created)},
                        {"date_updated", iso8601_seconds(service.created)},
                        {"url", url},
                        {"links",
                         {{"functions", url + "/Functions"},
                          {"assets", url + "/Assets"},
                          {"environments", url + "/Environments"},
                          {"builds", url + "/Builds"}}}};
}

nlohmann::json ServerlessModule::resource_json(const Service& service, const Resource& resource) const {
  const std::string kind = resource.is_function ? "Functions" : "Assets";
  const std::string url = std::string(kPublicBase) + "/Services/" + service.sid + "/" + kind + "/" + resource.sid;
  return nlohmann::json{{"sid", resource.sid},
                        {"account_sid", context_.config.credentials.account_sid},
                        {"service_sid", service.sid},
                        {"friendly_name", resource.friendly_name},
                        {"date_created", iso8601_seconds(resource.created)},
                        {"date_updated", iso8601_seconds(resource.created)},
                        {"url", url},
                        {"links", {{resource.is_function ? "function_versions" : "asset_versions", url + "/Versions"}}}};
}

nlohmann::json ServerlessModule::version_json(const Service& service, const Version& version) const {
  const std::string kind = version.is_function ? "Functions" : "Assets";
  const std::string url =
      std::string(kPublicBase) + "/Services/" + service.sid + "/" + kind + "/" + version.owner_sid + "/Versions/" + version.sid;
  nlohmann::json body{{"sid", version.sid},
                      {"account_sid", context_.config.credentials.account_sid},
                      {"service_sid", service.sid},
                      {version.is_function ? "function_sid" : "asset_sid", version.owner_sid},
                      {"path", version.path},
                      {"visibility", version.visibility},
                      {"date_created", iso8601_seconds(version.created)},
                      {"url", url}};
  if (version.is_function) body["links"] = {{"function_version_content", url + "/Content"}};
  return body;
}

nlohmann::json ServerlessModule::build_json(const Service& service, const Build& build) const {
  const std::string url = std::string(kPublicBase) + "/Services/" + service.sid + "/Builds/" + build.sid;
  const auto versions = [&](const std::vector<std::string>& sids) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& sid : sids) {
      const auto it = service.versions.find(sid);
      if (it != service.versions.end()) list.push_back(version_json(service, it->second));
    }
    return list;
  };
  return nlohmann::json{{"sid", build.sid},
                        {"account_sid", context_.config.credentials.account_sid},
                        {"service_sid", service.sid},
                        {"status", build.status},
                        {"asset_versions", versions(build.asset_versions)},
                        {"function_versions", versions(build.function_versions)},
                        {"dependencies", build.dependencies},
                        {"runtime", build.runtime},
                        {"date_created", iso8601_seconds(build.created)},
                        {"date_updated", iso8601_seconds(build.created)},
                        {"url", url},
                        {"links", {{"build_status", url + "/Status"}}}};
}

nlohmann::json ServerlessModule::environment_json(const Service& service, const Environment& environment) const {
  const std::string url = std::string(kPublicBase) + "/Services/" + service.sid + "/Environments/" + environment.sid;
  const std::string domain_name =
      service.unique_name + "-1234" + (environment.domain_suffix.empty() ? "" : "-" + environment.domain_suffix) + ".twil.io";
  return nlohmann::json{
      {"sid", environment.sid},
      {"account_sid", context_.config.credentials.account_sid},
      {"service_sid", service.sid},
      {"build_sid", environment.build_sid.empty() ? nlohmann::json(nullptr) : nlohmann::json(environment.build_sid)},
      {"unique_name", environment.unique_name},
      {"domain_suffix", environment.domain_suffix.empty() ? nlohmann::json(nullptr) : nlohmann::json(environment.domain_suffix)},
      {"domain_name", domain_name},
      {"date_created", iso8601_seconds(environment.created)},
      {"date_updated", iso8601_seconds(environment.created)},
      {"url", url},
      {"links", {{"variables", url + "/Variables"}, {"deployments", url + "/Deployments"}, {"logs", url + "/Logs"}}}};
}

nlohmann::json ServerlessModule::deployment_json(const Service& service, const Deployment& deployment) const {
  return nlohmann::json{{"sid", deployment.sid},
                        {"account_sid", context_.config.credentials.account_sid},
                        {"service_sid", service.sid},
                        {"environment_sid", deployment.environment_sid},
                        {"build_sid", deployment.build_sid},
                        {"date_created", iso8601_seconds(deployment.created)},
                        {"date_updated", iso8601_seconds(deployment.created)},
                        {"url", std::string(kPublicBase) + "/Services/" + service.sid + "/Environments/" +
                                    deployment.environment_sid + "/Deployments/" + deployment.sid}};
}

// ------------------------------------------------------------------------------------------ helpers

ServerlessModule::Service* ServerlessModule::find_service(const std::string& sid_or_name) {
  const auto it = services_.find(sid_or_name);
  if (it != services_.end()) return &it->second;
  for (auto& [sid, service] : services_) {
    (void)sid;
    if (service.unique_name == sid_or_name) return &service;
  }
  return nullptr;
}

ServerlessModule::Environment* ServerlessModule::find_environment(Service& service, const std::string& sid_or_name) {
  for (auto& environment : service.environments) {
    if (environment.sid == sid_or_name || environment.unique_name == sid_or_name) return &environment;
  }
  return nullptr;
}

ServerlessModule::Build* ServerlessModule::find_build(Service& service, const std::string& sid) {
  for (auto& build : service.builds) {
    if (build.sid == sid) return &build;
  }
  return nullptr;
}

ServerlessModule::Build& ServerlessModule::add_build(Service& service, Build build) {
  service.builds.push_back(std::move(build));
  return service.builds.back();
}

void ServerlessModule::advance(Build& build) {
  if (build.status != "building") return;
  if (build.polls_left > 0) {
    --build.polls_left;
    return;
  }
  build.status = build.will_fail ? "failed" : "completed";
}

// ----------------------------------------------------------------------------------------- upstream

void ServerlessModule::create_service(const UpstreamRequest& request, httplib::Response& res) {
  const std::string unique_name = value_of(request.form, "UniqueName").value_or("");
  const std::string friendly_name = value_of(request.form, "FriendlyName").value_or("");
  if (unique_name.empty() || unique_name.size() > 50) {
    return invalid_parameter(res, "UniqueName", "UniqueName must be 1 to 50 characters");
  }
  if (friendly_name.empty() || friendly_name.size() > kMaxFriendlyName) {
    return invalid_parameter(res, "FriendlyName", "FriendlyName must be 1 to 255 characters");
  }
  std::lock_guard lock(mutex_);
  if (find_service(unique_name) != nullptr) {
    return send_twilio_error(res, 409, 20001, "Service with UniqueName " + unique_name + " already exists");
  }
  Service service{random_sid("ZS"), unique_name, friendly_name, Clock::now(), {}, {}, {}, {}, {}};
  const auto [it, inserted] = services_.emplace(service.sid, std::move(service));
  (void)inserted;
  send_json(res, 201, service_json(it->second));
}

void ServerlessModule::list_services(const UpstreamRequest& request, httplib::Response& res) {
  std::vector<const Service*> ordered;
  std::lock_guard lock(mutex_);
  for (const auto& [sid, service] : services_) {
    (void)sid;
    ordered.push_back(&service);
  }
  std::sort(ordered.begin(), ordered.end(), [](const Service* a, const Service* b) { return a->created < b->created; });
  std::vector<nlohmann::json> items;
  for (const auto* service : ordered) items.push_back(service_json(*service));
  send_page(request, res, "services", items);
}

void ServerlessModule::fetch_service(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  const Service* service = find_service(request.params.at("Sid"));
  if (service == nullptr) return not_found(res, request.path);
  send_json(res, 200, service_json(*service));
}

void ServerlessModule::create_resource(const UpstreamRequest& request, httplib::Response& res, bool is_function) {
  const std::string friendly_name = value_of(request.form, "FriendlyName").value_or("");
  if (friendly_name.empty() || friendly_name.size() > kMaxFriendlyName) {
    return invalid_parameter(res, "FriendlyName", "FriendlyName must be 1 to 255 characters");
  }
  std::lock_guard lock(mutex_);
  Service* service = find_service(request.params.at("ServiceSid"));
  if (service == nullptr) return not_found(res, request.path);
  Resource resource{random_sid("ZH"), friendly_name, is_function, Clock::now()};
  const auto [it, inserted] = service->resources.emplace(resource.sid, resource);
  (void)inserted;
  send_json(res, 201, resource_json(*service, it->second));
}

void ServerlessModule::list_resources(const UpstreamRequest& request, httplib::Response& res, bool is_function) {
  std::lock_guard lock(mutex_);
  Service* service = find_service(request.params.at("ServiceSid"));
  if (service == nullptr) return not_found(res, request.path);
  std::vector<const Resource*> ordered;
  for (const auto& [sid, resource] : service->resources) {
    (void)sid;
    if (resource.is_function == is_function) ordered.push_back(&resource);
  }
  std::sort(ordered.begin(), ordered.end(), [](const Resource* a, const Resource* b) { return a->created < b->created; });
  std::vector<nlohmann::json> items;
  for (const auto* resource : ordered) items.push_back(resource_json(*service, *resource));
  send_page(request, res, is_function ? "functions" : "assets", items);
}

void ServerlessModule::fetch_resource(const UpstreamRequest& request, httplib::Response& res, bool is_function) {
  std::lock_guard lock(mutex_);
  Service* service = find_service(request.params.at("ServiceSid"));
  if (service == nullptr) return not_found(res, request.path);
  const auto it = service->resources.find(request.params.at("Sid"));
  if (it == service->resources.end() || it->second.is_function != is_function) return not_found(res, request.path);
  send_json(res, 200, resource_json(*service, it->second));
}

void ServerlessModule::list_versions(const UpstreamRequest& request, httplib::Response& res, bool is_function) {
  std::lock_guard lock(mutex_);
  Service* service = find_service(request.params.at("ServiceSid"));
  if (service == nullptr) return not_found(res, request.path);
  const std::string owner = request.params.at(is_function ? "FunctionSid" : "AssetSid");
  const auto owner_it = service->resources.find(owner);
  if (owner_it == service->resources.end() || owner_it->second.is_function != is_function) return not_found(res, request.path);
  std::vector<const Version*> ordered;
  for (const auto& [sid, version] : service->versions) {
    (void)sid;
    if (version.owner_sid == owner) ordered.push_back(&version);
  }
  std::sort(ordered.begin(), ordered.end(), [](const Version* a, const Version* b) { return a->created > b->created; });
  std::vector<nlohmann::json> items;
  for (const auto* version : ordered) items.push_back(version_json(*service, *version));
  send_page(request, res, is_function ? "function_versions" : "asset_versions", items);
}

void ServerlessModule::fetch_version(const UpstreamRequest& request, httplib::Response& res, bool is_function) {
  std::lock_guard lock(mutex_);
  Service* service = find_service(request.params.at("ServiceSid"));
  if (service == nullptr) return not_found(res, request.path);
  const auto it = service->versions.find(request.params.at("Sid"));
  if (it == service->versions.end() || it->second.owner_sid != request.params.at(is_function ? "FunctionSid" : "AssetSid")) {
    return not_found(res, request.path);
  }
  send_json(res, 200, version_json(*service, it->second));
}

void ServerlessModule::fetch_function_content(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  Service* service = find_service(request.params.at("ServiceSid"));
  if (service == nullptr) return not_found(res, request.path);
  const auto it = service->versions.find(request.params.at("Sid"));
  if (it == service->versions.end() || it->second.owner_sid != request.params.at("FunctionSid")) {
    return not_found(res, request.path);
  }
  auto body = version_json(*service, it->second);
  body.erase("path");
  body.erase("visibility");
  body.erase("date_created");
  body.erase("links");
  body["content"] = it->second.content;
  body["url"] = body["url"].get<std::string>() + "/Content";
  send_json(res, 200, body);
}

// POST serverless-upload …/Versions (multipart: Path, Visibility, Content). Not in any spec: checked here.
void ServerlessModule::upload_version(const UpstreamRequest& request, httplib::Response& res, bool is_function) {
  if (!request.http.is_multipart_form_data()) {
    return send_twilio_error(res, 400, 20001,
                             "Content-Type must be multipart/form-data (got " +
                                 (request.content_type.empty() ? std::string("none") : request.content_type) + ")");
  }
  const auto part = [&](const char* name) -> const httplib::MultipartFormData* {
    const auto it = request.http.files.find(name);
    return it == request.http.files.end() ? nullptr : &it->second;
  };
  for (const auto& [name, item] : request.http.files) {
    (void)item;
    if (name != "Path" && name != "Visibility" && name != "Content") {
      return send_twilio_error(res, 400, 20001, "Invalid parameter: " + name, nlohmann::json{{"parameter", name}});
    }
  }
  for (const char* required : {"Path", "Visibility", "Content"}) {
    if (part(required) == nullptr) {
      return send_twilio_error(res, 400, 20001, std::string("Missing required parameter ") + required + " in the post body",
                               nlohmann::json{{"parameter", required}});
    }
  }
  const std::string path = normalise_path(part("Path")->content);
  const std::string visibility = part("Visibility")->content;
  if (path.size() > 255 || path == "/") return invalid_parameter(res, "Path", "Path must be 1 to 255 characters");
  if (!valid_visibility(visibility)) {
    return invalid_parameter(res, "Visibility", "Visibility must be public, protected or private");
  }
  const auto* content = part("Content");
  if (content->content.size() > kMaxContent) return invalid_parameter(res, "Content", "Content exceeds 10 MB");
  std::lock_guard lock(mutex_);
  Service* service = find_service(request.params.at("ServiceSid"));
  if (service == nullptr) return not_found(res, request.path);
  const std::string owner = request.params.at(is_function ? "FunctionSid" : "AssetSid");
  const auto owner_it = service->resources.find(owner);
  if (owner_it == service->resources.end() || owner_it->second.is_function != is_function) {
    return not_found(res, request.path);
  }
  Version version{random_sid("ZN"), owner, path, visibility, content->content,
                  content->content_type.empty() ? "application/octet-stream" : content->content_type, is_function,
                  Clock::now()};
  const auto [it, inserted] = service->versions.emplace(version.sid, std::move(version));
  (void)inserted;
  auto body = version_json(*service, it->second);
  body["url"] = std::string(kUploadBase) + body["url"].get<std::string>().substr(kPublicBase.size());
  send_json(res, 201, body);
}

void ServerlessModule::create_build(const UpstreamRequest& request, httplib::Response& res) {
  Build build;
  build.asset_versions = values_of(request.form, "AssetVersions");
  build.function_versions = values_of(request.form, "FunctionVersions");
  if (const auto runtime = value_of(request.form, "Runtime")) {
    if (runtime->empty()) return invalid_parameter(res, "Runtime", "Runtime must not be empty");
    build.runtime = *runtime;
  }
  if (const auto dependencies = value_of(request.form, "Dependencies")) {
    std::string problem;
    auto parsed = parse_dependencies(*dependencies, problem);
    if (!parsed) return invalid_parameter(res, "Dependencies", problem);
    build.dependencies = std::move(*parsed);
  }
  if (build.asset_versions.empty() && build.function_versions.empty()) {
    return send_twilio_error(res, 400, 20001, "At least one function version or asset version is required.");
  }
  std::lock_guard lock(mutex_);
  Service* service = find_service(request.params.at("ServiceSid"));
  if (service == nullptr) return not_found(res, request.path);
  std::map<std::string, std::string> by_owner;  // owner sid → version sid
  const auto check = [&](const std::vector<std::string>& sids, bool is_function, const char* parameter) {
    for (const auto& sid : sids) {
      const auto it = service->versions.find(sid);
      if (it == service->versions.end() || it->second.is_function != is_function) {
        invalid_parameter(res, parameter, std::string(is_function ? "Function" : "Asset") + " Version " + sid + " not found");
        return false;
      }
      const auto [owner, inserted] = by_owner.emplace(it->second.owner_sid, sid);
      if (!inserted && owner->second != sid) {
        send_twilio_error(res, 400, 20001,
                          std::string("Different ") + (is_function ? "Function" : "Asset") + " Versions for same " +
                              (is_function ? "Function" : "Asset") + ". Conflicting SIDs: " + owner->second + " and " + sid,
                          nlohmann::json{{"parameter", parameter}});
        return false;
      }
    }
    return true;
  };
  if (!check(build.asset_versions, false, "AssetVersions") || !check(build.function_versions, true, "FunctionVersions")) return;
  build.sid = random_sid("ZB");
  build.created = Clock::now();
  build.polls_left = build_polls_;
  if (fail_builds_ > 0) {
    build.will_fail = true;
    --fail_builds_;
  }
  const Build& added = add_build(*service, std::move(build));
  send_json(res, 201, build_json(*service, added));
}

void ServerlessModule::list_builds(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  Service* service = find_service(request.params.at("ServiceSid"));
  if (service == nullptr) return not_found(res, request.path);
  std::vector<nlohmann::json> items;  // newest first (upstream-contracts 0.4)
  for (auto it = service->builds.rbegin(); it != service->builds.rend(); ++it) items.push_back(build_json(*service, *it));
  send_page(request, res, "builds", items);
}

void ServerlessModule::fetch_build(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  Service* service = find_service(request.params.at("ServiceSid"));
  if (service == nullptr) return not_found(res, request.path);
  Build* build = find_build(*service, request.params.at("Sid"));
  if (build == nullptr) return not_found(res, request.path);
  advance(*build);
  send_json(res, 200, build_json(*service, *build));
}

void ServerlessModule::fetch_build_status(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  Service* service = find_service(request.params.at("ServiceSid"));
  if (service == nullptr) return not_found(res, request.path);
  Build* build = find_build(*service, request.params.at("Sid"));
  if (build == nullptr) return not_found(res, request.path);
  advance(*build);
  send_json(res, 200,
            nlohmann::json{{"sid", build->sid},
                           {"account_sid", context_.config.credentials.account_sid},
                           {"service_sid", service->sid},
                           {"status", build->status},
                           {"url", std::string(kPublicBase) + "/Services/" + service->sid + "/Builds/" + build->sid + "/Status"}});
}

void ServerlessModule::create_environment(const UpstreamRequest& request, httplib::Response& res) {
  const std::string unique_name = value_of(request.form, "UniqueName").value_or("");
  if (unique_name.empty() || unique_name.size() > 100) {
    return invalid_parameter(res, "UniqueName", "UniqueName must be 1 to 100 characters");
  }
  std::lock_guard lock(mutex_);
  Service* service = find_service(request.params.at("ServiceSid"));
  if (service == nullptr) return not_found(res, request.path);
  if (find_environment(*service, unique_name) != nullptr) {
    return send_twilio_error(res, 409, 20001, "Environment with UniqueName " + unique_name + " already exists");
  }
  service->environments.push_back(
      Environment{random_sid("ZE"), unique_name, value_of(request.form, "DomainSuffix").value_or(""), "", Clock::now()});
  send_json(res, 201, environment_json(*service, service->environments.back()));
}

void ServerlessModule::list_environments(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  Service* service = find_service(request.params.at("ServiceSid"));
  if (service == nullptr) return not_found(res, request.path);
  std::vector<nlohmann::json> items;
  for (const auto& environment : service->environments) items.push_back(environment_json(*service, environment));
  send_page(request, res, "environments", items);
}

void ServerlessModule::fetch_environment(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  Service* service = find_service(request.params.at("ServiceSid"));
  if (service == nullptr) return not_found(res, request.path);
  const Environment* environment = find_environment(*service, request.params.at("Sid"));
  if (environment == nullptr) return not_found(res, request.path);
  send_json(res, 200, environment_json(*service, *environment));
}

void ServerlessModule::create_deployment(const UpstreamRequest& request, httplib::Response& res) {
  const auto build_sid = value_of(request.form, "BuildSid");
  std::lock_guard lock(mutex_);
  Service* service = find_service(request.params.at("ServiceSid"));
  if (service == nullptr) return not_found(res, request.path);
  Environment* environment = find_environment(*service, request.params.at("EnvironmentSid"));
  if (environment == nullptr) return not_found(res, request.path);
  // Without BuildSid Twilio deploys nothing new (the environment keeps its build); the emulator requires it.
  if (!build_sid || build_sid->empty()) {
    return send_twilio_error(res, 400, 20001, "Missing required parameter BuildSid in the post body",
                             nlohmann::json{{"parameter", "BuildSid"}});
  }
  const Build* build = find_build(*service, *build_sid);
  if (build == nullptr) return invalid_parameter(res, "BuildSid", "Build " + *build_sid + " not found");
  if (build->status != "completed") {
    return send_twilio_error(res, 400, 20001, "Build " + build->sid + " is not completed (status " + build->status + ")",
                             nlohmann::json{{"parameter", "BuildSid"}});
  }
  service->deployments.push_back(Deployment{random_sid("ZD"), environment->sid, build->sid, Clock::now()});
  environment->build_sid = build->sid;
  send_json(res, 201, deployment_json(*service, service->deployments.back()));
}

void ServerlessModule::list_deployments(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  Service* service = find_service(request.params.at("ServiceSid"));
  if (service == nullptr) return not_found(res, request.path);
  const Environment* environment = find_environment(*service, request.params.at("EnvironmentSid"));
  if (environment == nullptr) return not_found(res, request.path);
  std::vector<nlohmann::json> items;  // newest first
  for (auto it = service->deployments.rbegin(); it != service->deployments.rend(); ++it) {
    if (it->environment_sid == environment->sid) items.push_back(deployment_json(*service, *it));
  }
  send_page(request, res, "deployments", items);
}

void ServerlessModule::fetch_deployment(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  Service* service = find_service(request.params.at("ServiceSid"));
  if (service == nullptr) return not_found(res, request.path);
  const Environment* environment = find_environment(*service, request.params.at("EnvironmentSid"));
  if (environment == nullptr) return not_found(res, request.path);
  for (const auto& deployment : service->deployments) {
    if (deployment.sid == request.params.at("Sid") && deployment.environment_sid == environment->sid) {
      return send_json(res, 200, deployment_json(*service, deployment));
    }
  }
  not_found(res, request.path);
}

// ------------------------------------------------------------------------------------------ control

// {"sid"?, "uniqueName", "friendlyName"?, "environment"? (unique name, default "production"),
//  "environmentSid"?, "domainSuffix"?, "functions":[{"path","visibility"?,"content"?}],
//  "assets":[{"path","visibility"?,"content"?,"contentType"?}], "dependencies":[{"name","version"}],
//  "deploy"? (default true)}
void ServerlessModule::seed_service(const httplib::Request& req, httplib::Response& res) {
  const auto body = control_json_body(req, res);
  if (!body) return;
  static const std::set<std::string> kFields = {"sid", "uniqueName", "friendlyName", "environment", "environmentSid",
                                                "domainSuffix", "functions", "assets", "dependencies", "deploy"};
  for (const auto& [key, value] : body->items()) {
    (void)value;
    if (kFields.count(key) == 0) return send_control_error(res, 400, "unknown field: " + key);
  }
  const auto text = [&](const nlohmann::json& object, const char* key, const std::string& fallback) -> std::optional<std::string> {
    if (!object.contains(key)) return fallback;
    if (!object[key].is_string()) return std::nullopt;
    return object[key].get<std::string>();
  };
  const auto unique_name = text(*body, "uniqueName", "");
  if (!unique_name || unique_name->empty()) return send_control_error(res, 400, "uniqueName: a non-empty string is required");
  const auto sid = text(*body, "sid", random_sid("ZS"));
  if (!sid || !is_sid(*sid, "ZS")) return send_control_error(res, 400, "sid: expected ZS + 32 hex digits");
  const auto environment_name = text(*body, "environment", "production");
  if (!environment_name || environment_name->empty()) return send_control_error(res, 400, "environment: a non-empty string");
  const auto environment_sid = text(*body, "environmentSid", random_sid("ZE"));
  if (!environment_sid || !is_sid(*environment_sid, "ZE")) {
    return send_control_error(res, 400, "environmentSid: expected ZE + 32 hex digits");
  }
  const auto domain_suffix = text(*body, "domainSuffix", "");
  if (!domain_suffix) return send_control_error(res, 400, "domainSuffix: expected a string");
  const bool deploy = body->value("deploy", true);
  Service service{*sid, *unique_name, text(*body, "friendlyName", *unique_name).value_or(*unique_name), Clock::now(),
                  {}, {}, {}, {}, {}};
  Build build;
  build.sid = random_sid("ZB");
  build.created = service.created;
  build.status = "completed";
  for (const bool is_function : {true, false}) {
    const char* key = is_function ? "functions" : "assets";
    if (!body->contains(key)) continue;
    if (!(*body)[key].is_array()) return send_control_error(res, 400, std::string(key) + ": expected an array");
    for (const auto& item : (*body)[key]) {
      if (!item.is_object() || !item.contains("path") || !item["path"].is_string() || item["path"].get<std::string>().empty()) {
        return send_control_error(res, 400, std::string(key) + "[].path: a non-empty string is required");
      }
      const auto visibility = text(item, "visibility", is_function ? "protected" : "private");
      if (!visibility || !valid_visibility(*visibility)) {
        return send_control_error(res, 400, std::string(key) + "[].visibility: public, protected or private");
      }
      const auto content = text(item, "content", "");
      const auto content_type = text(item, "contentType", is_function ? "application/javascript" : "application/json");
      if (!content || !content_type) return send_control_error(res, 400, std::string(key) + "[].content: expected a string");
      const std::string path = normalise_path(item["path"].get<std::string>());
      Resource resource{random_sid("ZH"), path, is_function, service.created};
      Version version{random_sid("ZN"), resource.sid, path, *visibility, *content, *content_type, is_function, service.created};
      (is_function ? build.function_versions : build.asset_versions).push_back(version.sid);
      service.resources.emplace(resource.sid, resource);
      service.versions.emplace(version.sid, std::move(version));
    }
  }
  if (body->contains("dependencies")) {
    std::string problem;
    auto dependencies = parse_dependencies((*body)["dependencies"].dump(), problem);
    if (!dependencies) return send_control_error(res, 400, "dependencies: " + problem);
    build.dependencies = std::move(*dependencies);
  }
  Environment environment{*environment_sid, *environment_name, *domain_suffix, "", service.created};
  std::lock_guard lock(mutex_);
  if (find_service(service.sid) != nullptr || find_service(service.unique_name) != nullptr) {
    return send_control_error(res, 409, "service " + service.sid + " / " + service.unique_name + " already exists");
  }
  const bool has_build = !build.asset_versions.empty() || !build.function_versions.empty();
  if (has_build) {
    service.builds.push_back(build);
    if (deploy) {
      environment.build_sid = build.sid;
      service.deployments.push_back(Deployment{random_sid("ZD"), environment.sid, build.sid, service.created});
    }
  }
  service.environments.push_back(environment);
  auto& stored = services_.emplace(service.sid, std::move(service)).first->second;
  nlohmann::json functions = nlohmann::json::array(), assets = nlohmann::json::array();
  for (const auto& [version_sid, version] : stored.versions) {
    (void)version_sid;
    (version.is_function ? functions : assets)
        .push_back({{"path", version.path}, {"sid", version.owner_sid}, {"versionSid", version.sid}, {"visibility", version.visibility}});
  }
  send_json(res, 201,
            nlohmann::json{{"sid", stored.sid},
                           {"uniqueName", stored.unique_name},
                           {"environmentSid", environment.sid},
                           {"buildSid", has_build ? nlohmann::json(stored.builds.back().sid) : nlohmann::json(nullptr)},
                           {"deploymentSid", stored.deployments.empty() ? nlohmann::json(nullptr)
                                                                        : nlohmann::json(stored.deployments.back().sid)},
                           {"functions", functions},
                           {"assets", assets}});
}

void ServerlessModule::live(httplib::Response& res, const PathParams& params) {
  std::lock_guard lock(mutex_);
  Service* service = find_service(params.at("ServiceSid"));
  if (service == nullptr) return send_control_error(res, 404, "no service " + params.at("ServiceSid"));
  Environment* environment = find_environment(*service, params.at("Environment"));
  if (environment == nullptr) return send_control_error(res, 404, "no environment " + params.at("Environment"));
  if (environment->build_sid.empty()) return send_control_error(res, 404, "environment " + environment->sid + " has no deployment");
  const Build* build = find_build(*service, environment->build_sid);
  std::string deployment_sid;
  for (const auto& deployment : service->deployments) {
    if (deployment.environment_sid == environment->sid) deployment_sid = deployment.sid;
  }
  const auto versions = [&](const std::vector<std::string>& sids) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& sid : sids) {
      const auto& version = service->versions.at(sid);
      list.push_back({{"sid", version.sid},
                      {version.is_function ? "functionSid" : "assetSid", version.owner_sid},
                      {"path", version.path},
                      {"visibility", version.visibility},
                      {"contentType", version.content_type},
                      {"content", version.content}});
    }
    return list;
  };
  send_json(res, 200,
            nlohmann::json{{"serviceSid", service->sid},
                           {"environmentSid", environment->sid},
                           {"buildSid", build->sid},
                           {"deploymentSid", deployment_sid},
                           {"dependencies", build->dependencies},
                           {"assets", versions(build->asset_versions)},
                           {"functions", versions(build->function_versions)}});
}

void ServerlessModule::asset_version_content(httplib::Response& res, const PathParams& params) {
  std::lock_guard lock(mutex_);
  for (const auto& [service_sid, service] : services_) {
    (void)service_sid;
    const auto it = service.versions.find(params.at("Sid"));
    if (it == service.versions.end()) continue;
    const auto& version = it->second;
    return send_json(res, 200,
                     nlohmann::json{{"sid", version.sid},
                                    {"serviceSid", service.sid},
                                    {version.is_function ? "functionSid" : "assetSid", version.owner_sid},
                                    {"path", version.path},
                                    {"visibility", version.visibility},
                                    {"contentType", version.content_type},
                                    {"content", version.content}});
  }
  send_control_error(res, 404, "no asset or function version " + params.at("Sid"));
}

void ServerlessModule::settings(const httplib::Request& req, httplib::Response& res) {
  const auto body = control_json_body(req, res);
  if (!body) return;
  for (const auto& [key, value] : body->items()) {
    if (key != "buildPolls" && key != "failBuilds") return send_control_error(res, 400, "unknown field: " + key);
    if (!value.is_number_integer() || value.get<long long>() < 0 || value.get<long long>() > 1000) {
      return send_control_error(res, 400, key + ": an integer from 0 to 1000");
    }
  }
  std::lock_guard lock(mutex_);
  if (body->contains("buildPolls")) build_polls_ = (*body)["buildPolls"].get<int>();
  if (body->contains("failBuilds")) fail_builds_ = (*body)["failBuilds"].get<int>();
  send_json(res, 200, nlohmann::json{{"buildPolls", build_polls_}, {"failBuilds", fail_builds_}});
}

void ServerlessModule::state(httplib::Response& res) {
  std::lock_guard lock(mutex_);
  nlohmann::json services = nlohmann::json::object();
  for (const auto& [sid, service] : services_) {
    nlohmann::json builds = nlohmann::json::array();
    for (const auto& build : service.builds) builds.push_back({{"sid", build.sid}, {"status", build.status}});
    nlohmann::json environments = nlohmann::json::array();
    for (const auto& environment : service.environments) {
      environments.push_back({{"sid", environment.sid}, {"uniqueName", environment.unique_name},
                              {"buildSid", environment.build_sid}});
    }
    services[sid] = {{"uniqueName", service.unique_name},
                     {"resources", service.resources.size()},
                     {"versions", service.versions.size()},
                     {"builds", builds},
                     {"environments", environments},
                     {"deployments", service.deployments.size()}};
  }
  send_json(res, 200, nlohmann::json{{"settings", {{"buildPolls", build_polls_}, {"failBuilds", fail_builds_}}},
                                     {"services", services}});
}

}  // namespace flexcore::emulator
