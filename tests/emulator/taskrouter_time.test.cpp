// ISO-8601 parsing and formatting used by the TaskRouter module (VirtualStartTime, dates).
#include "taskrouter_module.h"

#include <catch2/catch.hpp>

using flexcore::emulator::iso8601_seconds;
using flexcore::emulator::parse_iso8601;
using flexcore::emulator::parse_iso8601_ms;

TEST_CASE("ISO-8601 date-times parse with Z, fractions and offsets", "[emulator][taskrouter][unit]") {
  const auto base = parse_iso8601("2024-05-01T12:00:00Z");
  REQUIRE(base);
  CHECK(iso8601_seconds(*base) == "2024-05-01T12:00:00Z");
  CHECK(std::chrono::duration_cast<std::chrono::seconds>(base->time_since_epoch()).count() == 1714564800);
  const auto fraction = parse_iso8601("2024-05-01T12:00:00.250Z");
  REQUIRE(fraction);
  CHECK(*fraction - *base == std::chrono::milliseconds(250));
  const auto offset = parse_iso8601("2024-05-01T14:00:00+02:00");
  REQUIRE(offset);
  CHECK(*offset == *base);
  const auto negative = parse_iso8601("2024-05-01T07:30:00-04:30");
  REQUIRE(negative);
  CHECK(*negative == *base);
  CHECK(parse_iso8601("2024-02-29T00:00:00Z"));
}

TEST_CASE("malformed ISO-8601 date-times are rejected", "[emulator][taskrouter][unit]") {
  for (const char* bad : {"", "2024-05-01", "2024-05-01 12:00:00Z", "2024-05-01T12:00:00", "2024-13-01T12:00:00Z",
                          "2023-02-29T00:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T12:00:00.Z", "2024-05-01T12:00:00+2:00",
                          "tomorrow at noon", "2024-05-01T12:00:00Zjunk"}) {
    INFO(bad);
    CHECK_FALSE(parse_iso8601(bad));
  }
}

TEST_CASE("far-future and far-past years parse in milliseconds but not as time points", "[emulator][taskrouter][unit]") {
  const auto far = parse_iso8601_ms("2999-01-01T00:00:00Z");
  REQUIRE(far);
  CHECK(*far == 32472144000000LL);
  CHECK_FALSE(parse_iso8601("2999-01-01T00:00:00Z"));
  CHECK(parse_iso8601_ms("1899-12-31T23:59:59Z"));
  CHECK(parse_iso8601("1899-12-31T23:59:59Z"));
}
