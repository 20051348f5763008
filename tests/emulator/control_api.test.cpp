// The control API: health, info, request recording (with redaction and filters), reset, errors,
// and concurrent use — against the real emulator process.
#include "test_support.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using flexcore::emulator::EmulatorProcess;
using namespace flexcore::emulator::testing;
using json = nlohmann::json;

TEST_CASE("the control API reports health and what the emulator serves", "[emulator][control]") {
  EmulatorProcess emulator;
  CHECK(emulator.control("GET", "/healthz") == json{{"ok", true}});
  const auto info = emulator.control("GET", "/info");
  CHECK(info["name"] == "flexcore-emulator");
  CHECK(info["baseUrl"] == emulator.base_url());
  CHECK(info["accountSid"] == emulator.account_sid());
  CHECK(info.dump().find(emulator.auth_token()) == std::string::npos);  // the secret is never shown
  REQUIRE(info["families"].size() >= 1);
  CHECK(info["families"][0]["id"] == "iam");
  CHECK(info["families"][0]["prefixes"] == json{"", "/iam"});
  CHECK(info["families"][0]["routes"] == json{"POST /v1/Accounts/{AccountSid}/Tokens/validate"});
}

TEST_CASE("requests are recorded with headers, body and status, and credentials redacted", "[emulator][control][recording]") {
  EmulatorProcess emulator;
  const auto alice = emulator.issue_token("alice", {"agent"});
  auto client = client_for(emulator);
  client.set_basic_auth(emulator.account_sid().c_str(), emulator.auth_token().c_str());
  const httplib::Headers headers{{"Cache-Control", "no-cache"}, {"X-Custom", "one"}};
  const std::string body = json{{"token", alice.token}}.dump();
  const auto result = client.Post((validate_path(emulator.account_sid(), "/iam") + "?trace=1&x=%20y").c_str(), headers,
                                  body, "application/json");
  REQUIRE(result);
  REQUIRE(result->status == 200);

  const auto recorded = emulator.requests();
  REQUIRE(recorded.size() == 1);  // control calls (issue_token, requests) are not recorded
  const auto& r = recorded[0];
  CHECK(r["seq"] == 1);
  CHECK(r["method"] == "POST");
  CHECK(r["path"] == validate_path(emulator.account_sid(), "/iam"));
  CHECK(r["family"] == "iam");
  CHECK(r["query"] == "trace=1&x=%20y");
  CHECK(r["body"] == body);
  CHECK(r["bodyTruncated"] == false);
  CHECK(r["status"] == 200);
  CHECK(r["faulted"] == false);
  CHECK(r["faultId"].is_null());
  CHECK(r["dropped"] == false);
  CHECK(r["receivedAt"].get<std::string>().size() == 24);
  CHECK(r["headers"]["authorization"] == "<redacted>");
  CHECK(r["headers"]["cache-control"] == "no-cache");
  CHECK(r["headers"]["x-custom"] == "one");
  CHECK(r["headers"]["content-type"] == "application/json");
  CHECK_FALSE(r["headers"].contains("remote_addr"));
  CHECK(r["auth"] == json{{"scheme", "Basic"}, {"username", emulator.account_sid()}});
  // The auth token appears nowhere in what the control API returns.
  CHECK(recorded.dump().find(emulator.auth_token()) == std::string::npos);

  // Other schemes keep only the scheme word; a bare credential keeps nothing.
  auto plain = client_for(emulator);
  REQUIRE(plain.Get("/v1/x", httplib::Headers{{"Authorization", "Bearer secret-bearer-value"}}));
  REQUIRE(plain.Get("/v1/y", httplib::Headers{{"Authorization", "secret-bare-value"}}));
  const auto others = emulator.control("GET", "/requests?since=1")["requests"];
  REQUIRE(others.size() == 2);
  CHECK(others[0]["auth"] == json{{"scheme", "Bearer"}, {"username", nullptr}});
  CHECK(others[1]["auth"] == json{{"scheme", "<redacted>"}, {"username", nullptr}});
  CHECK(others[0]["headers"]["authorization"] == "<redacted>");
  CHECK(others.dump().find("secret-") == std::string::npos);
}

TEST_CASE("recorded requests can be filtered by method, path glob and sequence", "[emulator][control][recording]") {
  EmulatorProcess emulator;
  auto client = client_for(emulator);
  client.set_basic_auth(emulator.account_sid().c_str(), emulator.auth_token().c_str());
  const std::string token_body = json{{"token", "x"}}.dump();
  REQUIRE(client.Post(validate_path(emulator.account_sid()).c_str(), token_body, "application/json"));         // seq 1
  REQUIRE(client.Post(validate_path(emulator.account_sid(), "/iam").c_str(), token_body, "application/json"));  // seq 2
  REQUIRE(client.Get("/iam/v1/Other"));                                                                         // seq 3
  REQUIRE(client.Get("/nowhere/at/all"));                                                                       // seq 4

  CHECK(emulator.requests().size() == 4);
  CHECK(emulator.requests("POST").size() == 2);
  CHECK(emulator.requests("get").size() == 2);
  // A glob matches the full path or the path without the family prefix.
  const auto validations = emulator.requests("", "/v1/Accounts/*/Tokens/validate");
  REQUIRE(validations.size() == 2);
  CHECK(validations[0]["path"] == validate_path(emulator.account_sid()));
  CHECK(validations[1]["path"] == validate_path(emulator.account_sid(), "/iam"));
  CHECK(emulator.requests("", "/iam/**").size() == 2);
  CHECK(emulator.requests("POST", "/iam/**").size() == 1);
  CHECK(emulator.requests("", "/nowhere/*").empty());
  CHECK(emulator.requests("", "/nowhere/**").size() == 1);

  const auto since = emulator.control("GET", "/requests?since=2")["requests"];
  REQUIRE(since.size() == 2);
  CHECK(since[0]["seq"] == 3);
  CHECK(since[0]["status"] == 404);
  CHECK(since[1]["seq"] == 4);

  CHECK_THROWS_WITH(emulator.control("GET", "/requests?since=-1"), Catch::Contains("400") && Catch::Contains("since"));
  CHECK_THROWS_WITH(emulator.control("GET", "/requests?methdo=GET"), Catch::Contains("400") && Catch::Contains("methdo"));

  emulator.clear_requests();
  CHECK(emulator.requests().empty());
  REQUIRE(client.Get("/again"));
  const auto after_clear = emulator.requests();
  REQUIRE(after_clear.size() == 1);
  CHECK(after_clear[0]["seq"] == 1);
}

TEST_CASE("reset returns tokens, faults and recorded requests to the start state", "[emulator][control]") {
  EmulatorProcess emulator;
  const auto alice = emulator.issue_token("alice", {"agent"});
  emulator.add_fault({{"path", "/never/used"}, {"status", 500}});
  auto client = client_for(emulator);
  REQUIRE(validate(client, emulator.account_sid(), emulator.account_sid(), emulator.auth_token(), alice.token));
  REQUIRE(emulator.requests().size() == 1);

  emulator.reset();
  CHECK(emulator.control("GET", "/iam/tokens")["tokens"].empty());
  CHECK(emulator.faults().empty());
  CHECK(emulator.requests().empty());
  CHECK(emulator.add_fault({{"path", "/x"}, {"status", 500}}) == "F1");  // ids restart too
  const auto result = validate(client, emulator.account_sid(), emulator.account_sid(), emulator.auth_token(), alice.token);
  REQUIRE(result);
  CHECK(json_of(result)["valid"] == false);  // the token is gone
  CHECK(json_of(result)["code"] == 20101);
}

TEST_CASE("the control API answers mistakes with a JSON error", "[emulator][control]") {
  EmulatorProcess emulator;
  auto client = client_for(emulator);
  const auto unknown = client.Get("/__emulator/nope");
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  CHECK(json_of(unknown)["error"].get<std::string>().find("no control route") != std::string::npos);

  const auto wrong_method = client.Put("/__emulator/faults", "{}", "application/json");
  REQUIRE(wrong_method);
  CHECK(wrong_method->status == 405);
  CHECK(wrong_method->get_header_value("Allow") == "DELETE, GET, POST");

  const auto bad_json = client.Post("/__emulator/faults", "{oops", "application/json");
  REQUIRE(bad_json);
  CHECK(bad_json->status == 400);
  CHECK(json_of(bad_json)["error"] == "body is not valid JSON");

  const auto not_object = client.Post("/__emulator/iam/tokens", "[1]", "application/json");
  REQUIRE(not_object);
  CHECK(not_object->status == 400);

  const auto missing_fault = client.Delete("/__emulator/faults/F99");
  REQUIRE(missing_fault);
  CHECK(missing_fault->status == 404);

  CHECK(emulator.requests().empty());  // none of that is recorded
}

TEST_CASE("concurrent validations are all answered and recorded", "[emulator][control][concurrency]") {
  EmulatorProcess emulator;
  std::vector<EmulatorProcess::Token> tokens;
  for (int i = 0; i < 8; ++i) tokens.push_back(emulator.issue_token("user" + std::to_string(i), {"agent"}));

  constexpr int kThreads = 8;
  constexpr int kCalls = 50;
  std::atomic<int> valid{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto client = client_for(emulator);  // one keep-alive connection per thread
      for (int i = 0; i < kCalls; ++i) {
        const auto result = validate(client, emulator.account_sid(), emulator.account_sid(), emulator.auth_token(), tokens[t].token);
        if (result && result->status == 200 && json_of(result)["identity"] == "user" + std::to_string(t)) {
          ++valid;
        } else {
          ++failed;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(valid == kThreads * kCalls);
  CHECK(failed == 0);
  const auto recorded = emulator.requests("POST");
  REQUIRE(recorded.size() == kThreads * kCalls);
  // Sequence numbers are unique and dense.
  for (std::size_t i = 0; i < recorded.size(); ++i) CHECK(recorded[i]["seq"] == i + 1);
}
