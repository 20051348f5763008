#include "upstream/sync_client.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "flexcore/sid.h"
#include "upstream/taskrouter_client.h"
#include "upstream/twilio_error.h"

namespace flexcore::server::upstream {

namespace {

bool success(const Response& response) {
  return response.answered() && response.status >= 200 && response.status < 300;
}

std::string_view segment(SyncObject kind) {
  switch (kind) {
    case SyncObject::Map: return "Maps";
    case SyncObject::Document: return "Documents";
    case SyncObject::List: return "Lists";
  }
  return "Maps";
}

std::string revision_of(const nlohmann::json& body, const Response& response) {
  const auto it = body.find("revision");
  if (it != body.end() && it->is_string()) return it->get<std::string>();
  if (it != body.end() && it->is_number_integer()) return std::to_string(it->get<long long>());
  return unquote_etag(response.header("ETag"));
}

Error malformed(const Response& response, std::string_view what) {
  return Error{ErrorCode::UpstreamError, std::string(kSyncService) + " answered HTTP " +
                                             std::to_string(response.status) + " without " + std::string(what)};
}

Result<nlohmann::json> object_body(const Response& response, std::string_view what) {
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return malformed(response, what);
  return body;
}

Result<SyncItem> item_of(const Response& response) {
  auto body = object_body(response, "a Sync item object");
  if (!body) return body.error();
  const auto& json = body.value();
  SyncItem item;
  if (auto key = json.find("key"); key != json.end() && key->is_string()) item.key = key->get<std::string>();
  if (auto index = json.find("index"); index != json.end() && index->is_number_integer()) {
    item.index = index->get<std::int64_t>();
    item.key = std::to_string(item.index);
  }
  if (auto data = json.find("data"); data != json.end()) item.data = *data;
  item.revision = revision_of(json, response);
  return item;
}

Result<SyncDocument> document_of(const Response& response) {
  auto body = object_body(response, "a Sync document object");
  if (!body) return body.error();
  const auto& json = body.value();
  SyncDocument doc;
  if (auto sid = json.find("sid"); sid != json.end() && sid->is_string()) doc.sid = sid->get<std::string>();
  if (doc.sid.empty()) return malformed(response, "a document sid");
  if (auto name = json.find("unique_name"); name != json.end() && name->is_string()) {
    doc.unique_name = name->get<std::string>();
  }
  if (auto data = json.find("data"); data != json.end()) doc.data = *data;
  doc.revision = revision_of(json, response);
  return doc;
}

}  // namespace

SyncClient::SyncClient(HttpClient& client, std::string base_url, BasicAuth credentials, const Clock& clock,
                       Sleeper& sleeper, SyncClientOptions options)
    : client_(client),
      base_url_(std::move(base_url)),
      credentials_(std::move(credentials)),
      clock_(clock),
      sleeper_(sleeper),
      options_(options) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  options_.rate_per_second = std::max(options_.rate_per_second, 0.001);
  options_.burst = std::max(options_.burst, 1.0);
  options_.map_page_size = std::clamp(options_.map_page_size, 1, 100);
  options_.page_size = std::clamp(options_.page_size, 1, 1000);
}

void SyncClient::acquire(const std::string& bucket_key) {
  std::chrono::milliseconds wait{0};
  {
    std::lock_guard lock(mutex_);
    ++counts_[bucket_key];
    Bucket& bucket = buckets_[bucket_key];
    const auto now = clock_.steady_now();
    if (!bucket.initialised) {
      bucket.tokens = options_.burst;
      bucket.last = now;
      bucket.initialised = true;
    } else if (now > bucket.last) {
      const double elapsed = std::chrono::duration<double>(now - bucket.last).count();
      bucket.tokens = std::min(options_.burst, bucket.tokens + elapsed * options_.rate_per_second);
      bucket.last = now;
    }
    // Reserve a token; a negative balance is the time this call must wait for it (no spinning).
    bucket.tokens -= 1.0;
    if (bucket.tokens < 0) {
      wait = std::chrono::milliseconds(
          static_cast<long long>(std::ceil(-bucket.tokens / options_.rate_per_second * 1000.0)));
    }
  }
  if (wait.count() > 0) sleeper_.sleep_for(wait);
}

std::map<std::string, std::uint64_t> SyncClient::call_counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

Response SyncClient::call(Request request, SyncObject kind, std::string_view object_id, bool write) {
  std::string bucket = std::string(segment(kind)) + "/" + std::string(object_id) + (write ? " write" : " read");
  acquire(bucket);
  request.basic_auth = credentials_;
  return client_.send(request);
}

std::string SyncClient::object_url(std::string_view service_sid, SyncObject kind, std::string_view object) const {
  return base_url_ + "/v1/Services/" + url_encode(service_sid) + "/" + std::string(segment(kind)) + "/" +
         url_encode(object);
}

Result<std::vector<nlohmann::json>> SyncClient::read_pages(std::string url, std::string_view list_key,
                                                           SyncObject kind, std::string_view object_id) {
  std::vector<nlohmann::json> out;
  for (int page = 0; !url.empty(); ++page) {
    if (page > 100000) return Error{ErrorCode::UpstreamError, std::string(kSyncService) + ": too many pages"};
    Request request;
    request.url = url;
    const Response response = call(request, kind, object_id, false);
    if (!success(response)) return upstream_error(response, kSyncService);
    auto body = object_body(response, "a page object");
    if (!body) return body.error();
    const auto& json = body.value();
    const auto items = json.find(std::string(list_key));
    if (items == json.end() || !items->is_array()) {
      return malformed(response, "the \"" + std::string(list_key) + "\" array");
    }
    for (const auto& item : *items) out.push_back(item);
    url.clear();
    const auto meta = json.find("meta");
    if (meta != json.end() && meta->is_object()) {
      const auto next = meta->find("next_page_url");
      if (next != meta->end() && next->is_string() && !next->get<std::string>().empty()) {
        url = next->get<std::string>();
        if (url.rfind(base_url_ + "/", 0) != 0) {
          return Error{ErrorCode::UpstreamError, std::string(kSyncService) +
                                                     " answered a next_page_url outside the configured Sync URL"};
        }
      }
    }
  }
  return out;
}

Result<std::string> SyncClient::ensure_service(std::string_view name_or_sid) {
  if (name_or_sid.empty()) return Error{ErrorCode::InvalidArgument, "Sync service: a name or IS… SID is required"};
  if (check_sid(name_or_sid, "IS", "service").ok()) {
    Request request;
    request.url = base_url_ + "/v1/Services/" + url_encode(name_or_sid);
    const Response response = call(request, SyncObject::Document, "services", false);
    if (!success(response)) return upstream_error(response, kSyncService);
    return std::string(name_or_sid);
  }
  auto services = read_pages(base_url_ + "/v1/Services?PageSize=" + std::to_string(options_.page_size), "services",
                             SyncObject::Document, "services");
  if (!services) return services.error();
  for (const auto& service : services.value()) {
    if (!service.is_object()) continue;
    const auto name = service.find("friendly_name");
    const auto sid = service.find("sid");
    if (name != service.end() && name->is_string() && *name == name_or_sid && sid != service.end() &&
        sid->is_string()) {
      return sid->get<std::string>();
    }
  }
  Request create;
  create.method = "POST";
  create.url = base_url_ + "/v1/Services";
  create.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  create.body = form_encode({{"FriendlyName", std::string(name_or_sid)}});
  const Response response = call(create, SyncObject::Document, "services", true);
  if (!success(response)) return upstream_error(response, kSyncService);
  auto body = object_body(response, "a service object");
  if (!body) return body.error();
  const auto sid = body.value().find("sid");
  if (sid == body.value().end() || !sid->is_string()) return malformed(response, "a service sid");
  return sid->get<std::string>();
}

Result<std::string> SyncClient::ensure_collection(std::string_view service_sid, SyncObject kind,
                                                  std::string_view name) {
  if (name.empty()) return Error{ErrorCode::InvalidArgument, "Sync " + std::string(segment(kind)) + ": a name is required"};
  for (int round = 0; round < 2; ++round) {
    Request fetch;
    fetch.url = object_url(service_sid, kind, name);
    const Response found = call(fetch, kind, name, false);
    if (success(found)) {
      auto body = object_body(found, "an object");
      if (!body) return body.error();
      const auto sid = body.value().find("sid");
      if (sid == body.value().end() || !sid->is_string()) return malformed(found, "a sid");
      return sid->get<std::string>();
    }
    if (!found.answered() || found.status != 404) return upstream_error(found, kSyncService);
    Request create;
    create.method = "POST";
    create.url = base_url_ + "/v1/Services/" + url_encode(service_sid) + "/" + std::string(segment(kind));
    create.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    create.body = form_encode({{"UniqueName", std::string(name)}});
    const Response created = call(create, kind, name, true);
    if (created.answered() && created.status == 409) continue;  // a concurrent creator won: fetch it
    if (!success(created)) return upstream_error(created, kSyncService);
    auto body = object_body(created, "an object");
    if (!body) return body.error();
    const auto sid = body.value().find("sid");
    if (sid == body.value().end() || !sid->is_string()) return malformed(created, "a sid");
    return sid->get<std::string>();
  }
  return Error{ErrorCode::Conflict, std::string(kSyncService) + ": " + std::string(name) +
                                        " could neither be fetched nor created"};
}

Result<std::string> SyncClient::ensure_map(std::string_view service_sid, std::string_view name_or_sid) {
  return ensure_collection(service_sid, SyncObject::Map, name_or_sid);
}

Result<std::string> SyncClient::ensure_list(std::string_view service_sid, std::string_view name_or_sid) {
  return ensure_collection(service_sid, SyncObject::List, name_or_sid);
}

Result<SyncDocument> SyncClient::ensure_document(std::string_view service_sid, std::string_view name_or_sid,
                                                 const nlohmann::json& initial_data, bool* created) {
  if (created) *created = false;
  for (int round = 0; round < 2; ++round) {
    auto found = fetch_document(service_sid, name_or_sid);
    if (found) return found;
    if (found.error().code != ErrorCode::NotFound) return found.error();
    Request create;
    create.method = "POST";
    create.url = base_url_ + "/v1/Services/" + url_encode(service_sid) + "/Documents";
    create.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    create.body = form_encode({{"UniqueName", std::string(name_or_sid)}, {"Data", initial_data.dump()}});
    const Response response = call(create, SyncObject::Document, name_or_sid, true);
    if (response.answered() && response.status == 409) continue;
    if (!success(response)) return upstream_error(response, kSyncService);
    if (created) *created = true;
    return document_of(response);
  }
  return Error{ErrorCode::Conflict, std::string(kSyncService) + ": document " + std::string(name_or_sid) +
                                        " could neither be fetched nor created"};
}

Result<std::vector<SyncItem>> SyncClient::map_items(std::string_view service_sid, std::string_view map_sid,
                                                    std::size_t* skipped) {
  if (skipped) *skipped = 0;
  auto items = read_pages(object_url(service_sid, SyncObject::Map, map_sid) +
                              "/Items?Order=asc&PageSize=" + std::to_string(options_.map_page_size),
                          "items", SyncObject::Map, map_sid);
  if (!items) return items.error();
  std::vector<SyncItem> out;
  out.reserve(items.value().size());
  for (auto& json : items.value()) {
    const auto key = json.is_object() ? json.find("key") : json.end();
    if (!json.is_object() || key == json.end() || !key->is_string()) {
      if (skipped) ++*skipped;
      continue;
    }
    SyncItem item;
    item.key = key->get<std::string>();
    if (auto data = json.find("data"); data != json.end()) item.data = std::move(*data);
    if (auto revision = json.find("revision"); revision != json.end() && revision->is_string()) {
      item.revision = revision->get<std::string>();
    }
    out.push_back(std::move(item));
  }
  return out;
}

Result<std::optional<SyncItem>> SyncClient::fetch_map_item(std::string_view service_sid, std::string_view map_sid,
                                                           std::string_view key) {
  Request request;
  request.url = object_url(service_sid, SyncObject::Map, map_sid) + "/Items/" + url_encode(key);
  const Response response = call(request, SyncObject::Map, map_sid, false);
  if (response.answered() && response.status == 404) return std::optional<SyncItem>();
  if (!success(response)) return upstream_error(response, kSyncService);
  auto item = item_of(response);
  if (!item) return item.error();
  return std::optional<SyncItem>(std::move(item).value());
}

Result<SyncItem> SyncClient::create_map_item(std::string_view service_sid, std::string_view map_sid,
                                             std::string_view key, const nlohmann::json& data) {
  Request request;
  request.method = "POST";
  request.url = object_url(service_sid, SyncObject::Map, map_sid) + "/Items";
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.body = form_encode({{"Key", std::string(key)}, {"Data", data.dump()}});
  const Response response = call(request, SyncObject::Map, map_sid, true);
  if (response.answered() && response.status == 409) {
    Error error = upstream_error(response, kSyncService);
    error.code = ErrorCode::AlreadyExists;
    return error;
  }
  if (!success(response)) return upstream_error(response, kSyncService);
  return item_of(response);
}

Result<SyncItem> SyncClient::update_map_item(std::string_view service_sid, std::string_view map_sid,
                                             std::string_view key, const nlohmann::json& data,
                                             std::string_view if_match) {
  Request request;
  request.method = "POST";
  request.url = object_url(service_sid, SyncObject::Map, map_sid) + "/Items/" + url_encode(key);
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  if (!if_match.empty()) request.headers.emplace_back("If-Match", std::string(if_match));
  request.body = form_encode({{"Data", data.dump()}});
  const Response response = call(request, SyncObject::Map, map_sid, true);
  if (!success(response)) return upstream_error(response, kSyncService);
  return item_of(response);
}

Status SyncClient::delete_map_item(std::string_view service_sid, std::string_view map_sid, std::string_view key,
                                   std::string_view if_match) {
  Request request;
  request.method = "DELETE";
  request.url = object_url(service_sid, SyncObject::Map, map_sid) + "/Items/" + url_encode(key);
  if (!if_match.empty()) request.headers.emplace_back("If-Match", std::string(if_match));
  const Response response = call(request, SyncObject::Map, map_sid, true);
  if (!success(response)) return upstream_error(response, kSyncService);
  return ok_status();
}

Result<SyncDocument> SyncClient::fetch_document(std::string_view service_sid, std::string_view document) {
  Request request;
  request.url = object_url(service_sid, SyncObject::Document, document);
  const Response response = call(request, SyncObject::Document, document, false);
  if (!success(response)) return upstream_error(response, kSyncService);
  return document_of(response);
}

Result<SyncDocument> SyncClient::update_document(std::string_view service_sid, std::string_view document,
                                                 const nlohmann::json& data, std::string_view if_match) {
  Request request;
  request.method = "POST";
  request.url = object_url(service_sid, SyncObject::Document, document);
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  if (!if_match.empty()) request.headers.emplace_back("If-Match", std::string(if_match));
  request.body = form_encode({{"Data", data.dump()}});
  const Response response = call(request, SyncObject::Document, document, true);
  if (!success(response)) return upstream_error(response, kSyncService);
  return document_of(response);
}

Result<SyncItem> SyncClient::append_list_item(std::string_view service_sid, std::string_view list_sid,
                                              const nlohmann::json& data) {
  Request request;
  request.method = "POST";
  request.url = object_url(service_sid, SyncObject::List, list_sid) + "/Items";
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.body = form_encode({{"Data", data.dump()}});
  const Response response = call(request, SyncObject::List, list_sid, true);
  if (!success(response)) return upstream_error(response, kSyncService);
  return item_of(response);
}

Result<std::vector<SyncItem>> SyncClient::list_items_page(std::string_view service_sid, std::string_view list_sid,
                                                          SyncOrder order, std::optional<std::int64_t> from,
                                                          int page_size) {
  Request request;
  request.url = object_url(service_sid, SyncObject::List, list_sid) + "/Items?Order=" +
                (order == SyncOrder::Ascending ? "asc" : "desc") + "&PageSize=" +
                std::to_string(std::clamp(page_size, 1, 100));
  if (from) request.url += "&From=" + std::to_string(*from) + "&Bounds=inclusive";
  const Response response = call(request, SyncObject::List, list_sid, false);
  if (!success(response)) return upstream_error(response, kSyncService);
  auto body = object_body(response, "a page object");
  if (!body) return body.error();
  const auto items = body.value().find("items");
  if (items == body.value().end() || !items->is_array()) return malformed(response, "the \"items\" array");
  std::vector<SyncItem> out;
  for (const auto& json : *items) {
    if (!json.is_object()) continue;
    const auto index = json.find("index");
    if (index == json.end() || !index->is_number_integer()) continue;
    SyncItem item;
    item.index = index->get<std::int64_t>();
    item.key = std::to_string(item.index);
    if (auto data = json.find("data"); data != json.end()) item.data = *data;
    if (auto revision = json.find("revision"); revision != json.end() && revision->is_string()) {
      item.revision = revision->get<std::string>();
    }
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace flexcore::server::upstream
