// The OpenAPI checker against the real twilio-oai files vendored in ../shared/contracts/twilio-oai.
#include "openapi_checker.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using flexcore::emulator::CheckRequest;
using flexcore::emulator::CheckResult;
using flexcore::emulator::OpenApiChecker;
using flexcore::emulator::Params;

namespace {

const std::string kWorkspace = "WS0123456789abcdef0123456789abcdef";
const std::string kTask = "WT0123456789abcdef0123456789abcdef";
const std::string kAccount = "AC00000000000000000000000000000000";

// Loading takes a while in debug builds; every test case shares one checker.
const OpenApiChecker& checker() {
  static const OpenApiChecker loaded = OpenApiChecker::load_directory(FLEXCORE_TWILIO_OAI_DIR);
  return loaded;
}

CheckResult check(std::string_view family, std::string_view method, const std::string& path, const Params& query = {},
                  const Params& form = {}, std::string_view content_type = "") {
  CheckRequest request;
  request.method = method;
  request.path = path;
  request.query = &query;
  request.form = &form;
  request.content_type = content_type;
  request.has_body = !form.empty() || !content_type.empty();
  return checker().check(family, request);
}

// A scratch directory removed at scope exit.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() / ("flexcore-oai-" + std::to_string(::getpid()) + "-" +
                                                     std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  void write(const std::string& name, const std::string& text) const { std::ofstream(path / name) << text; }
};

}  // namespace

TEST_CASE("every vendored spec loads and is named after its server host", "[emulator][openapi]") {
  const auto families = checker().families();
  CHECK(families == std::vector<std::string>{"flex", "serverless", "sync", "taskrouter", "voice"});
  CHECK(checker().spec("taskrouter")->server_url == "https://taskrouter.twilio.com");
  CHECK(checker().spec("voice")->server_url == "https://api.twilio.com");
  CHECK(checker().spec("taskrouter")->paths.size() == 37);
  CHECK(checker().spec("sync")->paths.size() == 21);
  CHECK(checker().spec("serverless")->paths.size() == 22);
  CHECK(checker().spec("flex")->paths.size() == 45);
  CHECK(checker().spec("voice")->paths.size() == 121);
  CHECK(flexcore::emulator::family_for_server_url("https://taskrouter.twilio.com") == "taskrouter");
  CHECK(flexcore::emulator::family_for_server_url("https://flex-api.twilio.com/") == "flex");
  CHECK(flexcore::emulator::family_for_server_url("https://studio.twilio.com") == "studio");
}

TEST_CASE("a known TaskRouter request passes and reports its operation and path parameters", "[emulator][openapi]") {
  const std::string path = "/v1/Workspaces/" + kWorkspace + "/Tasks/" + kTask;
  const auto fetched = check("taskrouter", "GET", path);
  REQUIRE(fetched.ok());
  CHECK(fetched.operation->operation_id == "FetchTask");
  CHECK(fetched.path->path_template.text() == "/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}");
  CHECK(fetched.path_params.at("WorkspaceSid") == kWorkspace);
  CHECK(fetched.path_params.at("Sid") == kTask);

  const auto updated = check("taskrouter", "POST", path, {},
                             {{"AssignmentStatus", "wrapping"}, {"Reason", "done"}, {"Attributes", "{\"a\":1}"}},
                             "application/x-www-form-urlencoded");
  REQUIRE(updated.ok());
  CHECK(updated.operation->operation_id == "UpdateTask");

  const auto listed = check("taskrouter", "GET", "/v1/Workspaces/" + kWorkspace + "/Tasks",
                            {{"AssignmentStatus", "pending"}, {"AssignmentStatus", "reserved"}, {"PageSize", "50"},
                             {"Page", "1"}, {"PageToken", "PT1"}, {"Ordering", "DateCreated:desc"}});
  REQUIRE(listed.ok());
  CHECK(listed.operation->operation_id == "ListTask");
}

TEST_CASE("an unknown parameter name is rejected with 400 20001 naming it", "[emulator][openapi]") {
  const std::string path = "/v1/Workspaces/" + kWorkspace + "/Tasks/" + kTask;
  SECTION("in a form body") {
    const auto result = check("taskrouter", "POST", path, {}, {{"AssignmentStatus", "wrapping"}, {"AssignmentStatuz", "x"}},
                              "application/x-www-form-urlencoded");
    REQUIRE(result.status == 400);
    CHECK(result.error["code"] == 20001);
    CHECK(result.error["status"] == 400);
    CHECK(result.error["message"] == "Invalid parameter: AssignmentStatuz");
    CHECK(result.error["more_info"] == "https://www.twilio.com/docs/errors/20001");
    CHECK(result.error["details"]["parameter"] == "AssignmentStatuz");
    CHECK(result.error["details"]["in"] == "body");
    CHECK(result.error["details"]["operation"] == "UpdateTask");
  }
  SECTION("in a query string") {
    const auto result = check("taskrouter", "GET", "/v1/Workspaces/" + kWorkspace + "/Tasks", {{"PageSize", "5"}, {"Token", "x"}});
    REQUIRE(result.status == 400);
    CHECK(result.error["message"] == "Invalid parameter: Token");
    CHECK(result.error["details"]["in"] == "query");
  }
  SECTION("a body parameter sent in the query of a POST") {
    const auto result = check("taskrouter", "POST", path, {{"AssignmentStatus", "wrapping"}});
    REQUIRE(result.status == 400);
    CHECK(result.error["details"]["parameter"] == "AssignmentStatus");
  }
}

TEST_CASE("a wrong method on a known path is 405 20004 with the allowed methods", "[emulator][openapi]") {
  const auto result = check("taskrouter", "PUT", "/v1/Workspaces/" + kWorkspace + "/Tasks/" + kTask);
  REQUIRE(result.status == 405);
  CHECK(result.error["code"] == 20004);
  CHECK(result.error["message"] == "Method not allowed");
  CHECK(result.allowed_methods == std::vector<std::string>{"DELETE", "GET", "POST"});
  CHECK(result.operation == nullptr);

  const auto deleted_list = check("sync", "DELETE", "/v1/Services/IS0123456789abcdef0123456789abcdef/Maps");
  CHECK(deleted_list.status == 405);
}

TEST_CASE("an unknown path is 404 20404 with Twilio's message", "[emulator][openapi]") {
  const auto result = check("taskrouter", "GET", "/v1/Workspaces/" + kWorkspace + "/Taskz");
  REQUIRE(result.status == 404);
  CHECK(result.error["code"] == 20404);
  CHECK(result.error["message"] == "The requested resource /Workspaces/" + kWorkspace + "/Taskz was not found");
  CHECK(result.error["more_info"] == "https://www.twilio.com/docs/errors/20404");

  CHECK(check("taskrouter", "GET", "/v2/Workspaces").status == 404);
  CHECK(check("taskrouter", "GET", "/v1/Workspaces/" + kWorkspace + "/Tasks/" + kTask + "/").status == 404);
  CHECK(check("nonexistent-family", "GET", "/v1/Workspaces").status == 404);
}

TEST_CASE("a path parameter violating its pattern is 404 like the real API", "[emulator][openapi]") {
  CHECK(check("taskrouter", "GET", "/v1/Workspaces/" + kWorkspace + "/Tasks/not-a-task-sid").status == 404);
  CHECK(check("taskrouter", "GET", "/v1/Workspaces/WS123/Tasks/" + kTask).status == 404);
  // Sync Maps and Map Items are addressed by SID or unique name / key: no pattern, anything goes.
  const auto item = check("sync", "GET", "/v1/Services/IS0123456789abcdef0123456789abcdef/Maps/my-map/Items/a%20key%2Fwith%20slash");
  REQUIRE(item.ok());
  CHECK(item.operation->operation_id == "FetchSyncMapItem");
  CHECK(item.path_params.at("MapSid") == "my-map");
  CHECK(item.path_params.at("Key") == "a key/with slash");
}

TEST_CASE("literal segments win over parameters when both templates match", "[emulator][openapi]") {
  const auto statistics = check("taskrouter", "GET", "/v1/Workspaces/" + kWorkspace + "/TaskQueues/Statistics");
  REQUIRE(statistics.ok());
  CHECK(statistics.path->path_template.text() == "/v1/Workspaces/{WorkspaceSid}/TaskQueues/Statistics");
  // POST exists on /TaskQueues/{Sid} but not on the literal /TaskQueues/Statistics.
  CHECK(check("taskrouter", "POST", "/v1/Workspaces/" + kWorkspace + "/TaskQueues/Statistics").status == 405);
}

TEST_CASE("API 2010 paths with a .json suffix are matched", "[emulator][openapi]") {
  const std::string conference = "CF0123456789abcdef0123456789abcdef";
  const std::string call = "CA0123456789abcdef0123456789abcdef";
  const auto participant = check("voice", "GET",
                                 "/2010-04-01/Accounts/" + kAccount + "/Conferences/" + conference + "/Participants/" + call + ".json");
  REQUIRE(participant.ok());
  CHECK(participant.operation->operation_id == "FetchParticipant");
  CHECK(participant.path_params.at("CallSid") == call);

  const auto missing = check("voice", "GET", "/2010-04-01/Accounts/" + kAccount + "/Conferences/" + conference + ".xml");
  REQUIRE(missing.status == 404);
  CHECK(missing.error["message"] == "The requested resource /2010-04-01/Accounts/" + kAccount + "/Conferences/" +
                                        conference + ".xml was not found");
}

TEST_CASE("missing required form parameters are rejected and wrong body types too", "[emulator][openapi]") {
  const std::string items = "/v1/Services/IS0123456789abcdef0123456789abcdef/Maps/MP0123456789abcdef0123456789abcdef/Items";
  const auto missing = check("sync", "POST", items, {}, {{"Data", "{}"}}, "application/x-www-form-urlencoded");
  REQUIRE(missing.status == 400);
  CHECK(missing.error["message"] == "Missing required parameter Key in the post body");
  CHECK(check("sync", "POST", items, {}, {{"Key", "k"}, {"Data", "{}"}}, "application/x-www-form-urlencoded").ok());

  const auto json_body = check("taskrouter", "POST", "/v1/Workspaces/" + kWorkspace + "/Tasks/" + kTask, {}, {}, "application/json");
  REQUIRE(json_body.status == 400);
  CHECK(json_body.error["details"]["parameter"] == "Content-Type");
}

TEST_CASE("serverless and sync share /v1/Services but are told apart by family", "[emulator][openapi]") {
  const std::string service = "ZS0123456789abcdef0123456789abcdef";
  const auto builds = check("serverless", "GET", "/v1/Services/" + service + "/Builds");
  REQUIRE(builds.ok());
  CHECK(builds.operation->operation_id == "ListBuild");
  CHECK(check("sync", "GET", "/v1/Services/" + service + "/Builds").status == 404);
}

TEST_CASE("broken spec directories and files are reported with the file name", "[emulator][openapi]") {
  TempDir dir;
  SECTION("no such directory") {
    CHECK_THROWS_WITH(OpenApiChecker::load_directory(dir.path / "missing"), Catch::Contains("not a directory"));
  }
  SECTION("no json files") {
    CHECK_THROWS_WITH(OpenApiChecker::load_directory(dir.path), Catch::Contains("holds no *.json"));
  }
  SECTION("not JSON") {
    dir.write("bad.json", "{not json");
    CHECK_THROWS_WITH(OpenApiChecker::load_directory(dir.path), Catch::Contains("bad.json: not JSON"));
  }
  SECTION("no server URL") {
    dir.write("noserver.json", R"({"paths": {"/v1/X": {"get": {}}}})");
    CHECK_THROWS_WITH(OpenApiChecker::load_directory(dir.path), Catch::Contains("noserver.json: no servers[0].url"));
  }
  SECTION("the same family twice") {
    const std::string spec = R"({"servers":[{"url":"https://example.twilio.com"}],"paths":{"/v1/X":{"get":{}}}})";
    dir.write("a.json", spec);
    dir.write("b.json", spec);
    CHECK_THROWS_WITH(OpenApiChecker::load_directory(dir.path), Catch::Contains("family 'example' already loaded"));
  }
  SECTION("a minimal valid spec with a $ref body") {
    dir.write("mini.json", R"({"servers":[{"url":"https://mini.twilio.com"}],
      "components":{"schemas":{"Body":{"type":"object","properties":{"Name":{},"Size":{}},"required":["Name"]}}},
      "paths":{"/v1/Things/{Sid}":{"post":{"operationId":"UpdateThing",
        "parameters":[{"name":"Sid","in":"path","schema":{"pattern":"^TH[0-9]+$"}}],
        "requestBody":{"content":{"application/x-www-form-urlencoded":{"schema":{"$ref":"#/components/schemas/Body"}}}}}}}})");
    const auto mini = OpenApiChecker::load_directory(dir.path);
    const Params form = {{"Name", "n"}, {"Size", "1"}};
    CheckRequest request{"POST", "/v1/Things/TH12", nullptr, &form, "application/x-www-form-urlencoded", true};
    CHECK(mini.check("mini", request).ok());
    request.path = "/v1/Things/XX12";
    CHECK(mini.check("mini", request).status == 404);
    const Params no_name = {{"Size", "1"}};
    CheckRequest missing{"POST", "/v1/Things/TH12", nullptr, &no_name, "application/x-www-form-urlencoded", true};
    CHECK(mini.check("mini", missing).error["message"] == "Missing required parameter Name in the post body");
  }
}
