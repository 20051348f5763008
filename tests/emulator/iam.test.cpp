// IAM Tokens/validate (upstream-contracts.md 1.2) and token issuing, against the real emulator process.
#include "test_support.h"

#include <catch2/catch.hpp>

using flexcore::emulator::EmulatorProcess;
using namespace flexcore::emulator::testing;
using json = nlohmann::json;

namespace {

const json kAuthenticateError = {{"code", 20003},
                                 {"message", "Authenticate"},
                                 {"more_info", "https://www.twilio.com/docs/errors/20003"},
                                 {"status", 401}};

}  // namespace

TEST_CASE("IAM validates a known unexpired token with its identity, roles and worker", "[emulator][iam]") {
  EmulatorProcess emulator;
  const auto alice = emulator.issue_token("alice", {"agent", "supervisor"}, 3600);
  CHECK(alice.identity == "alice");
  CHECK(alice.roles == std::vector<std::string>{"agent", "supervisor"});
  CHECK(alice.worker_sid.rfind("WK", 0) == 0);
  CHECK(alice.worker_sid.size() == 34);
  CHECK(alice.token.size() > 100);
  CHECK(alice.expiration.size() == 24);  // 2026-11-21T18:55:16.123Z
  CHECK(alice.expiration.back() == 'Z');

  auto client = client_for(emulator);
  for (const std::string prefix : {"", "/iam"}) {
    const auto result = validate(client, emulator.account_sid(), emulator.account_sid(), emulator.auth_token(), alice.token, prefix);
    REQUIRE(result);
    CHECK(result->status == 200);
    CHECK(result->get_header_value("Content-Type") == "application/json");
    CHECK(json_of(result) == json{{"valid", true},
                                  {"code", 0},
                                  {"message", nullptr},
                                  {"expiration", alice.expiration},
                                  {"realm_user_id", "alice@example.com"},
                                  {"identity", "alice"},
                                  {"roles", {"agent", "supervisor"}},
                                  {"worker_sid", alice.worker_sid}});
  }
}

TEST_CASE("IAM answers valid=false 20101 for an unknown token", "[emulator][iam]") {
  EmulatorProcess emulator;
  emulator.issue_token("alice", {"agent"});
  auto client = client_for(emulator);
  const auto result = validate(client, emulator.account_sid(), emulator.account_sid(), emulator.auth_token(), "not-a-token");
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(json_of(result) == json{{"valid", false}, {"code", 20101}, {"message", "Invalid Access Token"}});
}

TEST_CASE("IAM answers valid=false 20104 for an expired token", "[emulator][iam]") {
  EmulatorProcess emulator;
  auto client = client_for(emulator);
  for (const int ttl : {0, -60}) {
    INFO("ttlSeconds " << ttl);
    const auto old = emulator.issue_token("bob", {"agent"}, ttl);
    const auto result = validate(client, emulator.account_sid(), emulator.account_sid(), emulator.auth_token(), old.token);
    REQUIRE(result);
    CHECK(result->status == 200);
    CHECK(json_of(result) ==
          json{{"valid", false}, {"code", 20104}, {"message", "Access Token expired or expiration date invalid"}});
  }
}

TEST_CASE("IAM refuses wrong Basic credentials with 401 20003", "[emulator][iam]") {
  EmulatorProcess emulator;
  const auto alice = emulator.issue_token("alice", {"agent"});
  auto client = client_for(emulator);

  SECTION("wrong auth token") {
    const auto result = validate(client, emulator.account_sid(), emulator.account_sid(), "wrong-token", alice.token);
    REQUIRE(result);
    CHECK(result->status == 401);
    CHECK(json_of(result) == kAuthenticateError);
    CHECK(result->get_header_value("WWW-Authenticate") == "Basic realm=\"Twilio API\"");
  }
  SECTION("another account's SID as username") {
    const auto result = validate(client, emulator.account_sid(), "AC11111111111111111111111111111111", emulator.auth_token(), alice.token);
    REQUIRE(result);
    CHECK(result->status == 401);
  }
  SECTION("the right credentials on another account's URL") {
    const auto result = validate(client, "AC11111111111111111111111111111111", emulator.account_sid(), emulator.auth_token(), alice.token);
    REQUIRE(result);
    CHECK(result->status == 401);
    CHECK(json_of(result) == kAuthenticateError);
  }
  SECTION("no Authorization header") {
    const auto result = client.Post(validate_path(emulator.account_sid()).c_str(), json{{"token", alice.token}}.dump(), "application/json");
    REQUIRE(result);
    CHECK(result->status == 401);
    CHECK(json_of(result) == kAuthenticateError);
  }
  SECTION("a Bearer token instead of Basic") {
    const httplib::Headers headers{{"Authorization", "Bearer " + emulator.auth_token()}};
    const auto result = client.Post(validate_path(emulator.account_sid()).c_str(), headers, json{{"token", alice.token}}.dump(), "application/json");
    REQUIRE(result);
    CHECK(result->status == 401);
  }
  SECTION("an API key when none is configured") {
    const auto result = validate(client, emulator.account_sid(), "SK00000000000000000000000000000000", "secret", alice.token);
    REQUIRE(result);
    CHECK(result->status == 401);
  }
}

TEST_CASE("IAM accepts the configured API key and secret as Basic credentials", "[emulator][iam]") {
  EmulatorProcess::Options options;
  options.account_sid = "AC0123456789abcdef0123456789abcdef";
  options.auth_token = "another-auth-token";
  options.api_key = "SK0123456789abcdef0123456789abcdef";
  options.api_secret = "the-api-secret";
  EmulatorProcess emulator(options);
  CHECK(emulator.account_sid() == options.account_sid);
  CHECK(emulator.auth_token() == options.auth_token);
  const auto carol = emulator.issue_token("carol", {"admin"});
  auto client = client_for(emulator);

  const auto with_key = validate(client, options.account_sid, options.api_key, options.api_secret, carol.token);
  REQUIRE(with_key);
  CHECK(with_key->status == 200);
  CHECK(json_of(with_key)["valid"] == true);
  CHECK(json_of(with_key)["roles"] == json{"admin"});

  const auto with_token = validate(client, options.account_sid, options.account_sid, options.auth_token, carol.token);
  REQUIRE(with_token);
  CHECK(json_of(with_token)["valid"] == true);

  const auto key_with_auth_token = validate(client, options.account_sid, options.api_key, options.auth_token, carol.token);
  REQUIRE(key_with_auth_token);
  CHECK(key_with_auth_token->status == 401);

  const auto default_credentials = validate(client, options.account_sid, "AC00000000000000000000000000000000",
                                            "emulator-auth-token", carol.token);
  REQUIRE(default_credentials);
  CHECK(default_credentials->status == 401);
}

TEST_CASE("IAM refuses a malformed validate body with 400 20001", "[emulator][iam]") {
  EmulatorProcess emulator;
  auto client = client_for(emulator);
  client.set_basic_auth(emulator.account_sid().c_str(), emulator.auth_token().c_str());
  const std::string path = validate_path(emulator.account_sid());
  for (const std::string body : {"", "{not json", "[\"token\"]", "{}", R"({"token": null})", R"({"token": ""})",
                                 R"({"token": 42})", R"({"Token": "abc"})", "token=abc"}) {
    INFO("body: " << body);
    const auto result = client.Post(path.c_str(), body, "application/json");
    REQUIRE(result);
    CHECK(result->status == 400);
    const auto error = json_of(result);
    CHECK(error["code"] == 20001);
    CHECK(error["status"] == 400);
    CHECK(error["more_info"] == "https://www.twilio.com/docs/errors/20001");
    CHECK(error["message"].get<std::string>().find("token") != std::string::npos);
  }
}

TEST_CASE("IAM answers an unknown path 404 20404 and a wrong method 405 20004", "[emulator][iam]") {
  EmulatorProcess emulator;
  auto client = client_for(emulator);
  const auto wrong_method = client.Get(validate_path(emulator.account_sid()).c_str());
  REQUIRE(wrong_method);
  CHECK(wrong_method->status == 405);
  CHECK(json_of(wrong_method)["code"] == 20004);
  CHECK(wrong_method->get_header_value("Allow") == "POST");

  const auto unknown = client.Post(("/v1/Accounts/" + emulator.account_sid() + "/Tokens/refresh").c_str(), "{}", "application/json");
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  CHECK(json_of(unknown) == json{{"code", 20404},
                                 {"message", "The requested resource /Accounts/" + emulator.account_sid() + "/Tokens/refresh was not found"},
                                 {"more_info", "https://www.twilio.com/docs/errors/20404"},
                                 {"status", 404}});
}

TEST_CASE("the control API issues tokens with the requested worker, value and roles", "[emulator][iam][control]") {
  EmulatorProcess emulator;
  const auto custom = emulator.control("POST", "/iam/tokens",
                                       json{{"identity", "dave"},
                                            {"roles", json::array()},
                                            {"ttlSeconds", 60},
                                            {"workerSid", "WK0123456789abcdef0123456789abcdef"},
                                            {"token", "custom.token-value_1"}},
                                       201);
  CHECK(custom == json{{"token", "custom.token-value_1"},
                       {"identity", "dave"},
                       {"roles", json::array()},
                       {"expiration", custom["expiration"]},
                       {"workerSid", "WK0123456789abcdef0123456789abcdef"}});
  const auto defaults = emulator.control("POST", "/iam/tokens", json{{"identity", "erin"}}, 201);
  CHECK(defaults["roles"] == json{"agent"});

  auto client = client_for(emulator);
  const auto result = validate(client, emulator.account_sid(), emulator.account_sid(), emulator.auth_token(), "custom.token-value_1");
  REQUIRE(result);
  CHECK(json_of(result)["worker_sid"] == "WK0123456789abcdef0123456789abcdef");
  CHECK(json_of(result)["roles"] == json::array());

  const auto listed = emulator.control("GET", "/iam/tokens");
  REQUIRE(listed["tokens"].size() == 2);
  CHECK(listed["tokens"][0]["identity"] == "dave");
  CHECK(listed["tokens"][0]["token"] == "custom.token-value_1");
  CHECK(listed["tokens"][1]["identity"] == "erin");
  CHECK(listed["tokens"][1]["token"] == defaults["token"]);

  CHECK_THROWS_WITH(emulator.control("POST", "/iam/tokens", json{{"identity", "x"}, {"token", "custom.token-value_1"}}, 201),
                    Catch::Contains("409") && Catch::Contains("already issued"));
}

TEST_CASE("the control API refuses invalid token requests naming the field", "[emulator][iam][control]") {
  EmulatorProcess emulator;
  const std::vector<std::pair<json, std::string>> cases = {
      {json::object(), "'identity'"},
      {json{{"identity", ""}}, "'identity'"},
      {json{{"identity", 7}}, "'identity'"},
      {json{{"identity", "a"}, {"roles", "agent"}}, "'roles'"},
      {json{{"identity", "a"}, {"roles", {1}}}, "'roles'"},
      {json{{"identity", "a"}, {"ttlSeconds", "60"}}, "'ttlSeconds'"},
      {json{{"identity", "a"}, {"ttlSeconds", 1.5}}, "'ttlSeconds'"},
      {json{{"identity", "a"}, {"workerSid", "WK1"}}, "'workerSid'"},
      {json{{"identity", "a"}, {"token", "has space"}}, "'token'"},
      {json{{"identity", "a"}, {"role", "agent"}}, "unknown field 'role'"},
  };
  for (const auto& [body, field] : cases) {
    INFO(body.dump());
    CHECK_THROWS_WITH(emulator.control("POST", "/iam/tokens", body, 201), Catch::Contains("400") && Catch::Contains(field));
  }
  CHECK(emulator.control("GET", "/iam/tokens")["tokens"].empty());
}
