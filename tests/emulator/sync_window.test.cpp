// The sliding 1-second window behind the Sync module's rate limiting and its "max requests in any
// 1-second window" statistics (src/sync_module.h), with synthetic time points (no real clock).
#include "sync_module.h"

#include <catch2/catch.hpp>

using flexcore::emulator::SlidingSecond;
using std::chrono::milliseconds;

TEST_CASE("a sliding second counts the events of the last second and keeps the largest count", "[emulator][sync][unit]") {
  SlidingSecond window;
  const SlidingSecond::TimePoint t0{};
  CHECK(window.count(t0) == 0);
  CHECK(window.max() == 0);
  CHECK_FALSE(window.oldest(t0));
  for (int i = 0; i < 3; ++i) window.add(t0);
  window.add(t0 + milliseconds(999));
  CHECK(window.count(t0 + milliseconds(999)) == 4);
  CHECK(window.max() == 4);
  REQUIRE(window.oldest(t0 + milliseconds(999)));
  CHECK(*window.oldest(t0 + milliseconds(999)) == t0);
  // Exactly one second later the first three have left: the window is (now - 1 s, now].
  CHECK(window.count(t0 + milliseconds(1000)) == 1);
  window.add(t0 + milliseconds(1500));
  CHECK(window.count(t0 + milliseconds(1500)) == 2);
  CHECK(window.max() == 4);  // the maximum is remembered
  CHECK(window.count(t0 + milliseconds(2600)) == 0);
}

TEST_CASE("the maximum of a sliding second is the busiest window even when it straddles two clock seconds", "[emulator][sync][unit]") {
  SlidingSecond window;
  const SlidingSecond::TimePoint t0{};
  // 5 events at 0.6 s and 5 at 1.4 s: no calendar second holds more than 5, the window (0.5, 1.5] holds 10.
  for (int i = 0; i < 5; ++i) window.add(t0 + milliseconds(600));
  for (int i = 0; i < 5; ++i) window.add(t0 + milliseconds(1400));
  CHECK(window.max() == 10);
  for (int i = 0; i < 3; ++i) window.add(t0 + milliseconds(2500));
  CHECK(window.max() == 10);
  CHECK(window.count(t0 + milliseconds(2500)) == 3);
}
