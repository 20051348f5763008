#pragma once
// Test doubles for the injected runtime interfaces (server/src/runtime.h): tests assert on the
// sleeps requested and on chosen random values, never on elapsed time.

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "runtime.h"

namespace flexcore::server::testing {

/// Records every sleep instead of sleeping.
class RecordingSleeper final : public Sleeper {
 public:
  void sleep_for(std::chrono::milliseconds duration) override {
    std::lock_guard lock(mutex_);
    sleeps_.push_back(duration);
  }
  std::vector<std::chrono::milliseconds> sleeps() const {
    std::lock_guard lock(mutex_);
    return sleeps_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::chrono::milliseconds> sleeps_;
};

/// Returns scripted values (clamped into [low, high]); records the ranges asked for. When the
/// script is empty it returns `low`.
class ScriptedRandom final : public Random {
 public:
  explicit ScriptedRandom(std::deque<std::int64_t> values = {}) : values_(std::move(values)) {}
  std::int64_t uniform_int(std::int64_t low, std::int64_t high) override {
    std::lock_guard lock(mutex_);
    ranges_.emplace_back(low, high);
    std::int64_t value = low;
    if (!values_.empty()) {
      value = values_.front();
      values_.pop_front();
    }
    return value < low ? low : (value > high ? high : value);
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> ranges() const {
    std::lock_guard lock(mutex_);
    return ranges_;
  }

 private:
  mutable std::mutex mutex_;
  std::deque<std::int64_t> values_;
  std::vector<std::pair<std::int64_t, std::int64_t>> ranges_;
};

/// A clock that only moves when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point start = std::chrono::system_clock::now())
      : now_(start), steady_(std::chrono::steady_clock::now()) {}
  std::chrono::system_clock::time_point now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  std::chrono::steady_clock::time_point steady_now() const override {
    std::lock_guard lock(mutex_);
    return steady_;
  }
  void set(std::chrono::system_clock::time_point now) {
    std::lock_guard lock(mutex_);
    now_ = now;
  }
  void advance(std::chrono::milliseconds by) {
    std::lock_guard lock(mutex_);
    now_ += by;
    steady_ += by;
  }

 private:
  mutable std::mutex mutex_;
  std::chrono::system_clock::time_point now_;
  std::chrono::steady_clock::time_point steady_;
};

}  // namespace flexcore::server::testing
