// register_customer_context.cpp — embind registrations of the customer context feature.
// Every entry point goes through guard(). Mirrored by wasm/package/src/raw.d.ts (interface RawCustomerContext).
//
// Speed (issue 5, P2): the attributes/traits/events text arrives as UTF-8 bytes the facade wrote into the
// heap (TextEncoder), and the rows leave as ONE UTF-8 byte string (Utf8Bytes → Uint8Array) that the facade
// decodes once and splits, instead of one embind object per row (layout: customer_context_wire.h).

#include <emscripten/bind.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "customer_context_wire.h"
#include "flexcore/customer_context.h"
#include "marshal.h"

namespace flexcore::bindings {
namespace {

namespace cc = flexcore::customer_context;

Result<std::string_view> heap_text(double address, double length) {
  if (!(address >= 0) || !(length >= 0) || address + length > 4294967296.0) {
    return Result<std::string_view>::failure(ErrorCode::InvalidArgument, "text: invalid buffer");
  }
  const auto* bytes = reinterpret_cast<const char*>(static_cast<std::uintptr_t>(address));
  return std::string_view(bytes, static_cast<std::size_t>(length));
}

// An option passed as a JS number: -1 means "not given" (keep the core default); anything else must be an
// integer 0..4294967295 (the core then checks its range and names the option).
Status read_limit(double value, const char* name, std::uint32_t& out) {
  if (value == -1) return ok_status();
  if (!std::isfinite(value) || value < 0 || value > 4294967295.0 || value != std::floor(value)) {
    return Status::failure(ErrorCode::InvalidArgument, std::string(name) + " must be a non-negative integer");
  }
  out = static_cast<std::uint32_t>(value);
  return ok_status();
}

Result<cc::DisplayOptions> display_options(bool flatten, double max_depth, double max_key_length,
                                           double max_value_length, double max_rows) {
  cc::DisplayOptions options;
  options.flatten = flatten;
  for (const Status& s : {read_limit(max_depth, "maxDepth", options.max_depth),
                          read_limit(max_key_length, "maxKeyLength", options.max_key_length),
                          read_limit(max_value_length, "maxValueLength", options.max_value_length),
                          read_limit(max_rows, "maxRows", options.max_rows)}) {
    if (!s.ok()) return s.error();
  }
  return options;
}

// Runs a rows function over heap text with the given options and encodes the rows.
template <typename F>
val rows_js(F&& rows_of, double address, double length, bool flatten, double max_depth, double max_key_length,
            double max_value_length, double max_rows) {
  return guard([&]() -> Result<Utf8Bytes> {
    auto text = heap_text(address, length);
    if (!text.ok()) return text.error();
    auto options = display_options(flatten, max_depth, max_key_length, max_value_length, max_rows);
    if (!options.ok()) return options.error();
    auto rows = rows_of(text.value(), options.value());
    if (!rows.ok()) return rows.error();
    Utf8Bytes out;
    wire::append_rows(out.bytes, rows.value());
    return out;
  });
}

val context_rows_js(double address, double length, bool flatten, double max_depth, double max_key_length,
                    double max_value_length, double max_rows) {
  return rows_js([](std::string_view t, const cc::DisplayOptions& o) { return cc::context_rows(t, o); }, address, length,
                 flatten, max_depth, max_key_length, max_value_length, max_rows);
}

val trait_rows_js(double address, double length, bool flatten, double max_depth, double max_key_length,
                  double max_value_length, double max_rows) {
  return rows_js([](std::string_view t, const cc::DisplayOptions& o) { return cc::trait_rows(t, o); }, address, length,
                 flatten, max_depth, max_key_length, max_value_length, max_rows);
}

val event_rows_js(double address, double length, bool flatten, double max_depth, double max_key_length,
                  double max_value_length, double max_rows) {
  return guard([&]() -> Result<Utf8Bytes> {
    auto text = heap_text(address, length);
    if (!text.ok()) return text.error();
    auto options = display_options(flatten, max_depth, max_key_length, max_value_length, max_rows);
    if (!options.ok()) return options.error();
    auto events = cc::event_rows(text.value(), options.value());
    if (!events.ok()) return events.error();
    Utf8Bytes out;
    wire::append_events(out.bytes, events.value());
    return out;
  });
}

val display_timestamp_js(const std::string& text) {
  return guard([&] { return cc::display_timestamp(text); });
}

val normalize_profile_identifier_js(const std::string& id_type, const std::string& identifier) {
  return guard([&] { return cc::normalize_profile_identifier(id_type, identifier); });
}

val profile_path_js(const std::string& space_id, const std::string& id_type, const std::string& identifier) {
  return guard([&] { return cc::profile_path(space_id, id_type, identifier); });
}

}  // namespace
}  // namespace flexcore::bindings

EMSCRIPTEN_BINDINGS(flexcore_customer_context) {
  using namespace flexcore::bindings;
  emscripten::function("_contextRows", &context_rows_js);
  emscripten::function("_traitRows", &trait_rows_js);
  emscripten::function("_eventRows", &event_rows_js);
  emscripten::function("displayTimestamp", &display_timestamp_js);
  emscripten::function("normalizeProfileIdentifier", &normalize_profile_identifier_js);
  emscripten::function("profilePath", &profile_path_js);
}
