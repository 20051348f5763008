// Serverless v1 + serverless-upload (upstream-contracts.md 3.4) against the real emulator process: a seeded
// service, the asset publish sequence (upload, build keeping other versions, status polls, deployment),
// failures on demand, newest-first listing and the OpenAPI checks.
#include "test_support.h"

#include <catch2/catch.hpp>

using flexcore::emulator::EmulatorProcess;
using namespace flexcore::emulator::testing;
using json = nlohmann::json;

namespace {

const std::string kServiceSid = "ZS0123456789abcdef0123456789abcdef";
const std::string kEnvironmentSid = "ZE0123456789abcdef0123456789abcdef";
const std::string kService = "/serverless/v1/Services/" + kServiceSid;
const std::string kUploadService = "/serverless-upload/v1/Services/" + kServiceSid;

struct Fixture {
  EmulatorProcess emulator;
  json seeded = emulator.control(
      "POST", "/serverless/services",
      {{"sid", kServiceSid},
       {"uniqueName", "agent-extensions"},
       {"environmentSid", kEnvironmentSid},
       {"functions", {{{"path", "/agentExtensions"}, {"content", "exports.handler = () => {};"}}}},
       {"assets",
        {{{"path", "/extensions.json"}, {"content", "[]"}},
         {{"path", "/logo.png"}, {"visibility", "public"}, {"content", "PNG"}, {"contentType", "image/png"}}}},
       {"dependencies", {{{"name", "twilio"}, {"version", "^3.56"}}}}},
      201);
  httplib::Client client = authed();

  httplib::Client authed() {
    auto c = client_for(emulator);
    c.set_basic_auth(emulator.account_sid().c_str(), emulator.auth_token().c_str());
    return c;
  }

  std::string asset_sid(const std::string& path) const {
    for (const auto& asset : seeded["assets"]) {
      if (asset["path"] == path) return asset["sid"];
    }
    throw std::runtime_error("no asset " + path);
  }

  json upload(const std::string& asset, const std::string& content, int expected = 201) {
    const httplib::MultipartFormDataItems items{{"Path", "/extensions.json", "", ""},
                                                {"Visibility", "private", "", ""},
                                                {"Content", content, "extensions.json", "application/json"}};
    const auto result = client.Post((kUploadService + "/Assets/" + asset + "/Versions").c_str(), items);
    REQUIRE(result);
    INFO(result->body);
    REQUIRE(result->status == expected);
    return json_of(result);
  }

  json latest_build() {
    const auto result = client.Get((kService + "/Builds?PageSize=1").c_str());
    REQUIRE(result);
    REQUIRE(result->status == 200);
    const auto body = json_of(result);
    REQUIRE(body["builds"].size() == 1);
    return body["builds"][0];
  }

  httplib::Result post(const std::string& path, const httplib::Params& params) { return client.Post(path.c_str(), params); }

  std::string status_of(const std::string& build_sid) {
    const auto result = client.Get((kService + "/Builds/" + build_sid + "/Status").c_str());
    REQUIRE(result);
    REQUIRE(result->status == 200);
    return json_of(result)["status"];
  }
};

std::vector<std::string> sids_of(const json& versions) {
  std::vector<std::string> sids;
  for (const auto& version : versions) sids.push_back(version["sid"]);
  return sids;
}

}  // namespace

TEST_CASE("a seeded service has its function, assets, environment and a deployed build", "[emulator][serverless]") {
  Fixture f;
  const auto live = f.emulator.control("GET", "/serverless/services/agent-extensions/environments/production/live");
  CHECK(live["buildSid"] == f.seeded["buildSid"]);
  CHECK(live["environmentSid"] == kEnvironmentSid);
  REQUIRE(live["functions"].size() == 1);
  CHECK(live["functions"][0]["path"] == "/agentExtensions");
  CHECK(live["functions"][0]["visibility"] == "protected");
  REQUIRE(live["assets"].size() == 2);
  CHECK(live["assets"][0]["content"] == "[]");
  CHECK(live["assets"][1]["contentType"] == "image/png");

  const auto service = f.client.Get("/serverless/v1/Services/agent-extensions");  // unique name works as the SID
  REQUIRE(service);
  CHECK(service->status == 200);
  CHECK(json_of(service)["sid"] == kServiceSid);
  const auto build = f.latest_build();
  CHECK(build["sid"] == f.seeded["buildSid"]);
  CHECK(build["status"] == "completed");
  CHECK(build["function_versions"][0]["path"] == "/agentExtensions");
  CHECK(build["dependencies"] == json{{{"name", "twilio"}, {"version", "^3.56"}}});
  const auto deployments = f.client.Get((kService + "/Environments/" + kEnvironmentSid + "/Deployments?PageSize=1").c_str());
  REQUIRE(deployments);
  CHECK(json_of(deployments)["deployments"][0]["build_sid"] == f.seeded["buildSid"]);
  CHECK(json_of(deployments)["meta"]["key"] == "deployments");
}

TEST_CASE("the publish sequence uploads, builds with the other versions kept, polls and deploys", "[emulator][serverless]") {
  Fixture f;
  f.emulator.control("POST", "/serverless/settings", {{"buildPolls", 2}});
  const auto previous = f.latest_build();
  const auto version = f.upload(f.asset_sid("/extensions.json"), R"([{"workerSid":"WK1"}])");
  CHECK(version["sid"].get<std::string>().rfind("ZN", 0) == 0);
  CHECK(version["path"] == "/extensions.json");
  CHECK(version["visibility"] == "private");
  CHECK(version["asset_sid"] == f.asset_sid("/extensions.json"));
  const auto stored = f.emulator.control("GET", "/serverless/asset-versions/" + version["sid"].get<std::string>());
  CHECK(stored["content"] == R"([{"workerSid":"WK1"}])");
  CHECK(stored["contentType"] == "application/json");

  const std::string logo_version = f.seeded["assets"][0]["path"] == "/logo.png" ? f.seeded["assets"][0]["versionSid"]
                                                                                 : f.seeded["assets"][1]["versionSid"];
  const auto created = f.post(kService + "/Builds", {{"AssetVersions", version["sid"]},
                                                     {"AssetVersions", logo_version},
                                                     {"FunctionVersions", previous["function_versions"][0]["sid"]},
                                                     {"Dependencies", previous["dependencies"].dump()}});
  REQUIRE(created);
  INFO(created->body);
  REQUIRE(created->status == 201);
  const auto build = json_of(created);
  CHECK(build["status"] == "building");
  CHECK(sids_of(build["asset_versions"]) == std::vector<std::string>{version["sid"], logo_version});
  CHECK(f.latest_build()["sid"] == build["sid"]);  // newest first

  const std::string build_sid = build["sid"];
  const auto early = f.post(kService + "/Environments/" + kEnvironmentSid + "/Deployments", {{"BuildSid", build_sid}});
  REQUIRE(early);
  CHECK(early->status == 400);  // not completed yet
  CHECK(f.status_of(build_sid) == "building");
  CHECK(f.status_of(build_sid) == "building");
  CHECK(f.status_of(build_sid) == "completed");

  const auto deployed = f.post(kService + "/Environments/" + kEnvironmentSid + "/Deployments", {{"BuildSid", build_sid}});
  REQUIRE(deployed);
  REQUIRE(deployed->status == 201);
  CHECK(json_of(deployed)["build_sid"] == build_sid);
  const auto live = f.emulator.control("GET", "/serverless/services/" + kServiceSid + "/environments/" + kEnvironmentSid + "/live");
  CHECK(live["buildSid"] == build_sid);
  CHECK(live["deploymentSid"] == json_of(deployed)["sid"]);
  CHECK(live["assets"][0]["content"] == R"([{"workerSid":"WK1"}])");
  CHECK(live["assets"][1]["path"] == "/logo.png");
  CHECK(live["functions"][0]["path"] == "/agentExtensions");
  const auto environment = f.client.Get((kService + "/Environments/" + kEnvironmentSid).c_str());
  REQUIRE(environment);
  CHECK(json_of(environment)["build_sid"] == build_sid);
}

TEST_CASE("a build marked to fail answers failed and cannot be deployed", "[emulator][serverless]") {
  Fixture f;
  f.emulator.control("POST", "/serverless/settings", {{"buildPolls", 0}, {"failBuilds", 1}});
  const auto version = f.upload(f.asset_sid("/extensions.json"), "[]");
  const auto created = f.post(kService + "/Builds", {{"AssetVersions", version["sid"]}});
  REQUIRE(created);
  REQUIRE(created->status == 201);
  const std::string build_sid = json_of(created)["sid"];
  CHECK(f.status_of(build_sid) == "failed");
  const auto deployed = f.post(kService + "/Environments/" + kEnvironmentSid + "/Deployments", {{"BuildSid", build_sid}});
  REQUIRE(deployed);
  CHECK(deployed->status == 400);
  // The next build is not marked.
  const auto next = f.post(kService + "/Builds", {{"AssetVersions", version["sid"]}});
  REQUIRE(next);
  CHECK(f.status_of(json_of(next)["sid"]) == "completed");
}

TEST_CASE("builds refuse two versions of one asset, unknown versions and an empty set", "[emulator][serverless]") {
  Fixture f;
  const auto asset = f.asset_sid("/extensions.json");
  const auto a = f.upload(asset, "[1]");
  const auto b = f.upload(asset, "[2]");
  const auto conflict = f.post(kService + "/Builds", {{"AssetVersions", a["sid"]}, {"AssetVersions", b["sid"]}});
  REQUIRE(conflict);
  CHECK(conflict->status == 400);
  CHECK(json_of(conflict)["code"] == 20001);
  CHECK(json_of(conflict)["message"].get<std::string>().find("Different Asset Versions for same Asset") == 0);
  const auto unknown = f.post(kService + "/Builds", {{"AssetVersions", "ZN00000000000000000000000000000000"}});
  REQUIRE(unknown);
  CHECK(unknown->status == 400);
  const auto empty = f.post(kService + "/Builds", {{"Runtime", "node18"}});
  REQUIRE(empty);
  CHECK(empty->status == 400);
  const auto bad_dependencies = f.post(kService + "/Builds", {{"AssetVersions", a["sid"]}, {"Dependencies", "{"}});
  REQUIRE(bad_dependencies);
  CHECK(bad_dependencies->status == 400);
  // twilio-run's double-quoted Dependencies are accepted.
  const auto quoted = f.post(kService + "/Builds", {{"AssetVersions", a["sid"]},
                                                    {"Dependencies", json(R"([{"name":"axios","version":"1"}])").dump()}});
  REQUIRE(quoted);
  CHECK(quoted->status == 201);
  CHECK(json_of(quoted)["dependencies"][0]["name"] == "axios");
}

TEST_CASE("the upload host wants multipart with Path, Visibility and Content and Basic auth", "[emulator][serverless]") {
  Fixture f;
  const auto asset = f.asset_sid("/extensions.json");
  const std::string path = kUploadService + "/Assets/" + asset + "/Versions";
  const auto form = f.client.Post(path.c_str(), httplib::Params{{"Path", "/x"}, {"Visibility", "private"}, {"Content", "x"}});
  REQUIRE(form);
  CHECK(form->status == 400);
  const auto missing = f.client.Post(path.c_str(), httplib::MultipartFormDataItems{{"Path", "/x", "", ""}, {"Visibility", "private", "", ""}});
  REQUIRE(missing);
  CHECK(missing->status == 400);
  CHECK(json_of(missing)["message"] == "Missing required parameter Content in the post body");
  const auto bad_visibility = f.client.Post(
      path.c_str(), httplib::MultipartFormDataItems{{"Path", "x.json", "", ""}, {"Visibility", "secret", "", ""}, {"Content", "1", "x", ""}});
  REQUIRE(bad_visibility);
  CHECK(bad_visibility->status == 400);
  auto anonymous = client_for(f.emulator);
  const auto unauthenticated = anonymous.Post(path.c_str(), httplib::MultipartFormDataItems{{"Path", "/x", "", ""}});
  REQUIRE(unauthenticated);
  CHECK(unauthenticated->status == 401);
  const auto unknown_asset = f.client.Post((kUploadService + "/Assets/ZH00000000000000000000000000000000/Versions").c_str(),
                                           httplib::MultipartFormDataItems{{"Path", "/x", "", ""},
                                                                           {"Visibility", "private", "", ""},
                                                                           {"Content", "1", "x", ""}});
  REQUIRE(unknown_asset);
  CHECK(unknown_asset->status == 404);
  // A path without a leading '/' gets one.
  const auto added = f.client.Post(path.c_str(), httplib::MultipartFormDataItems{{"Path", "extensions.json", "", ""},
                                                                                 {"Visibility", "private", "", ""},
                                                                                 {"Content", "[]", "e.json", "application/json"}});
  REQUIRE(added);
  REQUIRE(added->status == 201);
  CHECK(json_of(added)["path"] == "/extensions.json");
}

TEST_CASE("Serverless requests are checked against the OpenAPI spec", "[emulator][serverless]") {
  Fixture f;
  const auto unknown_parameter = f.post(kService + "/Builds", {{"AssetVersion", "ZN1"}});
  REQUIRE(unknown_parameter);
  CHECK(unknown_parameter->status == 400);
  CHECK(json_of(unknown_parameter)["message"] == "Invalid parameter: AssetVersion");
  const auto bad_sid = f.client.Get((kService + "/Builds/ZX0123456789abcdef0123456789abcdef").c_str());
  REQUIRE(bad_sid);
  CHECK(bad_sid->status == 404);
  const auto missing_name = f.post(kService + "/Assets", {});
  REQUIRE(missing_name);
  CHECK(missing_name->status == 400);
  const auto created = f.post(kService + "/Assets", {{"FriendlyName", "styles"}});
  REQUIRE(created);
  REQUIRE(created->status == 201);
  const auto assets = f.client.Get((kService + "/Assets?PageSize=2").c_str());
  REQUIRE(assets);
  const auto page = json_of(assets);
  CHECK(page["assets"].size() == 2);
  CHECK(page["meta"]["key"] == "assets");
  CHECK_FALSE(page["meta"]["next_page_url"].is_null());
  const auto environment = f.post(kService + "/Environments", {{"UniqueName", "staging"}, {"DomainSuffix", "stage"}});
  REQUIRE(environment);
  CHECK(environment->status == 201);
  CHECK(json_of(environment)["build_sid"].is_null());
  auto anonymous = client_for(f.emulator);
  const auto unauthenticated = anonymous.Get((kService + "/Builds").c_str());
  REQUIRE(unauthenticated);
  CHECK(unauthenticated->status == 401);
}

TEST_CASE("reset clears the Serverless state and settings", "[emulator][serverless]") {
  Fixture f;
  f.emulator.control("POST", "/serverless/settings", {{"buildPolls", 7}});
  f.emulator.reset();
  const auto state = f.emulator.control("GET", "/serverless/state");
  CHECK(state["services"].empty());
  CHECK(state["settings"]["buildPolls"] == 1);
  f.emulator.control("POST", "/serverless/settings", {{"bogus", 1}}, 400);
  f.emulator.control("POST", "/serverless/services", {{"uniqueName", ""}}, 400);
}

TEST_CASE("function versions upload on the upload host and their content reads back", "[emulator][serverless]") {
  Fixture f;
  const auto created = f.post(kService + "/Functions", {{"FriendlyName", "hello"}});
  REQUIRE(created);
  REQUIRE(created->status == 201);
  const std::string function_sid = json_of(created)["sid"];
  const auto uploaded = f.client.Post((kUploadService + "/Functions/" + function_sid + "/Versions").c_str(),
                                      httplib::MultipartFormDataItems{{"Path", "/hello", "", ""},
                                                                      {"Visibility", "public", "", ""},
                                                                      {"Content", "exports.handler=1", "hello.js", "application/javascript"}});
  REQUIRE(uploaded);
  INFO(uploaded->body);
  REQUIRE(uploaded->status == 201);
  const auto version = json_of(uploaded);
  CHECK(version["function_sid"] == function_sid);
  const std::string version_sid = version["sid"];
  const auto content = f.client.Get((kService + "/Functions/" + function_sid + "/Versions/" + version_sid + "/Content").c_str());
  REQUIRE(content);
  REQUIRE(content->status == 200);
  CHECK(json_of(content)["content"] == "exports.handler=1");
  const auto versions = f.client.Get((kService + "/Functions/" + function_sid + "/Versions").c_str());
  REQUIRE(versions);
  CHECK(json_of(versions)["function_versions"].size() == 1);
  // An asset version is not a function version.
  const auto wrong_kind = f.post(kService + "/Builds", {{"FunctionVersions", f.seeded["assets"][0]["versionSid"]}});
  REQUIRE(wrong_kind);
  CHECK(wrong_kind->status == 400);
  const auto built = f.post(kService + "/Builds", {{"FunctionVersions", version_sid}});
  REQUIRE(built);
  CHECK(built->status == 201);
}
