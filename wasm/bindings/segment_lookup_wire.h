#pragma once
// segment_lookup_wire.h — the byte layout in which register_segment_lookup.cpp returns segment IDs: every ID
// (UTF-8) joined by U+001F, decoded once and split by the facade (wasm/package/src/features/segment-lookup.ts),
// instead of one embind string + array.set per ID. Plain C++, compiled without exceptions in the wasm tree.

#include <string>
#include <vector>

namespace flexcore::bindings::wire {

/// Joins `ids` with U+001F into `out` (cleared first). Returns false, leaving `out` unspecified, when an ID
/// itself contains U+001F (a quoted CSV field may hold any byte): the caller then sends the IDs one by one.
bool join_segment_ids(const std::vector<std::string>& ids, std::string& out);

}  // namespace flexcore::bindings::wire
