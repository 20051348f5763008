#pragma once
// marshal.h — the one boundary between flexcore's C++ core and JavaScript.
//
// Every function registered with embind is written as `guard([&] { return core_call(...); })`.
// guard() turns the outcome into a plain JS record and never lets a C++ exception reach JS:
//   success:  { ok: true,  value: <converted T> }
//   failure:  { ok: false, error: { code: "InvalidArgument", message: "TaskSid must be ..." } }
// Codes are flexcore::ErrorCode enumerator names (see wasm/core/include/flexcore/error.h).
// A thrown std::bad_alloc becomes ResourceExhausted, any other throw Internal.
// Mirrored by wasm/package/src/raw.d.ts (RawResult<T>, RawError).

#include <emscripten/val.h>

#include <new>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "flexcore/error.h"
#include "flexcore/reason.h"
#include "flexcore/result.h"

namespace flexcore::bindings {

using emscripten::val;

/// Converts a C++ value to JS. Specialise ToJs<T> (before the first guard() that returns T) to teach the
/// boundary a feature's record type; class-template specialisations are found at instantiation.
template <typename T, typename Enable = void>
struct ToJs;

template <typename T>
val to_js(const T& value) {
  return ToJs<T>::convert(value);
}

template <>
struct ToJs<std::string> {
  static val convert(const std::string& s) { return val(s); }
};
template <>
struct ToJs<bool> {
  static val convert(bool b) { return val(b); }
};
template <>
struct ToJs<int> {
  static val convert(int i) { return val(i); }
};
template <>
struct ToJs<double> {
  static val convert(double d) { return val(d); }
};
template <>
struct ToJs<val> {
  static val convert(const val& v) { return v; }
};
template <>
struct ToJs<Unit> {
  static val convert(Unit) { return val::undefined(); }
};
template <typename T>
struct ToJs<std::vector<T>> {
  static val convert(const std::vector<T>& items) {
    val array = val::array();
    for (std::size_t i = 0; i < items.size(); ++i) array.set(i, to_js(items[i]));
    return array;
  }
};
/// std::nullopt crosses as null.
template <typename T>
struct ToJs<std::optional<T>> {
  static val convert(const std::optional<T>& maybe) { return maybe ? to_js(*maybe) : val::null(); }
};
/// Large UTF-8 text crosses as bytes: a Uint8Array copy (`slice()` while the C++ string is alive) that the
/// facade decodes with one TextDecoder call. embind's std::string → JS conversion walks every byte in JS
/// (twice), which dominates for results of hundreds of KB.
struct Utf8Bytes {
  std::string bytes;
};
template <>
struct ToJs<Utf8Bytes> {
  static val convert(const Utf8Bytes& text) {
    const auto* data = reinterpret_cast<const unsigned char*>(text.bytes.data());
    return val(emscripten::typed_memory_view(text.bytes.size(), data)).call<val>("slice");
  }
};

inline val error_record(ErrorCode code, const std::string& message) {
  val error = val::object();
  error.set("code", std::string(to_string(code)));
  error.set("message", message);
  val record = val::object();
  record.set("ok", false);
  record.set("error", error);
  return record;
}

template <typename T>
val ok_record(const T& value) {
  val record = val::object();
  record.set("ok", true);
  record.set("value", to_js(value));
  return record;
}

template <typename T>
val to_record(const Result<T>& result) {
  if (result.ok()) return ok_record(result.value());
  return error_record(result.error().code, result.error().message);
}

template <typename T>
val to_record(const T& value) {
  return ok_record(value);
}

/// Runs `body` and converts its return value (a Result<T> or a plain T) to a result record.
/// Built with FLEXCORE_WASM_EXCEPTIONS=OFF (-fno-exceptions) there is nothing to catch: a C++ failure
/// would abort the module, which is why the default build keeps exceptions on (see wasm/README.md).
template <typename F>
val guard(F&& body) noexcept {
#if defined(__cpp_exceptions)
  try {
    return to_record(body());
  } catch (const std::bad_alloc&) {
    return error_record(ErrorCode::ResourceExhausted, "out of memory in the flexcore wasm module");
  } catch (const std::exception& e) {
    return error_record(ErrorCode::Internal, std::string("internal error in the flexcore core: ") + e.what());
  } catch (...) {
    return error_record(ErrorCode::Internal, "internal error in the flexcore core (unknown exception)");
  }
#else
  return to_record(body());
#endif
}

/// Adds a machine-readable reason (flexcore/reason.h) to a failed record built by guard():
///   { ok:false, error:{ code, message, reason:"sid_wrong_length", params:{ prefix:"WT", length:"5" } } }
/// `reason_of()` returns std::optional<Reason>; it runs only for a failed record, and a throw from it (out of
/// memory) leaves the record as guard() built it (the English message still says what is wrong).
template <typename F>
void attach_reason(val& record, F&& reason_of) noexcept {
  if (record["ok"].as<bool>()) return;
#if defined(__cpp_exceptions)
  try {
#endif
    const std::optional<Reason> reason = reason_of();
    if (!reason) return;
    val params = val::object();
    for (const ReasonParam& p : reason->params) params.set(p.name, p.value);
    val error = record["error"];
    error.set("reason", reason->id);
    error.set("params", params);
#if defined(__cpp_exceptions)
  } catch (...) {
  }
#endif
}

}  // namespace flexcore::bindings
