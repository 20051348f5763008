#pragma once
/// @file serverless_module.h
/// Twilio Serverless v1 (upstream-contracts.md 3.4, spec twilio_serverless_v1.json) and its upload host
/// serverless-upload.twilio.com (no spec; hand-checked as 3.4 step 2 describes).
///
/// Upstream, family "serverless" (mounted under /serverless, checked against the "serverless" spec):
///   GET|POST /v1/Services, GET /v1/Services/{Sid}                          (Sid: ZS… or the unique name)
///   GET|POST …/Assets, GET …/Assets/{Sid}, GET …/Assets/{AssetSid}/Versions, GET …/Versions/{Sid}
///   GET|POST …/Functions, GET …/Functions/{Sid}, GET …/Functions/{FunctionSid}/Versions[/{Sid}[/Content]]
///   GET|POST …/Builds (newest first), GET …/Builds/{Sid}, GET …/Builds/{Sid}/Status
///   GET|POST …/Environments, GET …/Environments/{Sid}
///   GET|POST …/Environments/{EnvironmentSid}/Deployments (newest first), GET …/Deployments/{Sid}
/// Upstream, family "serverless-upload" (mounted under /serverless-upload), multipart/form-data with the
/// parts Path, Visibility (public|protected|private) and Content (file part):
///   POST /v1/Services/{ServiceSid}/Assets/{AssetSid}/Versions       → 201 Asset Version (ZN…)
///   POST /v1/Services/{ServiceSid}/Functions/{FunctionSid}/Versions → 201 Function Version (ZN…)
/// Builds answer `building` for `buildPolls` fetches (GET …/Builds/{Sid} or …/Status), then `completed`
/// (or `failed` when the build was marked to fail). Deploying a build that is not completed → 400/20001.
/// Control (README.md "Serverless"):
///   POST /__emulator/serverless/services   seed a service: functions, assets, dependencies, an environment,
///                                           a completed build of all of it, deployed
///   GET  /__emulator/serverless/services/{ServiceSid}/environments/{Environment}/live
///                                           the live deployment's build with every asset's content
///   GET  /__emulator/serverless/asset-versions/{Sid}   one asset version with its content
///   POST /__emulator/serverless/settings   {"buildPolls": 0–1000, "failBuilds": N (the next N builds fail)}
///   GET  /__emulator/serverless/state       counts of everything (no contents)

#include "module.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace flexcore::emulator {

/// The Serverless module. State lives in memory until reset.
class ServerlessModule final : public Module {
 public:
  /// `context` must outlive the module.
  explicit ServerlessModule(ModuleContext context);

  std::string name() const override { return "serverless"; }
  void register_routes(Router& upstream, ControlApi& control) override;
  void reset() override;

  /// A version of an asset or a function (both are ZN…); `content` is the uploaded file.
  struct Version {
    std::string sid, owner_sid, path, visibility, content, content_type;
    bool is_function = false;
    std::chrono::system_clock::time_point created;
  };
  /// An asset (ZH…) or a function (ZH…).
  struct Resource {
    std::string sid, friendly_name;
    bool is_function = false;
    std::chrono::system_clock::time_point created;
  };
  /// A build (ZB…). `polls_left` fetches still answer building.
  struct Build {
    std::string sid, runtime = "node18";
    std::vector<std::string> asset_versions, function_versions;  ///< ZN… sids
    nlohmann::json dependencies = nlohmann::json::array();
    std::string status = "building";
    int polls_left = 0;
    bool will_fail = false;
    std::chrono::system_clock::time_point created;
  };
  /// An environment (ZE…); `build_sid` is the deployed build (empty when none).
  struct Environment {
    std::string sid, unique_name, domain_suffix, build_sid;
    std::chrono::system_clock::time_point created;
  };
  /// A deployment (ZD…).
  struct Deployment {
    std::string sid, environment_sid, build_sid;
    std::chrono::system_clock::time_point created;
  };
  /// A service (ZS…) with its children. Builds and deployments are kept in creation order.
  struct Service {
    std::string sid, unique_name, friendly_name;
    std::chrono::system_clock::time_point created;
    std::map<std::string, Resource> resources;  ///< assets and functions by sid
    std::map<std::string, Version> versions;    ///< asset and function versions by sid
    std::vector<Build> builds;
    std::vector<Environment> environments;
    std::vector<Deployment> deployments;
  };

 private:
  using Handler = void (ServerlessModule::*)(const UpstreamRequest&, httplib::Response&);

  void create_service(const UpstreamRequest& request, httplib::Response& res);
  void list_services(const UpstreamRequest& request, httplib::Response& res);
  void fetch_service(const UpstreamRequest& request, httplib::Response& res);
  void create_resource(const UpstreamRequest& request, httplib::Response& res, bool is_function);
  void list_resources(const UpstreamRequest& request, httplib::Response& res, bool is_function);
  void fetch_resource(const UpstreamRequest& request, httplib::Response& res, bool is_function);
  void list_versions(const UpstreamRequest& request, httplib::Response& res, bool is_function);
  void fetch_version(const UpstreamRequest& request, httplib::Response& res, bool is_function);
  void fetch_function_content(const UpstreamRequest& request, httplib::Response& res);
  void upload_version(const UpstreamRequest& request, httplib::Response& res, bool is_function);
  void create_build(const UpstreamRequest& request, httplib::Response& res);
  void list_builds(const UpstreamRequest& request, httplib::Response& res);
  void fetch_build(const UpstreamRequest& request, httplib::Response& res);
  void fetch_build_status(const UpstreamRequest& request, httplib::Response& res);
  void create_environment(const UpstreamRequest& request, httplib::Response& res);
  void list_environments(const UpstreamRequest& request, httplib::Response& res);
  void fetch_environment(const UpstreamRequest& request, httplib::Response& res);
  void create_deployment(const UpstreamRequest& request, httplib::Response& res);
  void list_deployments(const UpstreamRequest& request, httplib::Response& res);
  void fetch_deployment(const UpstreamRequest& request, httplib::Response& res);

  void seed_service(const httplib::Request& req, httplib::Response& res);
  void live(httplib::Response& res, const PathParams& params);
  void asset_version_content(httplib::Response& res, const PathParams& params);
  void settings(const httplib::Request& req, httplib::Response& res);
  void state(httplib::Response& res);

  // Helpers; callers hold mutex_.
  Service* find_service(const std::string& sid_or_name);
  Environment* find_environment(Service& service, const std::string& sid_or_name);
  Build* find_build(Service& service, const std::string& sid);
  Build& add_build(Service& service, Build build);
  void advance(Build& build);  // one status poll
  nlohmann::json service_json(const Service& service) const;
  nlohmann::json resource_json(const Service& service, const Resource& resource) const;
  nlohmann::json version_json(const Service& service, const Version& version) const;
  nlohmann::json build_json(const Service& service, const Build& build) const;
  nlohmann::json environment_json(const Service& service, const Environment& environment) const;
  nlohmann::json deployment_json(const Service& service, const Deployment& deployment) const;

  ModuleContext context_;
  std::mutex mutex_;
  std::map<std::string, Service> services_;
  int build_polls_ = 1;
  int fail_builds_ = 0;
};

}  // namespace flexcore::emulator
