// register_api.cpp — embind registrations of the core API. Every entry point goes through guard().
// Mirrored, function by function, by wasm/package/src/raw.d.ts (section "RawCore").

#include <emscripten/bind.h>

#include <cstdint>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "flexcore/flexcore.h"
#include "marshal.h"

namespace flexcore::bindings {
namespace {

val version_js() {
  return guard([] { return std::string(flexcore::version()); });
}

val error_codes_js() {
  return guard([] {
    std::vector<std::string> names;
    for (ErrorCode code : kAllErrorCodes) names.emplace_back(to_string(code));
    return names;
  });
}

val is_valid_sid_js(const std::string& value, const std::string& prefix) {
  return guard([&] { return flexcore::is_valid_sid(value, prefix); });
}

val check_sid_js(const std::string& value, const std::string& prefix, const std::string& field) {
  return guard([&] { return flexcore::check_sid(value, prefix, field); });
}

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

// Diagnostic used by the package's tests to prove guard() converts every kind of C++ failure into
// an error record (not a crash, not an abort, not a bare number thrown into JS).
// kind: "ok" | "error" | "bad_alloc" | "exception" | "unknown".
val guard_probe_js(const std::string& kind) {
  return guard([&]() -> Result<std::string> {
#if defined(__cpp_exceptions)
    if (kind == "bad_alloc") throw std::bad_alloc();
    if (kind == "exception") throw std::runtime_error("probe");
    if (kind == "unknown") throw 42;
#endif
    if (kind == "error") return Result<std::string>::failure(ErrorCode::InvalidArgument, "kind: probe error");
    return std::string("ok");
  });
}

}  // namespace
}  // namespace flexcore::bindings

EMSCRIPTEN_BINDINGS(flexcore_api) {
  using namespace flexcore::bindings;
  emscripten::function("version", &version_js);
  emscripten::function("errorCodes", &error_codes_js);
  emscripten::function("isValidSid", &is_valid_sid_js);
  emscripten::function("checkSid", &check_sid_js);
  emscripten::function("_guardProbe", &guard_probe_js);
  emscripten::function("isValidTaskSid", &is_valid_task_sid_js);
  emscripten::function("checkTaskSid", &check_task_sid_js);
  emscripten::function("_parseSegmentCsv", &parse_segment_csv_js);
}
