// register_segment_lookup.cpp — embind registrations of the segment lookup feature.
// Every entry point goes through guard(). Mirrored by wasm/package/src/raw.d.ts (interface RawSegmentLookup).

#include <emscripten/bind.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flexcore/segment_lookup.h"
#include "marshal.h"

namespace flexcore::bindings {
namespace {

val is_valid_task_sid_js(const std::string& value) {
  return guard([&] { return segment_lookup::is_valid_task_sid(value); });
}

val check_task_sid_js(const std::string& value) {
  return guard([&] { return segment_lookup::check_task_sid(value); });
}

// The CSV arrives as UTF-8 bytes the facade wrote into the wasm heap (TextEncoder into HEAPU8):
// embind's std::string conversion is a JS loop, too slow for 100 MB exports. `address` and `length`
// are byte offsets into the heap; the facade owns (mallocs and frees) the buffer.
val parse_segment_csv_js(double address, double length) {
  return guard([&]() -> Result<std::vector<std::string>> {
    if (address < 0 || length < 0 || address + length > 4294967296.0) {
      return Result<std::vector<std::string>>::failure(ErrorCode::InvalidArgument, "text: invalid buffer");
    }
    const auto* bytes = reinterpret_cast<const char*>(static_cast<std::uintptr_t>(address));
    return segment_lookup::parse_segment_csv(std::string_view(bytes, static_cast<std::size_t>(length)));
  });
}

}  // namespace
}  // namespace flexcore::bindings

EMSCRIPTEN_BINDINGS(flexcore_segment_lookup) {
  using namespace flexcore::bindings;
  emscripten::function("isValidTaskSid", &is_valid_task_sid_js);
  emscripten::function("checkTaskSid", &check_task_sid_js);
  emscripten::function("_parseSegmentCsv", &parse_segment_csv_js);
}
