#include "segment_lookup_wire.h"

namespace flexcore::bindings::wire {

bool join_segment_ids(const std::vector<std::string>& ids, std::string& out) {
  out.clear();
  std::size_t total = ids.size();
  for (const std::string& id : ids) {
    if (id.find('\x1f') != std::string::npos) return false;
    total += id.size();
  }
  out.reserve(total);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i != 0) out.push_back('\x1f');
    out.append(ids[i]);
  }
  return true;
}

}  // namespace flexcore::bindings::wire
