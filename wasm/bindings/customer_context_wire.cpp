#include "customer_context_wire.h"

#include <cstring>

namespace flexcore::bindings::wire {
namespace {

constexpr char kSeparator = '\x1f';

void field(std::string& out, std::string_view text) {
  if (!out.empty()) out.push_back(kSeparator);
  out.append(text);
}

}  // namespace

void append_rows(std::string& out, const std::vector<customer_context::Row>& rows) {
  if (rows.empty()) return;
  // Sized once, then filled with memcpy: libc++'s std::string members are out-of-line calls under emscripten.
  std::size_t bytes = 0;
  for (const customer_context::Row& row : rows) {
    bytes += row.key.size() + row.value.size() + customer_context::to_string(row.kind).size() + 5;
  }
  const std::size_t start = out.size();
  out.resize(start + bytes);
  char* const begin = &out[0] + start;
  char* p = begin;
  auto copy = [&p](std::string_view text) {
    std::memcpy(p, text.data(), text.size());
    p += text.size();
  };
  bool first = start == 0;
  for (const customer_context::Row& row : rows) {
    if (!first) *p++ = kSeparator;
    first = false;
    copy(row.key);
    *p++ = kSeparator;
    copy(row.value);
    *p++ = kSeparator;
    copy(customer_context::to_string(row.kind));
    *p++ = kSeparator;
    if (row.truncated) *p++ = '1';
  }
  out.resize(start + static_cast<std::size_t>(p - begin));
}

void append_events(std::string& out, const std::vector<customer_context::EventRow>& events) {
  for (const customer_context::EventRow& event : events) {
    field(out, event.name);
    for (const std::string* text : {&event.type, &event.timestamp, &event.display_time}) {
      out.push_back(kSeparator);
      out.append(*text);
    }
    out.push_back(kSeparator);
    out.append(std::to_string(event.properties.size()));
    append_rows(out, event.properties);
  }
}

}  // namespace flexcore::bindings::wire
