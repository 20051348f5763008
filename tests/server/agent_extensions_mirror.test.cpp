// The Serverless mirror of agent extensions (issue 10, FLEXCORE_PUBLISH_ASSET=1) over real sockets against the
// real emulator process (IAM + Serverless + serverless-upload): the recorded Serverless call sequence of a
// publish (upstream-contracts 3.4), the service's other asset/function versions kept in the build, /admin/list's
// version from Serverless, and failures (upload, build, deployment) that leave the live set as it was.

#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>

#include "auth/twilio_signature.h"
#include "fakes.h"
#include "flexcore/emulator/emulator_process.h"
#include "runtime.h"
#include "test_server.h"
#include "upstream/http_client.h"

using namespace flexcore;
using namespace flexcore::server;
using namespace flexcore::server::testing;
using flexcore::emulator::EmulatorProcess;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kPublicUrl = "https://flexcore.example.com";
const std::string kServiceSid = "ZS00000000000000000000000000000a11";
const std::string kEnvironmentSid = "ZE00000000000000000000000000000e11";

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("flexcore-ax-mirror-" + random_hex(8));
  TempDir() { fs::create_directories(path); }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string worker(char c) { return "WK" + std::string(32, c); }

// "GET /serverless/v1/Services/ZS…/Builds?PageSize=1" with every SID shortened to its prefix.
std::string shape(const json& record) {
  static const std::regex sid("([A-Z]{2})[0-9a-fA-F]{32}");
  std::string line = record["method"].get<std::string>() + " " + std::regex_replace(record["path"].get<std::string>(), sid, "$1");
  if (!record["query"].get<std::string>().empty()) line += "?" + record["query"].get<std::string>();
  return line;
}

// Decodes an application/x-www-form-urlencoded body into (name, value) pairs, in order.
std::vector<std::pair<std::string, std::string>> parse_form_for_test(const std::string& body) {
  const auto decode = [](const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '+') {
        out += ' ';
      } else if (text[i] == '%' && i + 2 < text.size()) {
        out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += text[i];
      }
    }
    return out;
  };
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t start = 0;
  while (start <= body.size()) {
    const std::size_t end = std::min(body.find('&', start), body.size());
    const std::string piece = body.substr(start, end - start);
    if (!piece.empty()) {
      const std::size_t eq = piece.find('=');
      pairs.emplace_back(decode(piece.substr(0, eq)), eq == std::string::npos ? "" : decode(piece.substr(eq + 1)));
    }
    start = end + 1;
  }
  return pairs;
}

std::vector<std::string> form_values(const std::string& body, const std::string& name) {
  std::vector<std::string> values;
  for (const auto& [key, value] : parse_form_for_test(body)) {
    if (key == name) values.push_back(value);
  }
  return values;
}

struct Fixture {
  EmulatorProcess emulator;
  TempDir dir;
  std::shared_ptr<RecordingSleeper> sleeper = std::make_shared<RecordingSleeper>();
  std::unique_ptr<RunningApp> server;
  std::string supervisor = emulator.issue_token("sam.supervisor", {"supervisor"}).token;
  json seeded;

  explicit Fixture(json assets = json::array({{{"path", "/extensions.json"}, {"content", "[]"}},
                                               {{"path", "/styles.css"}, {"visibility", "public"}, {"content", "b{}"}}}),
                   std::map<std::string, std::string> extra = {}) {
    seeded = emulator.control("POST", "/serverless/services",
                              {{"sid", kServiceSid},
                               {"uniqueName", "agent-extensions"},
                               {"environmentSid", kEnvironmentSid},
                               {"functions", {{{"path", "/agentExtensions"}, {"content", "exports.handler=()=>{}"}},
                                              {{"path", "/admin/list"}, {"visibility", "public"}}}},
                               {"assets", assets},
                               {"dependencies", {{{"name", "twilio"}, {"version", "^3.56"}}}}},
                              201);
    emulator.control("POST", "/serverless/settings", {{"buildPolls", 2}});
    std::map<std::string, std::string> env = {
        {"ACCOUNT_SID", emulator.account_sid()},
        {"AUTH_TOKEN", emulator.auth_token()},
        {"FLEXCORE_IAM_URL", emulator.base_url()},
        {"FLEXCORE_SERVERLESS_URL", emulator.base_url() + "/serverless"},
        {"FLEXCORE_SERVERLESS_UPLOAD_URL", emulator.base_url() + "/serverless-upload"},
        {"FLEXCORE_PUBLISH_ASSET", "1"},
        {"TWILIO_SERVICE_SID", kServiceSid},
        {"TWILIO_ENVIRONMENT_SID", kEnvironmentSid},
        {"TWILIO_ASSET_NAME", "/extensions.json"},
        {"FLEXCORE_SERVERLESS_BUILD_POLL_MS", "250"},
        {"FLEXCORE_DATA_DIR", dir.path.string()},
        {"FLEXCORE_PUBLIC_URL", kPublicUrl},
        {"FLEXCORE_THREADS", "16"}};
    for (auto& [name, value] : extra) env[name] = value == "<sync>" ? emulator.family_url("sync") : value;
    AppDeps deps;
    deps.sleeper = sleeper;
    deps.random = std::make_shared<ScriptedRandom>();
    server = std::make_unique<RunningApp>(make_config(env), deps);
  }

  httplib::Result post(const std::string& path, json body = json::object()) {
    body["Token"] = supervisor;
    return server->client().Post(path.c_str(), body.dump(), "application/json");
  }
  json ok_json(const std::string& path, json body = json::object()) {
    auto result = post(path, std::move(body));
    REQUIRE(result);
    INFO(path << " → " << result->status << " " << result->body);
    REQUIRE(result->status == 200);
    return json::parse(result->body);
  }
  // The rows a supervisor publishes: worker 'a' at 1234 (+ 'b' at 5678 when `two`).
  json rows(bool two = false) {
    json data = json::array({{{"workerSid", worker('a')}, {"workerFullName", "Ann"}, {"extensionNumber", "1234"}}});
    if (two) data.push_back({{"workerSid", worker('b')}, {"workerFullName", "Bob"}, {"extensionNumber", "5678"}});
    return data;
  }
  // /admin/list → /admin/update with the listed version; returns the build SID.
  std::string update(bool two = false) {
    const std::string version = ok_json("/admin/list")["version"];
    return ok_json("/admin/update", {{"data", rows(two)}, {"version", version}})["buildSid"];
  }
  httplib::Result lookup(const std::string& extension) {
    const std::vector<FormParam> params = {{"agentExt", extension}};
    httplib::Headers headers{{"X-Twilio-Signature", compute_signature(emulator.auth_token(), kPublicUrl + "/agent-extensions", params)}};
    return server->client().Post("/agent-extensions", headers, upstream::form_encode(params), "application/x-www-form-urlencoded");
  }
  json live() {
    return emulator.control("GET", "/serverless/services/" + kServiceSid + "/environments/" + kEnvironmentSid + "/live");
  }
  std::string seeded_version(const std::string& path) const {
    for (const auto& item : seeded["assets"]) {
      if (item["path"] == path) return item["versionSid"];
    }
    for (const auto& item : seeded["functions"]) {
      if (item["path"] == path) return item["versionSid"];
    }
    throw std::runtime_error("not seeded: " + path);
  }
  std::vector<json> serverless_calls() {
    std::vector<json> calls;
    for (const auto& record : emulator.requests()) {
      const std::string family = record["family"];
      if (family == "serverless" || family == "serverless-upload") calls.push_back(record);
    }
    return calls;
  }
  std::vector<std::string> serverless_shapes() {
    std::vector<std::string> shapes;
    for (const auto& record : serverless_calls()) shapes.push_back(shape(record));
    return shapes;
  }
};

}  // namespace

TEST_CASE("mirror: a publish uploads the asset, builds with the service's other versions kept, polls and deploys in the seed's order",
          "[server][emulator][agent-extensions][serverless]") {
  Fixture f;
  const auto before = f.ok_json("/admin/list");
  CHECK(before["version"] == f.seeded_version("/extensions.json"));  // from the Serverless build, as the seed
  CHECK(before["versionIsDeployed"] == true);
  CHECK(f.serverless_shapes() ==
        std::vector<std::string>{"GET /serverless/v1/Services/ZS/Builds?PageSize=1",
                                 "GET /serverless/v1/Services/ZS/Environments/ZE/Deployments?PageSize=1"});

  f.emulator.clear_requests();
  const auto build_sid = f.ok_json("/admin/update", {{"data", f.rows(true)}, {"version", before["version"]}})["buildSid"];
  CHECK(f.ok_json("/admin/update-status", {{"buildSid", build_sid}})["buildStatus"] == "completed");
  const auto published = f.ok_json("/admin/publish", {{"buildSid", build_sid}});
  CHECK(published["success"] == true);

  // upstream-contracts 3.4: latest build, asset version on the upload host, build, status polls, deployment.
  CHECK(f.serverless_shapes() ==
        std::vector<std::string>{"GET /serverless/v1/Services/ZS/Builds?PageSize=1",  // /admin/update: version check
                                 "GET /serverless/v1/Services/ZS/Builds?PageSize=1",  // /admin/publish: latest build
                                 "POST /serverless-upload/v1/Services/ZS/Assets/ZH/Versions",
                                 "POST /serverless/v1/Services/ZS/Builds",
                                 "GET /serverless/v1/Services/ZS/Builds/ZB/Status",
                                 "GET /serverless/v1/Services/ZS/Builds/ZB/Status",
                                 "GET /serverless/v1/Services/ZS/Builds/ZB/Status",  // building ×2, then completed
                                 "POST /serverless/v1/Services/ZS/Environments/ZE/Deployments"});
  const auto calls = f.serverless_calls();
  CHECK(calls[2]["headers"]["content-type"].get<std::string>().rfind("multipart/form-data; boundary=", 0) == 0);
  CHECK(calls[2]["auth"]["username"] == f.emulator.account_sid());
  // The build keeps every other asset version, every function version and the dependencies.
  const std::string build_body = calls[3]["body"];
  const auto asset_versions = form_values(build_body, "AssetVersions");
  REQUIRE(asset_versions.size() == 2);
  CHECK(asset_versions[1] == f.seeded_version("/styles.css"));
  CHECK(asset_versions[0] != f.seeded_version("/extensions.json"));
  CHECK(form_values(build_body, "FunctionVersions") ==
        std::vector<std::string>{f.seeded_version("/agentExtensions"), f.seeded_version("/admin/list")});
  CHECK(json::parse(form_values(build_body, "Dependencies").at(0)) == json::array({{{"name", "twilio"}, {"version", "^3.56"}}}));
  CHECK(form_values(build_body, "Runtime").empty());  // as the seed: the platform default

  // Two pauses between three polls, at FLEXCORE_SERVERLESS_BUILD_POLL_MS.
  CHECK(f.sleeper->sleeps() == std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(250), std::chrono::milliseconds(250)});

  // What the seed's agentExtensions function reads now: the seed's array shape, with mapKey.
  const auto live = f.live();
  REQUIRE(live["assets"].size() == 2);
  CHECK(live["assets"][0]["path"] == "/extensions.json");
  CHECK(live["assets"][0]["sid"] == asset_versions[0]);
  CHECK(live["assets"][0]["visibility"] == "private");
  CHECK(live["assets"][0]["contentType"] == "application/json");
  CHECK(json::parse(live["assets"][0]["content"].get<std::string>()) ==
        json::array({{{"workerFullName", "Ann"}, {"extensionNumber", "1234"}, {"workerSid", worker('a')}, {"mapKey", worker('a')}},
                     {{"workerFullName", "Bob"}, {"extensionNumber", "5678"}, {"workerSid", worker('b')}, {"mapKey", worker('b')}}}));
  CHECK(live["assets"][1]["path"] == "/styles.css");
  CHECK(live["assets"][1]["content"] == "b{}");
  REQUIRE(live["functions"].size() == 2);
  CHECK(live["functions"][0]["path"] == "/agentExtensions");

  // /admin/list: the new asset version, deployed; the Studio lookup serves the new set.
  const auto after = f.ok_json("/admin/list");
  CHECK(after["version"] == asset_versions[0]);
  CHECK(after["versionIsDeployed"] == true);
  CHECK(after["data"].size() == 2);
  auto found = f.lookup("5678");
  REQUIRE(found);
  CHECK(found->status == 200);
  CHECK(json::parse(found->body)["workerSID"] == worker('b'));

  // A second publish replaces only our asset's version again (never two versions of one asset).
  f.emulator.clear_requests();
  const std::string second = f.update(false);
  f.ok_json("/admin/publish", {{"buildSid", second}});
  std::string body;
  for (const auto& call : f.serverless_calls()) {
    if (shape(call) == "POST /serverless/v1/Services/ZS/Builds") body = call["body"];
  }
  const auto again = form_values(body, "AssetVersions");
  REQUIRE(again.size() == 2);
  CHECK(again[0] != asset_versions[0]);
  CHECK(again[1] == f.seeded_version("/styles.css"));
  CHECK(f.live()["assets"][0]["sid"] == again[0]);
}

TEST_CASE("mirror: an asset upload failing after the build was created fails the publish and keeps the live set",
          "[server][emulator][agent-extensions][serverless]") {
  Fixture f;
  const std::string first = f.update(false);
  f.ok_json("/admin/publish", {{"buildSid", first}});
  const auto live_before = f.live();
  const std::string second = f.update(true);  // the local build exists
  f.emulator.add_fault({{"method", "POST"}, {"path", "/serverless-upload/**"}, {"status", 500}, {"count", 0}});
  f.emulator.clear_requests();
  auto failed = f.post("/admin/publish", {{"buildSid", second}});
  REQUIRE(failed);
  INFO(failed->body);
  CHECK(failed->status == 502);
  const auto error = json::parse(failed->body);
  CHECK(error["code"] == "UpstreamError");
  CHECK_THAT(error["error"].get<std::string>(), Catch::Contains("asset version upload"));
  // Nothing was built or deployed, the live set is the old one everywhere.
  for (const auto& call_shape : f.serverless_shapes()) {
    CHECK(call_shape.find("POST /serverless/v1/Services/ZS/Builds") == std::string::npos);
    CHECK(call_shape.find("Deployments") == std::string::npos);
  }
  CHECK(f.live()["buildSid"] == live_before["buildSid"]);
  auto missing = f.lookup("5678");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(f.ok_json("/admin/list")["data"].size() == 1);
  // Once the upload host answers again, the same build publishes.
  f.emulator.control("DELETE", "/faults", nullptr, 204);
  f.ok_json("/admin/publish", {{"buildSid", second}});
  auto found = f.lookup("5678");
  REQUIRE(found);
  CHECK(found->status == 200);
  CHECK(f.live()["buildSid"] != live_before["buildSid"]);
}

TEST_CASE("mirror: a failed Serverless build or a refused deployment fails the publish and keeps the live set",
          "[server][emulator][agent-extensions][serverless]") {
  Fixture f;
  const auto live_before = f.live();
  const std::string build_sid = f.update(false);

  f.emulator.control("POST", "/serverless/settings", {{"failBuilds", 1}});
  auto failed_build = f.post("/admin/publish", {{"buildSid", build_sid}});
  REQUIRE(failed_build);
  INFO(failed_build->body);
  CHECK(failed_build->status == 502);
  CHECK_THAT(json::parse(failed_build->body)["error"].get<std::string>(), Catch::Contains("failed; nothing was deployed"));
  CHECK(f.live()["buildSid"] == live_before["buildSid"]);
  CHECK(f.lookup("1234")->status == 404);

  f.emulator.add_fault({{"method", "POST"}, {"path", "/serverless/v1/Services/*/Environments/*/Deployments"}, {"status", 503},
                        {"count", 0}});
  auto failed_deploy = f.post("/admin/publish", {{"buildSid", build_sid}});
  REQUIRE(failed_deploy);
  INFO(failed_deploy->body);
  CHECK(failed_deploy->status == 503);  // 503 after the retries (TWILIO_SERVICE_RETRY_LIMIT)
  CHECK(f.live()["buildSid"] == live_before["buildSid"]);
  CHECK(f.lookup("1234")->status == 404);
  const auto list = f.ok_json("/admin/list");
  CHECK(list["data"] == json::array());
  CHECK(list["versionIsDeployed"] == false);  // Serverless: the newest build is not the deployed one

  f.emulator.control("DELETE", "/faults", nullptr, 204);
  f.ok_json("/admin/publish", {{"buildSid", build_sid}});
  CHECK(f.lookup("1234")->status == 200);
  CHECK(f.ok_json("/admin/list")["versionIsDeployed"] == true);
}

TEST_CASE("mirror: /admin/update refuses a version that is neither Serverless's nor the local latest",
          "[server][emulator][agent-extensions][serverless]") {
  Fixture f;
  auto stale = f.post("/admin/update", {{"data", f.rows()}, {"version", "ZN0000000000000000000000000000dead"}});
  REQUIRE(stale);
  CHECK(stale->status == 409);
  CHECK(json::parse(stale->body)["error"] == "Provided version SID is not the latest deployed asset version SID");
  // After a publish, the version listed before it is stale.
  const std::string old_version = f.ok_json("/admin/list")["version"];
  f.ok_json("/admin/publish", {{"buildSid", f.update(false)}});
  auto conflict = f.post("/admin/update", {{"data", f.rows(true)}, {"version", old_version}});
  REQUIRE(conflict);
  CHECK(conflict->status == 409);
}

TEST_CASE("mirror: the first publish creates the asset when the service has none, keeping its functions",
          "[server][emulator][agent-extensions][serverless]") {
  Fixture f(json::array());
  CHECK(f.ok_json("/admin/list")["versionIsDeployed"] == true);  // local state: Serverless has no asset version yet
  const std::string build_sid = f.update(false);
  f.emulator.clear_requests();
  f.ok_json("/admin/publish", {{"buildSid", build_sid}});
  const auto shapes = f.serverless_shapes();
  REQUIRE(shapes.size() >= 4);
  CHECK(shapes[1] == "GET /serverless/v1/Services/ZS/Assets?PageSize=1000");
  CHECK(shapes[2] == "POST /serverless/v1/Services/ZS/Assets");
  CHECK(shapes[3] == "POST /serverless-upload/v1/Services/ZS/Assets/ZH/Versions");
  const auto live = f.live();
  REQUIRE(live["assets"].size() == 1);
  CHECK(live["assets"][0]["path"] == "/extensions.json");
  CHECK(live["functions"].size() == 2);
  CHECK(f.ok_json("/admin/list")["version"] == live["assets"][0]["sid"]);
}

TEST_CASE("mirror: FLEXCORE_PUBLISH_ASSET=1 without the service answers 503 naming the settings",
          "[server][emulator][agent-extensions][serverless]") {
  Fixture f(json::array(), {{"TWILIO_SERVICE_SID", ""}, {"TWILIO_ENVIRONMENT_SID", ""}});
  auto list = f.post("/admin/list");
  REQUIRE(list);
  CHECK(list->status == 503);
  CHECK_THAT(json::parse(list->body)["error"].get<std::string>(),
             Catch::Contains("TWILIO_SERVICE_SID") && Catch::Contains("TWILIO_ENVIRONMENT_SID"));
  auto publish = f.post("/admin/publish", {{"buildSid", "ZB0000000000000000000000000000beef"}});
  REQUIRE(publish);
  CHECK(publish->status == 503);
}

TEST_CASE("mirror: on the Sync store a publish mirrors the build's rows the same way",
          "[server][emulator][agent-extensions][serverless][sync]") {
  Fixture f(json::array({{{"path", "/extensions.json"}, {"content", "[]"}},
                         {{"path", "/styles.css"}, {"visibility", "public"}, {"content", "b{}"}}}),
            {{"FLEXCORE_EXTENSIONS_STORE", "sync"}, {"FLEXCORE_SYNC_URL", "<sync>"}});
  const auto before = f.ok_json("/admin/list");
  CHECK(before["version"] == f.seeded_version("/extensions.json"));
  const std::string build_sid = f.update(true);
  f.emulator.clear_requests();
  f.ok_json("/admin/publish", {{"buildSid", build_sid}});
  std::vector<std::string> shapes = f.serverless_shapes();
  REQUIRE(shapes.size() == 7);
  CHECK(shapes[1] == "POST /serverless-upload/v1/Services/ZS/Assets/ZH/Versions");
  CHECK(shapes[6] == "POST /serverless/v1/Services/ZS/Environments/ZE/Deployments");
  const auto live = f.live();
  REQUIRE(live["assets"].size() == 2);
  CHECK(json::parse(live["assets"][0]["content"].get<std::string>()).size() == 2);
  CHECK(live["assets"][1]["path"] == "/styles.css");
  CHECK(live["functions"].size() == 2);
  auto found = f.lookup("5678");
  REQUIRE(found);
  CHECK(found->status == 200);
  CHECK(f.ok_json("/admin/list")["version"] == live["assets"][0]["sid"]);
}
