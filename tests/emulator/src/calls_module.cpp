#include "calls_module.h"

#include "http_util.h"
#include "twilio_error.h"
#include "webhook_sender.h"

#include <cmath>
#include <regex>
#include <set>

namespace flexcore::emulator {
namespace {

using Clock = std::chrono::system_clock;
constexpr auto kEventWait = std::chrono::milliseconds(15000);

bool is_e164(const std::string& text) {
  static const std::regex kE164("^\\+[1-9][0-9]{1,14}$");
  return std::regex_match(text, kE164);
}

// splitmix64: the deterministic PRNG of the generated audio.
struct SplitMix {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform(double low, double high) { return low + (high - low) * static_cast<double>(next() >> 11) / 9007199254740992.0; }
};

std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (const unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

void put_le(std::string& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

// Strict control-body readers: answer 400 naming the field and return false.
bool read_string(const nlohmann::json& spec, const char* name, std::string& out, bool required, httplib::Response& res) {
  if (!spec.contains(name)) {
    if (required) send_control_error(res, 400, std::string("'") + name + "' is required");
    return !required;
  }
  if (!spec[name].is_string()) {
    send_control_error(res, 400, std::string("'") + name + "' must be a string");
    return false;
  }
  out = spec[name].get<std::string>();
  return true;
}

bool known_fields(const nlohmann::json& spec, const std::set<std::string>& known, httplib::Response& res) {
  for (const auto& [key, value] : spec.items()) {
    (void)value;
    if (known.count(key) == 0) {
      std::string list;
      for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
      send_control_error(res, 400, "unknown field '" + key + "' (expected " + list + ")");
      return false;
    }
  }
  return true;
}

}  // namespace

std::string speech_like_wav(std::uint64_t seed, int duration_seconds, int sample_rate) {
  constexpr double kPi = 3.14159265358979323846;
  const std::size_t total = static_cast<std::size_t>(duration_seconds) * static_cast<std::size_t>(sample_rate);
  std::vector<std::int16_t> samples(total, 0);
  SplitMix random{seed};
  std::size_t at = static_cast<std::size_t>(0.25 * sample_rate);  // a breath before the first word
  int syllable = 0;
  double phase = 0;
  while (at < total) {
    const auto length = static_cast<std::size_t>(random.uniform(0.12, 0.30) * sample_rate);
    const double f0_start = random.uniform(105, 175), f0_end = f0_start * random.uniform(0.8, 1.15);
    const double f1 = random.uniform(300, 800), f2 = random.uniform(900, 2300);
    const bool consonant = random.next() % 3 == 0;
    for (std::size_t i = 0; i < length && at + i < total; ++i) {
      const double t = static_cast<double>(i) / static_cast<double>(length);
      const double f0 = f0_start + (f0_end - f0_start) * t;
      phase += 2 * kPi * f0 / sample_rate;
      if (phase > 2 * kPi) phase -= 2 * kPi;
      double value = 0, norm = 0;
      const int harmonics = static_cast<int>(3400.0 / f0);
      for (int k = 1; k <= harmonics; ++k) {
        const double frequency = k * f0;
        const double gain = std::exp(-std::pow((frequency - f1) / 160.0, 2)) + 0.6 * std::exp(-std::pow((frequency - f2) / 220.0, 2)) + 0.04;
        value += gain * std::sin(k * phase);
        norm += gain;
      }
      value /= norm > 0 ? norm : 1;
      double envelope = std::sqrt(std::sin(kPi * t));
      if (consonant && t < 0.12) value = 0.5 * random.uniform(-1, 1) + 0.2 * value;  // a fricative onset
      samples[at + i] = static_cast<std::int16_t>(std::lround(9000.0 * envelope * value));
    }
    at += length;
    ++syllable;
    // Short gaps between syllables, longer ones between phrases.
    at += static_cast<std::size_t>((syllable % 6 == 0 ? random.uniform(0.30, 0.55) : random.uniform(0.03, 0.10)) * sample_rate);
  }
  const auto data_bytes = static_cast<std::uint32_t>(total * 2);
  std::string wav;
  wav.reserve(44 + data_bytes);
  wav += "RIFF";
  put_le(wav, 36 + data_bytes, 4);
  wav += "WAVE";
  wav += "fmt ";
  put_le(wav, 16, 4);                                        // PCM header size
  put_le(wav, 1, 2);                                         // PCM
  put_le(wav, 1, 2);                                         // mono
  put_le(wav, static_cast<std::uint32_t>(sample_rate), 4);   // sample rate
  put_le(wav, static_cast<std::uint32_t>(sample_rate * 2), 4);  // byte rate
  put_le(wav, 2, 2);                                         // block align
  put_le(wav, 16, 2);                                        // bits per sample
  wav += "data";
  put_le(wav, data_bytes, 4);
  for (const auto sample : samples) put_le(wav, static_cast<std::uint16_t>(sample), 2);
  return wav;
}

CallsModule::CallsModule(ModuleContext context, TaskRouterModule& taskrouter, VoiceModule& voice)
    : context_(context), taskrouter_(taskrouter), voice_(voice) {}

void CallsModule::register_routes(Router& upstream, ControlApi& control) {
  taskrouter_.set_accept_listener([this](const TaskRouterModule::Accepted& accepted) { on_accepted(accepted); });
  control.add("POST", "/calls", [this](const httplib::Request& req, httplib::Response& res, const PathParams&) { create_call(req, res); });
  control.add("GET", "/calls", [this](const httplib::Request&, httplib::Response& res, const PathParams&) {
    std::lock_guard lock(mutex_);
    std::vector<const Call*> all;
    for (const auto& [sid, call] : calls_) {
      (void)sid;
      all.push_back(&call);
    }
    std::sort(all.begin(), all.end(), [](const Call* a, const Call* b) { return a->order < b->order; });
    nlohmann::json list = nlohmann::json::array();
    for (const auto* call : all) list.push_back(call_json(*call));
    send_json(res, 200, nlohmann::json{{"calls", list}});
  });
  control.add("GET", "/calls/{TaskSid}", [this](const httplib::Request&, httplib::Response& res, const PathParams& params) {
    std::lock_guard lock(mutex_);
    const auto it = calls_.find(params.at("TaskSid"));
    if (it == calls_.end()) return send_control_error(res, 404, "no call for task " + params.at("TaskSid"));
    send_json(res, 200, call_json(it->second));
  });
  control.add("POST", "/calls/{TaskSid}/hang-up",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams& params) { hang_up(req, res, params); });
  control.add("POST", "/calls/{TaskSid}/wrap-up",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams& params) { wrap_up(req, res, params); });
  control.add("POST", "/calls/{TaskSid}/transfer",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams& params) { transfer(req, res, params); });
  control.add("POST", "/voicemails", [this](const httplib::Request& req, httplib::Response& res, const PathParams&) { create_voicemail(req, res); });
  control.add("GET", "/voicemails", [this](const httplib::Request&, httplib::Response& res, const PathParams&) {
    std::lock_guard lock(mutex_);
    std::vector<const Recording*> all;
    for (const auto& [sid, recording] : recordings_) {
      (void)sid;
      all.push_back(&recording);
    }
    std::sort(all.begin(), all.end(), [](const Recording* a, const Recording* b) { return a->order < b->order; });
    nlohmann::json list = nlohmann::json::array();
    for (const auto* recording : all) list.push_back(recording_json(*recording));
    send_json(res, 200, nlohmann::json{{"recordings", list}});
  });

  // Recording resource (API 2010, Basic auth) and its media (public, like Twilio's default).
  upstream.add_route("voice", "GET", "/2010-04-01/Accounts/{AccountSid}/Recordings/{Sid}.json",
                     [this](const UpstreamRequest& request, httplib::Response& res) {
                       if (!require_twilio_basic_auth(request.http, res, context_.config.credentials)) return;
                       if (request.params.at("AccountSid") != context_.config.credentials.account_sid) {
                         return send_twilio_error(res, 404, 20404, not_found_message(request.path));
                       }
                       std::lock_guard lock(mutex_);
                       const auto it = recordings_.find(request.params.at("Sid"));
                       if (it == recordings_.end()) return send_twilio_error(res, 404, 20404, not_found_message(request.path));
                       send_json(res, 200, recording_json(it->second));
                     });
  const auto media = [this](const UpstreamRequest& request, httplib::Response& res) {
    if (request.params.at("AccountSid") != context_.config.credentials.account_sid) {
      return send_twilio_error(res, 404, 20404, not_found_message(request.path));
    }
    std::string sid = request.params.at("Sid");
    int duration = 0;
    {
      std::lock_guard lock(mutex_);
      const auto it = recordings_.find(sid);
      if (it == recordings_.end()) return send_twilio_error(res, 404, 20404, not_found_message(request.path));
      duration = it->second.duration_seconds;
    }
    res.status = 200;
    res.set_header("Cache-Control", "max-age=3600");
    res.set_content(speech_like_wav(fnv1a(sid), duration), "audio/x-wav");
  };
  upstream.add_route("voice", "GET", "/2010-04-01/Accounts/{AccountSid}/Recordings/{Sid}.wav", media, Router::RouteOptions{false});
  upstream.add_route("voice", "GET", "/2010-04-01/Accounts/{AccountSid}/Recordings/{Sid}", media, Router::RouteOptions{false});
}

void CallsModule::reset() {
  std::lock_guard lock(mutex_);
  calls_.clear();
  recordings_.clear();
  next_order_ = 1;
}

nlohmann::json CallsModule::call_json(const Call& call) const {
  const auto optional = [](const std::string& value) { return value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value); };
  return nlohmann::json{{"taskSid", call.task_sid},
                        {"workspaceSid", call.workspace_sid},
                        {"workflowSid", call.workflow_sid},
                        {"conferenceSid", optional(call.conference_sid)},
                        {"customerCallSid", optional(call.customer_call)},
                        {"workerCallSid", optional(call.worker_call)},
                        {"workerSid", optional(call.worker_sid)},
                        {"reservationSid", optional(call.reservation_sid)},
                        {"from", call.from},
                        {"to", call.to},
                        {"channel", call.channel},
                        {"status", call.status},
                        {"endedBy", optional(call.ended_by)}};
}

nlohmann::json CallsModule::recording_json(const Recording& recording) const {
  const std::string uri = "/2010-04-01/Accounts/" + context_.config.credentials.account_sid + "/Recordings/" + recording.sid;
  return nlohmann::json{{"account_sid", context_.config.credentials.account_sid},
                        {"api_version", "2010-04-01"},
                        {"call_sid", recording.call_sid},
                        {"conference_sid", nullptr},
                        {"date_created", rfc2822_utc(recording.created)},
                        {"date_updated", rfc2822_utc(recording.created)},
                        {"start_time", rfc2822_utc(recording.created - std::chrono::seconds(recording.duration_seconds))},
                        {"duration", std::to_string(recording.duration_seconds)},
                        {"sid", recording.sid},
                        {"price", nullptr},
                        {"price_unit", "USD"},
                        {"status", "completed"},
                        {"channels", 1},
                        {"source", "RecordVerb"},
                        {"error_code", nullptr},
                        {"track", "both"},
                        {"encryption_details", nullptr},
                        {"uri", uri + ".json"},
                        {"media_url", uri},
                        {"subresource_uris",
                         {{"add_on_results", uri + "/AddOnResults.json"}, {"transcriptions", uri + "/Transcriptions.json"}}},
                        // extension (control listing): what the caller said, as transcribed
                        {"transcription_sid", recording.transcription_sid},
                        {"transcription_text", recording.transcription},
                        {"from", recording.from},
                        {"to", recording.to}};
}

nlohmann::json CallsModule::event_outcome(std::uint64_t seq) {
  if (seq == 0) return nullptr;
  const auto record = taskrouter_.events().wait(seq, kEventWait);
  if (!record || (*record)["delivery"] == "none") return nullptr;
  return nlohmann::json{{"eventType", (*record)["eventType"]},
                        {"delivery", (*record)["delivery"]},
                        {"status", (*record)["status"]},
                        {"body", (*record)["body"]},
                        {"error", (*record)["error"]}};
}

void CallsModule::create_call(const httplib::Request& req, httplib::Response& res) {
  const auto spec = control_json_body(req, res);
  if (!spec) return;
  if (!known_fields(*spec, {"workspaceSid", "workflowSid", "from", "to", "attributes", "channel", "conference"}, res)) return;
  Call call;
  call.channel = "voice";
  if (!read_string(*spec, "workspaceSid", call.workspace_sid, true, res) || !read_string(*spec, "workflowSid", call.workflow_sid, true, res) ||
      !read_string(*spec, "from", call.from, true, res) || !read_string(*spec, "to", call.to, true, res) ||
      !read_string(*spec, "channel", call.channel, false, res)) {
    return;
  }
  if (!is_sid(call.workspace_sid, "WS")) return send_control_error(res, 400, "'workspaceSid' must be WS followed by 32 hex digits");
  if (!is_sid(call.workflow_sid, "WW")) return send_control_error(res, 400, "'workflowSid' must be WW followed by 32 hex digits");
  if (!is_e164(call.from)) return send_control_error(res, 400, "'from' must be an E.164 number such as +15550100100");
  if (!is_e164(call.to)) return send_control_error(res, 400, "'to' must be an E.164 number such as +15550100001");
  nlohmann::json attributes = spec->value("attributes", nlohmann::json::object());
  if (!attributes.is_object()) return send_control_error(res, 400, "'attributes' must be a JSON object");
  bool with_conference = true;
  if (spec->contains("conference")) {
    if (!(*spec)["conference"].is_boolean()) return send_control_error(res, 400, "'conference' must be true or false");
    with_conference = (*spec)["conference"].get<bool>();
  }
  // What Twilio Voice + Flex write on an inbound call task.
  if (!attributes.contains("from")) attributes["from"] = call.from;
  if (!attributes.contains("to")) attributes["to"] = call.to;
  if (!attributes.contains("direction")) attributes["direction"] = "inbound";
  if (!attributes.contains("name")) attributes["name"] = call.from;
  if (with_conference) {
    call.customer_call = random_sid("CA");
    call.conference_sid = random_sid("CF");
    attributes["call_sid"] = call.customer_call;
    attributes["conference"] = {{"sid", call.conference_sid}, {"participants", {{"customer", call.customer_call}}}};
  }
  std::lock_guard lock(mutex_);  // held until the call is registered: an accept waits for it
  TaskRouterModule::Created created;
  try {
    created = taskrouter_.create_task_for_call(call.workspace_sid, call.workflow_sid, attributes, call.channel);
  } catch (const std::out_of_range& e) {
    return send_control_error(res, 404, e.what());
  }
  call.task_sid = created.task_sid;
  call.reservation_sid = created.reservation_sid;
  call.worker_sid = created.worker_sid;
  if (with_conference) {
    // Flex native conferencing names the conference after the task.
    voice_.open_conference(call.conference_sid, call.task_sid);
    voice_.join_conference(call.conference_sid, call.customer_call, "customer", true);
  }
  call.order = next_order_++;
  const auto& stored = calls_.emplace(call.task_sid, call).first->second;
  nlohmann::json answer = call_json(stored);
  answer["reservationSid"] = created.reservation_sid.empty() ? nlohmann::json(nullptr) : nlohmann::json(created.reservation_sid);
  answer["workerSid"] = created.worker_sid.empty() ? nlohmann::json(nullptr) : nlohmann::json(created.worker_sid);
  send_json(res, 201, answer);
}

void CallsModule::on_accepted(const TaskRouterModule::Accepted& accepted) {
  std::lock_guard lock(mutex_);
  const auto it = calls_.find(accepted.task_sid);
  if (it == calls_.end()) return;
  Call& call = it->second;
  call.worker_sid = accepted.worker_sid;
  call.reservation_sid = accepted.reservation_sid;
  call.status = "in-progress";
  if (call.conference_sid.empty()) return;
  call.worker_call = random_sid("CA");
  try {
    voice_.join_conference(call.conference_sid, call.worker_call, "worker", true);
  } catch (const std::exception&) {
    call.worker_call.clear();  // the customer hung up meanwhile: nobody to talk to
    call.status = "ended";
    return;
  }
  const std::string worker_call = call.worker_call;
  taskrouter_.edit_task_attributes(call.workspace_sid, call.task_sid, [&](nlohmann::json& attributes) {
    attributes["conference"]["participants"]["worker"] = worker_call;
  });
}

void CallsModule::hang_up(const httplib::Request& req, httplib::Response& res, const PathParams& params) {
  const auto spec = control_json_body(req, res);
  if (!spec) return;
  if (!known_fields(*spec, {"party", "wrapUp"}, res)) return;
  std::string party;
  if (!read_string(*spec, "party", party, true, res)) return;
  if (party != "customer" && party != "worker") return send_control_error(res, 400, "'party' must be customer or worker");
  bool wrap = true;
  if (spec->contains("wrapUp")) {
    if (!(*spec)["wrapUp"].is_boolean()) return send_control_error(res, 400, "'wrapUp' must be true or false");
    wrap = (*spec)["wrapUp"].get<bool>();
  }
  std::uint64_t seq = 0;
  nlohmann::json conference, call_out;
  std::string workspace_sid, task_sid = params.at("TaskSid");
  {
    std::lock_guard lock(mutex_);
    const auto it = calls_.find(task_sid);
    if (it == calls_.end()) return send_control_error(res, 404, "no call for task " + task_sid);
    Call& call = it->second;
    workspace_sid = call.workspace_sid;
    if (call.conference_sid.empty()) return send_control_error(res, 409, "call " + task_sid + " has no conference");
    if (call.status == "ended" || call.status == "transferred") {
      return send_control_error(res, 409, "call " + task_sid + " has " + call.status + " already");
    }
    if (party == "worker" && call.worker_call.empty()) return send_control_error(res, 409, "no agent has answered call " + task_sid + " yet");
    const std::string leg = party == "customer" ? call.customer_call : call.worker_call;
    try {
      conference = voice_.leave_conference(call.conference_sid, leg, "participant_hung_up");
    } catch (const std::exception& e) {
      return send_control_error(res, 409, e.what());
    }
    call.status = "ended";
    call.ended_by = party;
    call_out = call_json(call);
  }
  // What Flex does when the call ends: the agent's task wraps up; a caller who hangs up before anyone
  // answered abandons the task (canceled).
  const std::string status = taskrouter_.task_resource(workspace_sid, task_sid).value("assignment_status", "");
  try {
    if (status == "assigned" && wrap) seq = taskrouter_.move_task(workspace_sid, task_sid, "wrapping");
    if (status == "pending" || status == "reserved") {
      seq = taskrouter_.move_task(workspace_sid, task_sid, "canceled", "The caller hung up before an agent answered");
    }
  } catch (const std::exception& e) {
    return send_control_error(res, 409, e.what());
  }
  nlohmann::json answer{{"task", taskrouter_.task_resource(workspace_sid, task_sid)},
                        {"event", event_outcome(seq)},
                        {"conference", conference},
                        {"call", call_out}};
  send_json(res, 200, answer);
}

void CallsModule::wrap_up(const httplib::Request& req, httplib::Response& res, const PathParams& params) {
  const auto spec = control_json_body(req, res);
  if (!spec) return;
  if (!known_fields(*spec, {"eventUrl", "params"}, res)) return;
  std::string event_url;
  if (!read_string(*spec, "eventUrl", event_url, false, res)) return;
  const nlohmann::json overrides = spec->value("params", nlohmann::json::object());
  if (!overrides.is_object()) return send_control_error(res, 400, "'params' must be an object of event parameters (null removes one)");
  std::string workspace_sid;
  const std::string task_sid = params.at("TaskSid");
  {
    std::lock_guard lock(mutex_);
    const auto it = calls_.find(task_sid);
    if (it == calls_.end()) return send_control_error(res, 404, "no call for task " + task_sid);
    workspace_sid = it->second.workspace_sid;
  }
  std::uint64_t seq = 0;
  try {
    seq = taskrouter_.move_task(workspace_sid, task_sid, "wrapping");
  } catch (const std::exception& e) {
    return send_control_error(res, 409, e.what());
  }
  nlohmann::json event;
  if (event_url.empty()) {
    event = event_outcome(seq);
  } else {
    // The same task.wrapup, sent (signed) to eventUrl and answered here.
    const nlohmann::json recorded = taskrouter_.events().list(seq - 1);
    nlohmann::json event_params = recorded.empty() ? nlohmann::json::object() : recorded.front()["params"];
    for (const auto& [key, value] : overrides.items()) {
      if (value.is_null()) {
        event_params.erase(key);
      } else {
        event_params[key] = value;
      }
    }
    try {
      event = send_webhook(parse_webhook_spec({{"url", event_url}, {"method", "POST"}, {"params", event_params}},
                                              context_.config.credentials.auth_token));
    } catch (const WebhookSpecError& e) {
      return send_control_error(res, 400, e.what());
    } catch (const std::exception& e) {
      return send_control_error(res, 502, e.what());
    }
  }
  send_json(res, 200, nlohmann::json{{"task", taskrouter_.task_resource(workspace_sid, task_sid)}, {"event", event}});
}

void CallsModule::transfer(const httplib::Request& req, httplib::Response& res, const PathParams& params) {
  const auto spec = control_json_body(req, res);
  if (!spec) return;
  if (!known_fields(*spec, {}, res)) return;
  std::lock_guard lock(mutex_);
  const auto it = calls_.find(params.at("TaskSid"));
  if (it == calls_.end()) return send_control_error(res, 404, "no call for task " + params.at("TaskSid"));
  Call& call = it->second;
  if (call.status != "in-progress" || call.worker_call.empty()) {
    return send_control_error(res, 409, "call " + call.task_sid + " is " + call.status + ": only an answered call can be transferred");
  }
  // Flex keeps the conference up for the customer while the first agent leaves.
  try {
    voice_.set_end_conference_on_exit(call.conference_sid, call.worker_call, false);
    voice_.leave_conference(call.conference_sid, call.worker_call, "participant_updated_via_api");
  } catch (const std::exception& e) {
    return send_control_error(res, 409, e.what());
  }
  call.status = "transferred";
  nlohmann::json attributes = taskrouter_.task_resource(call.workspace_sid, call.task_sid);
  attributes = nlohmann::json::parse(attributes.value("attributes", std::string("{}")), nullptr, false);
  if (!attributes.is_object()) attributes = nlohmann::json::object();
  attributes.erase("conversations");
  if (attributes.contains("conference") && attributes["conference"].contains("participants")) {
    attributes["conference"]["participants"].erase("worker");
  }
  Call next = call;
  next.worker_call.clear();
  next.worker_sid.clear();
  next.reservation_sid.clear();
  next.status = "ringing";
  next.ended_by.clear();
  const auto created = taskrouter_.create_task_for_call(call.workspace_sid, call.workflow_sid, attributes, call.channel);
  next.task_sid = created.task_sid;
  next.reservation_sid = created.reservation_sid;
  next.worker_sid = created.worker_sid;
  next.order = next_order_++;
  const auto& stored = calls_.emplace(next.task_sid, next).first->second;
  send_json(res, 201, call_json(stored));
}

void CallsModule::create_voicemail(const httplib::Request& req, httplib::Response& res) {
  const auto spec = control_json_body(req, res);
  if (!spec) return;
  if (!known_fields(*spec, {"url", "from", "to", "flexFlowSid", "transcription", "durationSeconds", "params"}, res)) return;
  std::string url, flow;
  Recording recording;
  if (!read_string(*spec, "url", url, true, res) || !read_string(*spec, "from", recording.from, true, res) ||
      !read_string(*spec, "to", recording.to, true, res) || !read_string(*spec, "flexFlowSid", flow, true, res) ||
      !read_string(*spec, "transcription", recording.transcription, false, res)) {
    return;
  }
  if (!is_e164(recording.from)) return send_control_error(res, 400, "'from' must be an E.164 number such as +15550100100");
  if (!is_e164(recording.to)) return send_control_error(res, 400, "'to' must be an E.164 number such as +15550100001");
  if (flow.empty()) return send_control_error(res, 400, "'flexFlowSid' must not be empty");
  recording.duration_seconds = 8;
  if (spec->contains("durationSeconds")) {
    const auto& value = (*spec)["durationSeconds"];
    if (!value.is_number_integer() || value.get<int>() < 1 || value.get<int>() > 300) {
      return send_control_error(res, 400, "'durationSeconds' must be an integer from 1 to 300");
    }
    recording.duration_seconds = value.get<int>();
  }
  const nlohmann::json extra = spec->value("params", nlohmann::json::object());
  if (!extra.is_object()) return send_control_error(res, 400, "'params' must be an object of extra Studio parameters");
  recording.sid = random_sid("RE");
  recording.call_sid = random_sid("CA");
  recording.transcription_sid = random_sid("TR");
  recording.created = Clock::now();
  std::string host = req.get_header_value("Host");
  if (host.empty()) host = "127.0.0.1";
  const std::string recording_url =
      "http://" + host + "/voice/2010-04-01/Accounts/" + context_.config.credentials.account_sid + "/Recordings/" + recording.sid;
  // What Studio's Record Voicemail widget sends to its Transcription Callback URL (seed-behaviour 4.2).
  nlohmann::json params{{"AccountSid", context_.config.credentials.account_sid},
                        {"CallSid", recording.call_sid},
                        {"From", recording.from},
                        {"To", recording.to},
                        {"RecordingSid", recording.sid},
                        {"RecordingUrl", recording_url},
                        {"RecordingDuration", std::to_string(recording.duration_seconds)},
                        {"RecordingStatus", "completed"},
                        {"TranscriptionSid", recording.transcription_sid},
                        {"TranscriptionText", recording.transcription},
                        {"TranscriptionStatus", "completed"},
                        {"TranscriptionType", "fast"},
                        {"numberToCall", recording.from},
                        {"numberToCallFrom", recording.to},
                        {"flexFlowSid", flow}};
  for (const auto& [key, value] : extra.items()) params[key] = value;
  WebhookSpec webhook;
  try {
    webhook = parse_webhook_spec({{"url", url}, {"method", "POST"}, {"params", params}}, context_.config.credentials.auth_token);
  } catch (const WebhookSpecError& e) {
    return send_control_error(res, 400, e.what());
  }
  {
    // Stored first: the server may fetch the recording while handling the request.
    std::lock_guard lock(mutex_);
    recording.order = next_order_++;
    recordings_.emplace(recording.sid, recording);
  }
  nlohmann::json answer;
  try {
    answer = send_webhook(webhook);
  } catch (const std::exception& e) {
    return send_control_error(res, 502, e.what());
  }
  send_json(res, 200, nlohmann::json{{"recordingSid", recording.sid},
                                     {"recordingUrl", recording_url},
                                     {"callSid", recording.call_sid},
                                     {"transcriptionSid", recording.transcription_sid},
                                     {"status", answer["status"]},
                                     {"body", answer["body"]}});
}

}  // namespace flexcore::emulator
