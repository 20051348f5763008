// register_hang_up_by.cpp — embind registrations of hang up by and the task-attribute merge it uses.
// Every entry point goes through guard(). Mirrored by wasm/package/src/raw.d.ts (interface RawHangUpBy).

#include <emscripten/bind.h>

#include <optional>
#include <string>

#include "flexcore/hang_up_by.h"
#include "flexcore/task_attributes.h"
#include "marshal.h"

namespace flexcore::bindings {

template <>
struct ToJs<hang_up_by::Decision> {
  static val convert(const hang_up_by::Decision& decision) {
    val out = val::object();
    out.set("write", decision.write);
    if (decision.write) out.set("value", decision.value);
    out.set("reason", decision.reason);
    return out;
  }
};

namespace {

val decide_hang_up_by_js(const std::string& event_type, const std::string& task_channel,
                         const std::string& attributes_json, bool conference_found, bool has_ending_call_sid,
                         const std::string& ending_call_sid) {
  return guard([&] {
    hang_up_by::EventFacts facts{event_type, task_channel, attributes_json, conference_found,
                                 has_ending_call_sid ? std::optional<std::string>(ending_call_sid) : std::nullopt};
    return hang_up_by::decide(facts);
  });
}

val merge_conversations_js(const std::string& attributes_json, const std::string& patch_json) {
  return guard([&] { return task_attributes::merge_conversations(attributes_json, patch_json); });
}

val agent_hang_up_attributes_js(const std::string& attributes_json, const std::string& task_channel) {
  return guard([&] { return hang_up_by::agent_hang_up_attributes(attributes_json, task_channel); });
}

}  // namespace
}  // namespace flexcore::bindings

EMSCRIPTEN_BINDINGS(flexcore_hang_up_by) {
  using namespace flexcore::bindings;
  emscripten::function("_decideHangUpBy", &decide_hang_up_by_js);
  emscripten::function("_mergeConversations", &merge_conversations_js);
  emscripten::function("_agentHangUpAttributes", &agent_hang_up_attributes_js);
}
