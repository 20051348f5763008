// Native side of tests/bench/segment_csv: times flexcore::segment_lookup::parse_segment_csv (the same C++ the wasm
// build runs) on the export file given as argv[1]. Prints one JSON line:
// {"bytes":…,"ids":…,"best_ms":…,"median_ms":…,"runs":…}. Built and run by ./run against the native-release core.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "flexcore/segment_lookup.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s EXPORT.csv [RUNS]\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const int runs = argc > 2 ? std::atoi(argv[2]) : 15;
  std::vector<double> times;
  std::size_t ids = 0;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto result = flexcore::segment_lookup::parse_segment_csv(text);
    const auto end = std::chrono::steady_clock::now();
    if (!result) {
      std::fprintf(stderr, "parse failed: %s\n", result.error().message.c_str());
      return 1;
    }
    ids = result.value().size();
    times.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(times.begin(), times.end());
  std::printf("{\"bytes\":%zu,\"ids\":%zu,\"best_ms\":%.3f,\"median_ms\":%.3f,\"runs\":%d}\n", text.size(), ids, times.front(),
              times[times.size() / 2], runs);
  return 0;
}
