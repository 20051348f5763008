#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "auth/flex_token.h"
#include "fakes.h"
#include "metrics.h"
#include "scripted_upstream.h"
#include "upstream/retrying_client.h"

using namespace flexcore;
using namespace flexcore::server;
using namespace flexcore::server::auth;
using namespace flexcore::server::testing;

namespace {
const std::string kAccount = "AC0123456789abcdef0123456789abcdef";

struct Validator {
  Config config;
  Registry registry;
  ServerMetrics metrics{registry};
  upstream::CurlHttpClient curl;
  ManualClock clock{std::chrono::system_clock::from_time_t(1700000000)};  // 2023-11-14T22:13:20Z
  RecordingSleeper sleeper;
  ScriptedRandom random;
  upstream::RetryingClient retrying;
  TokenValidator validator;

  explicit Validator(std::map<std::string, std::string> env)
      : config(make_config(std::move(env))),
        retrying(curl, upstream::RetryPolicy{}, clock, sleeper, random, &metrics),
        validator(config, retrying, clock, &metrics) {}
};

std::map<std::string, std::string> iam_env(const ScriptedUpstream& iam, std::map<std::string, std::string> extra = {}) {
  extra.emplace("ACCOUNT_SID", kAccount);
  extra.emplace("AUTH_TOKEN", "the-auth-token");
  extra.emplace("FLEXCORE_IAM_URL", iam.url());
  return extra;
}
}  // namespace

TEST_CASE("Token is taken from the query, a form body or a JSON body", "[server][token]") {
  const nlohmann::json json = {{"Token", "j"}};
  CHECK(extract_token({{"Token", "q"}}, {}, nullptr).value() == std::optional<std::string>("q"));
  CHECK(extract_token({}, {{"Token", "f"}}, nullptr).value() == std::optional<std::string>("f"));
  CHECK(extract_token({}, {}, &json).value() == std::optional<std::string>("j"));
  CHECK_FALSE(extract_token({{"token", "lower-case is another name"}}, {}, nullptr).value().has_value());
  CHECK(extract_token({{"Token", "same"}}, {{"Token", "same"}}, nullptr).value() == std::optional<std::string>("same"));
}

TEST_CASE("duplicate or conflicting Tokens are 400s", "[server][token]") {
  auto twice = extract_token({{"Token", "a"}, {"Token", "a"}}, {}, nullptr);
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().code == ErrorCode::InvalidArgument);
  CHECK_THAT(twice.error().message, Catch::Contains("more than once in the query string"));

  auto twice_form = extract_token({}, {{"Token", "a"}, {"Token", "b"}}, nullptr);
  REQUIRE_FALSE(twice_form.ok());
  CHECK_THAT(twice_form.error().message, Catch::Contains("form body"));

  const nlohmann::json json = {{"Token", "b"}};
  auto conflict = extract_token({{"Token", "a"}}, {}, &json);
  REQUIRE_FALSE(conflict.ok());
  CHECK(conflict.error().message == "Token is sent in the query string and the JSON body with different values; send one Token");
  CHECK_THAT(conflict.error().message, !Catch::Contains("\"a\""));

  const nlohmann::json number = {{"Token", 5}};
  auto typed = extract_token({}, {}, &number);
  REQUIRE_FALSE(typed.ok());
  CHECK(typed.error().message == "Token in the JSON body must be a string");
}

TEST_CASE("IAM expirations parse as UTC", "[server][token]") {
  const auto parsed = parse_iso8601_utc("2018-09-24T23:22:44.240Z");
  REQUIRE(parsed);
  CHECK(std::chrono::duration_cast<std::chrono::milliseconds>(parsed->time_since_epoch()).count() == 1537831364240);
  CHECK(parse_iso8601_utc("2018-09-24T23:22:44Z"));
  CHECK(parse_iso8601_utc("2018-09-24T23:22:44+00:00"));
  CHECK_FALSE(parse_iso8601_utc("2018-09-24 23:22:44Z"));
  CHECK_FALSE(parse_iso8601_utc("2018-09-24T23:22:44.Z"));
  CHECK_FALSE(parse_iso8601_utc("2018-13-24T23:22:44Z"));
  CHECK_FALSE(parse_iso8601_utc("2018-09-24T23:22:44+02:00"));
  CHECK_FALSE(parse_iso8601_utc("9999-01-01T00:00:00Z"));  // beyond system_clock's range
  CHECK_FALSE(parse_iso8601_utc(""));
}

TEST_CASE("require_role accepts any listed role, else PermissionDenied", "[server][token]") {
  TokenResult agent;
  agent.roles = {"agent"};
  TokenResult supervisor;
  supervisor.roles = {"agent", "supervisor"};
  CHECK(require_role(supervisor, {"admin", "supervisor"}).ok());
  const auto denied = require_role(agent, {"admin", "supervisor"});
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().code == ErrorCode::PermissionDenied);
  CHECK(denied.error().message == "this operation requires the admin or supervisor role");
  CHECK(require_role(agent, std::vector<std::string>{}).ok());  // a route without roles allows every user
  CHECK_FALSE(require_role(agent, std::vector<std::string>{"admin"}).ok());
}

TEST_CASE("a valid token is validated once against IAM, then served from the cache until it expires",
          "[server][token]") {
  ScriptedUpstream iam;
  // Expires 10 minutes after the validator's clock.
  iam.set_fallback(iam_valid("alice", {"agent", "supervisor"}, "2023-11-14T22:23:20.000Z"));
  Validator v(iam_env(iam));

  auto first = v.validator.validate("flex-token-1");
  REQUIRE(first.ok());
  CHECK(first.value()->identity == "alice");
  CHECK(first.value()->roles == std::vector<std::string>{"agent", "supervisor"});
  CHECK(first.value()->worker_sid == "WK0123456789abcdef0123456789abcdef");
  CHECK(first.value()->realm_user_id == "alice@example.com");
  CHECK(first.value()->expiration == "2023-11-14T22:23:20.000Z");
  CHECK(first.value()->raw["valid"] == true);

  const auto seen = iam.received();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "POST");
  CHECK(seen[0].path == "/v1/Accounts/" + kAccount + "/Tokens/validate");
  CHECK(seen[0].authorization == "Basic QUMwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjp0aGUtYXV0aC10b2tlbg==");
  CHECK(seen[0].content_type == "application/json");
  CHECK(seen[0].cache_control == "no-cache");
  CHECK(nlohmann::json::parse(seen[0].body) == nlohmann::json{{"token", "flex-token-1"}});

  REQUIRE(v.validator.validate("flex-token-1").ok());
  CHECK(iam.count() == 1);
  CHECK(v.metrics.token_cache_hits.value() == 1);
  CHECK(v.metrics.token_cache_misses.value() == 1);
  CHECK(v.validator.cached() == 1);

  v.clock.advance(std::chrono::minutes(10));  // now == expiration: no longer served from cache
  REQUIRE(v.validator.validate("flex-token-1").ok());
  CHECK(iam.count() == 2);
}

TEST_CASE("invalid tokens are 403 with IAM's message and are not cached", "[server][token]") {
  ScriptedUpstream iam;
  iam.set_fallback(iam_invalid("Access Token expired or expiration date invalid"));
  Validator v(iam_env(iam));
  for (int i = 0; i < 2; ++i) {
    auto result = v.validator.validate("expired-token");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::Unauthenticated);
    CHECK(result.error().message == "Access Token expired or expiration date invalid");
  }
  CHECK(iam.count() == 2);
  CHECK(v.validator.cached() == 0);
}

TEST_CASE("missing server credentials or token give the seed messages without calling IAM", "[server][token]") {
  ScriptedUpstream iam;
  SECTION("no credentials") {
    Validator v({{"FLEXCORE_IAM_URL", iam.url()}, {"ACCOUNT_SID", kAccount}});
    auto result = v.validator.validate("token");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::Unauthenticated);
    CHECK(result.error().message ==
          "Unauthorized: AccountSid or AuthToken was not provided. For more information, please visit "
          "https://twilio.com/console/runtime/functions/configure");
  }
  SECTION("no token") {
    Validator v(iam_env(iam));
    auto result = v.validator.validate("");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().message == "Unauthorized: Token was not provided");
  }
  CHECK(iam.count() == 0);
}

TEST_CASE("API key credentials are used when there is no auth token", "[server][token]") {
  ScriptedUpstream iam;
  iam.set_fallback(iam_valid("bob", {"agent"}));
  Validator v({{"ACCOUNT_SID", kAccount}, {"API_KEY", "SK0123456789abcdef0123456789abcdef"},
               {"API_SECRET", "key-secret"}, {"FLEXCORE_IAM_URL", iam.url()}});
  REQUIRE(v.validator.validate("t").ok());
  // base64("SK0123456789abcdef0123456789abcdef:key-secret")
  CHECK(iam.received().at(0).authorization == "Basic U0swMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjprZXktc2VjcmV0");
}

TEST_CASE("IAM failures that are not about the token map to 5xx errors", "[server][token]") {
  ScriptedUpstream iam;
  SECTION("IAM rejects the server's credentials") {
    iam.set_fallback(twilio_error(401, 20003, "Authenticate"));
    Validator v(iam_env(iam));
    auto result = v.validator.validate("t");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::UpstreamError);
    CHECK_THAT(result.error().message, !Catch::Contains("the-auth-token"));
  }
  SECTION("IAM answers something that is not JSON") {
    iam.set_fallback(ScriptedResponse{200, "<html>", "text/html", {}, false});
    Validator v(iam_env(iam));
    CHECK(v.validator.validate("t").error().code == ErrorCode::UpstreamError);
  }
  SECTION("IAM stays unavailable through the retries") {
    iam.set_fallback(twilio_error(503, 0, "down"));
    Validator v(iam_env(iam));
    auto result = v.validator.validate("t");
    CHECK(result.error().code == ErrorCode::Unavailable);
    CHECK(iam.count() == 6);
    CHECK(v.sleeper.sleeps().size() == 5);
  }
  SECTION("a token IAM calls valid without an expiration is accepted but not cached") {
    iam.set_fallback(ScriptedResponse{200, R"({"valid":true,"identity":"x","roles":[]})", "application/json", {}, false});
    Validator v(iam_env(iam));
    REQUIRE(v.validator.validate("t").ok());
    REQUIRE(v.validator.validate("t").ok());
    CHECK(iam.count() == 2);
  }
}

TEST_CASE("the cache is bounded (least recently used goes first)", "[server][token]") {
  ScriptedUpstream iam;
  iam.set_fallback(iam_valid("u", {"agent"}));
  Validator v(iam_env(iam, {{"FLEXCORE_TOKEN_CACHE_SIZE", "2"}}));
  REQUIRE(v.validator.validate("a").ok());
  REQUIRE(v.validator.validate("b").ok());
  REQUIRE(v.validator.validate("a").ok());  // a is now most recent
  REQUIRE(v.validator.validate("c").ok());  // evicts b
  CHECK(v.validator.cached() == 2);
  CHECK(iam.count() == 3);
  REQUIRE(v.validator.validate("a").ok());
  CHECK(iam.count() == 3);
  REQUIRE(v.validator.validate("b").ok());
  CHECK(iam.count() == 4);
  CHECK(v.metrics.token_cache_entries.value() == 2);
}

TEST_CASE("concurrent validations of the same new token share one IAM call", "[server][token]") {
  // IAM's answer is held until every other caller is waiting on the one call in flight.
  auto held = iam_valid("carol", {"agent"});
  held.hold = true;
  ScriptedUpstream holding_iam;
  holding_iam.set_fallback(held);
  Validator v(iam_env(holding_iam));

  constexpr int kCallers = 20;
  std::atomic<int> ok{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&] {
      if (v.validator.validate("shared-token").ok()) ++ok;
    });
  }
  // Every caller but one waits on the flight; the one (leader) is inside IAM.
  REQUIRE(wait_until([&] {
    return v.metrics.token_validations_coalesced.value() == kCallers - 1 && holding_iam.holding() == 1;
  }));
  holding_iam.release();
  for (auto& caller : callers) caller.join();
  CHECK(ok == kCallers);
  CHECK(holding_iam.count() == 1);
  CHECK(v.metrics.token_cache_misses.value() == 1);
}
