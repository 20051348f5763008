// TaskRouter v1 (upstream-contracts.md 3.1) against the real emulator process: seeding through the
// control API, task create/fetch/update/delete/list, ETag/If-Match, OpenAPI checks and faults.
#include "test_support.h"

#include <catch2/catch.hpp>

using flexcore::emulator::EmulatorProcess;
using namespace flexcore::emulator::testing;
using json = nlohmann::json;

namespace {

const std::string kWorkspaceSid = "WS0123456789abcdef0123456789abcdef";
const std::string kWorkflowSid = "WW0123456789abcdef0123456789abcdef";
const std::string kOtherWorkflowSid = "WWfedcba9876543210fedcba9876543210";
const std::string kTasks = "/taskrouter/v1/Workspaces/" + kWorkspaceSid + "/Tasks";

struct Fixture {
  EmulatorProcess emulator;
  json seeded = emulator.control("POST", "/taskrouter/workspaces",
                                 {{"sid", kWorkspaceSid},
                                  {"friendlyName", "Flex Task Assignment"},
                                  {"workflows", {{{"sid", kWorkflowSid}, {"friendlyName", "Callback"}}}},
                                  {"taskChannels", {{{"uniqueName", "callback"}}}}},
                                 201);
  httplib::Client client = authed();

  httplib::Client authed() {
    auto c = client_for(emulator);
    c.set_basic_auth(emulator.account_sid().c_str(), emulator.auth_token().c_str());
    return c;
  }

  httplib::Result post(const std::string& path, const httplib::Params& params, const httplib::Headers& headers = {}) {
    return client.Post(path.c_str(), headers, params);
  }

  json create(const httplib::Params& params) {
    const auto result = post(kTasks, params);
    REQUIRE(result);
    INFO(result->body);
    REQUIRE(result->status == 201);
    return json_of(result);
  }
};

}  // namespace

TEST_CASE("a seeded workspace has its workflows and task channels plus the default channels", "[emulator][taskrouter]") {
  Fixture f;
  CHECK(f.seeded["sid"] == kWorkspaceSid);
  CHECK(f.seeded["workflows"] == json{{{"sid", kWorkflowSid}, {"friendlyName", "Callback"}}});
  std::vector<std::string> names;
  for (const auto& channel : f.seeded["taskChannels"]) names.push_back(channel["uniqueName"]);
  CHECK(names == std::vector<std::string>{"default", "voice", "chat", "sms", "video", "email", "callback"});

  const auto workspace = f.client.Get(("/taskrouter/v1/Workspaces/" + kWorkspaceSid).c_str());
  REQUIRE(workspace);
  CHECK(workspace->status == 200);
  CHECK(json_of(workspace)["friendly_name"] == "Flex Task Assignment");
  const auto workflows = f.client.Get(("/taskrouter/v1/Workspaces/" + kWorkspaceSid + "/Workflows").c_str());
  REQUIRE(workflows);
  CHECK(json_of(workflows)["workflows"][0]["sid"] == kWorkflowSid);
  CHECK(json_of(workflows)["meta"]["key"] == "workflows");
  const auto channel = f.client.Get(("/taskrouter/v1/Workspaces/" + kWorkspaceSid + "/TaskChannels/voice").c_str());
  REQUIRE(channel);
  CHECK(json_of(channel)["unique_name"] == "voice");

  const auto bad = f.emulator.control("GET", "/taskrouter/workspaces");
  CHECK(bad["workspaces"].size() == 1);
  CHECK_THROWS_WITH(f.emulator.control("POST", "/taskrouter/workspaces", {{"sid", kWorkspaceSid}}, 201),
                    Catch::Contains("exists already"));
  CHECK_THROWS_WITH(f.emulator.control("POST", "/taskrouter/workspaces", {{"workflows", {{{"sid", "WW1"}}}}}, 201),
                    Catch::Contains("'friendlyName' is required"));
  CHECK_THROWS_WITH(f.emulator.control("POST", "/taskrouter/workspaces", {{"colour", "red"}}, 201),
                    Catch::Contains("unknown field 'colour'"));
}

TEST_CASE("creating a task answers 201 with the task, version 0 as ETag and the sent fields", "[emulator][taskrouter]") {
  Fixture f;
  const std::string attributes = R"json({"taskType":"callback","name":"Callback (+15550100000)"})json";
  const auto result = f.post(kTasks, {{"Attributes", attributes},
                                      {"WorkflowSid", kWorkflowSid},
                                      {"TaskChannel", "voice"},
                                      {"Priority", "5"},
                                      {"Timeout", "3600"},
                                      {"VirtualStartTime", "2024-05-01T12:00:00.000Z"}});
  REQUIRE(result);
  INFO(result->body);
  CHECK(result->status == 201);
  CHECK(result->get_header_value("ETag") == "\"0\"");
  const json task = json_of(result);
  CHECK(task["sid"].get<std::string>().rfind("WT", 0) == 0);
  CHECK(task["sid"].get<std::string>().size() == 34);
  CHECK(task["attributes"] == attributes);
  CHECK(task["workflow_sid"] == kWorkflowSid);
  CHECK(task["workflow_friendly_name"] == "Callback");
  CHECK(task["task_channel_unique_name"] == "voice");
  CHECK(task["priority"] == 5);
  CHECK(task["timeout"] == 3600);
  CHECK(task["virtual_start_time"] == "2024-05-01T12:00:00Z");
  CHECK(task["assignment_status"] == "pending");
  CHECK(task["workspace_sid"] == kWorkspaceSid);
  CHECK(task["account_sid"] == f.emulator.account_sid());

  // Defaults: the only workflow, the default channel, priority 0, timeout 86400, attributes {}.
  const json plain = f.create({});
  CHECK(plain["workflow_sid"] == kWorkflowSid);
  CHECK(plain["task_channel_unique_name"] == "default");
  CHECK(plain["priority"] == 0);
  CHECK(plain["timeout"] == 86400);
  CHECK(plain["attributes"] == "{}");
  CHECK(plain["virtual_start_time"] == plain["date_created"]);
}

TEST_CASE("creating a task rejects bad parameters with 400 20001 naming the parameter", "[emulator][taskrouter]") {
  Fixture f;
  const std::vector<std::pair<httplib::Params, std::string>> cases = {
      {{{"Attributes", "not json"}}, "Attributes"},
      {{{"Attributes", "[1,2]"}}, "Attributes"},
      {{{"Priority", "-1"}}, "Priority"},
      {{{"Priority", "abc"}}, "Priority"},
      {{{"Timeout", "0"}}, "Timeout"},
      {{{"Timeout", "1209601"}}, "Timeout"},
      {{{"VirtualStartTime", "yesterday"}}, "VirtualStartTime"},
      {{{"VirtualStartTime", "2999-01-01T00:00:00Z"}}, "VirtualStartTime"},
      {{{"VirtualStartTime", "1899-12-31T23:59:59Z"}}, "VirtualStartTime"},
      {{{"WorkflowSid", kOtherWorkflowSid}}, "WorkflowSid"},
      {{{"TaskChannel", "carrier-pigeon"}}, "TaskChannel"},
      {{{"Colour", "red"}}, "Colour"},  // not in the spec: the OpenAPI check
  };
  for (const auto& [params, name] : cases) {
    INFO(name);
    const auto result = f.post(kTasks, params);
    REQUIRE(result);
    INFO(result->body);
    CHECK(result->status == 400);
    const json body = json_of(result);
    CHECK(body["code"] == 20001);
    CHECK(body["status"] == 400);
    CHECK(body["message"].get<std::string>().find(name) != std::string::npos);
  }
  const auto json_tasks = f.emulator.control("GET", "/taskrouter/workspaces")["workspaces"][0]["tasks"];
  CHECK(json_tasks.empty());
}

TEST_CASE("a workspace with several workflows requires WorkflowSid, an unknown workspace is 404", "[emulator][taskrouter]") {
  Fixture f;
  const auto added = f.post("/taskrouter/v1/Workspaces/" + kWorkspaceSid + "/Workflows",
                            {{"FriendlyName", "Second"}, {"Configuration", R"({"task_routing":{"filters":[]}})"}});
  REQUIRE(added);
  CHECK(added->status == 201);
  const auto missing = f.post(kTasks, {});
  REQUIRE(missing);
  CHECK(missing->status == 400);
  CHECK(json_of(missing)["message"].get<std::string>().find("WorkflowSid") != std::string::npos);

  const auto unknown = f.post("/taskrouter/v1/Workspaces/WSffffffffffffffffffffffffffffffff/Tasks", {});
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  CHECK(json_of(unknown)["code"] == 20404);
}

TEST_CASE("TaskRouter requires the account's Basic credentials", "[emulator][taskrouter]") {
  Fixture f;
  auto anonymous = client_for(f.emulator);
  const auto result = anonymous.Post(kTasks.c_str(), httplib::Params{});
  REQUIRE(result);
  CHECK(result->status == 401);
  CHECK(json_of(result)["code"] == 20003);
  anonymous.set_basic_auth(f.emulator.account_sid().c_str(), "wrong");
  const auto wrong = anonymous.Get(kTasks.c_str());
  REQUIRE(wrong);
  CHECK(wrong->status == 401);
  CHECK(f.emulator.control("GET", "/taskrouter/workspaces")["workspaces"][0]["tasks"].empty());
}

TEST_CASE("fetch carries the ETag, update with a stale If-Match is 412 and writes nothing", "[emulator][taskrouter]") {
  Fixture f;
  const json task = f.create({{"Attributes", R"({"a":1})"}});
  const std::string path = kTasks + "/" + task["sid"].get<std::string>();
  const auto fetched = f.client.Get(path.c_str());
  REQUIRE(fetched);
  CHECK(fetched->status == 200);
  CHECK(fetched->get_header_value("ETag") == "\"0\"");
  CHECK(json_of(fetched)["attributes"] == R"({"a":1})");

  const auto updated = f.post(path, {{"Attributes", R"({"a":2})"}}, {{"If-Match", "\"0\""}});
  REQUIRE(updated);
  CHECK(updated->status == 200);
  CHECK(updated->get_header_value("ETag") == "\"1\"");
  CHECK(json_of(updated)["attributes"] == R"({"a":2})");

  const auto stale = f.post(path, {{"Attributes", R"({"a":3})"}}, {{"If-Match", "\"0\""}});
  REQUIRE(stale);
  CHECK(stale->status == 412);
  CHECK(json_of(stale)["status"] == 412);
  const auto after = f.client.Get(path.c_str());
  REQUIRE(after);
  CHECK(json_of(after)["attributes"] == R"({"a":2})");
  CHECK(after->get_header_value("ETag") == "\"1\"");

  // A bare number is accepted too, and no If-Match always writes.
  const auto bare = f.post(path, {{"Priority", "7"}}, {{"If-Match", "1"}});
  REQUIRE(bare);
  CHECK(bare->status == 200);
  CHECK(bare->get_header_value("ETag") == "\"2\"");
  const auto unconditional = f.post(path, {{"VirtualStartTime", "2024-05-01T12:00:00Z"}});
  REQUIRE(unconditional);
  CHECK(unconditional->status == 200);
  CHECK(json_of(unconditional)["priority"] == 7);
  CHECK(json_of(unconditional)["virtual_start_time"] == "2024-05-01T12:00:00Z");
  CHECK(unconditional->get_header_value("ETag") == "\"3\"");
}

TEST_CASE("assignment status changes follow TaskRouter's rules", "[emulator][taskrouter]") {
  Fixture f;
  const json task = f.create({});
  const std::string sid = task["sid"];
  const std::string path = kTasks + "/" + sid;
  const auto wrapping_too_early = f.post(path, {{"AssignmentStatus", "wrapping"}});
  REQUIRE(wrapping_too_early);
  CHECK(wrapping_too_early->status == 400);
  const auto no_reason = f.post(path, {{"AssignmentStatus", "canceled"}});
  REQUIRE(no_reason);
  CHECK(no_reason->status == 400);
  CHECK(json_of(no_reason)["message"].get<std::string>().find("Reason") != std::string::npos);

  // Routing to a worker is simulated through the control API.
  const json assigned = f.emulator.control("POST", "/taskrouter/workspaces/" + kWorkspaceSid + "/tasks/" + sid,
                                           {{"assignmentStatus", "assigned"}});
  CHECK(assigned["assignment_status"] == "assigned");
  const auto wrapping = f.post(path, {{"AssignmentStatus", "wrapping"}});
  REQUIRE(wrapping);
  CHECK(json_of(wrapping)["assignment_status"] == "wrapping");
  const auto completed = f.post(path, {{"AssignmentStatus", "completed"}, {"Reason", "done"}});
  REQUIRE(completed);
  CHECK(completed->status == 200);
  CHECK(json_of(completed)["reason"] == "done");
  const auto after = f.post(path, {{"Priority", "1"}});
  REQUIRE(after);
  CHECK(after->status == 400);
  CHECK(json_of(after)["code"] == 20001);
}

TEST_CASE("listing tasks filters by status and workflow, orders and pages", "[emulator][taskrouter]") {
  Fixture f;
  const json first = f.create({{"Priority", "1"}, {"VirtualStartTime", "2024-05-01T12:00:00Z"}});
  const json second = f.create({{"Priority", "9"}, {"VirtualStartTime", "2024-04-01T12:00:00Z"}});
  const json third = f.create({{"Priority", "5"}});
  f.emulator.control("POST", "/taskrouter/workspaces/" + kWorkspaceSid + "/tasks/" + third["sid"].get<std::string>(),
                     {{"assignmentStatus", "assigned"}});

  const auto sids = [&](const std::string& query) {
    const auto result = f.client.Get((kTasks + query).c_str());
    REQUIRE(result);
    INFO(result->body);
    REQUIRE(result->status == 200);
    std::vector<std::string> out;
    const json body = json_of(result);
    for (const auto& task : body["tasks"]) out.push_back(task["sid"]);
    return out;
  };
  CHECK(sids("") == std::vector<std::string>{first["sid"], second["sid"], third["sid"]});
  CHECK(sids("?AssignmentStatus=pending") == std::vector<std::string>{first["sid"], second["sid"]});
  CHECK(sids("?AssignmentStatus=pending&AssignmentStatus=assigned").size() == 3);
  CHECK(sids("?Ordering=Priority:desc") == std::vector<std::string>{second["sid"], third["sid"], first["sid"]});
  CHECK(sids("?AssignmentStatus=pending&Ordering=VirtualStartTime:asc") == std::vector<std::string>{second["sid"], first["sid"]});
  CHECK(sids("?WorkflowSid=" + kOtherWorkflowSid).empty());

  const auto page = f.client.Get((kTasks + "?PageSize=2").c_str());
  REQUIRE(page);
  const json body = json_of(page);
  CHECK(body["tasks"].size() == 2);
  CHECK(body["meta"]["key"] == "tasks");
  CHECK(body["meta"]["page_size"] == 2);
  REQUIRE(body["meta"]["next_page_url"].is_string());
  const std::string next = body["meta"]["next_page_url"];
  const std::string next_path = next.substr(next.find("/taskrouter/"));
  const auto page2 = f.client.Get(next_path.c_str());
  REQUIRE(page2);
  CHECK(json_of(page2)["tasks"].size() == 1);
  CHECK(json_of(page2)["meta"]["next_page_url"].is_null());

  const auto bad = f.client.Get((kTasks + "?AssignmentStatus=lost").c_str());
  REQUIRE(bad);
  CHECK(bad->status == 400);
}

TEST_CASE("deleting a task honours If-Match and the task is then gone", "[emulator][taskrouter]") {
  Fixture f;
  const json task = f.create({});
  const std::string path = kTasks + "/" + task["sid"].get<std::string>();
  const auto stale = f.client.Delete(path.c_str(), httplib::Headers{{"If-Match", "\"5\""}});
  REQUIRE(stale);
  CHECK(stale->status == 412);
  const auto deleted = f.client.Delete(path.c_str(), httplib::Headers{{"If-Match", "\"0\""}});
  REQUIRE(deleted);
  CHECK(deleted->status == 204);
  const auto gone = f.client.Get(path.c_str());
  REQUIRE(gone);
  CHECK(gone->status == 404);
  CHECK(json_of(gone)["code"] == 20404);
}

TEST_CASE("TaskRouter answers 429 and 503 on demand, then serves the next call", "[emulator][taskrouter][faults]") {
  Fixture f;
  f.emulator.add_fault({{"method", "POST"}, {"path", "/v1/Workspaces/*/Tasks"}, {"status", 429}, {"count", 2}});
  f.emulator.add_fault({{"method", "POST"}, {"path", "/v1/Workspaces/*/Tasks"}, {"status", 503}});
  std::vector<int> statuses;
  for (int i = 0; i < 4; ++i) {
    const auto result = f.post(kTasks, {{"Attributes", "{}"}});
    REQUIRE(result);
    statuses.push_back(result->status);
    if (result->status == 429) CHECK(json_of(result)["code"] == 20429);
  }
  CHECK(statuses == std::vector<int>{429, 429, 503, 201});
  const auto recorded = f.emulator.requests("POST", "/v1/Workspaces/*/Tasks");
  REQUIRE(recorded.size() == 4);
  CHECK(recorded[3]["body"] == "Attributes=%7B%7D");
  // Only the served call created a task.
  CHECK(f.emulator.control("GET", "/taskrouter/workspaces")["workspaces"][0]["tasks"].size() == 1);
}

TEST_CASE("reset forgets TaskRouter state", "[emulator][taskrouter]") {
  Fixture f;
  f.create({});
  f.emulator.reset();
  CHECK(f.emulator.control("GET", "/taskrouter/workspaces")["workspaces"].empty());
  const auto result = f.post(kTasks, {});
  REQUIRE(result);
  CHECK(result->status == 404);
}

TEST_CASE("form bodies larger than httplib's 8 KB default are accepted (large Attributes)", "[emulator][taskrouter]") {
  Fixture f;
  const std::string attributes = json{{"transcript", std::string(64 * 1024, 'x')}}.dump();
  const json task = f.create({{"Attributes", attributes}});
  CHECK(task["attributes"] == attributes);
}
