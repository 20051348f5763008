// HTTP helpers and Twilio error bodies of the emulator.
#include "http_util.h"
#include "recorder.h"
#include "twilio_error.h"

#include <catch2/catch.hpp>

using namespace flexcore::emulator;

TEST_CASE("form bodies and query strings decode in order, keeping repeated names", "[emulator][http]") {
  CHECK(parse_form("a=1&b=two+words&a=%41%2b&flag&&=v") ==
        Params{{"a", "1"}, {"b", "two words"}, {"a", "A+"}, {"flag", ""}, {"", "v"}});
  CHECK(parse_form("").empty());
  CHECK(url_decode("%zz%4", false) == "%zz%4");  // malformed escapes stay literal
  CHECK(url_decode("a+b", false) == "a+b");
  CHECK(encode_form({{"To", "+1 415"}, {"Body", "ä&="}}) == "To=%2B1%20415&Body=%C3%A4%26%3D");
  CHECK(parse_form(encode_form({{"x y", "1+2=3&4"}})) == Params{{"x y", "1+2=3&4"}});
  CHECK(raw_query("/p?a=1&b=2#frag") == "a=1&b=2");
  CHECK(raw_query("/p").empty());
  CHECK(media_type(" Application/JSON ; charset=utf-8") == "application/json");
}

TEST_CASE("Basic credentials are decoded and malformed ones refused", "[emulator][http]") {
  // base64("AC1:secret") = QUMxOnNlY3JldA==
  const auto ok = parse_basic_authorization("Basic QUMxOnNlY3JldA==");
  REQUIRE(ok);
  CHECK(ok->username == "AC1");
  CHECK(ok->password == "secret");
  const auto colon_in_password = parse_basic_authorization("basic dTpwOnE=");  // u:p:q
  REQUIRE(colon_in_password);
  CHECK(colon_in_password->password == "p:q");
  CHECK_FALSE(parse_basic_authorization("Bearer QUMxOnNlY3JldA=="));
  CHECK_FALSE(parse_basic_authorization("Basic !!!!"));
  CHECK_FALSE(parse_basic_authorization("Basic QUMx"));  // "AC1": no colon
  CHECK_FALSE(parse_basic_authorization("Basic QUMxOnNlY3JldA="));  // bad length
  CHECK_FALSE(parse_basic_authorization(""));
}

TEST_CASE("timestamps are ISO-8601 UTC with milliseconds", "[emulator][http]") {
  using namespace std::chrono;
  const system_clock::time_point when{milliseconds(1537831364240)};
  CHECK(iso8601_utc(when) == "2018-09-24T23:22:44.240Z");
  CHECK(iso8601_utc(system_clock::time_point{milliseconds(-1)}) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("random identifiers have the documented shapes", "[emulator][http]") {
  const auto sid = random_sid("WK");
  CHECK(is_sid(sid, "WK"));
  CHECK_FALSE(is_sid(sid, "WT"));
  CHECK_FALSE(is_sid("WK123", "WK"));
  CHECK(random_sid("WK") != sid);
  CHECK(random_hex(4).size() == 8);
  const auto b64 = random_base64url(32);
  CHECK(b64.size() == 43);
  CHECK(b64.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos);
  CHECK(base64url_encode("\xfb\xff") == "-_8");
}

TEST_CASE("Twilio error bodies have the four keys and Twilio's 404 wording", "[emulator][http]") {
  const auto body = default_twilio_error(429, "/v1/x");
  CHECK(body == nlohmann::json{{"code", 20429},
                               {"message", "Too Many Requests"},
                               {"more_info", "https://www.twilio.com/docs/errors/20429"},
                               {"status", 429}});
  CHECK(default_twilio_error(404, "/v1/Workspaces/WS1/Tasks/WT1")["message"] ==
        "The requested resource /Workspaces/WS1/Tasks/WT1 was not found");
  CHECK(default_twilio_error(401, "/")["code"] == 20003);
  CHECK(default_twilio_error(503, "/")["code"] == 20503);
  CHECK(default_twilio_error(412, "/") ==
        nlohmann::json{{"code", 412},
                       {"message", "Precondition Failed"},
                       {"more_info", "https://www.twilio.com/docs/errors/412"},
                       {"status", 412}});
  CHECK(not_found_message("/2010-04-01/Accounts/AC1.json") == "The requested resource /2010-04-01/Accounts/AC1.json was not found");
  CHECK(not_found_message("/v1") == "The requested resource / was not found");
  CHECK(not_found_message("/vx/a") == "The requested resource /vx/a was not found");
}

TEST_CASE("family prefixes are stripped only at segment boundaries", "[emulator][http]") {
  CHECK(strip_prefix("/iam/v1/x", "/iam") == "/v1/x");
  CHECK(strip_prefix("/iam", "/iam") == "/");
  CHECK(strip_prefix("/v1/x", "") == "/v1/x");
  CHECK(strip_prefix("/other/v1", "/iam") == "/other/v1");
}
