#include "segment/segment_client.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <future>
#include <set>

#include "flexcore/customer_context.h"
#include "flexcore/version.h"
#include "upstream/twilio_error.h"

namespace flexcore::server::segment {
namespace {

using ojson = nlohmann::ordered_json;

enum class ListKind { Traits, Events, ExternalIds };

/// The Error for a Profile API answer that is not a 200 (404 handled by the caller).
Error profile_error(const upstream::Response& response) {
  if (!response.answered()) return upstream::upstream_error(response, "Segment Profile API");
  switch (response.status) {
    case 401:
    case 403:
      return Error{ErrorCode::UpstreamError,
                   "Segment Profile API rejected SEGMENT_PERSONAS_KEY (HTTP " + std::to_string(response.status) + ")"};
    case 429:
    case 503:
    case 504: return upstream::upstream_error(response, "Segment Profile API");
    default:
      return Error{ErrorCode::UpstreamError, "Segment Profile API answered HTTP " + std::to_string(response.status)};
  }
}

/// One list of a profile, following cursor pages until `limit` items. `status` receives the HTTP
/// status that ended it (200, or the failing call's).
struct ListResult {
  ojson items;          // object (traits) or array
  int status = 200;     // 404 → no profile
  std::optional<Error> error;
};

ListResult fetch_list(upstream::HttpClient& http, const std::string& base_url, const std::string& key,
                      ListKind kind, int limit) {
  static const char* const kSuffix[] = {"/traits", "/events", "/external_ids"};
  ListResult out;
  out.items = kind == ListKind::Traits ? ojson::object() : ojson::array();
  std::size_t count = 0;
  std::string next;
  std::set<std::string> seen_cursors;
  // Each page adds at least one item, so `limit` pages is a hard bound.
  for (int page = 0; page < limit; ++page) {
    const int want = limit - static_cast<int>(count);
    upstream::Request request;
    request.url = base_url + kSuffix[static_cast<int>(kind)] + "?limit=" + std::to_string(want);
    if (!next.empty()) request.url += "&next=" + upstream::url_encode(next);
    request.basic_auth = upstream::BasicAuth{key, ""};
    request.headers.emplace_back("Accept", "application/json");
    const upstream::Response response = http.send(request);
    if (!response.answered() || response.status != 200) {
      out.status = response.answered() ? response.status : 0;
      if (out.status != 404) out.error = profile_error(response);
      return out;
    }
    auto body = ojson::parse(response.body, nullptr, false);
    const char* member = kind == ListKind::Traits ? "traits" : "data";
    if (body.is_discarded() || !body.is_object() || !body.contains(member) ||
        (kind == ListKind::Traits ? !body[member].is_object() : !body[member].is_array())) {
      out.status = 502;
      out.error = Error{ErrorCode::UpstreamError, std::string("Segment Profile API sent a malformed ") +
                                                      kSuffix[static_cast<int>(kind)] + " reply (expected \"" + member + "\")"};
      return out;
    }
    std::size_t added = 0;
    for (auto& [name, value] : body[member].items()) {
      if (count >= static_cast<std::size_t>(limit)) break;
      if (kind == ListKind::Traits) {
        if (!out.items.contains(name)) ++count;
        out.items[name] = std::move(value);
      } else {
        out.items.push_back(std::move(value));
        ++count;
      }
      ++added;
    }
    // A cursor of the wrong shape ends the paging (never throws: has_more must be a boolean true).
    const auto cursor_it = body.find("cursor");
    const bool has_cursor = cursor_it != body.end() && cursor_it->is_object();
    const bool has_more = has_cursor && cursor_it->contains("has_more") && (*cursor_it)["has_more"].is_boolean() &&
                          (*cursor_it)["has_more"].get<bool>();
    next = has_cursor && cursor_it->contains("next") && (*cursor_it)["next"].is_string() ? (*cursor_it)["next"].get<std::string>() : "";
    if (!has_more || next.empty() || added == 0 || count >= static_cast<std::size_t>(limit)) break;
    if (!seen_cursors.insert(next).second) break;  // a cursor that repeats would loop forever
  }
  return out;
}

std::string iso8601_ms(std::chrono::system_clock::time_point when) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buffer;
}

}  // namespace

Result<nlohmann::ordered_json> fetch_persona(upstream::HttpClient& http, const Config& config, const PersonaQuery& query) {
  if (auto configured = config.require({"SEGMENT_SPACE_ID", "SEGMENT_PERSONAS_KEY"}); !configured) return configured.error();
  if (query.limit < 1 || query.limit > kMaxPersonaLimit) {
    return Error{ErrorCode::InvalidArgument, "limit must be an integer between 1 and 200"};
  }
  auto normalized = customer_context::normalize_profile_identifier(query.id_type, query.identifier);
  if (!normalized) return normalized.error();
  auto path = customer_context::profile_path(config.segment_space_id, query.id_type, query.identifier);
  if (!path) {
    if (path.error().message.rfind("spaceId", 0) == 0) {
      return Error{ErrorCode::NotConfigured, "SEGMENT_SPACE_ID is invalid: it must be 1-128 characters from A-Z, a-z, 0-9, '_' and '-'"};
    }
    return path.error();
  }
  const std::string base = config.urls.segment_profiles + path.value();
  const std::string& key = config.segment_personas_key;

  // Three Profile API calls in parallel (seed-behaviour 2.5 step 2); external ids at least 25 (the seed's fixed page).
  auto traits = std::async(std::launch::async, [&] { return fetch_list(http, base, key, ListKind::Traits, query.limit); });
  auto events = std::async(std::launch::async, [&] { return fetch_list(http, base, key, ListKind::Events, query.limit); });
  ListResult ids = fetch_list(http, base, key, ListKind::ExternalIds, std::max(query.limit, kDefaultPersonaLimit));
  ListResult traits_result = traits.get();
  ListResult events_result = events.get();

  for (const ListResult* result : {&traits_result, &events_result, &ids}) {
    if (result->status == 404) {
      return Error{ErrorCode::NotFound, "No Segment profile for " + query.id_type + ":" + normalized.value()};
    }
  }
  for (const ListResult* result : {&traits_result, &events_result, &ids}) {
    if (result->error) return *result->error;
  }

  ojson external_ids = ojson::array();
  ojson anonymous_id;
  for (const auto& entry : ids.items) {
    if (!entry.is_object() || !entry.contains("type") || !entry["type"].is_string()) continue;
    const std::string type = entry["type"].get<std::string>();
    if (type == "email" || type == "phone" || type == "user_id") external_ids.push_back(entry);
    if (type == "anonymous_id" && anonymous_id.is_null()) anonymous_id = entry;
  }
  ojson body = ojson::object();
  body["traits"] = std::move(traits_result.items);
  body["events"] = std::move(events_result.items);
  body["externalIds"] = std::move(external_ids);
  if (!anonymous_id.is_null()) body["anonymousId"] = std::move(anonymous_id);
  body["audiences"] = ojson::array();
  return body;
}

Status identify(upstream::HttpClient& http, const Config& config, const Clock& clock, Random& random,
                const std::string& user_id, const nlohmann::json& traits) {
  if (auto configured = config.require({"SEGMENT_WRITE_KEY"}); !configured) return configured.error();
  std::string message_id = "flexcore-";
  static const char* const kHex = "0123456789abcdef";
  for (int i = 0; i < 32; ++i) message_id += kHex[random.uniform_int(0, 15)];
  const nlohmann::json call{{"type", "identify"},
                            {"userId", user_id},
                            {"traits", traits},
                            {"messageId", message_id},
                            {"timestamp", iso8601_ms(clock.now())},
                            {"context", {{"library", {{"name", "flexcore-server"}, {"version", std::string(flexcore::version())}}}}}};
  upstream::Request request;
  request.method = "POST";
  request.url = config.urls.segment_tracking + "/v1/identify";
  request.basic_auth = upstream::BasicAuth{config.segment_write_key, ""};
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = call.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (request.body.size() > kMaxTrackingBytes) {
    return Error{ErrorCode::PayloadTooLarge, "traits: the identify call would be " + std::to_string(request.body.size()) +
                                                 " bytes; Segment accepts at most 32768 bytes per call"};
  }
  const upstream::Response response = http.send(request);
  if (response.answered() && response.status >= 200 && response.status < 300) return ok_status();
  if (!response.answered() || response.status == 429 || response.status == 503 || response.status == 504) {
    return upstream::upstream_error(response, "Segment Tracking API");
  }
  if (response.status == 401 || response.status == 403) {
    return Error{ErrorCode::UpstreamError,
                 "Segment Tracking API rejected SEGMENT_WRITE_KEY (HTTP " + std::to_string(response.status) + ")"};
  }
  return Error{ErrorCode::UpstreamError, "Segment Tracking API refused the identify call (HTTP " +
                                             std::to_string(response.status) + ")"};
}

}  // namespace flexcore::server::segment
