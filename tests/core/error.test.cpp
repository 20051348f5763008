#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "flexcore/error.h"

using flexcore::ErrorCode;

TEST_CASE("every error code has a distinct PascalCase wire name that round-trips", "[core][errors]") {
  std::set<std::string> names;
  for (ErrorCode code : flexcore::kAllErrorCodes) {
    const std::string name(flexcore::to_string(code));
    INFO("code name: " << name);
    REQUIRE_FALSE(name.empty());
    CHECK(name.front() >= 'A');
    CHECK(name.front() <= 'Z');
    CHECK(name.find(' ') == std::string::npos);
    CHECK(names.insert(name).second);
    auto back = flexcore::error_code_from_string(name);
    REQUIRE(back.has_value());
    CHECK(*back == code);
  }
  CHECK(names.size() == flexcore::kAllErrorCodes.size());
}

TEST_CASE("error code names are the enumerators spelled as they are", "[core][errors]") {
  CHECK(flexcore::to_string(ErrorCode::InvalidArgument) == "InvalidArgument");
  CHECK(flexcore::to_string(ErrorCode::NotConfigured) == "NotConfigured");
  CHECK(flexcore::to_string(ErrorCode::Internal) == "Internal");
}

TEST_CASE("unknown or differently cased error code names are rejected", "[core][errors]") {
  CHECK_FALSE(flexcore::error_code_from_string("").has_value());
  CHECK_FALSE(flexcore::error_code_from_string("invalidargument").has_value());
  CHECK_FALSE(flexcore::error_code_from_string("InvalidArgument ").has_value());
  CHECK_FALSE(flexcore::error_code_from_string("Bogus").has_value());
}
