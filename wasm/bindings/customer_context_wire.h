#pragma once
// customer_context_wire.h — the compact byte layout in which register_customer_context.cpp returns rows.
// Plain C++ (no embind), compiled without exceptions in the wasm tree (see wasm/bindings/CMakeLists.txt):
// in a -fexceptions frame every std::string append is a JS invoke_* round trip.
//
// Layout: every field joined by U+001F, which display text never contains (customer_context.h replaces
// control characters):
//   rows:   key US value US kind US truncated("1" or "") US key US …
//   events: name US type US timestamp US displayTime US propertyCount US <propertyCount rows> US name …
// Mirrored by the decoder in wasm/package/src/features/customer-context.ts.

#include <string>
#include <vector>

#include "flexcore/customer_context.h"

namespace flexcore::bindings::wire {

/// Appends `rows` to `out` in the layout above (a separator first when `out` is not empty).
void append_rows(std::string& out, const std::vector<customer_context::Row>& rows);

/// Appends `events` (each followed by its property rows) to `out`.
void append_events(std::string& out, const std::vector<customer_context::EventRow>& events);

}  // namespace flexcore::bindings::wire
