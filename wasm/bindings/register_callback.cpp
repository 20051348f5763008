// register_callback.cpp — embind registrations of callback and voicemail (flexcore/callback.h).
// Every entry point goes through guard(). Mirrored by wasm/package/src/raw.d.ts (interface RawCallback).

#include <emscripten/bind.h>

#include <optional>
#include <string>

#include "flexcore/callback.h"
#include "marshal.h"

namespace flexcore::bindings {

template <>
struct ToJs<callback::CallbackTask> {
  static val convert(const callback::CallbackTask& task) {
    val out = val::object();
    out.set("attributes", task.attributes_json);
    out.set("workflowSid", task.workflow_sid);
    out.set("taskChannel", task.task_channel);
    out.set("priority", static_cast<double>(task.priority));
    out.set("timeout", static_cast<double>(task.timeout));
    out.set("virtualStartTime", task.virtual_start_time);
    out.set("taskType", task.task_type);
    return out;
  }
};

template <>
struct ToJs<callback::CallbackView> {
  static val convert(const callback::CallbackView& view) {
    val out = val::object();
    out.set("taskType", view.task_type);
    out.set("heading", view.heading);
    out.set("description", view.description);
    out.set("contactPhone", view.contact_phone);
    out.set("numberToCallFrom", view.number_to_call_from);
    out.set("receivedUtc", view.received_utc);
    out.set("agentTimeZone", view.agent_time_zone);
    out.set("systemTimeZone", view.system_time_zone);
    out.set("attempt", view.attempt);
    out.set("maxAttempts", view.max_attempts);
    out.set("attemptLabel", view.attempt_label);
    out.set("retryLaterOffered", view.retry_later_offered);
    out.set("placeCallLabel", view.place_call_label);
    out.set("showRecording", view.show_recording);
    out.set("recordingUrl", view.show_recording ? val(view.recording_url) : val::null());
    out.set("showTranscript", view.show_transcript);
    out.set("transcript", view.show_transcript ? val(view.transcript) : val::null());
    out.set("isDeleted", view.is_deleted);
    return out;
  }
};

template <>
struct ToJs<callback::Params> {
  static val convert(const callback::Params& params) {
    val out = val::object();
    for (const auto& [name, value] : params) out.set(name, value);
    return out;
  }
};

namespace {

val shape_callback_task_js(const std::string& params_json, const std::string& now_utc, const std::string& time_zone,
                           const std::string& default_workflow_sid) {
  return guard([&]() -> Result<callback::CallbackTask> {
    auto params = callback::params_from_json(params_json);
    if (!params) return params.error();
    return callback::shape_callback_task(params.value(), callback::ShapeOptions{now_utc, time_zone, default_workflow_sid});
  });
}

val callback_view_js(const std::string& attributes_json, int max_attempts, const std::string& now_utc,
                     const std::string& agent_time_zone) {
  return guard([&] {
    return callback::callback_view(attributes_json, callback::ViewOptions{max_attempts, now_utc, agent_time_zone});
  });
}

val requeue_params_js(const std::string& task_sid, const std::string& attributes_json, const std::string& workflow_sid,
                      double timeout, double priority, int max_attempts) {
  return guard([&] {
    return callback::requeue_params(callback::RequeueTask{task_sid, attributes_json, workflow_sid,
                                                          static_cast<std::int64_t>(timeout),
                                                          static_cast<std::int64_t>(priority)},
                                    max_attempts);
  });
}

val outbound_call_attributes_js(const std::string& attributes_json, const std::string& task_sid,
                                const std::string& reservation_sid) {
  return guard([&] { return callback::outbound_call_attributes(attributes_json, task_sid, reservation_sid); });
}

val max_attempts_from_config_js(const std::string& text) {
  return guard([&] { return callback::max_attempts_from_config(text); });
}

}  // namespace
}  // namespace flexcore::bindings

EMSCRIPTEN_BINDINGS(flexcore_callback) {
  using namespace flexcore::bindings;
  emscripten::function("_shapeCallbackTask", &shape_callback_task_js);
  emscripten::function("_callbackView", &callback_view_js);
  emscripten::function("_requeueParams", &requeue_params_js);
  emscripten::function("_outboundCallAttributes", &outbound_call_attributes_js);
  emscripten::function("maxAttemptsFromConfig", &max_attempts_from_config_js);
}
