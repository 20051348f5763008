#pragma once
/// @file sync_module.h
/// Twilio Sync v1 (upstream-contracts.md 3.2, spec twilio_sync_v1.json): Services, Maps and Map Items,
/// Documents, Lists and List Items, with string revisions (`ETag` = revision, `If-Match` → 412/54205),
/// v1 paging `meta` (Order/From/Bounds/PageToken cursors for items), Twilio error codes, the 16 KiB
/// data limit and optional per-object rate limiting (429/20429) with per-object request statistics.
///
/// Upstream (family "sync", mounted under /sync, checked against the "sync" spec; Basic auth):
///   GET|POST /v1/Services, GET|POST|DELETE /v1/Services/{Sid}
///   GET|POST /v1/Services/{ServiceSid}/Maps, GET|POST|DELETE …/Maps/{Sid}
///   GET|POST …/Maps/{MapSid}/Items, GET|POST|DELETE …/Maps/{MapSid}/Items/{Key}
///   GET|POST …/Documents, GET|POST|DELETE …/Documents/{Sid}
///   GET|POST …/Lists, GET|POST|DELETE …/Lists/{Sid}
///   GET|POST …/Lists/{ListSid}/Items, GET|POST|DELETE …/Lists/{ListSid}/Items/{Index}
/// Services are addressed by SID or unique name ("default" = the Default Service present at start);
/// maps, documents and lists by SID or unique name.
/// Control (README.md "Sync" documents the bodies):
///   GET|POST /__emulator/sync/rate-limit, GET|DELETE /__emulator/sync/stats, POST /__emulator/sync/clock,
///   GET|POST /__emulator/sync/services,
///   POST /__emulator/sync/services/{Service}/maps/{Map}/items/{Key}   put an item by hand (any JSON data)
///   POST /__emulator/sync/services/{Service}/documents/{Document}       put a document by hand
///   POST /__emulator/sync/services/{Service}/lists/{List}/items        append a list item by hand

#include "module.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace flexcore::emulator {

/// Counts events in a sliding 1-second window and remembers the largest count ever seen in one
/// (= the maximum number of events in any 1-second window, since a window's count is maximal when it
/// ends at an event).
class SlidingSecond {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  /// Adds an event at `now` (non-decreasing) and updates max().
  void add(TimePoint now);
  /// Events in (now - 1 s, now].
  std::size_t count(TimePoint now);
  /// The oldest event still in the window ending at `now`, if any.
  std::optional<TimePoint> oldest(TimePoint now);
  /// Largest count of events in any 1-second window so far.
  std::size_t max() const noexcept { return max_; }

 private:
  void prune(TimePoint now);
  std::deque<TimePoint> events_;
  std::size_t max_ = 0;
};

/// The Sync module. State lives in memory until reset.
class SyncModule final : public Module {
 public:
  /// `context` must outlive the module.
  explicit SyncModule(ModuleContext context);

  std::string name() const override { return "sync"; }
  void register_routes(Router& upstream, ControlApi& control) override;
  void reset() override;

  using Time = std::chrono::system_clock::time_point;

  /// A Map Item or a List Item. `sort_key` orders the collection: the key for maps, the index
  /// zero-padded to 20 digits for lists.
  struct Item {
    std::string key;       ///< map items
    long long index = 0;   ///< list items
    nlohmann::json data;   ///< any JSON (the upstream API only stores objects; control routes may store anything)
    std::uint64_t revision = 0;
    Time created, updated;
    std::optional<Time> expires;
  };
  /// A Sync Map or Sync List.
  struct Collection {
    std::string sid, unique_name;
    std::uint64_t revision = 0, order = 0;
    Time created, updated;
    std::optional<Time> expires;
    std::map<std::string, Item> items;  ///< by sort key
    long long next_index = 0;           ///< lists
  };
  /// A Sync Document.
  struct Document {
    std::string sid, unique_name;
    nlohmann::json data = nlohmann::json::object();
    std::uint64_t revision = 0, order = 0;
    Time created, updated;
    std::optional<Time> expires;
  };
  /// A Sync Service with its objects (by SID).
  struct Service {
    std::string sid, unique_name, friendly_name, webhook_url;
    bool webhooks_from_rest_enabled = false, reachability_webhooks_enabled = false, acl_enabled = false,
         reachability_debouncing_enabled = false;
    long long reachability_debouncing_window = 5000;
    std::uint64_t order = 0;
    Time created, updated;
    std::map<std::string, Collection> maps, lists;
    std::map<std::string, Document> documents;
  };
  /// Request statistics of one object (GET /__emulator/sync/stats).
  struct ObjectStats {
    std::string service_sid, type, sid, unique_name;  ///< type: account, service, map, document, list
    std::uint64_t reads = 0, writes = 0, throttled = 0;
    SlidingSecond read_window, write_window, total_window;  ///< every attempt (throttled included)
    SlidingSecond admitted_reads, admitted_writes;          ///< admitted only: what the limiter counts
  };

 private:
  // Which object a request counts toward (see account()).
  struct ObjectRef {
    std::string service_sid, type, sid, unique_name;
    std::string key() const { return service_sid + "|" + type + "|" + sid; }
  };

  void handle(const UpstreamRequest& request, httplib::Response& res, const std::string& route);

  // Upstream handlers; callers hold mutex_.
  void services(const UpstreamRequest& request, httplib::Response& res, bool item);
  void objects(const UpstreamRequest& request, httplib::Response& res, const std::string& type, bool item);
  void items(const UpstreamRequest& request, httplib::Response& res, const std::string& type, bool item);

  // Rate limiting and statistics: counts the request toward `ref`; false (429 answered) when throttled.
  bool account(const ObjectRef& ref, bool write, httplib::Response& res);
  std::chrono::steady_clock::time_point now_steady() const;

  // Control handlers.
  void control_rate_limit(const httplib::Request& req, httplib::Response& res);
  void control_stats(httplib::Response& res);
  void control_clock(const httplib::Request& req, httplib::Response& res);
  void control_seed_service(const httplib::Request& req, httplib::Response& res);
  void control_dump(httplib::Response& res);
  void control_put_item(const httplib::Request& req, httplib::Response& res, const PathParams& params);
  void control_put_document(const httplib::Request& req, httplib::Response& res, const PathParams& params);
  void control_append_list_item(const httplib::Request& req, httplib::Response& res, const PathParams& params);

  // Helpers; callers hold mutex_.
  Service* find_service(const std::string& id);
  Service& add_service(std::string sid, std::string unique_name, std::string friendly_name);
  Collection* find_collection(Service& service, const std::string& type, const std::string& id);
  Document* find_document(Service& service, const std::string& id);
  nlohmann::json service_json(const Service& service) const;
  nlohmann::json collection_json(const Service& service, const Collection& collection, const std::string& type) const;
  nlohmann::json document_json(const Service& service, const Document& document) const;
  nlohmann::json item_json(const Service& service, const Collection& collection, const Item& item,
                           const std::string& type) const;

  ModuleContext context_;
  std::mutex mutex_;
  std::map<std::string, Service> services_;  ///< by SID
  std::uint64_t next_order_ = 1;
  bool rate_limit_enabled_ = false;
  std::size_t rate_limit_per_second_ = 20;
  std::map<std::string, ObjectStats> stats_;  ///< by ObjectRef::key()
  std::uint64_t throttled_total_ = 0;
  std::optional<std::chrono::steady_clock::time_point> frozen_;  ///< injected clock for the limiter (tests)
};

}  // namespace flexcore::emulator
