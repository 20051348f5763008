// Callback and voicemail routes (seed-behaviour 4.2/4.4, issue 7) end to end: flexcore-server against
// the real emulator process (TaskRouter + IAM), with signed Studio requests, Flex tokens and injected
// faults. The Sleeper is a recording fake: retries are checked by the sleeps asked for, never by time.

#include <catch2/catch.hpp>

#include "auth/twilio_signature.h"
#include "fakes.h"
#include "flexcore/emulator/emulator_process.h"
#include "test_server.h"
#include "http/params.h"
#include "upstream/http_client.h"

using namespace flexcore;
using namespace flexcore::server;
using namespace flexcore::server::testing;
using flexcore::emulator::EmulatorProcess;
using json = nlohmann::json;
using std::chrono::milliseconds;

namespace {
using Env = std::map<std::string, std::string>;
const std::string kWorkspace = "WS0123456789abcdef0123456789abcdef";
const std::string kWorkflow = "WW0123456789abcdef0123456789abcdef";
const std::string kUnknownWorkflow = "WWfedcba9876543210fedcba9876543210";
const std::string kFlow = "FW0123456789abcdef0123456789abcdef";
const std::string kRecording = "RE0123456789abcdef0123456789abcdef";
const std::string kTranscription = "TR0123456789abcdef0123456789abcdef";
const std::string kPublicUrl = "https://flexcore.example.com";
const std::string kStudioPath = "/callback/studio/create-callback";
const std::string kFlexPath = "/callback/flex/create-callback";
const std::string kTasksGlob = "/v1/Workspaces/*/Tasks";

struct Stack {
  EmulatorProcess emulator;
  std::shared_ptr<RecordingSleeper> sleeper = std::make_shared<RecordingSleeper>();
  std::shared_ptr<ScriptedRandom> random = std::make_shared<ScriptedRandom>(std::deque<std::int64_t>{111, 222, 333, 144, 255});
  std::unique_ptr<RunningApp> server;

  explicit Stack(Env extra = {}) {
    emulator.control("POST", "/taskrouter/workspaces",
                     {{"sid", kWorkspace}, {"workflows", {{{"sid", kWorkflow}, {"friendlyName", "Callback"}}}}}, 201);
    extra.emplace("ACCOUNT_SID", emulator.account_sid());
    extra.emplace("AUTH_TOKEN", emulator.auth_token());
    extra.emplace("FLEXCORE_IAM_URL", emulator.base_url());
    extra.emplace("FLEXCORE_TASKROUTER_URL", emulator.family_url("taskrouter"));
    extra.emplace("TWILIO_FLEX_WORKSPACE_SID", kWorkspace);
    extra.emplace("TWILIO_FLEX_CALLBACK_WORKFLOW_SID", kWorkflow);
    extra.emplace("FLEXCORE_PUBLIC_URL", kPublicUrl);
    AppDeps deps;
    deps.sleeper = sleeper;
    deps.random = random;
    server = std::make_unique<RunningApp>(make_config(extra), deps);
  }

  /// A Studio request signed with the account's auth token (form body; `query` on the URL).
  httplib::Result studio(const std::vector<FormParam>& params, const std::string& query = "", const std::string& method = "POST") {
    const std::string target = kStudioPath + (query.empty() ? "" : "?" + query);
    const auto signed_params = method == "GET" ? std::vector<FormParam>{} : params;
    const std::string signature = compute_signature(emulator.auth_token(), kPublicUrl + target, signed_params);
    auto client = server->client();
    client.set_url_encode(false);  // send the target exactly as signed
    if (method == "GET") return client.Get(target.c_str(), {{"X-Twilio-Signature", signature}});
    return client.Post(target.c_str(), {{"X-Twilio-Signature", signature}}, upstream::form_encode(params),
                       "application/x-www-form-urlencoded");
  }

  json tasks() { return emulator.control("GET", "/taskrouter/workspaces")["workspaces"][0]["tasks"]; }
  std::size_t create_calls() { return emulator.requests("POST", kTasksGlob).size(); }
};

std::vector<FormParam> callback_params() {
  return {{"numberToCall", "+15550100000"}, {"numberToCallFrom", "+15550100001"}, {"flexFlowSid", kFlow}};
}

json body_of(const httplib::Result& result) {
  REQUIRE(result);
  INFO(result->body);
  return json::parse(result->body);
}

std::string form_value(const std::string& body, const std::string& name) {
  const auto decoded = decode_form(body, "recorded body");
  REQUIRE(decoded.ok());
  for (const auto& [key, value] : decoded.value()) {
    if (key == name) return value;
  }
  return "<absent>";
}
}  // namespace

TEST_CASE("a signed Studio request creates a voicemail task exactly as upstream-contracts 3.1", "[server][emulator][callback]") {
  Stack stack;
  auto params = callback_params();
  params.insert(params.end(), {{"RecordingSid", kRecording},
                               {"RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/" + kRecording},
                               {"TranscriptionSid", kTranscription},
                               {"TranscriptionText", "Please call me back"},
                               {"utcDateTimeReceived", "2024-05-01T12:00:00.000Z"},
                               {"priority", "5"},
                               {"timeout", "3600"}});
  const auto result = stack.studio(params);
  const json body = body_of(result);
  CHECK(result->status == 200);
  CHECK(body["success"] == true);
  const std::string sid = body["taskSid"];
  CHECK(sid.rfind("WT", 0) == 0);

  const auto calls = stack.emulator.requests("POST", kTasksGlob);
  REQUIRE(calls.size() == 1);
  const std::string sent = calls[0]["body"];
  CHECK(form_value(sent, "WorkflowSid") == kWorkflow);
  CHECK(form_value(sent, "TaskChannel") == "voice");
  CHECK(form_value(sent, "Priority") == "5");
  CHECK(form_value(sent, "Timeout") == "3600");
  CHECK(form_value(sent, "VirtualStartTime") == "2024-05-01T12:00:00.000Z");
  const std::string attributes = form_value(sent, "Attributes");
  CHECK(attributes.rfind(R"j({"taskType":"voicemail","name":"Voicemail (+15550100000)","flow_execution_sid":")j", 0) == 0);

  const json tasks = stack.tasks();
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0]["sid"] == sid);
  CHECK(tasks[0]["attributes"] == attributes);
  CHECK(tasks[0]["attributes_json"]["callBackData"]["attempts"] == 0);
  CHECK(tasks[0]["attributes_json"]["callBackData"]["isDeleted"] == false);
  CHECK(tasks[0]["priority"] == 5);
  CHECK(tasks[0]["virtual_start_time"] == "2024-05-01T12:00:00Z");
}

TEST_CASE("the Transcription Callback URL form: numbers in the query string, recording in the body", "[server][emulator][callback]") {
  Stack stack;
  // Studio's url_encode leaves '+' alone, so the form decoder sees a space: the core restores it.
  const std::string query = "numberToCall=+15550100000&numberToCallFrom=%2B15550100001&flexFlowSid=" + kFlow;
  const auto result = stack.studio({{"RecordingSid", kRecording}, {"TranscriptionText", "hello"}}, query);
  const json body = body_of(result);
  CHECK(result->status == 200);
  const json tasks = stack.tasks();
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0]["attributes_json"]["callBackData"]["numberToCall"] == "+15550100000");
  CHECK(tasks[0]["attributes_json"]["callBackData"]["numberToCallFrom"] == "+15550100001");
  CHECK(tasks[0]["attributes_json"]["taskType"] == "voicemail");

  // GET works too (Studio "Run Function" / widgets may use it).
  const auto get = stack.studio({}, "numberToCall=%2B15550100000&numberToCallFrom=%2B15550100001&flexFlowSid=" + kFlow, "GET");
  CHECK(body_of(get)["success"] == true);
  CHECK(stack.tasks().size() == 2);
}

TEST_CASE("create-callback refuses unsigned Studio calls and tokenless Flex calls", "[server][emulator][callback]") {
  Stack stack;
  auto client = stack.server->client();
  const auto unsigned_call = client.Post(kStudioPath.c_str(), upstream::form_encode(callback_params()),
                                         "application/x-www-form-urlencoded");
  REQUIRE(unsigned_call);
  CHECK(unsigned_call->status == 403);
  const auto bad = client.Post(kStudioPath.c_str(), {{"X-Twilio-Signature", "bm90IGEgc2lnbmF0dXJl"}},
                               upstream::form_encode(callback_params()), "application/x-www-form-urlencoded");
  REQUIRE(bad);
  CHECK(bad->status == 403);
  const auto no_token = client.Post(kFlexPath.c_str(), upstream::form_encode(callback_params()), "application/x-www-form-urlencoded");
  REQUIRE(no_token);
  CHECK(no_token->status == 403);
  CHECK(stack.create_calls() == 0);
}

TEST_CASE("the Flex route re-queues with a Flex token", "[server][emulator][callback]") {
  Stack stack;
  const auto token = stack.emulator.issue_token("alice", {"agent"});
  auto params = callback_params();
  params.insert(params.end(), {{"Token", token.token}, {"attempts", "1"}, {"conversation_id", "WTaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
                               {"utcDateTimeReceived", "2024-04-30T08:00:00.000Z"}});
  auto client = stack.server->client();
  const auto result = client.Post(kFlexPath.c_str(), upstream::form_encode(params), "application/x-www-form-urlencoded");
  const json body = body_of(result);
  CHECK(result->status == 200);
  CHECK(body["success"] == true);
  const json tasks = stack.tasks();
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0]["attributes_json"]["callBackData"]["attempts"] == 1);
  CHECK(tasks[0]["attributes_json"]["conversations"]["conversation_id"] == "WTaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  CHECK(tasks[0]["virtual_start_time"] == "2024-04-30T08:00:00Z");
  CHECK(tasks[0]["attributes"].get<std::string>().find(token.token) == std::string::npos);
}

TEST_CASE("create-callback answers 400 in the seed's body for each bad input, without calling TaskRouter", "[server][emulator][callback]") {
  Stack stack;
  const auto missing = stack.studio({{"numberToCallFrom", "+15550100001"}});
  const json missing_body = body_of(missing);
  CHECK(missing->status == 400);
  CHECK(missing_body == json{{"data", nullptr},
                             {"message", "(/callback/studio/create-callback) Missing numberToCall: the number of the customer to call; "
                                         "Missing flexFlowSid: the SID of the Flex Flow that triggered this function"},
                             {"code", "InvalidArgument"}});
  const std::vector<std::pair<FormParam, std::string>> cases = {
      {{"numberToCall", "12345"}, "numberToCall"},
      {{"numberToCall", "+1 (555) 010-0000"}, "numberToCall"},
      {{"numberToCall", "%2B15550100000"}, "numberToCall"},
      {{"numberToCallFrom", "letters"}, "numberToCallFrom"},
      {{"attempts", "-1"}, "attempts"},
      {{"attempts", "abc"}, "attempts"},
      {{"attempts", "1e9"}, "attempts"},
      {{"timeout", "0"}, "timeout"},
      {{"timeout", "2592001"}, "timeout"},
  };
  for (const auto& [param, field] : cases) {
    INFO(param.first << "=" << param.second);
    std::vector<FormParam> params = {param};
    for (const auto& base : callback_params()) params.push_back(base);  // the first occurrence wins
    const auto result = stack.studio(params);
    const json body = body_of(result);
    CHECK(result->status == 400);
    CHECK(body["data"].is_null());
    CHECK(body["code"] == "InvalidArgument");
    CHECK(body["message"].get<std::string>().rfind("(/callback/studio/create-callback) " + field, 0) == 0);
  }
  CHECK(stack.create_calls() == 0);
}

TEST_CASE("a 100 KB transcript still creates the voicemail, cut and flagged", "[server][emulator][callback]") {
  Stack stack;
  auto params = callback_params();
  params.emplace_back("RecordingSid", kRecording);
  params.emplace_back("TranscriptionText", std::string(100 * 1024, 't'));
  const auto result = stack.studio(params);
  CHECK(body_of(result)["success"] == true);
  const json tasks = stack.tasks();
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0]["attributes_json"]["callBackData"]["TranscriptionText"].get<std::string>().size() == 8192);
  CHECK(tasks[0]["attributes_json"]["callBackData"]["transcriptionTruncated"] == true);
}

TEST_CASE("a TaskRouter rejection answers its status with success:false and TaskRouter's message", "[server][emulator][callback]") {
  Stack stack;
  auto params = callback_params();
  params.emplace_back("workflowSid", kUnknownWorkflow);
  const auto result = stack.studio(params);
  const json body = body_of(result);
  CHECK(result->status == 400);
  CHECK(body["success"] == false);
  CHECK_THAT(body["message"].get<std::string>(), Catch::Contains("WorkflowSid " + kUnknownWorkflow + " is not a workflow"));
  CHECK(stack.tasks().empty());
  CHECK(stack.create_calls() == 1);  // a 400 is final: no retry
}

TEST_CASE("create-callback retries 429 twice then succeeds: 3 calls recorded", "[server][emulator][callback][retry]") {
  Stack stack;
  stack.emulator.add_fault({{"method", "POST"}, {"path", kTasksGlob}, {"status", 429}, {"count", 2}});
  const auto result = stack.studio(callback_params());
  const json body = body_of(result);
  CHECK(result->status == 200);
  CHECK(body["success"] == true);
  const auto calls = stack.emulator.requests("POST", kTasksGlob);
  REQUIRE(calls.size() == 3);
  CHECK(calls[0]["status"] == 429);
  CHECK(calls[1]["status"] == 429);
  CHECK(calls[2]["status"] == 201);
  CHECK(calls[0]["body"] == calls[2]["body"]);
  CHECK(stack.sleeper->sleeps() == std::vector<milliseconds>{milliseconds(111), milliseconds(222)});
  CHECK(stack.tasks().size() == 1);
}

TEST_CASE("create-callback gives up on 503 after the retry limit with a bounded error", "[server][emulator][callback][retry]") {
  Stack stack(Env{{"TWILIO_SERVICE_RETRY_LIMIT", "2"}});
  stack.emulator.add_fault({{"method", "POST"}, {"path", kTasksGlob}, {"status", 503}, {"count", 0}});
  const auto result = stack.studio(callback_params());
  const json body = body_of(result);
  CHECK(result->status == 503);
  CHECK(body["success"] == false);
  CHECK(body["code"] == "Unavailable");
  CHECK(stack.create_calls() == 3);
  CHECK(stack.sleeper->sleeps() == std::vector<milliseconds>{milliseconds(111), milliseconds(222)});
  CHECK(stack.tasks().empty());
}

TEST_CASE("create-callback without a workspace is 503 NotConfigured naming the variable", "[server][emulator][callback]") {
  Stack stack(Env{{"TWILIO_FLEX_WORKSPACE_SID", ""}});
  const auto result = stack.studio(callback_params());
  const json body = body_of(result);
  CHECK(result->status == 503);
  CHECK(body["code"] == "NotConfigured");
  CHECK_THAT(body["message"].get<std::string>(), Catch::Contains("TWILIO_FLEX_WORKSPACE_SID"));
  CHECK(stack.create_calls() == 0);
}
