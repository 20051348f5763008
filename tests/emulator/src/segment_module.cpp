#include "segment_module.h"

#include "http_util.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <set>

namespace flexcore::emulator {
namespace {

using ojson = nlohmann::ordered_json;

constexpr std::size_t kMaxTrackingBody = 32 * 1024;  // upstream-contracts 5.2: 32 KB per call
constexpr int kMaxLimit = 200;                        // upstream-contracts 5.1: limit up to 200
constexpr int kMaxPage = 100;                         // ... but pages of 1-100 items (pagination section)
constexpr const char* kCursorPrefix = "emu_cursor_";

std::string now_iso() { return iso8601_utc(std::chrono::system_clock::now()); }

std::optional<BasicCredentials> basic_of(const httplib::Request& req) {
  if (!req.has_header("Authorization")) return std::nullopt;
  return parse_basic_authorization(req.get_header_value("Authorization"));
}

/// Parses a positive integer in [1, kMaxLimit]; nullopt otherwise.
std::optional<int> parse_limit(const std::string& text) {
  int value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value < 1 || value > kMaxLimit) return std::nullopt;
  return value;
}

/// Offset encoded in a cursor from an earlier page; nullopt for anything the emulator did not issue.
std::optional<std::size_t> parse_cursor(const std::string& text) {
  const std::string prefix = kCursorPrefix;
  if (text.rfind(prefix, 0) != 0) return std::nullopt;
  const std::string digits = text.substr(prefix.size());
  std::size_t value = 0;
  const auto* end = digits.data() + digits.size();
  const auto [ptr, ec] = std::from_chars(digits.data(), end, value);
  if (digits.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::set<std::string> split_list(const std::string& text) {
  std::set<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const auto piece = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!piece.empty()) out.insert(piece);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

/// The display name of an event: `event` for track calls, else its `type`.
std::string event_name(const ojson& event) {
  if (event.contains("event") && event["event"].is_string()) return event["event"].get<std::string>();
  if (event.contains("type") && event["type"].is_string()) return event["type"].get<std::string>();
  return "";
}

std::string string_member(const ojson& object, const char* key) {
  if (object.is_object() && object.contains(key) && object[key].is_string()) return object[key].get<std::string>();
  return "";
}

ojson make_external_id(const std::string& type, const std::string& id) {
  return ojson{{"id", id},          {"type", type},        {"source_id", "emulator"},
               {"collection", "users"}, {"created_at", now_iso()}, {"encoding", "none"}};
}

bool valid_identifier_part(const ojson& value) {
  return value.is_string() && !value.get<std::string>().empty() && value.get<std::string>().size() <= 1024;
}

}  // namespace

void send_segment_error(httplib::Response& res, int status, const std::string& code, const std::string& message) {
  res.status = status;
  res.set_header("Request-Id", random_hex(8));
  res.set_content(nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump(), "application/json");
}

nlohmann::json SegmentSettings::to_json() const {
  return nlohmann::json{{"spaceId", space_id}, {"accessToken", access_token}, {"writeKey", write_key}};
}

bool SegmentProfile::has_identifier(const std::string& type, const std::string& id) const {
  return std::any_of(external_ids.begin(), external_ids.end(), [&](const nlohmann::json& entry) {
    return entry.value("type", "") == type && entry.value("id", "") == id;
  });
}

nlohmann::ordered_json SegmentProfile::to_json() const {
  ojson ids = ojson::array();
  for (const auto& entry : external_ids) ids.push_back(ojson::parse(entry.dump()));
  return ojson{{"segmentId", segment_id}, {"externalIds", ids}, {"traits", traits}, {"events", events}};
}

SegmentModule::SegmentModule(ModuleContext context) : context_(context) {}

void SegmentModule::register_routes(Router& upstream, ControlApi& control) {
  upstream.add_family("segment-profiles", {"/segment-profiles"});
  upstream.add_family("segment-api", {"/segment-api"});
  const std::string base = "/v1/spaces/{space_id}/collections/users/profiles/{profile}";
  upstream.add_route("segment-profiles", "GET", base + "/traits",
                     [this](const UpstreamRequest& r, httplib::Response& res) { profile_resource(r, res, Resource::Traits); });
  upstream.add_route("segment-profiles", "GET", base + "/events",
                     [this](const UpstreamRequest& r, httplib::Response& res) { profile_resource(r, res, Resource::Events); });
  upstream.add_route("segment-profiles", "GET", base + "/external_ids", [this](const UpstreamRequest& r, httplib::Response& res) {
    profile_resource(r, res, Resource::ExternalIds);
  });
  upstream.add_route("segment-api", "POST", "/v1/identify",
                     [this](const UpstreamRequest& r, httplib::Response& res) { track_call(r, res, true); });
  upstream.add_route("segment-api", "POST", "/v1/track",
                     [this](const UpstreamRequest& r, httplib::Response& res) { track_call(r, res, false); });

  control.add("POST", "/segment/settings",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams&) { set_settings(req, res); });
  control.add("GET", "/segment/settings", [this](const httplib::Request&, httplib::Response& res, const PathParams&) {
    std::lock_guard lock(mutex_);
    send_json(res, 200, settings_.to_json());
  });
  control.add("POST", "/segment/profiles",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams&) { seed_profile(req, res); });
  control.add("GET", "/segment/profiles",
              [this](const httplib::Request&, httplib::Response& res, const PathParams&) { list_profiles(res); });
  control.add("POST", "/segment/rate-limit",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams&) { set_rate_limit(req, res); });
}

void SegmentModule::reset() {
  std::lock_guard lock(mutex_);
  settings_ = SegmentSettings{};
  profiles_.clear();
  rate_limited_calls_ = 0;
}

SegmentProfile* SegmentModule::find_profile(const std::string& type, const std::string& id) {
  for (auto& profile : profiles_) {
    if (profile.has_identifier(type, id)) return &profile;
  }
  return nullptr;
}

void SegmentModule::profile_resource(const UpstreamRequest& request, httplib::Response& res, Resource resource) {
  std::lock_guard lock(mutex_);
  if (rate_limited_calls_ > 0) {
    --rate_limited_calls_;
    send_segment_error(res, 429, "rate_limit_error", "Too many requests: limit is 100 requests per second per space.");
    res.set_header("Retry-After", "1");
    return;
  }
  const auto credentials = basic_of(request.http);
  if (!credentials || credentials->username != settings_.access_token) {
    send_segment_error(res, 401, "authentication_error", "Invalid or missing access token (HTTP Basic, token as username).");
    return;
  }
  if (request.params.at("space_id") != settings_.space_id) {
    send_segment_error(res, 404, "not_found", "Space was not found.");
    return;
  }

  // Query parameters (upstream-contracts 5.1).
  static const std::set<std::string> kKnown = {"limit", "next", "include", "exclude", "class", "verbose", "start", "end", "sort"};
  int limit = resource == Resource::ExternalIds ? 25 : 10;
  std::size_t offset = 0;
  std::optional<std::set<std::string>> include;
  std::set<std::string> exclude;
  bool verbose = false;
  bool ascending = false;
  for (const auto& [key, value] : request.query) {
    if (kKnown.count(key) == 0) {
      send_segment_error(res, 400, "invalid_request_error", "Unknown query parameter: " + key);
      return;
    }
    if (key == "limit") {
      const auto parsed = parse_limit(value);
      if (!parsed) {
        send_segment_error(res, 400, "validation_error", "limit must be an integer between 1 and 200");
        return;
      }
      limit = *parsed;
    } else if (key == "next") {
      if (value.empty()) continue;
      const auto parsed = parse_cursor(value);
      if (!parsed) {
        send_segment_error(res, 400, "invalid_request_error", "next is not a valid cursor");
        return;
      }
      offset = *parsed;
    } else if (key == "include") {
      include = split_list(value);
    } else if (key == "exclude") {
      exclude = split_list(value);
    } else if (key == "verbose") {
      verbose = value == "true";
    } else if (key == "sort") {
      if (value != "asc" && value != "desc") {
        send_segment_error(res, 400, "validation_error", "sort must be asc or desc");
        return;
      }
      ascending = value == "asc";
    }
  }

  const std::string& profile_id = request.params.at("profile");
  const auto colon = profile_id.find(':');
  SegmentProfile* profile = nullptr;
  if (colon != std::string::npos && colon > 0 && colon + 1 < profile_id.size()) {
    profile = find_profile(profile_id.substr(0, colon), profile_id.substr(colon + 1));
  }
  if (profile == nullptr) {
    send_segment_error(res, 404, "not_found", "Profile was not found.");
    return;
  }

  // The cursor URL is the request path relative to the API host.
  const std::string url = request.path;
  auto page = [&](std::size_t total) {
    const std::size_t end = std::min(total, offset + static_cast<std::size_t>(std::min(limit, kMaxPage)));
    const bool has_more = end < total;
    return std::make_pair(end, ojson{{"url", url},
                                     {"has_more", has_more},
                                     {"next", has_more ? kCursorPrefix + std::to_string(end) : ""},
                                     {"limit", limit}});
  };

  res.set_header("Request-Id", random_hex(8));
  if (resource == Resource::Traits) {
    std::vector<std::pair<std::string, ojson>> selected;
    for (const auto& [key, value] : profile->traits.items()) {
      if (include && include->count(key) == 0) continue;
      selected.emplace_back(key, value);
    }
    const auto [end, cursor] = page(selected.size());
    ojson traits = ojson::object();
    for (std::size_t i = std::min(offset, end); i < end; ++i) {
      traits[selected[i].first] = verbose ? ojson{{"value", selected[i].second}, {"source_id", "emulator"}, {"updated_at", now_iso()}}
                                          : selected[i].second;
    }
    res.status = 200;
    res.set_content(ojson{{"traits", traits}, {"cursor", cursor}}.dump(), "application/json");
    return;
  }
  ojson source = ojson::array();
  if (resource == Resource::Events) {
    std::vector<ojson> events;
    for (const auto& event : profile->events) {
      const std::string name = event_name(event);
      if (include && include->count(name) == 0) continue;
      if (exclude.count(name) != 0) continue;
      events.push_back(event);
    }
    // Newest first by default (sort=desc); ISO-8601 UTC timestamps compare as text.
    std::stable_sort(events.begin(), events.end(), [&](const ojson& a, const ojson& b) {
      return ascending ? string_member(a, "timestamp") < string_member(b, "timestamp")
                       : string_member(a, "timestamp") > string_member(b, "timestamp");
    });
    for (auto& event : events) source.push_back(std::move(event));
  } else {
    for (const auto& entry : profile->external_ids) {
      if (include && include->count(entry.value("type", "")) == 0) continue;
      source.push_back(ojson::parse(entry.dump()));
    }
  }
  const auto [end, cursor] = page(source.size());
  ojson data = ojson::array();
  for (std::size_t i = std::min(offset, end); i < end; ++i) data.push_back(source[i]);
  res.status = 200;
  res.set_content(ojson{{"data", data}, {"cursor", cursor}}.dump(), "application/json");
}

void SegmentModule::track_call(const UpstreamRequest& request, httplib::Response& res, bool identify) {
  const auto& http = request.http;
  if (http.body.size() > kMaxTrackingBody) {
    send_segment_error(res, 400, "invalid_request_error", "Payload exceeds 32 KB");
    return;
  }
  if (request.content_type != "application/json") {
    send_segment_error(res, 400, "invalid_request_error", "Content-Type must be application/json");
    return;
  }
  auto body = ojson::parse(http.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    send_segment_error(res, 400, "invalid_request_error", "Invalid JSON: expected an object");
    return;
  }
  std::lock_guard lock(mutex_);
  std::string key;
  if (const auto credentials = basic_of(http)) {
    key = credentials->username;
  } else if (body.contains("writeKey") && body["writeKey"].is_string()) {
    key = body["writeKey"].get<std::string>();
  }
  if (key != settings_.write_key) {
    send_segment_error(res, 401, "authentication_error", "Invalid or missing write key");
    return;
  }
  const bool has_user = body.contains("userId") && !body["userId"].is_null();
  const bool has_anon = body.contains("anonymousId") && !body["anonymousId"].is_null();
  if (!has_user && !has_anon) {
    send_segment_error(res, 400, "no_user_anon_id", "userId or anonymousId is required");
    return;
  }
  if ((has_user && !valid_identifier_part(body["userId"])) || (has_anon && !valid_identifier_part(body["anonymousId"]))) {
    send_segment_error(res, 400, "validation_error", "userId and anonymousId must be non-empty strings of at most 1024 bytes");
    return;
  }
  if (body.contains("traits") && !body["traits"].is_object()) {
    send_segment_error(res, 400, "validation_error", "traits must be an object");
    return;
  }
  if (body.contains("properties") && !body["properties"].is_object()) {
    send_segment_error(res, 400, "validation_error", "properties must be an object");
    return;
  }
  if (!identify && (!body.contains("event") || !body["event"].is_string() || body["event"].get<std::string>().empty())) {
    send_segment_error(res, 400, "validation_error", "event is required for track");
    return;
  }
  if (body.contains("messageId") && (!body["messageId"].is_string() || body["messageId"].get<std::string>().size() >= 100)) {
    send_segment_error(res, 400, "validation_error", "messageId must be a string shorter than 100 characters");
    return;
  }
  if (body.contains("timestamp") && !body["timestamp"].is_string()) {
    send_segment_error(res, 400, "validation_error", "timestamp must be an ISO-8601 string");
    return;
  }

  // Find (or create) the profile of the call and apply it.
  const std::string user_id = has_user ? body["userId"].get<std::string>() : "";
  const std::string anon_id = has_anon ? body["anonymousId"].get<std::string>() : "";
  SegmentProfile* profile = has_user ? find_profile("user_id", user_id) : nullptr;
  if (profile == nullptr && has_anon) profile = find_profile("anonymous_id", anon_id);
  if (profile == nullptr) {
    SegmentProfile created;
    created.segment_id = "use_" + random_hex(12);
    created.external_ids = nlohmann::json::array();
    created.traits = ojson::object();
    created.events = ojson::array();
    profiles_.push_back(std::move(created));
    profile = &profiles_.back();
  }
  if (has_user && !profile->has_identifier("user_id", user_id)) {
    profile->external_ids.push_back(nlohmann::json::parse(make_external_id("user_id", user_id).dump()));
  }
  if (has_anon && !profile->has_identifier("anonymous_id", anon_id)) {
    profile->external_ids.push_back(nlohmann::json::parse(make_external_id("anonymous_id", anon_id).dump()));
  }
  if (identify && body.contains("traits")) {
    for (const auto& [name, value] : body["traits"].items()) profile->traits[name] = value;
  }
  ojson event{{"type", identify ? "identify" : "track"}};
  if (!identify) event["event"] = body["event"];
  event["message_id"] = body.contains("messageId") ? body["messageId"].get<std::string>() : "emu-" + random_hex(12);
  event["source_id"] = "emulator";
  event["timestamp"] = body.contains("timestamp") ? body["timestamp"].get<std::string>() : now_iso();
  if (identify) {
    event["traits"] = body.contains("traits") ? body["traits"] : ojson::object();
  } else {
    event["properties"] = body.contains("properties") ? body["properties"] : ojson::object();
  }
  if (body.contains("context")) event["context"] = body["context"];
  profile->events.push_back(std::move(event));
  send_json(res, 200, nlohmann::json{{"success", true}});
}

void SegmentModule::set_settings(const httplib::Request& req, httplib::Response& res) {
  const auto spec = control_json_body(req, res);
  if (!spec) return;
  std::lock_guard lock(mutex_);
  SegmentSettings next = settings_;
  for (const auto& [key, value] : spec->items()) {
    if (key != "spaceId" && key != "accessToken" && key != "writeKey") {
      send_control_error(res, 400, "unknown field '" + key + "' (expected spaceId, accessToken, writeKey)");
      return;
    }
    if (!value.is_string() || value.get<std::string>().empty() || value.get<std::string>().size() > 256 ||
        value.get<std::string>().find_first_of(":/ ") != std::string::npos) {
      send_control_error(res, 400, "'" + key + "' must be a non-empty string of at most 256 characters without ':', '/' or spaces");
      return;
    }
    (key == "spaceId" ? next.space_id : key == "accessToken" ? next.access_token : next.write_key) = value.get<std::string>();
  }
  settings_ = next;
  send_json(res, 200, settings_.to_json());
}

void SegmentModule::seed_profile(const httplib::Request& req, httplib::Response& res) {
  // Parsed in document order so traits keep the order they were given in.
  auto spec = ojson::parse(req.body.empty() ? std::string("{}") : req.body, nullptr, false);
  if (spec.is_discarded() || !spec.is_object()) {
    send_control_error(res, 400, "body must be a JSON object");
    return;
  }
  for (const auto& [key, value] : spec.items()) {
    (void)value;
    if (key != "externalIds" && key != "traits" && key != "events") {
      send_control_error(res, 400, "unknown field '" + key + "' (expected externalIds, traits, events)");
      return;
    }
  }
  if (!spec.contains("externalIds") || !spec["externalIds"].is_array() || spec["externalIds"].empty()) {
    send_control_error(res, 400, "'externalIds' is required: a non-empty array of {\"type\":\"user_id\",\"id\":\"u1\"}");
    return;
  }
  SegmentProfile profile;
  profile.segment_id = "use_" + random_hex(12);
  profile.external_ids = nlohmann::json::array();
  for (const auto& entry : spec["externalIds"]) {
    if (!entry.is_object() || !entry.contains("type") || !entry.contains("id") || !valid_identifier_part(entry["type"]) ||
        !valid_identifier_part(entry["id"])) {
      send_control_error(res, 400, "'externalIds' entries must be objects with non-empty string 'type' and 'id'");
      return;
    }
    profile.external_ids.push_back(nlohmann::json::parse(
        make_external_id(entry["type"].get<std::string>(), entry["id"].get<std::string>()).dump()));
  }
  profile.traits = spec.contains("traits") ? spec["traits"] : ojson::object();
  if (!profile.traits.is_object()) {
    send_control_error(res, 400, "'traits' must be a JSON object");
    return;
  }
  profile.events = ojson::array();
  if (spec.contains("events")) {
    if (!spec["events"].is_array()) {
      send_control_error(res, 400, "'events' must be an array of event objects");
      return;
    }
    for (auto event : spec["events"]) {
      if (!event.is_object()) {
        send_control_error(res, 400, "'events' entries must be objects such as {\"type\":\"track\",\"event\":\"Order Completed\",\"timestamp\":\"…\"}");
        return;
      }
      if (!event.contains("type")) event["type"] = "track";
      if (!event.contains("message_id")) event["message_id"] = "emu-" + random_hex(12);
      if (!event.contains("timestamp")) event["timestamp"] = now_iso();
      profile.events.push_back(std::move(event));
    }
  }
  std::lock_guard lock(mutex_);
  for (const auto& entry : profile.external_ids) {
    if (find_profile(entry["type"].get<std::string>(), entry["id"].get<std::string>()) != nullptr) {
      send_control_error(res, 409, "a profile with " + entry["type"].get<std::string>() + ":" + entry["id"].get<std::string>() +
                                       " already exists");
      return;
    }
  }
  profiles_.push_back(profile);
  res.status = 201;
  res.set_content(profile.to_json().dump(), "application/json");
}

void SegmentModule::list_profiles(httplib::Response& res) const {
  std::lock_guard lock(mutex_);
  ojson all = ojson::array();
  for (const auto& profile : profiles_) all.push_back(profile.to_json());
  res.status = 200;
  res.set_content(ojson{{"profiles", all}}.dump(), "application/json");
}

void SegmentModule::set_rate_limit(const httplib::Request& req, httplib::Response& res) {
  const auto spec = control_json_body(req, res);
  if (!spec) return;
  for (const auto& [key, value] : spec->items()) {
    (void)value;
    if (key != "count") {
      send_control_error(res, 400, "unknown field '" + key + "' (expected count)");
      return;
    }
  }
  const auto count = spec->value("count", nlohmann::json());
  if (!count.is_number_integer() || count.get<long long>() < 0 || count.get<long long>() > 1000000) {
    send_control_error(res, 400, "'count' is required: an integer 0-1000000 (how many Profile API calls answer 429)");
    return;
  }
  std::lock_guard lock(mutex_);
  rate_limited_calls_ = count.get<int>();
  send_json(res, 200, nlohmann::json{{"count", rate_limited_calls_}});
}

}  // namespace flexcore::emulator
