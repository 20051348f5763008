#include "runtime.h"

#include <random>
#include <thread>

namespace flexcore::server {
namespace {
std::mt19937_64& thread_generator() {
  thread_local std::mt19937_64 generator{[] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }()};
  return generator;
}
}  // namespace

std::chrono::system_clock::time_point SystemClock::now() const {
  return std::chrono::system_clock::now();
}

std::chrono::steady_clock::time_point SystemClock::steady_now() const {
  return std::chrono::steady_clock::now();
}

void SystemSleeper::sleep_for(std::chrono::milliseconds duration) {
  if (duration.count() > 0) std::this_thread::sleep_for(duration);
}

std::int64_t SystemRandom::uniform_int(std::int64_t low, std::int64_t high) {
  std::uniform_int_distribution<std::int64_t> distribution(low, high);
  return distribution(thread_generator());
}

std::string random_hex(std::size_t n_bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n_bytes * 2);
  auto& generator = thread_generator();
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < n_bytes; ++i) {
    if (i % 8 == 0) bits = generator();
    const auto byte = static_cast<unsigned>(bits & 0xffU);
    bits >>= 8;
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0xfU]);
  }
  return out;
}

}  // namespace flexcore::server
