#pragma once
/// @file runtime.h
/// Time, sleeping and randomness behind interfaces (architecture.md "Server": "Time, randomness and
/// sleeping are injected"). The product uses the System* implementations; tests pass their own so
/// retries, TTLs and backoffs are checked without waiting.

#include <chrono>
#include <cstdint>
#include <string>

namespace flexcore::server {

/// Wall-clock and monotonic time.
class Clock {
 public:
  virtual ~Clock() = default;
  /// Wall-clock time (UTC); used for token expirations and HTTP dates (Retry-After).
  virtual std::chrono::system_clock::time_point now() const = 0;
  /// Monotonic time; used for cache ages (readiness) and durations.
  virtual std::chrono::steady_clock::time_point steady_now() const = 0;
};

/// Blocks the calling thread.
class Sleeper {
 public:
  virtual ~Sleeper() = default;
  /// Sleeps for `duration` (ms); a non-positive duration returns at once.
  virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};

/// Uniform random integers. Implementations must be safe to call from several threads.
class Random {
 public:
  virtual ~Random() = default;
  /// A uniformly distributed integer in [low, high] (both inclusive). Precondition: low <= high.
  virtual std::int64_t uniform_int(std::int64_t low, std::int64_t high) = 0;
};

/// std::chrono::system_clock + steady_clock.
class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override;
  std::chrono::steady_clock::time_point steady_now() const override;
};

/// std::this_thread::sleep_for.
class SystemSleeper final : public Sleeper {
 public:
  void sleep_for(std::chrono::milliseconds duration) override;
};

/// A per-thread std::mt19937_64 seeded from std::random_device.
class SystemRandom final : public Random {
 public:
  std::int64_t uniform_int(std::int64_t low, std::int64_t high) override;
};

/// `n` random bytes as 2n lower-case hex digits (request ids); from a per-thread generator seeded
/// by std::random_device. Not for secrets.
std::string random_hex(std::size_t n_bytes);

}  // namespace flexcore::server
