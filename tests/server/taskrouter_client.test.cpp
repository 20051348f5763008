// TaskRouter client (upstream-contracts 3.1) against a scripted upstream on 127.0.0.1: the exact
// requests sent (method, path, form fields, Basic auth, If-Match) and how answers map to results.
#include <catch2/catch.hpp>

#include <string>

#include "fakes.h"
#include "http/params.h"
#include "scripted_upstream.h"
#include "upstream/retrying_client.h"
#include "upstream/taskrouter_client.h"

using namespace flexcore;
using namespace flexcore::server;
using namespace flexcore::server::testing;
using namespace flexcore::server::upstream;

namespace {
const std::string kWs = "WS0123456789abcdef0123456789abcdef";
const std::string kWt = "WT0123456789abcdef0123456789abcdef";
const std::string kWw = "WW0123456789abcdef0123456789abcdef";

struct Harness {
  CurlHttpClient curl;
  ManualClock clock;
  RecordingSleeper sleeper;
  ScriptedRandom random;
  RetryingClient retrying;
  ScriptedUpstream upstream;
  TaskRouterClient client;

  explicit Harness(int retry_limit = 5)
      : retrying(curl, policy(retry_limit), clock, sleeper, random),
        client(retrying, upstream.url() + "/", {"AC00000000000000000000000000000000", "secret-token"}) {}

  static RetryPolicy policy(int limit) {
    RetryPolicy p;
    p.retry_limit = limit;
    return p;
  }
};

/// A task resource answer with the given attributes and version.
ScriptedResponse task_answer(const std::string& attributes, int version, int status = 200) {
  nlohmann::json task = {{"sid", kWt},
                         {"workspace_sid", kWs},
                         {"assignment_status", "wrapping"},
                         {"task_channel_unique_name", "voice"},
                         {"attributes", attributes}};
  return ScriptedResponse{status, task.dump(), "application/json",
                          {{"ETag", "\"" + std::to_string(version) + "\""}}, false};
}

/// The form fields of a received body, in order.
std::vector<std::pair<std::string, std::string>> form_of(const std::string& body) {
  auto decoded = decode_form(body, "form body");
  REQUIRE(decoded.ok());
  return decoded.value();
}
}  // namespace

TEST_CASE("create_task posts every given field form-encoded with Basic auth and returns the task and its ETag",
          "[server][taskrouter]") {
  Harness h;
  h.upstream.script({task_answer(R"({"type":"callback"})", 0, 201)});
  NewTask task;
  task.attributes_json = R"({"type":"callback","name":"Ada & Bob"})";
  task.workflow_sid = kWw;
  task.task_channel = "voice";
  task.priority = 50;
  task.timeout_seconds = 3600;
  task.virtual_start_time = "2026-11-21T10:00:00Z";
  const auto created = h.client.create_task(kWs, task);
  REQUIRE(created.ok());
  CHECK(created.value().sid == kWt);
  CHECK(created.value().etag == "0");
  CHECK(created.value().attributes == R"({"type":"callback"})");
  const auto received = h.upstream.received();
  REQUIRE(received.size() == 1);
  CHECK(received[0].method == "POST");
  CHECK(received[0].path == "/v1/Workspaces/" + kWs + "/Tasks");
  CHECK(received[0].content_type == "application/x-www-form-urlencoded");
  CHECK(received[0].authorization.rfind("Basic ", 0) == 0);
  CHECK(received[0].if_match.empty());
  const auto form = form_of(received[0].body);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"Attributes", R"({"type":"callback","name":"Ada & Bob"})"},
      {"WorkflowSid", kWw},
      {"TaskChannel", "voice"},
      {"Priority", "50"},
      {"Timeout", "3600"},
      {"VirtualStartTime", "2026-11-21T10:00:00Z"}};
  CHECK(form == expected);
}

TEST_CASE("create_task sends only the fields that are set", "[server][taskrouter]") {
  Harness h;
  h.upstream.script({task_answer("{}", 0, 201)});
  NewTask task;
  task.workflow_sid = kWw;
  REQUIRE(h.client.create_task(kWs, task).ok());
  CHECK(form_of(h.upstream.received().at(0).body) ==
        std::vector<std::pair<std::string, std::string>>{{"WorkflowSid", kWw}});
}

TEST_CASE("a malformed workspace or task SID is rejected before any call", "[server][taskrouter][bad-input]") {
  Harness h;
  const auto bad_ws = h.client.create_task("WS123", NewTask{});
  REQUIRE_FALSE(bad_ws.ok());
  CHECK(bad_ws.error().code == ErrorCode::InvalidArgument);
  CHECK_THAT(bad_ws.error().message, Catch::Contains("WorkspaceSid"));
  const auto bad_wt = h.client.fetch_task(kWs, "WT../../Workflows");
  REQUIRE_FALSE(bad_wt.ok());
  CHECK_THAT(bad_wt.error().message, Catch::Contains("TaskSid"));
  const auto bad_update = h.client.update_task_attributes(kWs, "", "{}", std::nullopt);
  REQUIRE_FALSE(bad_update.ok());
  CHECK(h.upstream.count() == 0);
}

TEST_CASE("fetch_task returns the task, its attributes and the unquoted ETag", "[server][taskrouter]") {
  Harness h;
  h.upstream.script({task_answer(R"({"conference":{"sid":"CF1"}})", 7)});
  const auto fetched = h.client.fetch_task(kWs, kWt);
  REQUIRE(fetched.ok());
  CHECK(fetched.value().etag == "7");
  CHECK(fetched.value().attributes == R"({"conference":{"sid":"CF1"}})");
  CHECK(fetched.value().task["assignment_status"] == "wrapping");
  const auto received = h.upstream.received();
  REQUIRE(received.size() == 1);
  CHECK(received[0].method == "GET");
  CHECK(received[0].path == "/v1/Workspaces/" + kWs + "/Tasks/" + kWt);
}

TEST_CASE("fetch_task maps a 404 to NotFound and a non-task body to UpstreamError", "[server][taskrouter]") {
  Harness h;
  h.upstream.script({twilio_error(404, 20404, "The requested resource was not found"),
                     ScriptedResponse{200, "[1,2]", "application/json", {}, false}});
  const auto gone = h.client.fetch_task(kWs, kWt);
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().code == ErrorCode::NotFound);
  CHECK_THAT(gone.error().message, Catch::Contains("20404"));
  const auto garbage = h.client.fetch_task(kWs, kWt);
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().code == ErrorCode::UpstreamError);
}

TEST_CASE("fetch_task treats null attributes as an empty object", "[server][taskrouter]") {
  Harness h;
  h.upstream.script({ScriptedResponse{200, nlohmann::json{{"sid", kWt}, {"attributes", nullptr}}.dump(),
                                      "application/json", {{"ETag", "3"}}, false}});
  const auto fetched = h.client.fetch_task(kWs, kWt);
  REQUIRE(fetched.ok());
  CHECK(fetched.value().attributes == "{}");
  CHECK(fetched.value().etag == "3");
}

TEST_CASE("update_task_attributes sends Attributes with a quoted If-Match and returns the new version",
          "[server][taskrouter]") {
  Harness h;
  h.upstream.script({task_answer(R"({"a":2})", 4)});
  const auto updated = h.client.update_task_attributes(kWs, kWt, R"({"a":2})", std::string_view("3"));
  REQUIRE(updated.ok());
  CHECK(updated.value().outcome == WriteOutcome::Written);
  CHECK(updated.value().task.etag == "4");
  const auto received = h.upstream.received();
  REQUIRE(received.size() == 1);
  CHECK(received[0].method == "POST");
  CHECK(received[0].if_match == "\"3\"");
  CHECK(form_of(received[0].body) == std::vector<std::pair<std::string, std::string>>{{"Attributes", R"({"a":2})"}});
}

TEST_CASE("update_task_attributes accepts an already quoted ETag and can write unconditionally",
          "[server][taskrouter]") {
  Harness h;
  h.upstream.script({task_answer("{}", 1), task_answer("{}", 2)});
  REQUIRE(h.client.update_task_attributes(kWs, kWt, "{}", std::string_view("\"0\"")).ok());
  REQUIRE(h.client.update_task_attributes(kWs, kWt, "{}", std::nullopt).ok());
  const auto received = h.upstream.received();
  CHECK(received.at(0).if_match == "\"0\"");
  CHECK(received.at(1).if_match.empty());
}

TEST_CASE("a 412 on a conditional update is PreconditionFailed after one call, not retried blindly",
          "[server][taskrouter]") {
  Harness h;
  h.upstream.script({ScriptedResponse{412, "{}", "application/json", {}, false}});
  const auto updated = h.client.update_task_attributes(kWs, kWt, "{}", std::string_view("3"));
  REQUIRE(updated.ok());
  CHECK(updated.value().outcome == WriteOutcome::PreconditionFailed);
  CHECK(h.upstream.count() == 1);
  CHECK(h.sleeper.sleeps().empty());
}

TEST_CASE("a 412 without If-Match is still retried at once by the retrying client", "[server][retry]") {
  Harness h;
  h.upstream.script({ScriptedResponse{412, "{}", "application/json", {}, false}, task_answer("{}", 1)});
  const auto fetched = h.client.fetch_task(kWs, kWt);
  REQUIRE(fetched.ok());
  CHECK(h.upstream.count() == 2);
  CHECK(h.sleeper.sleeps().empty());
}

TEST_CASE("429 and 503 on TaskRouter calls are retried by the retrying client", "[server][taskrouter]") {
  Harness h;
  h.upstream.script({twilio_error(429, 20429, "Too Many Requests"), twilio_error(503, 20503, "Unavailable"),
                     task_answer("{}", 5)});
  const auto updated = h.client.update_task_attributes(kWs, kWt, "{}", std::string_view("4"));
  REQUIRE(updated.ok());
  CHECK(updated.value().outcome == WriteOutcome::Written);
  CHECK(h.upstream.count() == 3);
  CHECK(h.sleeper.sleeps().size() == 2);
}

TEST_CASE("upstream failures after the retries map to the error table", "[server][taskrouter]") {
  Harness h(1);
  h.upstream.set_fallback(twilio_error(503, 20503, "Service Unavailable"));
  const auto result = h.client.update_task_attributes(kWs, kWt, "{}", std::string_view("4"));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::Unavailable);
  CHECK(h.upstream.count() == 2);
  CHECK_THAT(result.error().message, !Catch::Contains("secret-token"));
}

TEST_CASE("safe merge: fetch, transform, write with the fetched ETag", "[server][taskrouter][merge]") {
  Harness h;
  h.upstream.script({task_answer(R"({"x":1})", 2), task_answer(R"({"x":1,"y":2})", 3)});
  std::vector<std::string> seen;
  const auto merged = h.client.update_attributes_safely(
      kWs, kWt,
      [&](const TaskSnapshot& task) -> Result<std::optional<std::string>> {
        seen.push_back(task.attributes);
        return std::optional<std::string>(R"({"x":1,"y":2})");
      },
      3);
  REQUIRE(merged.ok());
  CHECK(merged.value().written);
  CHECK(merged.value().attempts == 1);
  CHECK(merged.value().task.etag == "3");
  CHECK(seen == std::vector<std::string>{R"({"x":1})"});
  const auto received = h.upstream.received();
  REQUIRE(received.size() == 2);
  CHECK(received[1].if_match == "\"2\"");
}

TEST_CASE("safe merge: a 412 re-fetches and transforms the newer attributes, keeping both changes",
          "[server][taskrouter][merge]") {
  Harness h;
  h.upstream.script({task_answer(R"({"x":1})", 2), ScriptedResponse{412, "{}", "application/json", {}, false},
                     task_answer(R"({"x":1,"other":true})", 3), task_answer("{}", 4)});
  std::vector<std::string> seen;
  const auto merged = h.client.update_attributes_safely(
      kWs, kWt,
      [&](const TaskSnapshot& task) -> Result<std::optional<std::string>> {
        seen.push_back(task.attributes);
        auto doc = nlohmann::json::parse(task.attributes);
        doc["mine"] = 1;
        return std::optional<std::string>(doc.dump());
      },
      3);
  REQUIRE(merged.ok());
  CHECK(merged.value().attempts == 2);
  CHECK(seen == std::vector<std::string>{R"({"x":1})", R"({"x":1,"other":true})"});
  const auto received = h.upstream.received();
  REQUIRE(received.size() == 4);
  CHECK(received[1].if_match == "\"2\"");
  CHECK(received[3].if_match == "\"3\"");
  CHECK(form_of(received[3].body).at(0).second == R"({"mine":1,"other":true,"x":1})");
}

TEST_CASE("safe merge: 412 on every round ends in Conflict after max_attempts rounds", "[server][taskrouter][merge]") {
  Harness h;
  h.upstream.script({task_answer("{}", 1), ScriptedResponse{412, "{}", "application/json", {}, false},
                     task_answer("{}", 2), ScriptedResponse{412, "{}", "application/json", {}, false}});
  const auto merged = h.client.update_attributes_safely(
      kWs, kWt, [](const TaskSnapshot&) -> Result<std::optional<std::string>> { return std::optional<std::string>("{}"); },
      2);
  REQUIRE_FALSE(merged.ok());
  CHECK(merged.error().code == ErrorCode::Conflict);
  CHECK_THAT(merged.error().message, Catch::Contains("2 attempts"));
  CHECK(h.upstream.count() == 4);
}

TEST_CASE("safe merge: a transform asking for no write makes no update call", "[server][taskrouter][merge]") {
  Harness h;
  h.upstream.script({task_answer(R"({"conversations":{"hang_up_by":"agent"}})", 5)});
  const auto merged = h.client.update_attributes_safely(
      kWs, kWt, [](const TaskSnapshot&) -> Result<std::optional<std::string>> { return std::optional<std::string>(); },
      3);
  REQUIRE(merged.ok());
  CHECK_FALSE(merged.value().written);
  CHECK(merged.value().task.etag == "5");
  CHECK(h.upstream.count() == 1);
}

TEST_CASE("safe merge: a transform error and a fetch without ETag abort without writing", "[server][taskrouter][merge]") {
  Harness h;
  h.upstream.script({task_answer("{}", 1),
                     ScriptedResponse{200, nlohmann::json{{"sid", kWt}, {"attributes", "{}"}}.dump(), "application/json", {}, false}});
  const auto failed = h.client.update_attributes_safely(
      kWs, kWt,
      [](const TaskSnapshot&) -> Result<std::optional<std::string>> {
        return Error{ErrorCode::InvalidArgument, "attributes: not an object"};
      },
      3);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code == ErrorCode::InvalidArgument);
  const auto no_etag = h.client.update_attributes_safely(
      kWs, kWt, [](const TaskSnapshot&) -> Result<std::optional<std::string>> { return std::optional<std::string>("{}"); },
      3);
  REQUIRE_FALSE(no_etag.ok());
  CHECK(no_etag.error().code == ErrorCode::UpstreamError);
  CHECK_THAT(no_etag.error().message, Catch::Contains("ETag"));
  CHECK(h.upstream.count() == 2);  // two fetches, no update
}

TEST_CASE("unquote_etag strips quotes and the weak prefix", "[server][taskrouter]") {
  CHECK(unquote_etag("\"3\"") == "3");
  CHECK(unquote_etag("W/\"12\"") == "12");
  CHECK(unquote_etag(" 4 ") == "4");
  CHECK(unquote_etag("") == "");
}
