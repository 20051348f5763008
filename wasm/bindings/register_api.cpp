// register_api.cpp — embind registrations of the foundation API (version, error codes, SIDs).
// Every entry point goes through guard(). Mirrored by wasm/package/src/raw.d.ts (interface RawCore).
// Each feature registers its functions in its own register_<feature>.cpp.

#include <emscripten/bind.h>

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
  val record = guard([&] { return flexcore::check_sid(value, prefix, field); });
  attach_reason(record, [&] { return flexcore::sid_reason(value, prefix); });
  return record;
}

val reasons_js() {
  return guard([] {
    std::vector<std::string> ids;
    for (std::string_view id : kAllReasons) ids.emplace_back(id);
    return ids;
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
  emscripten::function("reasons", &reasons_js);
}
