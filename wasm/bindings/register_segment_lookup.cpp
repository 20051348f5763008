// register_segment_lookup.cpp — embind registrations of the segment lookup feature.
// Every entry point goes through guard(). Mirrored by wasm/package/src/raw.d.ts (interface RawSegmentLookup).

#include <emscripten/bind.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flexcore/segment_lookup.h"
#include "marshal.h"
#include "segment_lookup_wire.h"

namespace flexcore::bindings {
namespace {

val is_valid_task_sid_js(const std::string& value) {
  return guard([&] { return segment_lookup::is_valid_task_sid(value); });
}

val check_task_sid_js(const std::string& value) {
  val record = guard([&] { return segment_lookup::check_task_sid(value); });
  attach_reason(record, [&] { return segment_lookup::task_sid_reason(value); });
  return record;
}

// The CSV arrives as UTF-8 bytes the facade wrote into the wasm heap (TextEncoder into HEAPU8):
// embind's std::string conversion is a JS loop, too slow for 100 MB exports. `address` and `length`
// are byte offsets into the heap; the facade owns (mallocs and frees) the buffer.
// The IDs leave as ONE Uint8Array (IDs joined by U+001F, segment_lookup_wire.h) that the facade decodes once
// and splits; only if an ID contains U+001F do they leave as an array of strings.
val parse_segment_csv_js(double address, double length) {
  return guard([&]() -> Result<val> {
    if (address < 0 || length < 0 || address + length > 4294967296.0) {
      return Result<val>::failure(ErrorCode::InvalidArgument, "text: invalid buffer");
    }
    const auto* bytes = reinterpret_cast<const char*>(static_cast<std::uintptr_t>(address));
    auto ids = segment_lookup::parse_segment_csv(std::string_view(bytes, static_cast<std::size_t>(length)));
    if (!ids.ok()) return ids.error();
    Utf8Bytes joined;
    if (wire::join_segment_ids(ids.value(), joined.bytes)) return to_js(joined);
    return to_js(ids.value());
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
