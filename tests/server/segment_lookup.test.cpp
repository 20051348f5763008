// GET|POST /get-segment-id (issue 4, seed-behaviour.md 1.2-1.4) through the full flexcore-server stack
// against the real emulator process (IAM + Insights). Time is injected: no test waits for real.

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "fakes.h"
#include "flexcore/emulator/emulator_process.h"
#include "test_server.h"

using namespace flexcore;
using namespace flexcore::server;
using namespace flexcore::server::testing;
using flexcore::emulator::EmulatorProcess;
using json = nlohmann::json;

namespace {

const std::string kSid = "WT0123456789abcdef0123456789abcdef";
const std::string kUnknownSid = "WTffffffffffffffffffffffffffffffff";
const std::string kEmptySid = "WTeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";

/// The emulator seeded with an Insights user, workspace "ws1", report "777" and three tasks.
struct Upstream {
  EmulatorProcess emulator;
  EmulatorProcess::Token alice;
  Upstream() {
    alice = emulator.issue_token("alice", {"agent"}, 60 * 24 * 3600);  // outlives the clock jumps below
    emulator.control("POST", "/insights/users", {{"login", "insights@example.com"}, {"password", "s3cret"}}, 201);
    emulator.control("POST", "/insights/workspaces", {{"workspace", "ws1"}, {"reports", {"777"}}}, 201);
    emulator.control("POST", "/insights/segments",
                     {{"workspace", "ws1"}, {"externalId", kSid}, {"segmentIds", {"123456", "12,34", "ab\"c", "123456"}}}, 201);
    emulator.control("POST", "/insights/segments", {{"workspace", "ws1"}, {"externalId", kEmptySid}, {"segmentIds", json::array()}}, 201);
  }
  std::map<std::string, std::string> env(std::map<std::string, std::string> extra = {}) const {
    extra.emplace("ACCOUNT_SID", emulator.account_sid());
    extra.emplace("AUTH_TOKEN", emulator.auth_token());
    extra.emplace("FLEXCORE_IAM_URL", emulator.base_url());
    extra.emplace("FLEXCORE_INSIGHTS_URL", emulator.family_url("insights"));
    extra.emplace("ANALYTICS_WORKSPACE", "ws1");
    extra.emplace("INSIGHTS_USERNAME", "insights@example.com");
    extra.emplace("INSIGHTS_PASSWORD", "s3cret");
    extra.emplace("INSIGHTS_REPORT", "777");
    extra.emplace("FLEXCORE_THREADS", "128");
    return extra;
  }
  std::size_t count(const std::string& method, const std::string& glob) { return emulator.requests(method, glob).size(); }
  std::size_t logins() { return count("POST", "/insights/gdc/account/login"); }
  std::size_t tt_fetches() { return count("GET", "/insights/gdc/account/token"); }
};

struct Deps {
  std::shared_ptr<RecordingSleeper> sleeper = std::make_shared<RecordingSleeper>();
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  AppDeps make() const {
    AppDeps deps;
    deps.sleeper = sleeper;
    deps.clock = clock;
    deps.random = std::make_shared<ScriptedRandom>();
    return deps;
  }
};

std::string lookup_path(const std::string& sid, const std::string& token) {
  return "/get-segment-id?TaskSid=" + upstream::url_encode(sid) + "&Token=" + token;
}

}  // namespace

TEST_CASE("segment lookup returns the report's segment ids with the seed's upstream call sequence", "[server][emulator][segment-lookup]") {
  Upstream up;
  Deps deps;
  RunningApp server(make_config(up.env()), deps.make());
  const auto result = server.client().Get(lookup_path(kSid, up.alice.token).c_str());
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(result->get_header_value("Content-Type").rfind("application/json", 0) == 0);
  CHECK(json::parse(result->body) == json{{"segment_ids", {"123456", "12,34", "ab\"c", "123456"}}});

  const auto calls = up.emulator.requests("", "/insights/**");
  REQUIRE(calls.size() == 6);
  CHECK(calls[0]["method"] == "POST");
  CHECK(calls[0]["path"] == "/insights/gdc/account/login");
  CHECK(json::parse(calls[0]["body"].get<std::string>()) ==
        json{{"postUserLogin", {{"login", "insights@example.com"}, {"password", "s3cret"}, {"remember", 0}, {"verify_level", 2}}}});
  CHECK(calls[0]["headers"]["content-type"] == "application/json");
  CHECK(calls[0]["headers"]["accept"] == "application/json");
  CHECK(calls[1]["method"] == "GET");
  CHECK(calls[1]["path"] == "/insights/gdc/account/token");
  CHECK_FALSE(calls[1]["headers"]["x-gdc-authsst"].get<std::string>().empty());
  CHECK(calls[2]["path"] == "/insights/gdc/md/ws1/identifiers");
  CHECK(json::parse(calls[2]["body"].get<std::string>()) == json{{"identifierToUri", {"label.conversations.external_id"}}});
  CHECK(calls[2]["headers"]["cookie"].get<std::string>().rfind("GDCAuthTT=", 0) == 0);
  CHECK(calls[3]["path"] == "/insights/gdc/md/ws1/obj/5193/validElements");
  CHECK(json::parse(calls[3]["body"].get<std::string>()) == json{{"validElementsRequest", {{"titles", {kSid}}}}});
  CHECK(calls[4]["path"] == "/insights/gdc/app/projects/ws1/execute/raw");
  const auto execute = json::parse(calls[4]["body"].get<std::string>());
  CHECK(execute["report_req"]["report"] == "/gdc/md/ws1/obj/777");
  CHECK(execute["report_req"]["context"]["filters"][0]["uri"] == "/gdc/md/ws1/obj/5193");
  CHECK(execute["report_req"]["context"]["filters"][0]["constraint"]["type"] == "list");
  CHECK(calls[5]["method"] == "GET");
  CHECK(calls[5]["headers"]["cookie"].get<std::string>().rfind("GDCAuthTT=", 0) == 0);
  const auto polls = up.emulator.requests("GET", "/insights/gdc/projects/ws1/execute/raw/*");
  REQUIRE(polls.size() == 1);
  CHECK(polls[0]["status"] == 200);
  CHECK(deps.sleeper->sleeps().empty());
}

TEST_CASE("segment lookup accepts POST form and JSON bodies and trims the Task SID", "[server][emulator][segment-lookup]") {
  Upstream up;
  Deps deps;
  RunningApp server(make_config(up.env()), deps.make());
  auto client = server.client();
  const auto form = client.Post("/get-segment-id", "TaskSid=%20" + kSid + "%20&Token=" + up.alice.token,
                                "application/x-www-form-urlencoded");
  REQUIRE(form);
  CHECK(form->status == 200);
  CHECK(json::parse(form->body)["segment_ids"].size() == 4);
  const auto body = client.Post("/get-segment-id", json{{"TaskSid", kSid + "\n"}, {"Token", up.alice.token}}.dump(), "application/json");
  REQUIRE(body);
  CHECK(body->status == 200);
  CHECK(json::parse(body->body)["segment_ids"][0] == "123456");
}

TEST_CASE("segment lookup answers 403 in plain text for a missing or invalid Flex token", "[server][emulator][segment-lookup]") {
  Upstream up;
  Deps deps;
  RunningApp server(make_config(up.env()), deps.make());
  const auto bad = server.client().Get(lookup_path(kSid, "not-a-token").c_str());
  REQUIRE(bad);
  CHECK(bad->status == 403);
  CHECK(bad->body == "Invalid Access Token");
  const auto missing = server.client().Get(("/get-segment-id?TaskSid=" + kSid).c_str());
  REQUIRE(missing);
  CHECK(missing->status == 403);
  CHECK(up.logins() == 0);
}

TEST_CASE("segment lookup answers 400 for a missing or malformed Task SID without calling Insights", "[server][emulator][segment-lookup]") {
  Upstream up;
  Deps deps;
  RunningApp server(make_config(up.env()), deps.make());
  auto client = server.client();
  const auto missing = client.Get(("/get-segment-id?Token=" + up.alice.token).c_str());
  REQUIRE(missing);
  CHECK(missing->status == 400);
  CHECK(json::parse(missing->body)["error"] == "TaskSid is required");
  for (const std::string& sid : {std::string("   "), std::string("")}) {
    const auto blank = client.Get(lookup_path(sid, up.alice.token).c_str());
    REQUIRE(blank);
    CHECK(blank->status == 400);
    CHECK(json::parse(blank->body)["error"] == "TaskSid is required");
  }
  for (const std::string& sid : {std::string("CA0123456789abcdef0123456789abcdef"), kSid + "0", std::string("WT' OR 1=1 --"),
                                 std::string("<script>alert(1)</script>"), std::string("WT0123")}) {
    const auto invalid = client.Get(lookup_path(sid, up.alice.token).c_str());
    REQUIRE(invalid);
    CHECK(invalid->status == 400);
    const auto message = json::parse(invalid->body)["error"].get<std::string>();
    CHECK_THAT(message, Catch::Contains("TaskSid"));
    CHECK_THAT(message, Catch::Contains("WT"));
    CHECK_THAT(message, Catch::Contains("32"));
    CHECK(message.find("<script>") == std::string::npos);
  }
  CHECK(up.count("", "/insights/**") == 0);
}

TEST_CASE("segment lookup answers 503 naming the missing Insights settings", "[server][emulator][segment-lookup]") {
  Upstream up;
  Deps deps;
  auto env = up.env();
  env.erase("INSIGHTS_PASSWORD");
  env.erase("INSIGHTS_REPORT");
  RunningApp server(make_config(env), deps.make());
  const auto result = server.client().Get(lookup_path(kSid, up.alice.token).c_str());
  REQUIRE(result);
  CHECK(result->status == 503);
  const auto message = json::parse(result->body)["error"].get<std::string>();
  CHECK_THAT(message, Catch::Contains("INSIGHTS_PASSWORD") && Catch::Contains("INSIGHTS_REPORT"));
  CHECK(message.find("ANALYTICS_WORKSPACE") == std::string::npos);
  CHECK(up.logins() == 0);
}

TEST_CASE("segment lookup answers 404 with the seed's message when Insights has not indexed the task", "[server][emulator][segment-lookup]") {
  Upstream up;
  Deps deps;
  RunningApp server(make_config(up.env()), deps.make());
  const auto result = server.client().Get(lookup_path(kUnknownSid, up.alice.token).c_str());
  REQUIRE(result);
  CHECK(result->status == 404);
  CHECK(json::parse(result->body)["error"] ==
        "External ID '" + kUnknownSid +
            "' not found in Flex Insights. The task may not be indexed yet (default 1 hour delay after a conversation ends).");
  CHECK(up.count("POST", "/insights/gdc/app/projects/*/execute/raw") == 0);
}

TEST_CASE("segment lookup returns an empty list when the report export answers 204", "[server][emulator][segment-lookup]") {
  Upstream up;
  Deps deps;
  RunningApp server(make_config(up.env()), deps.make());
  const auto result = server.client().Get(lookup_path(kEmptySid, up.alice.token).c_str());
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(json::parse(result->body) == json{{"segment_ids", json::array()}});
}

TEST_CASE("segment lookup answers 502 naming the upstream status for Insights failures", "[server][emulator][segment-lookup]") {
  Upstream up;
  Deps deps;
  RunningApp server(make_config(up.env({{"TWILIO_SERVICE_RETRY_LIMIT", "0"}})), deps.make());
  auto client = server.client();

  SECTION("the report execution fails") {
    up.emulator.add_fault({{"path", "/insights/gdc/app/projects/*/execute/raw"}, {"status", 500}});
    const auto result = client.Get(lookup_path(kSid, up.alice.token).c_str());
    REQUIRE(result);
    CHECK(result->status == 502);
    CHECK(json::parse(result->body)["error"] == "Flex Insights report execution failed with HTTP 500");
  }
  SECTION("the login answers HTML instead of JSON") {
    up.emulator.add_fault({{"path", "/insights/gdc/account/login"}, {"status", 200}, {"body", "<html><body>Maintenance</body></html>"},
                           {"headers", {{"Content-Type", "text/html"}}}});
    const auto result = client.Get(lookup_path(kSid, up.alice.token).c_str());
    REQUIRE(result);
    CHECK(result->status == 502);
    CHECK(json::parse(result->body)["error"] == "Authentication failed (Flex Insights answered HTTP 200, Content-Type text/html)");
  }
  SECTION("the credentials are wrong") {
    auto env = up.env({{"TWILIO_SERVICE_RETRY_LIMIT", "0"}});
    env["INSIGHTS_PASSWORD"] = "wrong";
    RunningApp wrong(make_config(env), deps.make());
    const auto result = wrong.client().Get(lookup_path(kSid, up.alice.token).c_str());
    REQUIRE(result);
    CHECK(result->status == 502);
    const auto message = json::parse(result->body)["error"].get<std::string>();
    CHECK(message == "Flex Insights login failed with HTTP 401 (check INSIGHTS_USERNAME and INSIGHTS_PASSWORD)");
    CHECK(message.find("wrong") == std::string::npos);
  }
  SECTION("the workspace does not exist") {
    auto env = up.env();
    env["ANALYTICS_WORKSPACE"] = "nope";
    RunningApp other(make_config(env), deps.make());
    const auto result = other.client().Get(lookup_path(kSid, up.alice.token).c_str());
    REQUIRE(result);
    CHECK(result->status == 502);
    CHECK(json::parse(result->body)["error"] ==
          "Failed to resolve GoodData identifier 'label.conversations.external_id' in workspace 'nope': "
          "Flex Insights identifiers failed with HTTP 404");
  }
  SECTION("the export is not valid CSV") {
    up.emulator.add_fault({{"method", "GET"}, {"path", "/insights/gdc/projects/*/execute/raw/*"}, {"status", 200},
                           {"body", "id\r\n\"123\r\n456\r\n"}});
    const auto result = client.Get(lookup_path(kSid, up.alice.token).c_str());
    REQUIRE(result);
    CHECK(result->status == 502);
    CHECK(json::parse(result->body)["error"] ==
          "Flex Insights report export is not valid CSV: CSV: unterminated quoted field starting on line 2");
  }
  SECTION("the connection drops") {
    // count 0: libcurl re-sends once on a fresh connection when a reused one closes without an answer.
    up.emulator.add_fault({{"path", "/insights/gdc/md/*/obj/*/validElements"}, {"drop", true}, {"count", 0}});
    const auto result = client.Get(lookup_path(kSid, up.alice.token).c_str());
    REQUIRE(result);
    CHECK(result->status == 502);
    CHECK_THAT(json::parse(result->body)["error"].get<std::string>(), Catch::StartsWith("Flex Insights validElements failed: "));
  }
}

TEST_CASE("segment lookup polls a slow export with growing waits", "[server][emulator][segment-lookup]") {
  Upstream up;
  Deps deps;
  up.emulator.control("POST", "/insights/settings", {{"pendingPolls", 5}});
  RunningApp server(make_config(up.env()), deps.make());
  const auto result = server.client().Get(lookup_path(kSid, up.alice.token).c_str());
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(json::parse(result->body)["segment_ids"].size() == 4);
  using std::chrono::milliseconds;
  CHECK(deps.sleeper->sleeps() == std::vector<milliseconds>{milliseconds(100), milliseconds(200), milliseconds(400),
                                                            milliseconds(800), milliseconds(1000)});
  const auto polls = up.emulator.requests("GET", "/insights/gdc/projects/ws1/execute/raw/*");
  REQUIRE(polls.size() == 6);
  CHECK(polls[0]["status"] == 202);
  CHECK(polls[5]["status"] == 200);
}

TEST_CASE("segment lookup answers 504 when the export is not ready within the polling budget", "[server][emulator][segment-lookup]") {
  Upstream up;
  Deps deps;
  up.emulator.control("POST", "/insights/settings", {{"pendingPolls", 1000}});
  RunningApp server(make_config(up.env({{"INSIGHTS_POLL_BUDGET_MS", "1500"}})), deps.make());
  const auto result = server.client().Get(lookup_path(kSid, up.alice.token).c_str());
  REQUIRE(result);
  CHECK(result->status == 504);
  CHECK(json::parse(result->body)["error"] ==
        "Flex Insights report was not ready within 1500 ms (INSIGHTS_POLL_BUDGET_MS); try again shortly");
  using std::chrono::milliseconds;
  // 100 + 200 + 400 + 800 = 1500: the waits never exceed the budget; one last poll after the last wait.
  CHECK(deps.sleeper->sleeps() == std::vector<milliseconds>{milliseconds(100), milliseconds(200), milliseconds(400), milliseconds(800)});
  CHECK(up.count("GET", "/insights/gdc/projects/ws1/execute/raw/*") == 5);

  SECTION("the default budget is 8 s") {
    RunningApp defaults(make_config(up.env()), deps.make());
    CHECK(defaults.app().config().insights_poll_budget == milliseconds(8000));
  }
}

TEST_CASE("segment lookup reuses the TT, refreshes it 60 s before expiry and logs in again when the SST ages out", "[server][emulator][segment-lookup][cache]") {
  Upstream up;
  Deps deps;
  RunningApp server(make_config(up.env()), deps.make());
  auto client = server.client();
  const auto lookup = [&] {
    const auto result = client.Get(lookup_path(kSid, up.alice.token).c_str());
    REQUIRE(result);
    CHECK(result->status == 200);
  };
  lookup();
  lookup();
  CHECK(up.logins() == 1);
  CHECK(up.tt_fetches() == 1);
  CHECK(up.count("POST", "/insights/gdc/md/*/identifiers") == 1);  // display form cached per workspace

  deps.clock->advance(std::chrono::seconds(8 * 60 + 59));  // 9 min − 1 s: still inside the reuse window
  lookup();
  CHECK(up.tt_fetches() == 1);
  deps.clock->advance(std::chrono::seconds(1));  // 60 s before the TT's 10 minutes: refresh
  lookup();
  CHECK(up.tt_fetches() == 2);
  CHECK(up.logins() == 1);

  deps.clock->advance(std::chrono::hours(24 * 14) - std::chrono::minutes(1));  // SST 60 s before its 14 days
  lookup();
  CHECK(up.logins() == 2);
  CHECK(up.tt_fetches() == 3);
}

TEST_CASE("segment lookup recovers from a 401: new TT first, new login when the SST is refused too", "[server][emulator][segment-lookup][cache]") {
  Upstream up;
  Deps deps;
  RunningApp server(make_config(up.env()), deps.make());
  auto client = server.client();
  const auto lookup = [&] {
    const auto result = client.Get(lookup_path(kSid, up.alice.token).c_str());
    REQUIRE(result);
    CHECK(result->status == 200);
    CHECK(json::parse(result->body)["segment_ids"].size() == 4);
  };
  lookup();
  up.emulator.control("POST", "/insights/expire", {{"tokens", "tt"}});
  lookup();
  CHECK(up.logins() == 1);
  CHECK(up.tt_fetches() == 2);
  CHECK(up.count("POST", "/insights/gdc/md/*/obj/*/validElements") == 3);  // 200, 401, 200

  up.emulator.control("POST", "/insights/expire", {{"tokens", "all"}});
  lookup();
  CHECK(up.logins() == 2);
  CHECK(up.tt_fetches() == 4);  // refused with the old SST, then issued after the new login

  SECTION("a second 401 in a row is reported, not retried forever") {
    up.emulator.add_fault({{"path", "/insights/gdc/md/*/obj/*/validElements"}, {"status", 401}, {"count", 2}});
    const auto result = client.Get(lookup_path(kSid, up.alice.token).c_str());
    REQUIRE(result);
    CHECK(result->status == 502);
    CHECK(json::parse(result->body)["error"] == "Flex Insights validElements failed with HTTP 401");
  }
}

TEST_CASE("segment lookup logs in once for a burst of concurrent cold lookups (single-flight)", "[server][emulator][segment-lookup][cache]") {
  Upstream up;
  Deps deps;
  RunningApp server(make_config(up.env()), deps.make());
  constexpr int kCallers = 32;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kCallers; ++i) {
    threads.emplace_back([&] {
      auto client = server.client();
      const auto result = client.Get(lookup_path(kSid, up.alice.token).c_str());
      if (result && result->status == 200) ++ok;
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(ok == kCallers);
  CHECK(up.logins() == 1);
  CHECK(up.tt_fetches() == 1);
}

TEST_CASE("segment lookup handles a 50 MB export and refuses one above the upstream size limit", "[server][emulator][segment-lookup][bad-input]") {
  Upstream up;
  Deps deps;
  // Generous bounds (not assertions): a debug emulator on a loaded machine takes a while to send 65 MB.
  RunningApp server(make_config(up.env({{"TWILIO_SERVICE_RETRY_LIMIT", "0"},
                                        {"FLEXCORE_UPSTREAM_TIMEOUT_MS", "120000"},
                                        {"INSIGHTS_POLL_BUDGET_MS", "120000"}})),
                    deps.make());
  // Report rows with an empty Segment Id ("","WT…"\r\n, 41 bytes) are dropped by the parser: the answer stays small.
  const auto seed_rows = [&](std::size_t bytes) {
    up.emulator.control("POST", "/insights/segments",
                        {{"workspace", "ws1"}, {"externalId", kSid}, {"segmentIds", {"first", "last"}}, {"emptyRows", bytes / 41}}, 201);
  };
  SECTION("50 MB") {
    seed_rows(50U << 20U);
    const auto result = server.client().Get(lookup_path(kSid, up.alice.token).c_str());
    REQUIRE(result);
    CHECK(result->status == 200);
    CHECK(json::parse(result->body) == json{{"segment_ids", {"first", "last"}}});
  }
  SECTION("above 64 MiB") {
    seed_rows(65U << 20U);
    const auto result = server.client().Get(lookup_path(kSid, up.alice.token).c_str());
    REQUIRE(result);
    CHECK(result->status == 502);
    CHECK_THAT(json::parse(result->body)["error"].get<std::string>(),
               Catch::StartsWith("Flex Insights report download failed: ") && Catch::Contains("larger than"));
  }
}

TEST_CASE("segment lookup sends a CSV with only a header as an empty list", "[server][emulator][segment-lookup][bad-input]") {
  Upstream up;
  Deps deps;
  RunningApp server(make_config(up.env()), deps.make());
  up.emulator.add_fault({{"method", "GET"}, {"path", "/insights/gdc/projects/*/execute/raw/*"}, {"status", 200},
                         {"body", "\xEF\xBB\xBF\"Segment Id\",\"External Id\"\r\n"}});
  const auto result = server.client().Get(lookup_path(kSid, up.alice.token).c_str());
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(json::parse(result->body) == json{{"segment_ids", json::array()}});
}
