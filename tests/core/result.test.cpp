#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "flexcore/result.h"

using flexcore::ErrorCode;
using flexcore::Result;

TEST_CASE("a Result holds either a value or an error", "[core][result]") {
  SECTION("value") {
    Result<int> r(42);
    REQUIRE(r.ok());
    CHECK(static_cast<bool>(r));
    CHECK(r.value() == 42);
  }
  SECTION("error") {
    auto r = Result<int>::failure(ErrorCode::NotFound, "no such task");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::NotFound);
    CHECK(r.error().message == "no such task");
  }
}

TEST_CASE("a Result can carry move-only values and hand them out", "[core][result]") {
  Result<std::unique_ptr<std::string>> r(std::make_unique<std::string>("moved"));
  REQUIRE(r.ok());
  std::unique_ptr<std::string> out = std::move(r).value();
  REQUIRE(out);
  CHECK(*out == "moved");
}

TEST_CASE("Status is a Result without a value", "[core][result]") {
  flexcore::Status s = flexcore::ok_status();
  CHECK(s.ok());
  flexcore::Status bad = flexcore::Status::failure(ErrorCode::Conflict, "version 3 is not the latest (4)");
  CHECK_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::Conflict);
}
