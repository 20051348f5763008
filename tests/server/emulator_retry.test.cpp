// The retry policy (seed-behaviour 6) end to end: flexcore-server's IAM calls against the real
// emulator with injected faults. The Sleeper is a recording fake: tests check the sleeps asked
// for, never elapsed time.

#include <catch2/catch.hpp>

#include "fakes.h"
#include "flexcore/emulator/emulator_process.h"
#include "test_server.h"

using namespace flexcore;
using namespace flexcore::server;
using namespace flexcore::server::testing;
using flexcore::emulator::EmulatorProcess;
using std::chrono::milliseconds;

namespace {
const std::string kValidatePath = "/v1/Accounts/*/Tokens/validate";
using Env = std::map<std::string, std::string>;

struct Stack {
  EmulatorProcess emulator;
  std::shared_ptr<RecordingSleeper> sleeper = std::make_shared<RecordingSleeper>();
  std::shared_ptr<ScriptedRandom> random = std::make_shared<ScriptedRandom>(std::deque<std::int64_t>{123, 234, 289, 156, 267});
  std::unique_ptr<RunningApp> server;
  EmulatorProcess::Token token;

  explicit Stack(std::map<std::string, std::string> extra = {}) {
    extra.emplace("ACCOUNT_SID", emulator.account_sid());
    extra.emplace("AUTH_TOKEN", emulator.auth_token());
    extra.emplace("FLEXCORE_IAM_URL", emulator.base_url());
    AppDeps deps;
    deps.sleeper = sleeper;
    deps.random = random;
    server = std::make_unique<RunningApp>(make_config(extra), deps);
    token = emulator.issue_token("dana", {"agent"});
  }
  httplib::Result session() { return server->client().Get(("/session?Token=" + token.token).c_str()); }
  std::size_t iam_calls() { return emulator.requests("POST", kValidatePath).size(); }
};
}  // namespace

TEST_CASE("emulator faults: 429 then 200 succeeds after one random backoff", "[server][emulator][retry]") {
  Stack stack;
  stack.emulator.add_fault({{"method", "POST"}, {"path", kValidatePath}, {"status", 429}, {"count", 1}});
  auto result = stack.session();
  REQUIRE(result);
  CHECK(result->status == 200);
  const auto calls = stack.emulator.requests("POST", kValidatePath);
  REQUIRE(calls.size() == 2);
  CHECK(calls[0]["status"] == 429);
  CHECK(calls[0]["faulted"] == true);
  CHECK(calls[1]["status"] == 200);
  CHECK(stack.sleeper->sleeps() == std::vector<milliseconds>{milliseconds(123)});
  CHECK(stack.random->ranges() == std::vector<std::pair<std::int64_t, std::int64_t>>{{100, 300}});
}

TEST_CASE("emulator faults: 503 on every attempt ends as 503 Unavailable after the limit", "[server][emulator][retry]") {
  Stack stack(Env{{"TWILIO_SERVICE_RETRY_LIMIT", "3"}});
  stack.emulator.add_fault({{"method", "POST"}, {"path", kValidatePath}, {"status", 503}, {"count", 0}});
  auto result = stack.session();
  REQUIRE(result);
  CHECK(result->status == 503);
  const auto body = nlohmann::json::parse(result->body);
  CHECK(body["code"] == "Unavailable");
  CHECK_THAT(body["error"].get<std::string>(), Catch::Contains("after 4 attempts"));
  CHECK(stack.iam_calls() == 4);
  CHECK(stack.sleeper->sleeps() == std::vector<milliseconds>{milliseconds(123), milliseconds(234), milliseconds(289)});
  CHECK_THAT(stack.server->client().Get("/metrics")->body,
             Catch::Contains("flexcore_upstream_retries_total{host=\"127.0.0.1:" +
                             std::to_string(stack.emulator.port()) + "\",reason=\"503\"} 3"));
}

TEST_CASE("emulator faults: 429 that never ends is 429 ResourceExhausted", "[server][emulator][retry]") {
  Stack stack(Env{{"TWILIO_SERVICE_RETRY_LIMIT", "1"}});
  stack.emulator.add_fault({{"method", "POST"}, {"path", kValidatePath}, {"status", 429}, {"count", 0}});
  auto result = stack.session();
  REQUIRE(result);
  CHECK(result->status == 429);
  CHECK(nlohmann::json::parse(result->body)["code"] == "ResourceExhausted");
  CHECK(stack.iam_calls() == 2);
}

TEST_CASE("emulator faults: Retry-After is honoured instead of the random backoff", "[server][emulator][retry]") {
  Stack stack;
  stack.emulator.add_fault({{"method", "POST"},
                            {"path", kValidatePath},
                            {"status", 503},
                            {"headers", {{"Retry-After", "3"}}},
                            {"count", 1}});
  auto result = stack.session();
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(stack.sleeper->sleeps() == std::vector<milliseconds>{milliseconds(3000)});
  CHECK(stack.random->ranges().empty());
}

TEST_CASE("emulator faults: a dropped connection is retried like a 503", "[server][emulator][retry]") {
  Stack stack;
  stack.emulator.add_fault({{"method", "POST"}, {"path", kValidatePath}, {"drop", true}, {"count", 1}});
  auto result = stack.session();
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(stack.sleeper->sleeps() == std::vector<milliseconds>{milliseconds(123)});
  CHECK(wait_until([&] { return stack.iam_calls() == 2; }));
}

TEST_CASE("emulator faults: timeouts are bounded and end as 504 DeadlineExceeded", "[server][emulator][retry]") {
  Stack stack(Env{{"TWILIO_SERVICE_RETRY_LIMIT", "2"}, {"FLEXCORE_UPSTREAM_TIMEOUT_MS", "200"}});
  // Each IAM answer comes 1.5 s late: every attempt hits the 200 ms budget.
  stack.emulator.add_fault({{"method", "POST"}, {"path", kValidatePath}, {"delayMs", 1500}, {"count", 3}});
  auto result = stack.session();
  REQUIRE(result);
  CHECK(result->status == 504);
  const auto body = nlohmann::json::parse(result->body);
  CHECK(body["code"] == "DeadlineExceeded");
  CHECK_THAT(body["error"].get<std::string>(), Catch::Contains("did not answer in time (after 3 attempts)"));
  CHECK(stack.sleeper->sleeps().size() == 2);
  CHECK(wait_until([&] { return stack.iam_calls() == 3; }));
  // The fault is used up: the next request succeeds.
  REQUIRE(stack.session()->status == 200);
}
