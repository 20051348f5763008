#include <catch2/catch.hpp>

#include <string>

#include "flexcore/sid.h"

using flexcore::check_sid;
using flexcore::is_valid_sid;

namespace {
const std::string kHex32 = "0123456789abcdef0123456789abcdef";
}

TEST_CASE("a SID is its two-letter prefix followed by 32 hex digits", "[core][sid]") {
  CHECK(is_valid_sid("WT" + kHex32, "WT"));
  CHECK(is_valid_sid("WK" + kHex32, "WK"));
  CHECK(is_valid_sid("AC" + kHex32, "AC"));
}

TEST_CASE("SID hex digits may be lower or upper case", "[core][sid]") {
  CHECK(is_valid_sid("WT0123456789ABCDEF0123456789ABCDEF", "WT"));
  CHECK(is_valid_sid("WT0123456789AbCdEf0123456789aBcDeF", "WT"));
}

TEST_CASE("SIDs of the wrong type, length or alphabet are rejected", "[core][sid]") {
  SECTION("wrong prefix") { CHECK_FALSE(is_valid_sid("WK" + kHex32, "WT")); }
  SECTION("lower-case prefix") { CHECK_FALSE(is_valid_sid("wt" + kHex32, "WT")); }
  SECTION("too short") { CHECK_FALSE(is_valid_sid("WT" + kHex32.substr(1), "WT")); }
  SECTION("too long") { CHECK_FALSE(is_valid_sid("WT" + kHex32 + "0", "WT")); }
  SECTION("non-hex digit") { CHECK_FALSE(is_valid_sid("WT" + kHex32.substr(1) + "g", "WT")); }
  SECTION("surrounding whitespace is not trimmed") { CHECK_FALSE(is_valid_sid(" WT" + kHex32, "WT")); }
  SECTION("empty") { CHECK_FALSE(is_valid_sid("", "WT")); }
  SECTION("embedded NUL") {
    std::string s = "WT" + kHex32;
    s[10] = '\0';
    CHECK_FALSE(is_valid_sid(s, "WT"));
  }
}

TEST_CASE("a malformed prefix argument makes every value invalid", "[core][sid]") {
  CHECK_FALSE(is_valid_sid("WT" + kHex32, ""));
  CHECK_FALSE(is_valid_sid("WT" + kHex32, "W"));
  CHECK_FALSE(is_valid_sid("WT" + kHex32, "wt"));
  CHECK_FALSE(is_valid_sid("WT" + kHex32, "WTX"));
}

TEST_CASE("check_sid names the field and the expected format", "[core][sid]") {
  auto good = check_sid("WT" + kHex32, "WT", "TaskSid");
  REQUIRE(good.ok());
  CHECK(good.value() == "WT" + kHex32);

  auto bad = check_sid("WT123", "WT", "TaskSid");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == flexcore::ErrorCode::InvalidArgument);
  CHECK(bad.error().message.find("TaskSid") != std::string::npos);
  CHECK(bad.error().message.find("32 hex digits") != std::string::npos);
  CHECK(bad.error().message.find("got 5 characters") != std::string::npos);

  auto wrong_type = check_sid("WK" + kHex32, "WT", "TaskSid");
  REQUIRE_FALSE(wrong_type.ok());
  CHECK(wrong_type.error().message.find("does not start with \"WT\"") != std::string::npos);

  auto empty = check_sid("", "WT", "TaskSid");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().message.find("empty") != std::string::npos);
}

TEST_CASE("trim removes ASCII whitespace at both ends only", "[core][sid]") {
  CHECK(flexcore::trim("  WT1 \t\r\n") == "WT1");
  CHECK(flexcore::trim("a b") == "a b");
  CHECK(flexcore::trim("   ").empty());
  CHECK(flexcore::trim("").empty());
}
