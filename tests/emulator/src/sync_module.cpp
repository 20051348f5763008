#include "sync_module.h"

#include "http_util.h"
#include "taskrouter_module.h"  // iso8601_seconds
#include "twilio_error.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace flexcore::emulator {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::system_clock;
using Steady = std::chrono::steady_clock;

constexpr std::string_view kPublicBase = "https://sync.twilio.com/v1";
constexpr std::string_view kMountPrefix = "/sync";
constexpr std::size_t kMaxDataBytes = 16384;  // Sync: Data "up to 16 KiB in length"
constexpr std::size_t kMaxUniqueName = 320;
constexpr std::size_t kMaxKey = 320;
constexpr long long kMaxPageSize = 1000;
constexpr long long kMaxItemPageSize = 100;  // upstream-contracts 0.4: Sync Map Items max 100
constexpr long long kMaxTtl = 31536000;      // one year (Sync limits)

// Error codes (README.md "Sync" lists them with their sources).
constexpr int kCodeDocumentNotFound = 54100;
constexpr int kCodeListNotFound = 54150;
constexpr int kCodeListItemNotFound = 54151;
constexpr int kCodeMapNotFound = 54200;
constexpr int kCodeMapItemNotFound = 54201;
constexpr int kCodeRevisionMismatch = 54205;
constexpr int kCodeItemExists = 54208;
constexpr int kCodeInvalidKey = 54209;
constexpr int kCodeUniqueNameExists = 54301;
constexpr int kCodeTooLarge = 54006;

std::optional<std::string> form_value(const UpstreamRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.form) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::optional<std::string> query_value(const UpstreamRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::optional<long long> parse_integer(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::size_t i = text[0] == '-' ? 1 : 0;
  if (i == text.size()) return std::nullopt;
  long long value = 0;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return text[0] == '-' ? -value : value;
}

void invalid_parameter(httplib::Response& res, const std::string& name, const std::string& message) {
  send_twilio_error(res, 400, 20001, message, json{{"parameter", name}});
}

std::string list_sort_key(long long index) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%020lld", index);
  return buffer;
}

std::string hex_encode(const std::string& text) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char c : text) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::optional<std::string> hex_decode(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int hi = nibble(text[i]), lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

// True when the request carries no If-Match, or one naming `revision` (bare, quoted or weak), or `*`.
bool if_match_ok(const httplib::Request& http, std::uint64_t revision) {
  if (!http.has_header("If-Match")) return true;
  std::string value = http.get_header_value("If-Match");
  if (value == "*") return true;
  if (value.rfind("W/", 0) == 0) value = value.substr(2);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  return value == std::to_string(revision);
}

bool precondition_ok(const UpstreamRequest& request, httplib::Response& res, std::uint64_t revision) {
  if (if_match_ok(request.http, revision)) return true;
  send_twilio_error(res, 412, kCodeRevisionMismatch,
                    "The revision of the resource did not match the If-Match header (current revision " +
                        std::to_string(revision) + ")",
                    json{{"revision", std::to_string(revision)}});
  return false;
}

std::string etag(std::uint64_t revision) { return std::to_string(revision); }

std::string date_or_null_text(const std::optional<Clock::time_point>& when) { return when ? iso8601_seconds(*when) : ""; }

json date_json(const std::optional<Clock::time_point>& when) {
  return when ? json(date_or_null_text(when)) : json(nullptr);
}

// Parses `Data` (a JSON object of at most 16 KiB); answers the error and returns nullopt otherwise.
std::optional<json> parse_data(const std::string& text, httplib::Response& res) {
  if (text.size() > kMaxDataBytes) {
    send_twilio_error(res, 413, kCodeTooLarge,
                      "Request entity too large: Data is " + std::to_string(text.size()) +
                          " bytes; Sync allows at most 16384 bytes (16 KiB)",
                      json{{"parameter", "Data"}, {"limit", kMaxDataBytes}});
    return std::nullopt;
  }
  auto parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    invalid_parameter(res, "Data", "Invalid parameter: Data must be a JSON object");
    return std::nullopt;
  }
  return parsed;
}

// A TTL parameter (first present of `names`): nullopt = absent; answers 400 and sets `failed` when invalid.
std::optional<long long> parse_ttl(const UpstreamRequest& request, std::initializer_list<const char*> names,
                                   httplib::Response& res, bool& failed) {
  for (const char* name : names) {
    const auto value = form_value(request, name);
    if (!value) continue;
    const auto parsed = parse_integer(*value);
    if (!parsed || *parsed < 0 || *parsed > kMaxTtl) {
      invalid_parameter(res, name, std::string("Invalid parameter: ") + name + " must be an integer from 0 to 31536000 (seconds)");
      failed = true;
      return std::nullopt;
    }
    return *parsed;
  }
  return std::nullopt;
}

std::optional<Clock::time_point> expiry_for(long long ttl, Clock::time_point now) {
  if (ttl <= 0) return std::nullopt;
  return now + std::chrono::seconds(ttl);
}

std::optional<bool> parse_bool(const std::string& text) {
  const std::string lower = to_lower(text);
  if (lower == "true") return true;
  if (lower == "false") return false;
  return std::nullopt;
}

bool valid_unique_name(const UpstreamRequest& request, httplib::Response& res, const std::string& name,
                       std::string_view sid_prefix) {
  (void)request;
  if (name.empty() || name.size() > kMaxUniqueName) {
    invalid_parameter(res, "UniqueName", "Invalid parameter: UniqueName must be 1 to 320 characters");
    return false;
  }
  if (is_sid(name, sid_prefix)) {
    invalid_parameter(res, "UniqueName", "Invalid parameter: UniqueName must not look like a SID");
    return false;
  }
  return true;
}

// The emulator's URL of `request.path` with `params` (so clients can follow meta URLs).
std::string page_url(const UpstreamRequest& request, const Params& params) {
  const std::string host = request.http.get_header_value("Host");
  const std::string path = request.path.substr(0, request.path.find('?'));
  return "http://" + host + std::string(kMountPrefix) + path + "?" + encode_form(params);
}

Params kept_query(const UpstreamRequest& request) {
  Params kept;
  for (const auto& param : request.query) {
    if (param.first != "PageSize" && param.first != "Page" && param.first != "PageToken") kept.push_back(param);
  }
  return kept;
}

std::optional<long long> parse_page_size(const UpstreamRequest& request, httplib::Response& res, long long max) {
  long long page_size = 50;
  if (const auto value = query_value(request, "PageSize")) {
    const auto parsed = parse_integer(*value);
    if (!parsed || *parsed < 1 || *parsed > kMaxPageSize) {
      invalid_parameter(res, "PageSize", "Invalid parameter: PageSize must be an integer from 1 to 1000");
      return std::nullopt;
    }
    page_size = std::min(*parsed, max);
  }
  return page_size;
}

std::optional<long long> parse_page(const UpstreamRequest& request, httplib::Response& res) {
  if (const auto value = query_value(request, "Page")) {
    const auto parsed = parse_integer(*value);
    if (!parsed || *parsed < 0) {
      invalid_parameter(res, "Page", "Invalid parameter: Page must be a non-negative integer");
      return std::nullopt;
    }
    return *parsed;
  }
  return 0;
}

json meta_json(long long page, long long page_size, const std::string& first, const std::optional<std::string>& previous,
               const std::string& url, const std::optional<std::string>& next, const std::string& key) {
  return json{{"page", page},
              {"page_size", page_size},
              {"first_page_url", first},
              {"previous_page_url", previous ? json(*previous) : json(nullptr)},
              {"url", url},
              {"next_page_url", next ? json(*next) : json(nullptr)},
              {"key", key}};
}

// Offset paging (Services, Maps, Documents, Lists): Page/PageSize, PageToken "PT<page>".
void send_offset_page(const UpstreamRequest& request, httplib::Response& res, const std::string& key,
                      const std::vector<json>& all) {
  const auto page_size = parse_page_size(request, res, kMaxPageSize);
  if (!page_size) return;
  const auto page = parse_page(request, res);
  if (!page) return;
  const Params kept = kept_query(request);
  const auto url_for = [&](long long p) {
    Params params = kept;
    params.emplace_back("PageSize", std::to_string(*page_size));
    params.emplace_back("Page", std::to_string(p));
    if (p > 0) params.emplace_back("PageToken", "PT" + std::to_string(p));
    return page_url(request, params);
  };
  const auto total = static_cast<long long>(all.size());
  json list = json::array();
  const long long first = *page * *page_size;
  for (long long i = first; i < total && i < first + *page_size; ++i) list.push_back(all[static_cast<std::size_t>(i)]);
  const std::optional<std::string> previous = *page > 0 ? std::optional<std::string>(url_for(*page - 1)) : std::nullopt;
  const std::optional<std::string> next = first + *page_size < total ? std::optional<std::string>(url_for(*page + 1)) : std::nullopt;
  send_json(res, 200, json{{key, list}, {"meta", meta_json(*page, *page_size, url_for(0), previous, url_for(*page), next, key)}});
}

// Cursor paging of Map/List Items: Order (asc|desc), From + Bounds (inclusive|exclusive), PageSize (≤ 100),
// Page, PageToken ("PN<hex sort key>" = after that item, "PP<hex sort key>" = before it).
void send_items_page(const UpstreamRequest& request, httplib::Response& res, const SyncModule::Collection& collection,
                     bool is_list, const std::function<json(const SyncModule::Item&)>& to_json) {
  const auto page_size = parse_page_size(request, res, kMaxItemPageSize);
  if (!page_size) return;
  const auto page = parse_page(request, res);
  if (!page) return;
  bool desc = false;
  if (const auto order = query_value(request, "Order")) {
    if (*order != "asc" && *order != "desc") return invalid_parameter(res, "Order", "Invalid parameter: Order must be asc or desc");
    desc = *order == "desc";
  }
  bool exclusive = false;
  if (const auto bounds = query_value(request, "Bounds")) {
    if (*bounds != "inclusive" && *bounds != "exclusive") {
      return invalid_parameter(res, "Bounds", "Invalid parameter: Bounds must be inclusive or exclusive");
    }
    exclusive = *bounds == "exclusive";
  }
  std::optional<std::string> from;
  if (const auto value = query_value(request, "From")) {
    if (is_list) {
      const auto index = parse_integer(*value);
      if (!index || *index < 0) return invalid_parameter(res, "From", "Invalid parameter: From must be a list item index");
      from = list_sort_key(*index);
    } else {
      from = *value;
    }
  }
  std::optional<std::string> after, before;
  if (const auto token = query_value(request, "PageToken")) {
    const auto decoded = token->size() >= 2 ? hex_decode(std::string_view(*token).substr(2)) : std::nullopt;
    if (!decoded || (token->rfind("PN", 0) != 0 && token->rfind("PP", 0) != 0)) {
      return invalid_parameter(res, "PageToken", "Invalid parameter: PageToken");
    }
    (token->rfind("PN", 0) == 0 ? after : before) = *decoded;
  }
  // `a` comes strictly before `b` in the requested order.
  const auto precedes = [desc](const std::string& a, const std::string& b) { return desc ? a > b : a < b; };
  std::vector<std::pair<const std::string*, const SyncModule::Item*>> ordered;
  const auto consider = [&](const std::string& sort_key, const SyncModule::Item& item) {
    if (from && (precedes(sort_key, *from) || (exclusive && sort_key == *from))) return;
    ordered.emplace_back(&sort_key, &item);
  };
  if (desc) {
    for (auto it = collection.items.rbegin(); it != collection.items.rend(); ++it) consider(it->first, it->second);
  } else {
    for (const auto& [sort_key, item] : collection.items) consider(sort_key, item);
  }
  const auto n = ordered.size();
  std::size_t start = 0, end = 0;
  const auto size = static_cast<std::size_t>(*page_size);
  if (after) {
    while (start < n && !precedes(*after, *ordered[start].first)) ++start;
    end = std::min(n, start + size);
  } else if (before) {
    while (end < n && precedes(*ordered[end].first, *before)) ++end;
    start = end > size ? end - size : 0;
  } else {
    start = std::min<std::size_t>(n, static_cast<std::size_t>(*page) * size);
    end = std::min(n, start + size);
  }
  json list = json::array();
  for (std::size_t i = start; i < end; ++i) list.push_back(to_json(*ordered[i].second));
  const Params kept = kept_query(request);
  const auto url_for = [&](long long p, const std::string& token) {
    Params params = kept;
    params.emplace_back("PageSize", std::to_string(*page_size));
    params.emplace_back("Page", std::to_string(p));
    if (!token.empty()) params.emplace_back("PageToken", token);
    return page_url(request, params);
  };
  const std::string current_token = query_value(request, "PageToken").value_or("");
  std::optional<std::string> next, previous;
  if (end < n && end > start) next = url_for(*page + 1, "PN" + hex_encode(*ordered[end - 1].first));
  if (start > 0 && start < n) previous = url_for(std::max<long long>(0, *page - 1), "PP" + hex_encode(*ordered[start].first));
  send_json(res, 200,
            json{{"items", list},
                 {"meta", meta_json(*page, *page_size, url_for(0, ""), previous, url_for(*page, current_token), next, "items")}});
}

std::string type_path(const std::string& type) {
  if (type == "map") return "Maps";
  if (type == "list") return "Lists";
  return "Documents";
}

std::string sid_prefix(const std::string& type) {
  if (type == "map") return "MP";
  if (type == "list") return "ES";
  return "ET";
}

}  // namespace

// -------------------------------------------------------------------------------------- SlidingSecond

void SlidingSecond::prune(TimePoint now) {
  while (!events_.empty() && events_.front() <= now - std::chrono::seconds(1)) events_.pop_front();
}

void SlidingSecond::add(TimePoint now) {
  prune(now);
  events_.push_back(now);
  max_ = std::max(max_, events_.size());
}

std::size_t SlidingSecond::count(TimePoint now) {
  prune(now);
  return events_.size();
}

std::optional<SlidingSecond::TimePoint> SlidingSecond::oldest(TimePoint now) {
  prune(now);
  if (events_.empty()) return std::nullopt;
  return events_.front();
}

// ------------------------------------------------------------------------------------------- module

SyncModule::SyncModule(ModuleContext context) : context_(context) { reset(); }

void SyncModule::reset() {
  std::lock_guard lock(mutex_);
  services_.clear();
  next_order_ = 1;
  stats_.clear();
  throttled_total_ = 0;
  rate_limit_enabled_ = false;
  rate_limit_per_second_ = 20;
  frozen_.reset();
  add_service(random_sid("IS"), "default", "Default Service");
}

void SyncModule::register_routes(Router& upstream, ControlApi& control) {
  upstream.add_family("sync", {std::string(kMountPrefix)}, "sync");
  const auto route = [&](const std::string& path, const std::vector<std::string>& methods) {
    for (const auto& method : methods) {
      upstream.add_route("sync", method, path, [this, path](const UpstreamRequest& request, httplib::Response& res) {
        if (!require_twilio_basic_auth(request.http, res, context_.config.credentials)) return;
        handle(request, res, path);
      });
    }
  };
  const std::vector<std::string> get_post = {"GET", "POST"};
  const std::vector<std::string> get_post_delete = {"GET", "POST", "DELETE"};
  route("/v1/Services", get_post);
  route("/v1/Services/{Sid}", get_post_delete);
  for (const std::string type : {"Maps", "Documents", "Lists"}) {
    route("/v1/Services/{ServiceSid}/" + type, get_post);
    route("/v1/Services/{ServiceSid}/" + type + "/{Sid}", get_post_delete);
  }
  route("/v1/Services/{ServiceSid}/Maps/{MapSid}/Items", get_post);
  route("/v1/Services/{ServiceSid}/Maps/{MapSid}/Items/{Key}", get_post_delete);
  route("/v1/Services/{ServiceSid}/Lists/{ListSid}/Items", get_post);
  route("/v1/Services/{ServiceSid}/Lists/{ListSid}/Items/{Index}", get_post_delete);

  control.add("GET", "/sync/rate-limit", [this](const httplib::Request& req, httplib::Response& res, const PathParams&) {
    control_rate_limit(req, res);
  });
  control.add("POST", "/sync/rate-limit", [this](const httplib::Request& req, httplib::Response& res, const PathParams&) {
    control_rate_limit(req, res);
  });
  control.add("GET", "/sync/stats",
              [this](const httplib::Request&, httplib::Response& res, const PathParams&) { control_stats(res); });
  control.add("DELETE", "/sync/stats", [this](const httplib::Request&, httplib::Response& res, const PathParams&) {
    std::lock_guard lock(mutex_);
    stats_.clear();
    throttled_total_ = 0;
    res.status = 204;
  });
  control.add("POST", "/sync/clock", [this](const httplib::Request& req, httplib::Response& res, const PathParams&) {
    control_clock(req, res);
  });
  control.add("POST", "/sync/services", [this](const httplib::Request& req, httplib::Response& res, const PathParams&) {
    control_seed_service(req, res);
  });
  control.add("GET", "/sync/services",
              [this](const httplib::Request&, httplib::Response& res, const PathParams&) { control_dump(res); });
  control.add("POST", "/sync/services/{Service}/maps/{Map}/items/{Key}",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams& params) {
                control_put_item(req, res, params);
              });
  control.add("POST", "/sync/services/{Service}/documents/{Document}",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams& params) {
                control_put_document(req, res, params);
              });
  control.add("POST", "/sync/services/{Service}/lists/{List}/items",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams& params) {
                control_append_list_item(req, res, params);
              });
}

void SyncModule::handle(const UpstreamRequest& request, httplib::Response& res, const std::string& route) {
  std::lock_guard lock(mutex_);
  if (route == "/v1/Services") return services(request, res, false);
  if (route == "/v1/Services/{Sid}") return services(request, res, true);
  const bool item = route.back() == '}';
  if (route.find("/Items") != std::string::npos) {
    return items(request, res, route.find("/Maps/") != std::string::npos ? "map" : "list", item);
  }
  const std::string type = route.find("/Maps") != std::string::npos    ? "map"
                           : route.find("/Lists") != std::string::npos ? "list"
                                                                       : "document";
  objects(request, res, type, item);
}

std::chrono::steady_clock::time_point SyncModule::now_steady() const { return frozen_ ? *frozen_ : Steady::now(); }

bool SyncModule::account(const ObjectRef& ref, bool write, httplib::Response& res) {
  const auto now = now_steady();
  ObjectStats& stats = stats_[ref.key()];
  if (stats.type.empty()) {
    stats.service_sid = ref.service_sid;
    stats.type = ref.type;
    stats.sid = ref.sid;
  }
  if (!ref.unique_name.empty()) stats.unique_name = ref.unique_name;
  (write ? stats.writes : stats.reads) += 1;
  (write ? stats.write_window : stats.read_window).add(now);
  stats.total_window.add(now);
  SlidingSecond& admitted = write ? stats.admitted_writes : stats.admitted_reads;
  if (rate_limit_enabled_ && admitted.count(now) >= rate_limit_per_second_) {
    ++stats.throttled;
    ++throttled_total_;
    long long retry_after = 1;
    if (const auto oldest = admitted.oldest(now)) {
      const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*oldest + std::chrono::seconds(1) - now).count();
      retry_after = std::max<long long>(1, (wait + 999) / 1000);
    }
    send_twilio_error(res, 429, 20429, "Too Many Requests",
                      json{{"object", ref.type + " " + ref.sid},
                           {"operation", write ? "writes" : "reads"},
                           {"limitPerSecond", rate_limit_per_second_}});
    res.set_header("Retry-After", std::to_string(retry_after));
    return false;
  }
  admitted.add(now);
  return true;
}

// ---------------------------------------------------------------------------------------- lookups

SyncModule::Service* SyncModule::find_service(const std::string& id) {
  if (const auto it = services_.find(id); it != services_.end()) return &it->second;
  for (auto& [sid, service] : services_) {
    (void)sid;
    if (!service.unique_name.empty() && service.unique_name == id) return &service;
  }
  return nullptr;
}

SyncModule::Service& SyncModule::add_service(std::string sid, std::string unique_name, std::string friendly_name) {
  Service service;
  service.sid = std::move(sid);
  service.unique_name = std::move(unique_name);
  service.friendly_name = std::move(friendly_name);
  service.created = service.updated = Clock::now();
  service.order = next_order_++;
  const std::string key = service.sid;
  return services_.emplace(key, std::move(service)).first->second;
}

SyncModule::Collection* SyncModule::find_collection(Service& service, const std::string& type, const std::string& id) {
  auto& collections = type == "map" ? service.maps : service.lists;
  if (const auto it = collections.find(id); it != collections.end()) return &it->second;
  for (auto& [sid, collection] : collections) {
    (void)sid;
    if (!collection.unique_name.empty() && collection.unique_name == id) return &collection;
  }
  return nullptr;
}

SyncModule::Document* SyncModule::find_document(Service& service, const std::string& id) {
  if (const auto it = service.documents.find(id); it != service.documents.end()) return &it->second;
  for (auto& [sid, document] : service.documents) {
    (void)sid;
    if (!document.unique_name.empty() && document.unique_name == id) return &document;
  }
  return nullptr;
}

// ------------------------------------------------------------------------------------------- JSON

json SyncModule::service_json(const Service& service) const {
  const std::string url = std::string(kPublicBase) + "/Services/" + service.sid;
  return json{{"sid", service.sid},
              {"unique_name", service.unique_name.empty() ? json(nullptr) : json(service.unique_name)},
              {"account_sid", context_.config.credentials.account_sid},
              {"friendly_name", service.friendly_name.empty() ? json(nullptr) : json(service.friendly_name)},
              {"date_created", iso8601_seconds(service.created)},
              {"date_updated", iso8601_seconds(service.updated)},
              {"url", url},
              {"webhook_url", service.webhook_url.empty() ? json(nullptr) : json(service.webhook_url)},
              {"webhooks_from_rest_enabled", service.webhooks_from_rest_enabled},
              {"reachability_webhooks_enabled", service.reachability_webhooks_enabled},
              {"acl_enabled", service.acl_enabled},
              {"reachability_debouncing_enabled", service.reachability_debouncing_enabled},
              {"reachability_debouncing_window", service.reachability_debouncing_window},
              {"links",
               {{"documents", url + "/Documents"},
                {"lists", url + "/Lists"},
                {"maps", url + "/Maps"},
                {"streams", url + "/Streams"}}}};
}

json SyncModule::collection_json(const Service& service, const Collection& collection, const std::string& type) const {
  const std::string url = std::string(kPublicBase) + "/Services/" + service.sid + "/" + type_path(type) + "/" + collection.sid;
  return json{{"sid", collection.sid},
              {"unique_name", collection.unique_name.empty() ? json(nullptr) : json(collection.unique_name)},
              {"account_sid", context_.config.credentials.account_sid},
              {"service_sid", service.sid},
              {"url", url},
              {"links", {{"items", url + "/Items"}, {"permissions", url + "/Permissions"}}},
              {"revision", std::to_string(collection.revision)},
              {"date_expires", date_json(collection.expires)},
              {"date_created", iso8601_seconds(collection.created)},
              {"date_updated", iso8601_seconds(collection.updated)},
              {"created_by", "system"}};
}

json SyncModule::document_json(const Service& service, const Document& document) const {
  const std::string url = std::string(kPublicBase) + "/Services/" + service.sid + "/Documents/" + document.sid;
  return json{{"sid", document.sid},
              {"unique_name", document.unique_name.empty() ? json(nullptr) : json(document.unique_name)},
              {"account_sid", context_.config.credentials.account_sid},
              {"service_sid", service.sid},
              {"url", url},
              {"links", {{"permissions", url + "/Permissions"}}},
              {"revision", std::to_string(document.revision)},
              {"data", document.data},
              {"date_expires", date_json(document.expires)},
              {"date_created", iso8601_seconds(document.created)},
              {"date_updated", iso8601_seconds(document.updated)},
              {"created_by", "system"}};
}

json SyncModule::item_json(const Service& service, const Collection& collection, const Item& item,
                           const std::string& type) const {
  const bool is_map = type == "map";
  const std::string url = std::string(kPublicBase) + "/Services/" + service.sid + "/" + type_path(type) + "/" +
                          collection.sid + "/Items/" + (is_map ? url_encode(item.key) : std::to_string(item.index));
  json out{{"account_sid", context_.config.credentials.account_sid},
           {"service_sid", service.sid},
           {"url", url},
           {"revision", std::to_string(item.revision)},
           {"data", item.data},
           {"date_expires", date_json(item.expires)},
           {"date_created", iso8601_seconds(item.created)},
           {"date_updated", iso8601_seconds(item.updated)},
           {"created_by", "system"}};
  if (is_map) {
    out["key"] = item.key;
    out["map_sid"] = collection.sid;
  } else {
    out["index"] = item.index;
    out["list_sid"] = collection.sid;
  }
  return out;
}

// ---------------------------------------------------------------------------------------- upstream

void SyncModule::services(const UpstreamRequest& request, httplib::Response& res, bool item) {
  const std::string& method = request.http.method;
  const bool write = method != "GET";
  Service* service = nullptr;
  if (!item) {
    if (!account(ObjectRef{"", "account", context_.config.credentials.account_sid, ""}, write, res)) return;
  } else {
    const std::string id = request.params.at("Sid");
    service = find_service(id);
    const ObjectRef ref = service ? ObjectRef{service->sid, "service", service->sid, service->unique_name}
                                  : ObjectRef{id, "service", id, ""};
    if (!account(ref, write, res)) return;
    if (service == nullptr) return send_twilio_error(res, 404, 20404, not_found_message(request.path));
  }
  if (method == "GET" && !item) {
    std::vector<const Service*> ordered;
    for (const auto& [sid, s] : services_) {
      (void)sid;
      ordered.push_back(&s);
    }
    std::sort(ordered.begin(), ordered.end(), [](const Service* a, const Service* b) { return a->order < b->order; });
    std::vector<json> all;
    for (const Service* s : ordered) all.push_back(service_json(*s));
    return send_offset_page(request, res, "services", all);
  }
  if (method == "GET") return send_json(res, 200, service_json(*service));
  if (method == "DELETE") {
    services_.erase(service->sid);
    res.status = 204;
    return;
  }
  // POST: create or update. Validate everything (into a copy of the settings only) before changing anything.
  Service updated;
  if (service) {
    updated.friendly_name = service->friendly_name;
    updated.webhook_url = service->webhook_url;
    updated.webhooks_from_rest_enabled = service->webhooks_from_rest_enabled;
    updated.reachability_webhooks_enabled = service->reachability_webhooks_enabled;
    updated.acl_enabled = service->acl_enabled;
    updated.reachability_debouncing_enabled = service->reachability_debouncing_enabled;
    updated.reachability_debouncing_window = service->reachability_debouncing_window;
  }
  if (const auto name = form_value(request, "FriendlyName")) {
    if (name->size() > 64) return invalid_parameter(res, "FriendlyName", "Invalid parameter: FriendlyName must be at most 64 characters");
    updated.friendly_name = *name;
  }
  if (const auto url = form_value(request, "WebhookUrl")) {
    if (!url->empty() && url->rfind("http://", 0) != 0 && url->rfind("https://", 0) != 0) {
      return invalid_parameter(res, "WebhookUrl", "Invalid parameter: WebhookUrl must be an http(s) URL");
    }
    updated.webhook_url = *url;
  }
  const std::vector<std::pair<const char*, bool Service::*>> flags = {
      {"WebhooksFromRestEnabled", &Service::webhooks_from_rest_enabled},
      {"ReachabilityWebhooksEnabled", &Service::reachability_webhooks_enabled},
      {"AclEnabled", &Service::acl_enabled},
      {"ReachabilityDebouncingEnabled", &Service::reachability_debouncing_enabled}};
  for (const auto& [name, member] : flags) {
    if (const auto value = form_value(request, name)) {
      const auto parsed = parse_bool(*value);
      if (!parsed) return invalid_parameter(res, name, std::string("Invalid parameter: ") + name + " must be true or false");
      updated.*member = *parsed;
    }
  }
  if (const auto value = form_value(request, "ReachabilityDebouncingWindow")) {
    const auto parsed = parse_integer(*value);
    if (!parsed || *parsed < 1000 || *parsed > 30000) {
      return invalid_parameter(res, "ReachabilityDebouncingWindow",
                               "Invalid parameter: ReachabilityDebouncingWindow must be 1000 to 30000 (ms)");
    }
    updated.reachability_debouncing_window = *parsed;
  }
  Service& target = service ? *service : add_service(random_sid("IS"), "", updated.friendly_name);
  target.friendly_name = updated.friendly_name;
  target.webhook_url = updated.webhook_url;
  target.webhooks_from_rest_enabled = updated.webhooks_from_rest_enabled;
  target.reachability_webhooks_enabled = updated.reachability_webhooks_enabled;
  target.acl_enabled = updated.acl_enabled;
  target.reachability_debouncing_enabled = updated.reachability_debouncing_enabled;
  target.reachability_debouncing_window = updated.reachability_debouncing_window;
  if (service) target.updated = Clock::now();
  send_json(res, service ? 200 : 201, service_json(target));
}

void SyncModule::objects(const UpstreamRequest& request, httplib::Response& res, const std::string& type, bool item) {
  const std::string& method = request.http.method;
  const bool write = method != "GET";
  const std::string service_id = request.params.at("ServiceSid");
  Service* service = find_service(service_id);
  const auto now = Clock::now();
  if (!item) {
    // Listing and creating count toward the service.
    const ObjectRef ref = service ? ObjectRef{service->sid, "service", service->sid, service->unique_name}
                                  : ObjectRef{service_id, "service", service_id, ""};
    if (!account(ref, write, res)) return;
    if (service == nullptr) return send_twilio_error(res, 404, 20404, not_found_message(request.path));
    if (method == "GET") {
      std::vector<std::pair<std::uint64_t, json>> ordered;
      if (type == "document") {
        for (const auto& [sid, document] : service->documents) ordered.emplace_back(document.order, document_json(*service, document));
      } else {
        for (const auto& [sid, collection] : type == "map" ? service->maps : service->lists) {
          ordered.emplace_back(collection.order, collection_json(*service, collection, type));
        }
      }
      std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      std::vector<json> all;
      for (auto& entry : ordered) all.push_back(std::move(entry.second));
      return send_offset_page(request, res, type == "map" ? "maps" : type == "list" ? "lists" : "documents", all);
    }
    // POST: create.
    std::string unique_name;
    if (const auto name = form_value(request, "UniqueName")) {
      if (!valid_unique_name(request, res, *name, sid_prefix(type))) return;
      const bool taken = type == "document" ? find_document(*service, *name) != nullptr
                                            : find_collection(*service, type, *name) != nullptr;
      if (taken) {
        return send_twilio_error(res, 409, kCodeUniqueNameExists, "Unique name already exists: " + *name,
                                 json{{"parameter", "UniqueName"}});
      }
      unique_name = *name;
    }
    bool failed = false;
    const auto ttl = type == "document" ? parse_ttl(request, {"Ttl"}, res, failed)
                                        : parse_ttl(request, {"CollectionTtl", "Ttl"}, res, failed);
    if (failed) return;
    if (type == "document") {
      Document document;
      if (const auto data = form_value(request, "Data")) {
        auto parsed = parse_data(*data, res);
        if (!parsed) return;
        document.data = std::move(*parsed);
      }
      document.sid = random_sid("ET");
      document.unique_name = unique_name;
      document.created = document.updated = now;
      document.expires = expiry_for(ttl.value_or(0), now);
      document.order = next_order_++;
      Document& stored = service->documents.emplace(document.sid, std::move(document)).first->second;
      res.set_header("ETag", etag(stored.revision));
      return send_json(res, 201, document_json(*service, stored));
    }
    Collection collection;
    collection.sid = random_sid(sid_prefix(type));
    collection.unique_name = unique_name;
    collection.created = collection.updated = now;
    collection.expires = expiry_for(ttl.value_or(0), now);
    collection.order = next_order_++;
    auto& collections = type == "map" ? service->maps : service->lists;
    Collection& stored = collections.emplace(collection.sid, std::move(collection)).first->second;
    return send_json(res, 201, collection_json(*service, stored, type));
  }

  const std::string id = request.params.at("Sid");
  Document* document = service && type == "document" ? find_document(*service, id) : nullptr;
  Collection* collection = service && type != "document" ? find_collection(*service, type, id) : nullptr;
  ObjectRef ref{service ? service->sid : service_id, type, id, ""};
  if (document) ref = ObjectRef{service->sid, type, document->sid, document->unique_name};
  if (collection) ref = ObjectRef{service->sid, type, collection->sid, collection->unique_name};
  if (!account(ref, write, res)) return;
  if (service == nullptr) return send_twilio_error(res, 404, 20404, not_found_message(request.path));
  if (document == nullptr && collection == nullptr) {
    const int code = type == "map" ? kCodeMapNotFound : type == "list" ? kCodeListNotFound : kCodeDocumentNotFound;
    const std::string what = type == "map" ? "Map" : type == "list" ? "List" : "Document";
    return send_twilio_error(res, 404, code, what + " not found: " + id);
  }
  if (document) {
    if (method == "GET") {
      res.set_header("ETag", etag(document->revision));
      return send_json(res, 200, document_json(*service, *document));
    }
    if (!precondition_ok(request, res, document->revision)) return;
    if (method == "DELETE") {
      service->documents.erase(document->sid);
      res.status = 204;
      return;
    }
    bool failed = false;
    const auto ttl = parse_ttl(request, {"Ttl"}, res, failed);
    if (failed) return;
    std::optional<json> data;
    if (const auto text = form_value(request, "Data")) {
      data = parse_data(*text, res);
      if (!data) return;
    }
    if (data) document->data = std::move(*data);
    if (ttl) document->expires = expiry_for(*ttl, now);
    ++document->revision;
    document->updated = now;
    res.set_header("ETag", etag(document->revision));
    return send_json(res, 200, document_json(*service, *document));
  }
  if (method == "GET") return send_json(res, 200, collection_json(*service, *collection, type));
  if (method == "DELETE") {
    (type == "map" ? service->maps : service->lists).erase(collection->sid);
    res.status = 204;
    return;
  }
  bool failed = false;
  const auto ttl = parse_ttl(request, {"CollectionTtl", "Ttl"}, res, failed);
  if (failed) return;
  if (ttl) collection->expires = expiry_for(*ttl, now);
  ++collection->revision;
  collection->updated = now;
  send_json(res, 200, collection_json(*service, *collection, type));
}

void SyncModule::items(const UpstreamRequest& request, httplib::Response& res, const std::string& type, bool item) {
  const std::string& method = request.http.method;
  const bool write = method != "GET";
  const bool is_map = type == "map";
  const std::string service_id = request.params.at("ServiceSid");
  const std::string collection_id = request.params.at(is_map ? "MapSid" : "ListSid");
  Service* service = find_service(service_id);
  Collection* collection = service ? find_collection(*service, type, collection_id) : nullptr;
  const ObjectRef ref = collection ? ObjectRef{service->sid, type, collection->sid, collection->unique_name}
                                   : ObjectRef{service ? service->sid : service_id, type, collection_id, ""};
  if (!account(ref, write, res)) return;  // items count toward their map or list
  if (service == nullptr) return send_twilio_error(res, 404, 20404, not_found_message(request.path));
  if (collection == nullptr) {
    return send_twilio_error(res, 404, is_map ? kCodeMapNotFound : kCodeListNotFound,
                             std::string(is_map ? "Map" : "List") + " not found: " + collection_id);
  }
  const auto now = Clock::now();
  const auto to_json = [&](const Item& i) { return item_json(*service, *collection, i, type); };
  bool failed = false;
  if (!item) {
    if (method == "GET") return send_items_page(request, res, *collection, !is_map, to_json);
    // POST: create.
    Item created;
    if (is_map) {
      created.key = form_value(request, "Key").value_or("");
      if (created.key.empty() || created.key.size() > kMaxKey) {
        return send_twilio_error(res, 400, kCodeInvalidKey, "Invalid Map Item key: Key must be 1 to 320 characters",
                                 json{{"parameter", "Key"}});
      }
      if (collection->items.count(created.key) != 0) {
        return send_twilio_error(res, 409, kCodeItemExists, "Map Item already exists: " + created.key,
                                 json{{"key", created.key}});
      }
    }
    auto data = parse_data(form_value(request, "Data").value_or(""), res);
    if (!data) return;
    const auto ttl = parse_ttl(request, {"ItemTtl", "Ttl"}, res, failed);
    if (failed) return;
    const auto collection_ttl = parse_ttl(request, {"CollectionTtl"}, res, failed);
    if (failed) return;
    created.data = std::move(*data);
    created.created = created.updated = now;
    created.expires = expiry_for(ttl.value_or(0), now);
    if (collection_ttl) collection->expires = expiry_for(*collection_ttl, now);
    if (!is_map) created.index = collection->next_index++;
    const std::string sort_key = is_map ? created.key : list_sort_key(created.index);
    Item& stored = collection->items.emplace(sort_key, std::move(created)).first->second;
    res.set_header("ETag", etag(stored.revision));
    return send_json(res, 201, to_json(stored));
  }
  std::string sort_key;
  const std::string& raw_id = request.params.at(is_map ? "Key" : "Index");
  if (is_map) {
    sort_key = raw_id;
  } else {
    const auto index = parse_integer(raw_id);
    sort_key = index && *index >= 0 ? list_sort_key(*index) : "";
  }
  const auto found = sort_key.empty() ? collection->items.end() : collection->items.find(sort_key);
  if (found == collection->items.end()) {
    return send_twilio_error(res, 404, is_map ? kCodeMapItemNotFound : kCodeListItemNotFound,
                             std::string(is_map ? "Map Item" : "List Item") + " not found: " + raw_id);
  }
  Item& existing = found->second;
  if (method == "GET") {
    res.set_header("ETag", etag(existing.revision));
    return send_json(res, 200, to_json(existing));
  }
  if (!precondition_ok(request, res, existing.revision)) return;
  if (method == "DELETE") {
    collection->items.erase(found);
    res.status = 204;
    return;
  }
  std::optional<json> data;
  if (const auto text = form_value(request, "Data")) {
    data = parse_data(*text, res);
    if (!data) return;
  }
  const auto ttl = parse_ttl(request, {"ItemTtl", "Ttl"}, res, failed);
  if (failed) return;
  const auto collection_ttl = parse_ttl(request, {"CollectionTtl"}, res, failed);
  if (failed) return;
  if (!data && !ttl && !collection_ttl) {
    return invalid_parameter(res, "Data", "Invalid parameter: an update needs Data, ItemTtl or CollectionTtl");
  }
  if (data) existing.data = std::move(*data);
  if (ttl) existing.expires = expiry_for(*ttl, now);
  if (collection_ttl) collection->expires = expiry_for(*collection_ttl, now);
  ++existing.revision;
  existing.updated = now;
  res.set_header("ETag", etag(existing.revision));
  send_json(res, 200, to_json(existing));
}

// ----------------------------------------------------------------------------------------- control

void SyncModule::control_rate_limit(const httplib::Request& req, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  if (req.method == "POST") {
    const auto body = control_json_body(req, res);
    if (!body) return;
    for (const auto& [key, value] : body->items()) {
      (void)value;
      if (key != "enabled" && key != "perSecond") {
        return send_control_error(res, 400, "unknown field '" + key + "' (expected enabled, perSecond)");
      }
    }
    if (body->contains("enabled") && !(*body)["enabled"].is_boolean()) {
      return send_control_error(res, 400, "'enabled' must be true or false");
    }
    if (body->contains("perSecond")) {
      const auto& value = (*body)["perSecond"];
      if (!value.is_number_integer() || value.get<long long>() < 1 || value.get<long long>() > 1000000) {
        return send_control_error(res, 400, "'perSecond' must be an integer from 1 to 1000000");
      }
      rate_limit_per_second_ = value.get<std::size_t>();
    }
    if (body->contains("enabled")) rate_limit_enabled_ = (*body)["enabled"].get<bool>();
  }
  send_json(res, 200, json{{"enabled", rate_limit_enabled_}, {"perSecond", rate_limit_per_second_}});
}

void SyncModule::control_stats(httplib::Response& res) {
  std::lock_guard lock(mutex_);
  json objects = json::array();
  std::uint64_t reads = 0, writes = 0;
  for (const auto& [key, stats] : stats_) {
    (void)key;
    reads += stats.reads;
    writes += stats.writes;
    objects.push_back(json{{"service", stats.service_sid},
                           {"type", stats.type},
                           {"sid", stats.sid},
                           {"uniqueName", stats.unique_name.empty() ? json(nullptr) : json(stats.unique_name)},
                           {"reads", stats.reads},
                           {"writes", stats.writes},
                           {"throttled", stats.throttled},
                           {"maxPerSecond",
                            {{"reads", stats.read_window.max()},
                             {"writes", stats.write_window.max()},
                             {"total", stats.total_window.max()}}}});
  }
  send_json(res, 200,
            json{{"rateLimit", {{"enabled", rate_limit_enabled_}, {"perSecond", rate_limit_per_second_}}},
                 {"reads", reads},
                 {"writes", writes},
                 {"throttled", throttled_total_},
                 {"objects", objects}});
}

void SyncModule::control_clock(const httplib::Request& req, httplib::Response& res) {
  const auto body = control_json_body(req, res);
  if (!body) return;
  std::lock_guard lock(mutex_);
  for (const auto& [key, value] : body->items()) {
    (void)value;
    if (key != "frozen" && key != "advanceMs") return send_control_error(res, 400, "unknown field '" + key + "' (expected frozen, advanceMs)");
  }
  if (body->contains("frozen")) {
    if (!(*body)["frozen"].is_boolean()) return send_control_error(res, 400, "'frozen' must be true or false");
    if ((*body)["frozen"].get<bool>()) {
      if (!frozen_) frozen_ = Steady::now();
    } else {
      frozen_.reset();
    }
  }
  if (body->contains("advanceMs")) {
    const auto& value = (*body)["advanceMs"];
    if (!value.is_number_integer() || value.get<long long>() < 0) return send_control_error(res, 400, "'advanceMs' must be a non-negative integer");
    if (!frozen_) return send_control_error(res, 400, "'advanceMs' needs a frozen clock ({\"frozen\":true} first)");
    *frozen_ += std::chrono::milliseconds(value.get<long long>());
  }
  send_json(res, 200, json{{"frozen", frozen_.has_value()}});
}

void SyncModule::control_seed_service(const httplib::Request& req, httplib::Response& res) {
  const auto body = control_json_body(req, res);
  if (!body) return;
  std::string sid, unique_name, friendly_name;
  for (const auto& [key, value] : body->items()) {
    std::string* target = key == "sid" ? &sid : key == "uniqueName" ? &unique_name : key == "friendlyName" ? &friendly_name : nullptr;
    if (target == nullptr) return send_control_error(res, 400, "unknown field '" + key + "' (expected sid, uniqueName, friendlyName)");
    if (!value.is_string() || value.get<std::string>().empty()) return send_control_error(res, 400, "'" + key + "' must be a non-empty string");
    *target = value.get<std::string>();
  }
  if (!sid.empty() && !is_sid(sid, "IS")) return send_control_error(res, 400, "'sid' must be IS followed by 32 hex digits");
  if (is_sid(unique_name, "IS")) return send_control_error(res, 400, "'uniqueName' must not look like a SID");
  std::lock_guard lock(mutex_);
  if (!sid.empty() && services_.count(sid) != 0) return send_control_error(res, 409, "service " + sid + " exists already");
  if (!unique_name.empty() && find_service(unique_name) != nullptr) {
    return send_control_error(res, 409, "a service with uniqueName '" + unique_name + "' exists already");
  }
  Service& service = add_service(sid.empty() ? random_sid("IS") : sid, unique_name, friendly_name);
  send_json(res, 201, service_json(service));
}

void SyncModule::control_dump(httplib::Response& res) {
  std::lock_guard lock(mutex_);
  json out = json::array();
  for (const auto& [sid, service] : services_) {
    (void)sid;
    json entry = service_json(service);
    for (const std::string type : {"map", "list"}) {
      json collections = json::array();
      for (const auto& [csid, collection] : type == "map" ? service.maps : service.lists) {
        (void)csid;
        json c = collection_json(service, collection, type);
        c["items"] = json::array();
        for (const auto& [key, item] : collection.items) {
          (void)key;
          c["items"].push_back(item_json(service, collection, item, type));
        }
        collections.push_back(std::move(c));
      }
      entry[type == "map" ? "maps" : "lists"] = std::move(collections);
    }
    entry["documents"] = json::array();
    for (const auto& [dsid, document] : service.documents) {
      (void)dsid;
      entry["documents"].push_back(document_json(service, document));
    }
    out.push_back(std::move(entry));
  }
  send_json(res, 200, json{{"services", out}});
}

namespace {

// The `data` field of a hand-put body: required, any JSON (that is the point: malformed items).
std::optional<json> control_data(const httplib::Request& req, httplib::Response& res) {
  const auto body = control_json_body(req, res);
  if (!body) return std::nullopt;
  for (const auto& [key, value] : body->items()) {
    (void)value;
    if (key != "data") {
      send_control_error(res, 400, "unknown field '" + key + "' (expected data)");
      return std::nullopt;
    }
  }
  if (!body->contains("data")) {
    send_control_error(res, 400, "'data' is required (any JSON value: the item is stored as given, unchecked)");
    return std::nullopt;
  }
  return (*body)["data"];
}

}  // namespace

void SyncModule::control_put_item(const httplib::Request& req, httplib::Response& res, const PathParams& params) {
  auto data = control_data(req, res);
  if (!data) return;
  std::lock_guard lock(mutex_);
  Service* service = find_service(params.at("Service"));
  if (service == nullptr) return send_control_error(res, 404, "no Sync service " + params.at("Service"));
  const auto now = Clock::now();
  Collection* map = find_collection(*service, "map", params.at("Map"));
  if (map == nullptr) {
    Collection created;
    const bool by_sid = is_sid(params.at("Map"), "MP");
    created.sid = by_sid ? params.at("Map") : random_sid("MP");
    created.unique_name = by_sid ? "" : params.at("Map");
    created.created = created.updated = now;
    created.order = next_order_++;
    map = &service->maps.emplace(created.sid, std::move(created)).first->second;
  }
  const std::string& key = params.at("Key");
  const auto found = map->items.find(key);
  const bool existed = found != map->items.end();
  Item& item = existed ? found->second : map->items[key];
  if (existed) {
    ++item.revision;
  } else {
    item.key = key;
    item.created = now;
  }
  item.data = std::move(*data);
  item.updated = now;
  send_json(res, existed ? 200 : 201, item_json(*service, *map, item, "map"));
}

void SyncModule::control_put_document(const httplib::Request& req, httplib::Response& res, const PathParams& params) {
  auto data = control_data(req, res);
  if (!data) return;
  std::lock_guard lock(mutex_);
  Service* service = find_service(params.at("Service"));
  if (service == nullptr) return send_control_error(res, 404, "no Sync service " + params.at("Service"));
  const auto now = Clock::now();
  Document* document = find_document(*service, params.at("Document"));
  const bool existed = document != nullptr;
  if (!existed) {
    Document created;
    const bool by_sid = is_sid(params.at("Document"), "ET");
    created.sid = by_sid ? params.at("Document") : random_sid("ET");
    created.unique_name = by_sid ? "" : params.at("Document");
    created.created = now;
    created.order = next_order_++;
    document = &service->documents.emplace(created.sid, std::move(created)).first->second;
  } else {
    ++document->revision;
  }
  document->data = std::move(*data);
  document->updated = now;
  send_json(res, existed ? 200 : 201, document_json(*service, *document));
}

void SyncModule::control_append_list_item(const httplib::Request& req, httplib::Response& res, const PathParams& params) {
  auto data = control_data(req, res);
  if (!data) return;
  std::lock_guard lock(mutex_);
  Service* service = find_service(params.at("Service"));
  if (service == nullptr) return send_control_error(res, 404, "no Sync service " + params.at("Service"));
  const auto now = Clock::now();
  Collection* list = find_collection(*service, "list", params.at("List"));
  if (list == nullptr) {
    Collection created;
    const bool by_sid = is_sid(params.at("List"), "ES");
    created.sid = by_sid ? params.at("List") : random_sid("ES");
    created.unique_name = by_sid ? "" : params.at("List");
    created.created = created.updated = now;
    created.order = next_order_++;
    list = &service->lists.emplace(created.sid, std::move(created)).first->second;
  }
  Item item;
  item.index = list->next_index++;
  item.data = std::move(*data);
  item.created = item.updated = now;
  Item& stored = list->items.emplace(list_sort_key(item.index), std::move(item)).first->second;
  send_json(res, 201, item_json(*service, *list, stored, "list"));
}

}  // namespace flexcore::emulator
