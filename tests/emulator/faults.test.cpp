// Fault injection on upstream routes, against the real emulator process.
#include "test_support.h"

#include <catch2/catch.hpp>

#include <chrono>

using flexcore::emulator::EmulatorProcess;
using namespace flexcore::emulator::testing;
using json = nlohmann::json;

namespace {

const std::string kValidateGlob = "/v1/Accounts/*/Tokens/validate";

struct Fixture {
  EmulatorProcess emulator;
  EmulatorProcess::Token token = emulator.issue_token("alice", {"agent"});
  httplib::Client client = client_for(emulator);

  httplib::Result call(const std::string& prefix = "") {
    return validate(client, emulator.account_sid(), emulator.account_sid(), emulator.auth_token(), token.token, prefix);
  }
};

}  // namespace

TEST_CASE("a status fault answers a Twilio error body for the next call only", "[emulator][faults]") {
  Fixture f;
  CHECK(f.emulator.add_fault({{"method", "POST"}, {"path", kValidateGlob}, {"status", 503}}) == "F1");
  const auto faulted = f.call();
  REQUIRE(faulted);
  CHECK(faulted->status == 503);
  CHECK(faulted->get_header_value("Content-Type") == "application/json");
  CHECK(json_of(faulted) == json{{"code", 20503},
                                 {"message", "Service Unavailable"},
                                 {"more_info", "https://www.twilio.com/docs/errors/20503"},
                                 {"status", 503}});
  const auto normal = f.call();
  REQUIRE(normal);
  CHECK(normal->status == 200);
  CHECK(json_of(normal)["valid"] == true);

  const auto recorded = f.emulator.requests();
  REQUIRE(recorded.size() == 2);
  CHECK(recorded[0]["status"] == 503);
  CHECK(recorded[0]["faulted"] == true);
  CHECK(recorded[0]["faultId"] == "F1");
  CHECK(recorded[1]["status"] == 200);
  CHECK(recorded[1]["faulted"] == false);
}

TEST_CASE("fault counts: N calls, then the next fault, then the emulated API", "[emulator][faults]") {
  Fixture f;
  f.emulator.add_fault({{"path", kValidateGlob}, {"status", 429}, {"count", 2}});
  f.emulator.add_fault({{"path", kValidateGlob}, {"status", 503}});
  std::vector<int> statuses;
  for (int i = 0; i < 4; ++i) {
    const auto result = f.call(i % 2 == 0 ? "" : "/iam");  // the glob matches with and without the family prefix
    REQUIRE(result);
    statuses.push_back(result->status);
  }
  CHECK(statuses == std::vector<int>{429, 429, 503, 200});
  const auto faults = f.emulator.faults();
  REQUIRE(faults.size() == 2);
  CHECK(faults[0]["hits"] == 2);
  CHECK(faults[0]["remaining"] == 0);
  CHECK(faults[0]["live"] == false);
  CHECK(faults[1]["hits"] == 1);
}

TEST_CASE("a count-0 fault applies until cleared", "[emulator][faults]") {
  Fixture f;
  const auto id = f.emulator.add_fault({{"path", kValidateGlob}, {"status", 500}, {"count", 0}});
  for (int i = 0; i < 5; ++i) {
    const auto result = f.call();
    REQUIRE(result);
    CHECK(result->status == 500);
  }
  SECTION("clear all") { f.emulator.clear_faults(); }
  SECTION("delete by id") { f.emulator.control("DELETE", "/faults/" + id, nullptr, 204); }
  const auto result = f.call();
  REQUIRE(result);
  CHECK(result->status == 200);
}

TEST_CASE("a fault can answer a custom body and headers such as Retry-After", "[emulator][faults]") {
  Fixture f;
  f.emulator.add_fault({{"path", kValidateGlob},
                        {"status", 429},
                        {"body", {{"code", 20429}, {"message", "Too Many Requests"}, {"status", 429}}},
                        {"headers", {{"Retry-After", "3"}, {"X-Rate-Limit-Remaining", "0"}}}});
  f.emulator.add_fault({{"path", kValidateGlob}, {"status", 502}, {"body", "<html>bad gateway</html>"},
                        {"headers", {{"Content-Type", "text/html"}}}});
  const auto limited = f.call();
  REQUIRE(limited);
  CHECK(limited->status == 429);
  CHECK(limited->get_header_value("Retry-After") == "3");
  CHECK(limited->get_header_value("X-Rate-Limit-Remaining") == "0");
  CHECK(json_of(limited) == json{{"code", 20429}, {"message", "Too Many Requests"}, {"status", 429}});

  const auto html = f.call();
  REQUIRE(html);
  CHECK(html->status == 502);
  CHECK(html->body == "<html>bad gateway</html>");
  CHECK(html->get_header_value("Content-Type") == "text/html");
}

TEST_CASE("a headers-only fault adds headers to the emulated answer", "[emulator][faults]") {
  Fixture f;
  f.emulator.add_fault({{"path", kValidateGlob}, {"headers", {{"X-Twilio-Test", "yes"}}}});
  const auto result = f.call();
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(json_of(result)["valid"] == true);
  CHECK(result->get_header_value("X-Twilio-Test") == "yes");
}

TEST_CASE("a fault only applies to its method and path", "[emulator][faults]") {
  Fixture f;
  f.emulator.add_fault({{"method", "GET"}, {"path", kValidateGlob}, {"status", 500}});
  f.emulator.add_fault({{"path", "/v1/Accounts/*/Tokens/refresh"}, {"status", 500}});
  const auto result = f.call();
  REQUIRE(result);
  CHECK(result->status == 200);
  // Faults also apply to paths no module serves.
  f.emulator.add_fault({{"path", "/segment-api/v1/track"}, {"status", 400}});
  const auto unserved = f.client.Post("/segment-api/v1/track", "{}", "application/json");
  REQUIRE(unserved);
  CHECK(unserved->status == 400);
  CHECK(json_of(unserved)["code"] == 20001);
  const auto faults = f.emulator.faults();
  CHECK(faults[0]["hits"] == 0);
  CHECK(faults[1]["hits"] == 0);
  CHECK(faults[2]["hits"] == 1);
}

TEST_CASE("a delay fault holds the answer for at least delayMs", "[emulator][faults]") {
  Fixture f;
  // Only lower bounds are asserted: a noisy machine can make the call slower, never faster.
  f.emulator.add_fault({{"path", kValidateGlob}, {"delayMs", 300}});
  const auto started = std::chrono::steady_clock::now();
  const auto delayed = f.call();
  const auto elapsed = std::chrono::steady_clock::now() - started;
  REQUIRE(delayed);
  CHECK(delayed->status == 200);  // no status: the emulated API answers after the delay
  CHECK(elapsed >= std::chrono::milliseconds(300));

  SECTION("a client whose read timeout is shorter than the delay gives up") {
    f.emulator.add_fault({{"path", kValidateGlob}, {"delayMs", 5000}, {"status", 503}});
    f.client.set_read_timeout(0, 200000);  // 200 ms < 5 s
    const auto timed_out = f.call();
    CHECK_FALSE(timed_out);
    CHECK(timed_out.error() == httplib::Error::Read);
  }
}

TEST_CASE("a drop fault closes the connection without any answer", "[emulator][faults]") {
  Fixture f;
  const std::string mode = GENERATE(as<std::string>{}, "close", "reset");
  json fault{{"path", kValidateGlob}, {"drop", true}};
  if (mode == "reset") fault["dropMode"] = "reset";
  f.emulator.add_fault(fault);
  const auto dropped = f.call();
  INFO("dropMode " << mode);
  CHECK_FALSE(dropped);
  CHECK(dropped.error() == httplib::Error::Read);
  // The next call gets a fresh connection and the emulated answer.
  const auto next = f.call();
  REQUIRE(next);
  CHECK(next->status == 200);

  const auto recorded = f.emulator.requests();
  REQUIRE(recorded.size() == 2);
  CHECK(recorded[0]["dropped"] == true);
  CHECK(recorded[0]["status"] == 0);
  CHECK(recorded[0]["faultId"] == "F1");
  CHECK(recorded[1]["dropped"] == false);
}

TEST_CASE("invalid faults are refused with 400 naming the field", "[emulator][faults]") {
  EmulatorProcess emulator;
  CHECK_THROWS_WITH(emulator.add_fault({{"path", kValidateGlob}, {"status", 503}, {"delay", 10}}),
                    Catch::Contains("400") && Catch::Contains("unknown field 'delay'"));
  CHECK_THROWS_WITH(emulator.add_fault({{"status", 503}}), Catch::Contains("'path' is required"));
  CHECK(emulator.faults().empty());
}
