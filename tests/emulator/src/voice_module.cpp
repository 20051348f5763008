#include "voice_module.h"

#include "http_util.h"
#include "twilio_error.h"

#include <algorithm>
#include <ctime>
#include <set>
#include <type_traits>

namespace flexcore::emulator {
namespace {

constexpr const char* kApiBase = "/2010-04-01/Accounts/";

std::chrono::system_clock::time_point now_seconds() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

/// "true"/"false" (any case) → bool; nullopt otherwise.
std::optional<bool> parse_bool(const std::string& value) {
  const std::string lower = to_lower(value);
  if (lower == "true") return true;
  if (lower == "false") return false;
  return std::nullopt;
}

bool printable_label(const std::string& text) {
  return !text.empty() && text.size() <= 128 && std::all_of(text.begin(), text.end(), [](char c) {
           const auto u = static_cast<unsigned char>(c);
           return u >= 0x20 && u != 0x7f;
         });
}

const std::set<std::string> kReasonsParticipantLeft = {"conference_ended_via_api", "moderator_ended_conference",
                                                       "participant_updated_via_api", "participant_hung_up",
                                                       "participant_add_failed"};

}  // namespace

std::string rfc2822_utc(std::chrono::system_clock::time_point when) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buffer;
}

VoiceModule::VoiceModule(ModuleContext context) : context_(context) {}

void VoiceModule::register_routes(Router& upstream, ControlApi& control) {
  upstream.add_family("voice", {"/voice"}, "voice");
  const std::string base = "/2010-04-01/Accounts/{AccountSid}/Conferences";
  upstream.add_route("voice", "GET", base + ".json",
                     [this](const UpstreamRequest& r, httplib::Response& res) { list_conferences(r, res); });
  upstream.add_route("voice", "GET", base + "/{Sid}.json",
                     [this](const UpstreamRequest& r, httplib::Response& res) { fetch_conference(r, res); });
  upstream.add_route("voice", "POST", base + "/{Sid}.json",
                     [this](const UpstreamRequest& r, httplib::Response& res) { update_conference(r, res); });
  upstream.add_route("voice", "GET", base + "/{ConferenceSid}/Participants.json",
                     [this](const UpstreamRequest& r, httplib::Response& res) { list_participants(r, res); });
  const std::string participant = base + "/{ConferenceSid}/Participants/{CallSid}.json";
  upstream.add_route("voice", "GET", participant,
                     [this](const UpstreamRequest& r, httplib::Response& res) { fetch_participant(r, res); });
  upstream.add_route("voice", "POST", participant,
                     [this](const UpstreamRequest& r, httplib::Response& res) { update_participant(r, res); });
  upstream.add_route("voice", "DELETE", participant,
                     [this](const UpstreamRequest& r, httplib::Response& res) { kick_participant(r, res); });

  control.add("POST", "/voice/conferences",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams&) {
                control_create_conference(req, res);
              });
  control.add("GET", "/voice/conferences",
              [this](const httplib::Request&, httplib::Response& res, const PathParams&) { control_list(res); });
  control.add("POST", "/voice/conferences/{Sid}/participants",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams& params) {
                control_add_participant(req, res, params);
              });
  control.add("POST", "/voice/conferences/{Sid}/participants/{CallSid}/leave",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams& params) {
                control_leave(req, res, params);
              });
}

void VoiceModule::reset() {
  std::lock_guard lock(mutex_);
  conferences_.clear();
  next_order_ = 1;
}

nlohmann::json VoiceModule::conference_json(const Conference& conference) const {
  const std::string uri = std::string(kApiBase) + context_.config.credentials.account_sid + "/Conferences/" +
                          conference.sid;
  nlohmann::json out = {
      {"account_sid", context_.config.credentials.account_sid},
      {"api_version", "2010-04-01"},
      {"call_sid_ending_conference", conference.call_sid_ending_conference
                                         ? nlohmann::json(*conference.call_sid_ending_conference)
                                         : nlohmann::json(nullptr)},
      {"date_created", rfc2822_utc(conference.date_created)},
      {"date_updated", rfc2822_utc(conference.date_updated)},
      {"friendly_name", conference.friendly_name},
      {"reason_conference_ended", conference.reason_conference_ended
                                      ? nlohmann::json(*conference.reason_conference_ended)
                                      : nlohmann::json(nullptr)},
      {"region", "us1"},
      {"sid", conference.sid},
      {"status", conference.status},
      {"subresource_uris",
       {{"participants", uri + "/Participants.json"}, {"recordings", uri + "/Recordings.json"}}},
      {"uri", uri + ".json"},
  };
  return out;
}

nlohmann::json VoiceModule::participant_json(const Conference& conference, const Participant& participant) const {
  const std::string uri = std::string(kApiBase) + context_.config.credentials.account_sid + "/Conferences/" +
                          conference.sid + "/Participants/" + participant.call_sid + ".json";
  return nlohmann::json{
      {"account_sid", context_.config.credentials.account_sid},
      {"call_sid", participant.call_sid},
      {"call_sid_to_coach", nullptr},
      {"coaching", participant.coaching},
      {"conference_sid", conference.sid},
      {"date_created", rfc2822_utc(participant.date_created)},
      {"date_updated", rfc2822_utc(participant.date_updated)},
      {"end_conference_on_exit", participant.end_conference_on_exit},
      {"hold", participant.hold},
      {"label", participant.label.empty() ? nlohmann::json(nullptr) : nlohmann::json(participant.label)},
      {"muted", participant.muted},
      {"queue_time", "0"},
      {"start_conference_on_enter", participant.start_conference_on_enter},
      {"status", participant.status},
      {"uri", uri},
  };
}

bool VoiceModule::authorize(const UpstreamRequest& request, httplib::Response& res) const {
  const Credentials& credentials = context_.config.credentials;
  if (!require_twilio_basic_auth(request.http, res, credentials)) return false;
  if (request.params.at("AccountSid") != credentials.account_sid) {
    send_twilio_error(res, 401, 20003, "Authenticate");
    res.set_header("WWW-Authenticate", "Basic realm=\"Twilio API\"");
    return false;
  }
  return true;
}

void VoiceModule::leave(Conference& conference, Participant& participant, const std::string& reason, bool kicked) {
  const auto now = now_seconds();
  participant.status = "complete";
  participant.reason_left = reason;
  participant.date_updated = now;
  conference.date_updated = now;
  if (conference.status == "completed") return;
  const bool anyone_left = std::any_of(conference.participants.begin(), conference.participants.end(),
                                       [](const Participant& p) { return p.status != "complete"; });
  if (participant.end_conference_on_exit) {
    conference.reason_conference_ended = kicked ? "participant-with-end-conference-on-exit-kicked"
                                                : "participant-with-end-conference-on-exit-left";
  } else if (!anyone_left) {
    conference.reason_conference_ended = kicked ? "last-participant-kicked" : "last-participant-left";
  } else {
    return;
  }
  conference.status = "completed";
  conference.call_sid_ending_conference = participant.call_sid;
  for (auto& other : conference.participants) {
    if (other.status != "complete") {
      other.status = "complete";
      other.reason_left = "moderator_ended_conference";
      other.date_updated = now;
    }
  }
}

void VoiceModule::fetch_conference(const UpstreamRequest& request, httplib::Response& res) const {
  if (!authorize(request, res)) return;
  std::lock_guard lock(mutex_);
  const auto it = conferences_.find(request.params.at("Sid"));
  if (it == conferences_.end()) {
    send_twilio_error(res, 404, 20404, not_found_message(request.path));
    return;
  }
  send_json(res, 200, conference_json(it->second));
}

void VoiceModule::list_conferences(const UpstreamRequest& request, httplib::Response& res) const {
  if (!authorize(request, res)) return;
  const auto friendly_name = request.param("FriendlyName");
  const auto status = request.param("Status");
  std::vector<const Conference*> found;
  nlohmann::json list = nlohmann::json::array();
  {
    std::lock_guard lock(mutex_);
    for (const auto& [sid, conference] : conferences_) {
      (void)sid;
      if (friendly_name && conference.friendly_name != *friendly_name) continue;
      if (status && conference.status != *status) continue;
      found.push_back(&conference);
    }
    // Newest first, as API 2010 lists conferences.
    std::sort(found.begin(), found.end(), [](const Conference* a, const Conference* b) { return a->order > b->order; });
    for (const auto* conference : found) list.push_back(conference_json(*conference));
  }
  const std::string uri = std::string(kApiBase) + context_.config.credentials.account_sid + "/Conferences.json";
  const auto size = static_cast<long long>(list.size());
  send_json(res, 200,
            nlohmann::json{{"conferences", list},
                           {"end", size == 0 ? 0 : size - 1},
                           {"first_page_uri", uri + "?PageSize=50&Page=0"},
                           {"next_page_uri", nullptr},
                           {"page", 0},
                           {"page_size", 50},
                           {"previous_page_uri", nullptr},
                           {"start", 0},
                           {"uri", uri + "?PageSize=50&Page=0"}});
}

void VoiceModule::update_conference(const UpstreamRequest& request, httplib::Response& res) {
  if (!authorize(request, res)) return;
  const auto status = request.param("Status");
  if (status && *status != "completed") {
    send_twilio_error(res, 400, 20001, "Invalid parameter: Status must be 'completed'",
                      nlohmann::json{{"parameter", "Status"}});
    return;
  }
  std::lock_guard lock(mutex_);
  const auto it = conferences_.find(request.params.at("Sid"));
  if (it == conferences_.end()) {
    send_twilio_error(res, 404, 20404, not_found_message(request.path));
    return;
  }
  Conference& conference = it->second;
  if (status && conference.status != "completed") {
    const auto now = now_seconds();
    conference.status = "completed";
    conference.reason_conference_ended = "conference-ended-via-api";
    conference.date_updated = now;
    for (auto& participant : conference.participants) {
      if (participant.status != "complete") {
        participant.status = "complete";
        participant.reason_left = "conference_ended_via_api";
        participant.date_updated = now;
      }
    }
  }
  send_json(res, 200, conference_json(conference));
}

void VoiceModule::list_participants(const UpstreamRequest& request, httplib::Response& res) const {
  if (!authorize(request, res)) return;
  std::lock_guard lock(mutex_);
  const auto it = conferences_.find(request.params.at("ConferenceSid"));
  if (it == conferences_.end()) {
    send_twilio_error(res, 404, 20404, not_found_message(request.path));
    return;
  }
  const auto muted = request.param("Muted");
  const auto hold = request.param("Hold");
  nlohmann::json list = nlohmann::json::array();
  for (const auto& participant : it->second.participants) {
    if (participant.status == "complete") continue;  // only live participants are listed
    if (muted && parse_bool(*muted) != participant.muted) continue;
    if (hold && parse_bool(*hold) != participant.hold) continue;
    list.push_back(participant_json(it->second, participant));
  }
  const std::string uri = std::string(kApiBase) + context_.config.credentials.account_sid + "/Conferences/" +
                          it->second.sid + "/Participants.json";
  const auto size = static_cast<long long>(list.size());
  send_json(res, 200,
            nlohmann::json{{"participants", list},
                           {"end", size == 0 ? 0 : size - 1},
                           {"first_page_uri", uri + "?PageSize=50&Page=0"},
                           {"next_page_uri", nullptr},
                           {"page", 0},
                           {"page_size", 50},
                           {"previous_page_uri", nullptr},
                           {"start", 0},
                           {"uri", uri + "?PageSize=50&Page=0"}});
}

namespace {
/// The live participant of `conference` addressed by call SID or label; null when none.
template <typename ConferenceT>
auto* live_participant(ConferenceT& conference, const std::string& id) {
  using ParticipantT = std::remove_reference_t<decltype(conference.participants.front())>;
  for (auto& participant : conference.participants) {
    if (participant.status == "complete") continue;
    if (participant.call_sid == id || (!participant.label.empty() && participant.label == id)) return &participant;
  }
  return static_cast<ParticipantT*>(nullptr);
}
}  // namespace

void VoiceModule::fetch_participant(const UpstreamRequest& request, httplib::Response& res) const {
  if (!authorize(request, res)) return;
  std::lock_guard lock(mutex_);
  const auto it = conferences_.find(request.params.at("ConferenceSid"));
  if (it == conferences_.end()) {
    send_twilio_error(res, 404, 20404, not_found_message(request.path));
    return;
  }
  const Conference& conference = it->second;
  const Participant* participant = live_participant(conference, request.params.at("CallSid"));
  if (participant == nullptr) {
    send_twilio_error(res, 404, 20404, not_found_message(request.path));
    return;
  }
  send_json(res, 200, participant_json(conference, *participant));
}

void VoiceModule::update_participant(const UpstreamRequest& request, httplib::Response& res) {
  if (!authorize(request, res)) return;
  struct Flag {
    const char* name;
    bool Participant::*member;
  };
  static const Flag kFlags[] = {{"Muted", &Participant::muted},
                                {"Hold", &Participant::hold},
                                {"Coaching", &Participant::coaching},
                                {"EndConferenceOnExit", &Participant::end_conference_on_exit}};
  std::vector<std::pair<bool Participant::*, bool>> changes;
  for (const auto& flag : kFlags) {
    if (const auto value = request.param(flag.name)) {
      const auto parsed = parse_bool(*value);
      if (!parsed) {
        send_twilio_error(res, 400, 20001, std::string("Invalid parameter: ") + flag.name + " must be true or false",
                          nlohmann::json{{"parameter", flag.name}});
        return;
      }
      changes.emplace_back(flag.member, *parsed);
    }
  }
  std::lock_guard lock(mutex_);
  auto it = conferences_.find(request.params.at("ConferenceSid"));
  Participant* participant =
      it == conferences_.end() ? nullptr : live_participant(it->second, request.params.at("CallSid"));
  if (participant == nullptr) {
    send_twilio_error(res, 404, 20404, not_found_message(request.path));
    return;
  }
  for (const auto& [member, value] : changes) participant->*member = value;
  participant->date_updated = now_seconds();
  send_json(res, 200, participant_json(it->second, *participant));
}

void VoiceModule::kick_participant(const UpstreamRequest& request, httplib::Response& res) {
  if (!authorize(request, res)) return;
  std::lock_guard lock(mutex_);
  auto it = conferences_.find(request.params.at("ConferenceSid"));
  Participant* participant =
      it == conferences_.end() ? nullptr : live_participant(it->second, request.params.at("CallSid"));
  if (participant == nullptr) {
    send_twilio_error(res, 404, 20404, not_found_message(request.path));
    return;
  }
  leave(it->second, *participant, "participant_updated_via_api", true);
  res.status = 204;
}

void VoiceModule::control_create_conference(const httplib::Request& req, httplib::Response& res) {
  const auto spec = control_json_body(req, res);
  if (!spec) return;
  for (const auto& [key, value] : spec->items()) {
    (void)value;
    if (key != "friendlyName" && key != "sid") {
      send_control_error(res, 400, "unknown field '" + key + "' (expected friendlyName, sid)");
      return;
    }
  }
  Conference conference;
  if (spec->contains("sid")) {
    const auto& sid = (*spec)["sid"];
    if (!sid.is_string() || !is_sid(sid.get<std::string>(), "CF")) {
      send_control_error(res, 400, "'sid' must be a Conference SID: CF followed by 32 hex digits");
      return;
    }
    conference.sid = sid.get<std::string>();
  } else {
    conference.sid = random_sid("CF");
  }
  if (spec->contains("friendlyName")) {
    const auto& name = (*spec)["friendlyName"];
    if (!name.is_string() || !printable_label(name.get<std::string>())) {
      send_control_error(res, 400, "'friendlyName' must be a string of 1-128 printable characters");
      return;
    }
    conference.friendly_name = name.get<std::string>();
  } else {
    conference.friendly_name = conference.sid;
  }
  conference.date_created = conference.date_updated = now_seconds();
  std::lock_guard lock(mutex_);
  if (conferences_.count(conference.sid) != 0) {
    send_control_error(res, 409, "conference " + conference.sid + " already exists");
    return;
  }
  conference.order = next_order_++;
  const auto& stored = conferences_.emplace(conference.sid, std::move(conference)).first->second;
  send_json(res, 201, conference_json(stored));
}

void VoiceModule::control_add_participant(const httplib::Request& req, httplib::Response& res,
                                          const PathParams& params) {
  const auto spec = control_json_body(req, res);
  if (!spec) return;
  static const std::set<std::string> kKnown = {"callSid", "label", "endConferenceOnExit", "startConferenceOnEnter"};
  for (const auto& [key, value] : spec->items()) {
    (void)value;
    if (kKnown.count(key) == 0) {
      send_control_error(res, 400,
                         "unknown field '" + key + "' (expected callSid, label, endConferenceOnExit, startConferenceOnEnter)");
      return;
    }
  }
  Participant participant;
  if (spec->contains("callSid")) {
    const auto& sid = (*spec)["callSid"];
    if (!sid.is_string() || !is_sid(sid.get<std::string>(), "CA")) {
      send_control_error(res, 400, "'callSid' must be a Call SID: CA followed by 32 hex digits");
      return;
    }
    participant.call_sid = sid.get<std::string>();
  } else {
    participant.call_sid = random_sid("CA");
  }
  if (spec->contains("label")) {
    const auto& label = (*spec)["label"];
    if (!label.is_string() || !printable_label(label.get<std::string>())) {
      send_control_error(res, 400, "'label' must be a string of 1-128 printable characters");
      return;
    }
    participant.label = label.get<std::string>();
  }
  for (const auto& [key, member] : {std::pair{"endConferenceOnExit", &Participant::end_conference_on_exit},
                                    std::pair{"startConferenceOnEnter", &Participant::start_conference_on_enter}}) {
    if (spec->contains(key)) {
      const auto& value = (*spec)[key];
      if (!value.is_boolean()) {
        send_control_error(res, 400, std::string("'") + key + "' must be true or false");
        return;
      }
      participant.*member = value.get<bool>();
    }
  }
  participant.date_created = participant.date_updated = now_seconds();
  std::lock_guard lock(mutex_);
  const auto it = conferences_.find(params.at("Sid"));
  if (it == conferences_.end()) {
    send_control_error(res, 404, "no conference " + params.at("Sid"));
    return;
  }
  Conference& conference = it->second;
  if (conference.status == "completed") {
    send_control_error(res, 409, "conference " + conference.sid + " has ended");
    return;
  }
  for (const auto& other : conference.participants) {
    if (other.call_sid == participant.call_sid) {
      send_control_error(res, 409, "call " + participant.call_sid + " already joined conference " + conference.sid);
      return;
    }
  }
  participant.order = next_order_++;
  if (participant.start_conference_on_enter) conference.status = "in-progress";
  conference.date_updated = participant.date_created;
  conference.participants.push_back(participant);
  send_json(res, 201, participant_json(conference, conference.participants.back()));
}

void VoiceModule::control_leave(const httplib::Request& req, httplib::Response& res, const PathParams& params) {
  const auto spec = control_json_body(req, res);
  if (!spec) return;
  std::string reason = "participant_hung_up";
  for (const auto& [key, value] : spec->items()) {
    if (key != "reason") {
      send_control_error(res, 400, "unknown field '" + key + "' (expected reason)");
      return;
    }
    if (!value.is_string() || kReasonsParticipantLeft.count(value.get<std::string>()) == 0) {
      send_control_error(res, 400,
                         "'reason' must be a ReasonParticipantLeft: conference_ended_via_api, moderator_ended_conference, "
                         "participant_updated_via_api, participant_hung_up or participant_add_failed");
      return;
    }
    reason = value.get<std::string>();
  }
  std::lock_guard lock(mutex_);
  const auto it = conferences_.find(params.at("Sid"));
  if (it == conferences_.end()) {
    send_control_error(res, 404, "no conference " + params.at("Sid"));
    return;
  }
  Participant* participant = live_participant(it->second, params.at("CallSid"));
  if (participant == nullptr) {
    send_control_error(res, 404, "call " + params.at("CallSid") + " is not live in conference " + params.at("Sid"));
    return;
  }
  leave(it->second, *participant, reason, false);
  nlohmann::json participant_out = participant_json(it->second, *participant);
  participant_out["reason_participant_left"] = participant->reason_left;
  send_json(res, 200, nlohmann::json{{"conference", conference_json(it->second)}, {"participant", participant_out}});
}

void VoiceModule::control_list(httplib::Response& res) const {
  std::lock_guard lock(mutex_);
  std::vector<const Conference*> all;
  for (const auto& [sid, conference] : conferences_) {
    (void)sid;
    all.push_back(&conference);
  }
  std::sort(all.begin(), all.end(), [](const Conference* a, const Conference* b) { return a->order < b->order; });
  nlohmann::json list = nlohmann::json::array();
  for (const auto* conference : all) {
    nlohmann::json out = conference_json(*conference);
    out["participants"] = nlohmann::json::array();
    for (const auto& participant : conference->participants) {
      nlohmann::json p = participant_json(*conference, participant);
      p["reason_participant_left"] =
          participant.reason_left.empty() ? nlohmann::json(nullptr) : nlohmann::json(participant.reason_left);
      out["participants"].push_back(p);
    }
    list.push_back(out);
  }
  send_json(res, 200, nlohmann::json{{"conferences", list}});
}

// ------------------------------------------------------------------------------------- calls support

nlohmann::json VoiceModule::open_conference(const std::string& sid, const std::string& friendly_name) {
  Conference conference;
  conference.sid = sid;
  conference.friendly_name = friendly_name;
  conference.date_created = conference.date_updated = now_seconds();
  std::lock_guard lock(mutex_);
  if (conferences_.count(sid) != 0) throw std::invalid_argument("conference " + sid + " already exists");
  conference.order = next_order_++;
  return conference_json(conferences_.emplace(sid, std::move(conference)).first->second);
}

void VoiceModule::join_conference(const std::string& conference_sid, const std::string& call_sid, const std::string& label,
                                  bool end_conference_on_exit) {
  std::lock_guard lock(mutex_);
  const auto it = conferences_.find(conference_sid);
  if (it == conferences_.end()) throw std::out_of_range("no conference " + conference_sid);
  Conference& conference = it->second;
  if (conference.status == "completed") throw std::invalid_argument("conference " + conference_sid + " has ended");
  for (const auto& other : conference.participants) {
    if (other.call_sid == call_sid) throw std::invalid_argument("call " + call_sid + " already joined conference " + conference_sid);
  }
  Participant participant;
  participant.call_sid = call_sid;
  participant.label = label;
  participant.end_conference_on_exit = end_conference_on_exit;
  participant.date_created = participant.date_updated = now_seconds();
  participant.order = next_order_++;
  conference.status = "in-progress";
  conference.date_updated = participant.date_created;
  conference.participants.push_back(participant);
}

nlohmann::json VoiceModule::leave_conference(const std::string& conference_sid, const std::string& call_sid,
                                             const std::string& reason) {
  std::lock_guard lock(mutex_);
  const auto it = conferences_.find(conference_sid);
  if (it == conferences_.end()) throw std::out_of_range("no conference " + conference_sid);
  Participant* participant = live_participant(it->second, call_sid);
  if (participant == nullptr) throw std::out_of_range("call " + call_sid + " is not live in conference " + conference_sid);
  leave(it->second, *participant, reason, false);
  return conference_json(it->second);
}

void VoiceModule::set_end_conference_on_exit(const std::string& conference_sid, const std::string& call_sid, bool value) {
  std::lock_guard lock(mutex_);
  const auto it = conferences_.find(conference_sid);
  if (it == conferences_.end()) throw std::out_of_range("no conference " + conference_sid);
  Participant* participant = live_participant(it->second, call_sid);
  if (participant == nullptr) throw std::out_of_range("call " + call_sid + " is not live in conference " + conference_sid);
  participant->end_conference_on_exit = value;
  participant->date_updated = now_seconds();
}

nlohmann::json VoiceModule::conference(const std::string& sid) const {
  std::lock_guard lock(mutex_);
  const auto it = conferences_.find(sid);
  if (it == conferences_.end()) throw std::out_of_range("no conference " + sid);
  return conference_json(it->second);
}

}  // namespace flexcore::emulator
