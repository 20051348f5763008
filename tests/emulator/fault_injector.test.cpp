// Fault specifications and the count/order semantics of the injector (no process needed).
#include "fault_injector.h"

#include <catch2/catch.hpp>

using flexcore::emulator::Fault;
using flexcore::emulator::FaultInjector;
using flexcore::emulator::parse_fault;
using json = nlohmann::json;

TEST_CASE("a fault spec is parsed with its defaults", "[emulator][faults]") {
  const Fault fault = parse_fault(json{{"path", "/v1/Accounts/*/Tokens/validate"}, {"status", 503}});
  CHECK(fault.method.empty());
  CHECK(fault.path_glob == "/v1/Accounts/*/Tokens/validate");
  CHECK(fault.status == 503);
  CHECK_FALSE(fault.body);
  CHECK(fault.count == 1);
  CHECK(fault.delay_ms == 0);
  CHECK_FALSE(fault.drop);

  const Fault custom = parse_fault(json{{"method", "post"},
                                        {"path", "/x"},
                                        {"status", 429},
                                        {"body", {{"code", 20429}}},
                                        {"headers", {{"Retry-After", "2"}}},
                                        {"count", 0}});
  CHECK(custom.method == "POST");
  CHECK(custom.body == std::string(R"({"code":20429})"));
  CHECK(custom.content_type == "application/json");
  CHECK(custom.headers == std::vector<std::pair<std::string, std::string>>{{"Retry-After", "2"}});
  CHECK(custom.count == 0);

  CHECK(parse_fault(json{{"path", "/x"}, {"status", 500}, {"body", "oops"}}).content_type == "text/plain");
  CHECK(parse_fault(json{{"path", "/x"}, {"status", 500}, {"body", "[1]"}}).content_type == "application/json");
  CHECK(parse_fault(json{{"path", "/x"}, {"status", 500}, {"body", "x"}, {"headers", {{"content-type", "text/csv"}}}})
            .content_type == "text/csv");
  CHECK(parse_fault(json{{"path", "/x"}, {"drop", true}, {"dropMode", "reset"}}).drop_mode == Fault::DropMode::Reset);
}

TEST_CASE("invalid fault specs are refused with the field named", "[emulator][faults]") {
  CHECK_THROWS_WITH(parse_fault(json::array()), Catch::Contains("JSON object"));
  CHECK_THROWS_WITH(parse_fault(json{{"status", 503}}), Catch::Contains("'path' is required"));
  CHECK_THROWS_WITH(parse_fault(json{{"path", "x"}, {"status", 503}}), Catch::Contains("'path' is required"));
  CHECK_THROWS_WITH(parse_fault(json{{"path", "/x"}, {"status", 99}}), Catch::Contains("'status' must be between 200 and 599"));
  CHECK_THROWS_WITH(parse_fault(json{{"path", "/x"}, {"status", "503"}}), Catch::Contains("'status' must be an integer"));
  CHECK_THROWS_WITH(parse_fault(json{{"path", "/x"}, {"delay", 5}}), Catch::Contains("unknown field 'delay'"));
  CHECK_THROWS_WITH(parse_fault(json{{"path", "/x"}, {"delayMs", -1}}), Catch::Contains("'delayMs'"));
  CHECK_THROWS_WITH(parse_fault(json{{"path", "/x"}, {"body", "x"}}), Catch::Contains("'body' needs 'status'"));
  CHECK_THROWS_WITH(parse_fault(json{{"path", "/x"}}), Catch::Contains("the fault does nothing"));
  CHECK_THROWS_WITH(parse_fault(json{{"path", "/x"}, {"drop", true}, {"status", 500}}), Catch::Contains("'drop' cannot be combined"));
  CHECK_THROWS_WITH(parse_fault(json{{"path", "/x"}, {"dropMode", "reset"}, {"status", 500}}), Catch::Contains("needs \"drop\": true"));
  CHECK_THROWS_WITH(parse_fault(json{{"path", "/x"}, {"status", 500}, {"count", -2}}), Catch::Contains("'count'"));
  CHECK_THROWS_WITH(parse_fault(json{{"path", "/x"}, {"status", 500}, {"headers", {{"X", 1}}}}), Catch::Contains("must be a string"));
  CHECK_THROWS_WITH(parse_fault(json{{"path", "/x"}, {"status", 500}, {"headers", {{"X", "a\r\nB: c"}}}}), Catch::Contains("CR or LF"));
  CHECK_THROWS_WITH(parse_fault(json{{"path", "/x"}, {"status", 500}, {"method", "PO ST"}}), Catch::Contains("'method'"));
}

TEST_CASE("faults apply in order added and each call consumes one count of the first live one", "[emulator][faults]") {
  FaultInjector faults;
  CHECK(faults.add(parse_fault(json{{"path", "/a"}, {"status", 429}, {"count", 2}})) == "F1");
  CHECK(faults.add(parse_fault(json{{"path", "/a"}, {"status", 503}})) == "F2");
  CHECK(faults.add(parse_fault(json{{"method", "GET"}, {"path", "/b/*"}, {"status", 500}, {"count", 0}})) == "F3");

  CHECK(faults.take("POST", "/a", "/a")->status == 429);
  CHECK(faults.take("POST", "/a", "/a")->status == 429);
  CHECK(faults.take("POST", "/a", "/a")->status == 503);
  CHECK_FALSE(faults.take("POST", "/a", "/a"));

  CHECK_FALSE(faults.take("POST", "/b/1", "/b/1"));  // method does not match
  for (int i = 0; i < 5; ++i) CHECK(faults.take("GET", "/b/1", "/b/1")->id == "F3");  // count 0: until cleared

  const auto listed = faults.list();
  REQUIRE(listed.size() == 3);
  CHECK(listed[0]["hits"] == 2);
  CHECK(listed[0]["remaining"] == 0);
  CHECK(listed[0]["live"] == false);
  CHECK(listed[2]["remaining"].is_null());
  CHECK(listed[2]["hits"] == 5);

  CHECK(faults.remove("F3"));
  CHECK_FALSE(faults.remove("F3"));
  CHECK_FALSE(faults.take("GET", "/b/1", "/b/1"));

  faults.clear();
  CHECK(faults.list().empty());
  CHECK(faults.add(parse_fault(json{{"path", "/a"}, {"status", 500}})) == "F4");
  faults.reset();
  CHECK(faults.add(parse_fault(json{{"path", "/a"}, {"status", 500}})) == "F1");
}

TEST_CASE("a fault glob matches the full path or the family-relative path", "[emulator][faults]") {
  FaultInjector faults;
  faults.add(parse_fault(json{{"path", "/v1/Accounts/*/Tokens/validate"}, {"status", 503}, {"count", 0}}));
  CHECK(faults.take("POST", "/iam/v1/Accounts/AC1/Tokens/validate", "/v1/Accounts/AC1/Tokens/validate"));
  CHECK(faults.take("POST", "/v1/Accounts/AC1/Tokens/validate", "/v1/Accounts/AC1/Tokens/validate"));
  CHECK_FALSE(faults.take("POST", "/v1/Accounts/AC1/Tokens/refresh", "/v1/Accounts/AC1/Tokens/refresh"));
}

TEST_CASE("stop interrupts delays", "[emulator][faults]") {
  FaultInjector faults;
  CHECK(faults.wait(std::chrono::milliseconds(1)));
  faults.stop();
  CHECK_FALSE(faults.wait(std::chrono::hours(1)));  // returns at once instead of after an hour
}
