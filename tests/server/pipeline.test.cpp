#include <catch2/catch.hpp>

#include <regex>
#include <stdexcept>

#include "fakes.h"
#include "http/http_error.h"
#include "log.h"
#include "scripted_upstream.h"
#include "test_server.h"

using namespace flexcore;
using namespace flexcore::server;
using namespace flexcore::server::testing;

namespace {
const std::string kAccount = "AC0123456789abcdef0123456789abcdef";
const std::string kFlexOrigin = "https://flex.twilio.com";

std::map<std::string, std::string> iam_env(const ScriptedUpstream& iam, std::map<std::string, std::string> extra = {}) {
  extra.emplace("ACCOUNT_SID", kAccount);
  extra.emplace("AUTH_TOKEN", "the-auth-token");
  extra.emplace("FLEXCORE_IAM_URL", iam.url());
  return extra;
}

AppDeps quiet_deps(const std::shared_ptr<RecordingSleeper>& sleeper = std::make_shared<RecordingSleeper>()) {
  AppDeps deps;
  deps.sleeper = sleeper;
  deps.random = std::make_shared<ScriptedRandom>();
  return deps;
}

nlohmann::json json_of(const httplib::Result& result) { return nlohmann::json::parse(result->body); }
}  // namespace

TEST_CASE("/healthz answers ok with a generated request id", "[server][pipeline]") {
  RunningApp server(make_config(), quiet_deps());
  auto client = server.client();
  auto result = client.Get("/healthz");
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(json_of(result) == nlohmann::json{{"status", "ok"}});
  CHECK(std::regex_match(result->get_header_value("X-Request-Id"), std::regex("[0-9a-f]{32}")));

  auto head = client.Head("/healthz");
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->body.empty());
}

TEST_CASE("a sane X-Request-Id is echoed, anything else is replaced", "[server][pipeline]") {
  RunningApp server(make_config(), quiet_deps());
  auto client = server.client();
  auto echoed = client.Get("/healthz", {{"X-Request-Id", "trace-42.a:b_c"}});
  REQUIRE(echoed);
  CHECK(echoed->get_header_value("X-Request-Id") == "trace-42.a:b_c");
  auto replaced = client.Get("/healthz", {{"X-Request-Id", "bad id with spaces <script>"}});
  REQUIRE(replaced);
  CHECK(std::regex_match(replaced->get_header_value("X-Request-Id"), std::regex("[0-9a-f]{32}")));
  auto too_long = client.Get("/healthz", {{"X-Request-Id", std::string(200, 'a')}});
  CHECK(too_long->get_header_value("X-Request-Id").size() == 32);
}

TEST_CASE("unknown routes are 404 and wrong methods 405 with Allow, in the JSON error form", "[server][pipeline]") {
  RunningApp server(make_config(), quiet_deps());
  auto client = server.client();
  auto missing = client.Get("/no/such/route?Token=x", {{"Origin", kFlexOrigin}});
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(json_of(missing)["code"] == "NotFound");
  CHECK(json_of(missing)["error"] == "no route for GET /no/such/route");
  CHECK(missing->get_header_value("Access-Control-Allow-Origin") == kFlexOrigin);

  auto post_missing = client.Post("/nothing", "a=1", "application/x-www-form-urlencoded");
  REQUIRE(post_missing);
  CHECK(post_missing->status == 404);

  auto wrong = client.Delete("/healthz");
  REQUIRE(wrong);
  CHECK(wrong->status == 405);
  CHECK(wrong->get_header_value("Allow") == "GET, HEAD, OPTIONS");
  CHECK(json_of(wrong)["code"] == "InvalidArgument");
  CHECK_THAT(json_of(wrong)["error"].get<std::string>(), Catch::Contains("DELETE"));

  auto wrong_post = client.Post("/metrics", "{}", "application/json");
  REQUIRE(wrong_post);
  CHECK(wrong_post->status == 405);
  auto session_put = client.Put("/session", "", "text/plain");
  REQUIRE(session_put);
  CHECK(session_put->status == 405);
  CHECK(session_put->get_header_value("Allow") == "GET, POST, HEAD, OPTIONS");
}

TEST_CASE("CORS: preflight 204 for allowed origins, headers on every response, * only when configured",
          "[server][pipeline][cors]") {
  SECTION("default origins") {
    RunningApp server(make_config(), quiet_deps());
    auto client = server.client();
    auto preflight = client.Options("/session", {{"Origin", kFlexOrigin}, {"Access-Control-Request-Method", "POST"}});
    REQUIRE(preflight);
    CHECK(preflight->status == 204);
    CHECK(preflight->get_header_value("Access-Control-Allow-Origin") == kFlexOrigin);
    CHECK(preflight->get_header_value("Access-Control-Allow-Methods") == "OPTIONS, GET, POST");
    CHECK(preflight->get_header_value("Access-Control-Allow-Headers") == "Content-Type");
    CHECK(preflight->get_header_value("Access-Control-Max-Age") == "600");
    CHECK(preflight->get_header_value("Vary") == "Origin");
    CHECK(preflight->body.empty());

    auto foreign = client.Options("/session", {{"Origin", "https://evil.example"}});
    REQUIRE(foreign);
    CHECK(foreign->status == 403);
    CHECK(json_of(foreign)["code"] == "PermissionDenied");
    CHECK_FALSE(foreign->has_header("Access-Control-Allow-Origin"));

    auto plain = client.Get("/healthz", {{"Origin", "https://evil.example"}});
    CHECK(plain->status == 200);
    CHECK_FALSE(plain->has_header("Access-Control-Allow-Origin"));

    auto unknown = client.Options("/unknown", {{"Origin", kFlexOrigin}});
    CHECK(unknown->status == 404);
  }
  SECTION("any origin when * is configured") {
    RunningApp server(make_config({{"FLEXCORE_CORS_ORIGINS", "*"}}), quiet_deps());
    auto preflight = server.client().Options("/session", {{"Origin", "http://localhost:8080"}});
    REQUIRE(preflight);
    CHECK(preflight->status == 204);
    CHECK(preflight->get_header_value("Access-Control-Allow-Origin") == "*");
  }
}

TEST_CASE("/session: the seed's plain-text 403s, then the IAM identity", "[server][pipeline][token]") {
  ScriptedUpstream iam;
  SECTION("no server credentials") {
    RunningApp server(make_config({{"FLEXCORE_IAM_URL", iam.url()}}), quiet_deps());
    auto result = server.client().Get("/session?Token=abc", {{"Origin", kFlexOrigin}});
    REQUIRE(result);
    CHECK(result->status == 403);
    CHECK(result->body ==
          "Unauthorized: AccountSid or AuthToken was not provided. For more information, please visit "
          "https://twilio.com/console/runtime/functions/configure");
    CHECK_THAT(result->get_header_value("Content-Type"), Catch::StartsWith("text/plain"));
    CHECK(result->get_header_value("Access-Control-Allow-Origin") == kFlexOrigin);
    CHECK(result->get_header_value("Access-Control-Allow-Methods") == "OPTIONS, GET, POST");
  }
  SECTION("no token") {
    RunningApp server(make_config(iam_env(iam)), quiet_deps());
    auto result = server.client().Post("/session", "", "application/x-www-form-urlencoded");
    REQUIRE(result);
    CHECK(result->status == 403);
    CHECK(result->body == "Unauthorized: Token was not provided");
  }
  SECTION("invalid token") {
    iam.set_fallback(iam_invalid("Invalid Access Token"));
    RunningApp server(make_config(iam_env(iam)), quiet_deps());
    auto result = server.client().Get("/session?Token=nope");
    REQUIRE(result);
    CHECK(result->status == 403);
    CHECK(result->body == "Invalid Access Token");
  }
  SECTION("valid token from the query, a form body or a JSON body") {
    iam.set_fallback(iam_valid("alice", {"agent", "supervisor"}, "2100-01-01T00:00:00.000Z"));
    RunningApp server(make_config(iam_env(iam)), quiet_deps());
    auto client = server.client();
    const nlohmann::json expected = {{"identity", "alice"},
                                     {"roles", {"agent", "supervisor"}},
                                     {"workerSid", "WK0123456789abcdef0123456789abcdef"},
                                     {"expiration", "2100-01-01T00:00:00.000Z"}};
    auto by_query = client.Get("/session?Token=tok-1");
    REQUIRE(by_query);
    CHECK(by_query->status == 200);
    CHECK(json_of(by_query) == expected);
    CHECK(by_query->get_header_value("Cache-Control") == "no-store");
    auto by_form = client.Post("/session", "Token=tok-2", "application/x-www-form-urlencoded");
    CHECK(json_of(by_form) == expected);
    auto by_json = client.Post("/session", R"({"Token":"tok-3"})", "application/json");
    CHECK(json_of(by_json) == expected);
    auto same_twice = client.Post("/session?Token=tok-3", R"({"Token":"tok-3"})", "application/json");
    CHECK(same_twice->status == 200);
    CHECK(iam.count() == 3);  // tok-3 came from the cache the second time
  }
  SECTION("IAM unreachable is a 503, not a 403") {
    iam.set_fallback(twilio_error(503, 0, "down"));
    auto sleeper = std::make_shared<RecordingSleeper>();
    RunningApp server(make_config(iam_env(iam, {{"TWILIO_SERVICE_RETRY_LIMIT", "2"}})), quiet_deps(sleeper));
    auto result = server.client().Get("/session?Token=t");
    REQUIRE(result);
    CHECK(result->status == 503);
    CHECK(json_of(result)["code"] == "Unavailable");
    CHECK(iam.count() == 3);
    CHECK(sleeper->sleeps().size() == 2);
  }
}

TEST_CASE("role-guarded routes answer 403 PermissionDenied to other roles", "[server][pipeline][token]") {
  ScriptedUpstream iam;
  iam.script({iam_valid("agent-user", {"agent"}), iam_valid("boss", {"agent", "supervisor"})});
  RunningApp server(make_config(iam_env(iam)), quiet_deps(), [](App& app) {
    app.router().add({"POST"}, "/test/admin", AuthMode::FlexToken,
                     [](RequestContext& ctx) -> Result<Reply> { return Reply::json({{"by", ctx.token->identity}}); },
                     {"admin", "supervisor"});
  });
  auto client = server.client();
  auto agent = client.Post("/test/admin", "Token=agent-token", "application/x-www-form-urlencoded");
  REQUIRE(agent);
  CHECK(agent->status == 403);
  CHECK(json_of(agent)["code"] == "PermissionDenied");
  CHECK(json_of(agent)["error"] == "this operation requires the admin or supervisor role");
  auto boss = client.Post("/test/admin", "Token=boss-token", "application/x-www-form-urlencoded");
  REQUIRE(boss);
  CHECK(boss->status == 200);
  CHECK(json_of(boss)["by"] == "boss");
}

TEST_CASE("handler errors go through the table, exceptions become 500 with the request id", "[server][pipeline]") {
  CapturedLog log;
  AppDeps deps = quiet_deps();
  deps.logger = make_logger(log.sink(), "info");
  RunningApp server(make_config(), deps, [](App& app) {
    app.router().add({"GET"}, "/test/conflict", AuthMode::None, [](RequestContext&) -> Result<Reply> {
      return Error{ErrorCode::Conflict, "revision mismatch"};
    });
    app.router().add({"GET"}, "/test/throw", AuthMode::None, [](RequestContext&) -> Result<Reply> {
      throw std::runtime_error("boom at line 7");
    });
    app.router().add({"GET"}, "/test/needs-config", AuthMode::None, [&app](RequestContext&) -> Result<Reply> {
      if (auto status = app.config().require({"SEGMENT_SPACE_ID", "SEGMENT_PERSONAS_KEY"}); !status) return status.error();
      return Reply::json({});
    });
  });
  auto client = server.client();

  auto conflict = client.Get("/test/conflict");
  REQUIRE(conflict);
  CHECK(conflict->status == 409);
  CHECK(json_of(conflict) == nlohmann::json{{"error", "revision mismatch"}, {"code", "Conflict"}});

  auto thrown = client.Get("/test/throw");
  REQUIRE(thrown);
  CHECK(thrown->status == 500);
  const auto body = json_of(thrown);
  CHECK(body["code"] == "Internal");
  CHECK(body["error"] == "internal error");
  CHECK(body["requestId"] == thrown->get_header_value("X-Request-Id"));
  CHECK_THAT(log.text(), Catch::Contains("boom at line 7") && Catch::Contains(body["requestId"].get<std::string>()));

  auto not_configured = client.Get("/test/needs-config");
  REQUIRE(not_configured);
  CHECK(not_configured->status == 503);
  CHECK(json_of(not_configured)["code"] == "NotConfigured");
  CHECK(json_of(not_configured)["error"] ==
        "not configured: set SEGMENT_SPACE_ID, SEGMENT_PERSONAS_KEY (see server/README.md)");

  CHECK(client.Get("/healthz")->status == 200);  // still serving
}

TEST_CASE("one JSON log line per request, never with the Token", "[server][pipeline][log]") {
  ScriptedUpstream iam;
  iam.set_fallback(iam_valid("alice", {"agent"}));
  CapturedLog log;
  AppDeps deps = quiet_deps();
  deps.logger = make_logger(log.sink(), "info");
  RunningApp server(make_config(iam_env(iam)), deps);
  auto client = server.client();
  REQUIRE(client.Get("/session?Token=very-secret-flex-token", {{"X-Request-Id", "req-1"}})->status == 200);
  REQUIRE(client.Post("/session", {{"X-Request-Id", "req-2"}}, "Token=another-secret-token",
                      "application/x-www-form-urlencoded")
              ->status == 200);
  REQUIRE(client.Get("/healthz", {{"X-Request-Id", "req-3"}})->status == 200);
  server.listening().stop();

  const std::string text = log.text();
  CHECK_THAT(text, !Catch::Contains("very-secret-flex-token"));
  CHECK_THAT(text, !Catch::Contains("another-secret-token"));
  CHECK_THAT(text, !Catch::Contains("the-auth-token"));
  // Lines of different connections may interleave: match them by request id.
  std::map<std::string, nlohmann::json> requests;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const auto json = nlohmann::json::parse(line);  // every line is one JSON object
    if (json["msg"] == "request") requests[json["requestId"].get<std::string>()] = json;
  }
  REQUIRE(requests.size() == 3);
  const auto& first = requests.at("req-1");
  CHECK(first["method"] == "GET");
  CHECK(first["route"] == "/session");
  CHECK(first["path"] == "/session");
  CHECK(first["status"] == 200);
  CHECK(first["durationMs"].is_number());
  CHECK(first["level"] == "info");
  CHECK(first.contains("ts"));
  CHECK(requests.at("req-2")["method"] == "POST");
  CHECK(requests.at("req-3")["route"] == "/healthz");
}

TEST_CASE("/metrics exposes requests by route and status, latency and token-cache counters", "[server][pipeline][metrics]") {
  ScriptedUpstream iam;
  iam.set_fallback(iam_valid("alice", {"agent"}));
  RunningApp server(make_config(iam_env(iam)), quiet_deps());
  auto client = server.client();
  for (int i = 0; i < 3; ++i) REQUIRE(client.Get("/session?Token=t")->status == 200);
  REQUIRE(client.Get("/nowhere")->status == 404);
  auto metrics = client.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK(metrics->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = metrics->body;
  CHECK_THAT(text, Catch::Contains("flexcore_http_requests_total{route=\"/session\",method=\"GET\",status=\"200\"} 3"));
  CHECK_THAT(text, Catch::Contains("flexcore_http_requests_total{route=\"(unmatched)\",method=\"GET\",status=\"404\"} 1"));
  CHECK_THAT(text, Catch::Contains("flexcore_http_request_duration_seconds_count{route=\"/session\"} 3"));
  CHECK_THAT(text, Catch::Contains("flexcore_token_cache_hits_total 2"));
  CHECK_THAT(text, Catch::Contains("flexcore_token_cache_misses_total 1"));
  CHECK_THAT(text, Catch::Contains("flexcore_http_requests_in_flight 1"));  // this very request
  CHECK_THAT(text, Catch::Contains("flexcore_upstream_requests_total{host=\"127.0.0.1:" + std::to_string(iam.port()) +
                                   "\",status=\"200\"} 1"));
  CHECK_THAT(text, Catch::Contains("flexcore_build_info{version="));
}

TEST_CASE("/readyz: 503 naming what is missing or unreachable, 200 when ready", "[server][pipeline][ops]") {
  SECTION("missing credentials") {
    ScriptedUpstream iam;
    RunningApp server(make_config({{"FLEXCORE_IAM_URL", iam.url()}}), quiet_deps());
    auto result = server.client().Get("/readyz");
    REQUIRE(result);
    CHECK(result->status == 503);
    const auto body = json_of(result);
    CHECK(body["code"] == "Unavailable");
    CHECK_THAT(body["error"].get<std::string>(), Catch::Contains("ACCOUNT_SID") && Catch::Contains("AUTH_TOKEN"));
    CHECK(body["checks"]["config"]["ok"] == false);
    CHECK(body["checks"]["iam"]["ok"] == true);
  }
  SECTION("IAM unreachable") {
    std::string dead_url;
    {
      ScriptedUpstream gone;
      dead_url = gone.url();
    }
    RunningApp server(make_config({{"ACCOUNT_SID", kAccount}, {"AUTH_TOKEN", "x"}, {"FLEXCORE_IAM_URL", dead_url}}),
                      quiet_deps());
    auto result = server.client().Get("/readyz");
    REQUIRE(result);
    CHECK(result->status == 503);
    CHECK(json_of(result)["checks"]["iam"]["ok"] == false);
    CHECK_THAT(json_of(result)["error"].get<std::string>(), Catch::Contains(dead_url));
  }
  SECTION("ready, and cached for a few seconds") {
    ScriptedUpstream iam;
    iam.set_fallback(ScriptedResponse{404, "{}", "application/json", {}, false});  // any answer means reachable
    RunningApp server(make_config(iam_env(iam)), quiet_deps());
    auto client = server.client();
    auto result = client.Get("/readyz");
    REQUIRE(result);
    CHECK(result->status == 200);
    CHECK(json_of(result)["status"] == "ready");
    REQUIRE(client.Get("/readyz")->status == 200);
    CHECK(iam.count() == 1);
  }
}
