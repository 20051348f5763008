// Flex-token authentication of flexcore-server against the real upstream emulator process
// (tests/emulator): IAM Tokens/validate, its request log and fault injection.

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

namespace {
const std::string kValidatePath = "/v1/Accounts/*/Tokens/validate";

std::map<std::string, std::string> env_for(const EmulatorProcess& emulator, std::map<std::string, std::string> extra = {}) {
  extra.emplace("ACCOUNT_SID", emulator.account_sid());
  extra.emplace("AUTH_TOKEN", emulator.auth_token());
  extra.emplace("FLEXCORE_IAM_URL", emulator.base_url());
  extra.emplace("FLEXCORE_THREADS", "128");
  return extra;
}

AppDeps deps_with(std::shared_ptr<RecordingSleeper> sleeper = std::make_shared<RecordingSleeper>()) {
  AppDeps deps;
  deps.sleeper = std::move(sleeper);
  deps.random = std::make_shared<ScriptedRandom>();
  return deps;
}

void add_admin_route(App& app) {
  app.router().add({"POST"}, "/test/admin-write", AuthMode::FlexToken,
                   [](RequestContext& ctx) -> Result<Reply> { return Reply::json({{"by", ctx.token->identity}}); },
                   {"admin", "supervisor"});
}
}  // namespace

TEST_CASE("emulator: an issued token is accepted and /session returns its identity", "[server][emulator][token]") {
  EmulatorProcess emulator;
  const auto alice = emulator.issue_token("alice", {"agent", "supervisor"});
  RunningApp server(make_config(env_for(emulator)), deps_with());
  auto result = server.client().Get(("/session?Token=" + alice.token).c_str());
  REQUIRE(result);
  CHECK(result->status == 200);
  const auto body = nlohmann::json::parse(result->body);
  CHECK(body["identity"] == "alice");
  CHECK(body["roles"] == nlohmann::json{"agent", "supervisor"});
  CHECK(body["workerSid"] == alice.worker_sid);
  CHECK(body["expiration"] == alice.expiration);

  const auto calls = emulator.requests("POST", kValidatePath);
  REQUIRE(calls.size() == 1);
  CHECK(calls[0]["path"] == "/v1/Accounts/" + emulator.account_sid() + "/Tokens/validate");
  CHECK(calls[0]["status"] == 200);
  CHECK(calls[0]["headers"]["content-type"] == "application/json");
  CHECK(calls[0]["headers"]["cache-control"] == "no-cache");
  CHECK(nlohmann::json::parse(calls[0]["body"].get<std::string>()) == nlohmann::json{{"token", alice.token}});
}

TEST_CASE("emulator: unknown and expired tokens are 403 with IAM's message", "[server][emulator][token]") {
  EmulatorProcess emulator;
  RunningApp server(make_config(env_for(emulator)), deps_with());
  auto client = server.client();

  auto unknown = client.Post("/session", "Token=not-a-real-token", "application/x-www-form-urlencoded");
  REQUIRE(unknown);
  CHECK(unknown->status == 403);
  CHECK(unknown->body == "Invalid Access Token");

  const auto expired = emulator.issue_token("bob", {"agent"}, 0);
  auto late = client.Post("/session", nlohmann::json{{"Token", expired.token}}.dump(), "application/json");
  REQUIRE(late);
  CHECK(late->status == 403);
  CHECK(late->body == "Access Token expired or expiration date invalid");
  CHECK(late->get_header_value("Access-Control-Allow-Methods") == "OPTIONS, GET, POST");
}

TEST_CASE("emulator: a role-guarded route refuses an agent and serves a supervisor", "[server][emulator][token]") {
  EmulatorProcess emulator;
  const auto agent = emulator.issue_token("agent-amy", {"agent"});
  const auto supervisor = emulator.issue_token("sue", {"agent", "supervisor"});
  RunningApp server(make_config(env_for(emulator)), deps_with(), add_admin_route);
  auto client = server.client();
  auto refused = client.Post("/test/admin-write", "Token=" + agent.token, "application/x-www-form-urlencoded");
  REQUIRE(refused);
  CHECK(refused->status == 403);
  CHECK(nlohmann::json::parse(refused->body)["code"] == "PermissionDenied");
  auto served = client.Post("/test/admin-write", "Token=" + supervisor.token, "application/x-www-form-urlencoded");
  REQUIRE(served);
  CHECK(served->status == 200);
  CHECK(nlohmann::json::parse(served->body)["by"] == "sue");
}

TEST_CASE("emulator: wrong server credentials are a 502, and API keys work", "[server][emulator][token]") {
  SECTION("IAM answers 401 to a wrong auth token") {
    EmulatorProcess emulator;
    const auto alice = emulator.issue_token("alice", {"agent"});
    auto env = env_for(emulator);
    env["AUTH_TOKEN"] = "wrong-auth-token";
    RunningApp server(make_config(env), deps_with());
    auto result = server.client().Get(("/session?Token=" + alice.token).c_str());
    REQUIRE(result);
    CHECK(result->status == 502);
    const auto body = nlohmann::json::parse(result->body);
    CHECK(body["code"] == "UpstreamError");
    CHECK_THAT(body["error"].get<std::string>(), Catch::Contains("rejected the server's credentials"));
    CHECK_THAT(result->body, !Catch::Contains("wrong-auth-token"));
    CHECK(emulator.requests("POST", kValidatePath).at(0)["status"] == 401);
  }
  SECTION("API key and secret instead of the auth token") {
    EmulatorProcess::Options options;
    options.api_key = "SK0123456789abcdef0123456789abcdef";
    options.api_secret = "emulator-api-secret";
    EmulatorProcess emulator(options);
    const auto alice = emulator.issue_token("alice", {"agent"});
    RunningApp server(make_config({{"ACCOUNT_SID", emulator.account_sid()},
                                   {"API_KEY", options.api_key},
                                   {"API_SECRET", options.api_secret},
                                   {"FLEXCORE_IAM_URL", emulator.base_url()}}),
                      deps_with());
    auto result = server.client().Get(("/session?Token=" + alice.token).c_str());
    REQUIRE(result);
    CHECK(result->status == 200);
  }
}

TEST_CASE("emulator: 100 concurrent requests with the same new token make one IAM call", "[server][emulator][token]") {
  EmulatorProcess emulator;
  const auto carol = emulator.issue_token("carol", {"agent"});
  // Slow IAM down so most requests arrive while the first validation is in flight.
  emulator.add_fault({{"method", "POST"}, {"path", kValidatePath}, {"delayMs", 300}, {"count", 1}});
  RunningApp server(make_config(env_for(emulator)), deps_with());

  constexpr int kRequests = 100;
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  std::vector<std::thread> clients;
  for (int i = 0; i < kRequests; ++i) {
    clients.emplace_back([&] {
      auto client = server.client();
      auto result = client.Get(("/session?Token=" + carol.token).c_str());
      if (result && result->status == 200 && nlohmann::json::parse(result->body)["identity"] == "carol") {
        ++ok;
      } else {
        ++failed;
        std::lock_guard lock(failures_mutex);
        failures.push_back(result ? std::to_string(result->status) + " " + result->body
                                  : "transport: " + httplib::to_string(result.error()));
      }
    });
  }
  for (auto& thread : clients) thread.join();
  for (const auto& failure : failures) UNSCOPED_INFO(failure);
  CHECK(ok == kRequests);
  CHECK(failed == 0);
  CHECK(emulator.requests("POST", kValidatePath).size() == 1);
  ServerMetrics& metrics = server.app().metrics();
  CHECK(metrics.token_cache_misses.value() == 1);
  CHECK(metrics.token_cache_hits.value() + metrics.token_validations_coalesced.value() == kRequests - 1);
}
