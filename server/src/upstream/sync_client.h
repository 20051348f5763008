#pragma once
/// @file sync_client.h
/// Twilio Sync v1 REST client (upstream-contracts 3.2, spec twilio_sync_v1.json): Services, Maps + Map
/// Items, Documents, Lists + List Items — the calls the Sync agent extensions store makes (issue 10).
///
/// - Calls go through the HttpClient it is given: in the product the RetryingClient, so 429 (Twilio
///   20429), 503 and network failures are retried per the retry policy with Retry-After honoured; a 412
///   answering an If-Match write is final and surfaces as ErrorCode::Conflict.
/// - Every list read follows `meta.next_page_url` until null (the seed's ">50 items → empty list" bug,
///   seed-behaviour 3.5, does not exist here). A next page URL must start with the configured base URL
///   (credentials are never sent elsewhere), else UpstreamError.
/// - Client-side rate limiter: Twilio allows about 20 reads/s and 20 writes/s per Sync object
///   (Map, Document or List; its items count against the object). Each object has a read and a write
///   token bucket (`rate_per_second`, `burst`), refilled from the injected Clock's steady time; a call
///   without a token sleeps (injected Sleeper) until its reservation comes due. A reservation never
///   spins: with a no-op Sleeper calls proceed at once (tests assert on the sleeps requested).
/// - Wire format: form-encoded bodies (`Data` is a JSON string in one field), Basic auth, JSON answers;
///   revisions are sent as `If-Match: <revision>` (the ETag equals the revision).
///
/// Error mapping (upstream_error, twilio_error.h): 404 (54200/54201/20404) → NotFound, 409 (54208
/// duplicate key, 54301 duplicate unique name) → Conflict (create_* map it to AlreadyExists), 412 (54205
/// revision mismatch) → Conflict, 429 after the retries → ResourceExhausted, 503/network → Unavailable,
/// 400 → InvalidArgument, 401/403 → UpstreamError. Thread-safe when `client`, clock and sleeper are.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "flexcore/result.h"
#include "runtime.h"
#include "upstream/http_client.h"

namespace flexcore::server::upstream {

/// The service name used in error messages ("Twilio Sync answered HTTP 404 …").
inline constexpr std::string_view kSyncService = "Twilio Sync";

/// Limits and paging of a SyncClient.
struct SyncClientOptions {
  double rate_per_second = 20.0;  ///< sustained reads/s and writes/s per Sync object (Twilio: 20)
  double burst = 1.0;             ///< tokens a bucket holds (1 = evenly spaced calls, 50 ms apart at 20/s)
  int map_page_size = 100;        ///< PageSize of Map/List item reads (1–100; Twilio's max is 100)
  int page_size = 50;             ///< PageSize of Service reads (1–1000)
};

/// A Sync Map Item (or List Item: `key` is the index as text).
struct SyncItem {
  std::string key;         ///< the item key (Map) or the index as decimal text (List)
  std::int64_t index = 0;  ///< List items: `index`; Map items: 0
  nlohmann::json data;     ///< `data` (a JSON object as Twilio returns it)
  std::string revision;    ///< `revision` (also the ETag)
};

/// A Sync Document.
struct SyncDocument {
  std::string sid;          ///< ET…
  std::string unique_name;  ///< `unique_name` (may be empty)
  nlohmann::json data;      ///< `data`
  std::string revision;     ///< `revision`
};

/// Which kind of Sync object a limiter bucket belongs to (also the URL segment).
enum class SyncObject { Map, Document, List };

/// Order of a List Item read.
enum class SyncOrder { Ascending, Descending };

/// A Twilio Sync v1 client for one account and one base URL.
class SyncClient {
 public:
  /// `client`: the (retrying) upstream client, must outlive this object; `base_url`: e.g.
  /// "https://sync.twilio.com" or the emulator's URL (no trailing slash needed); `credentials`: Account
  /// SID + Auth Token or API Key + secret (never logged); `clock` / `sleeper` drive the rate limiter.
  SyncClient(HttpClient& client, std::string base_url, BasicAuth credentials, const Clock& clock,
             Sleeper& sleeper, SyncClientOptions options = {});

  /// The IS… SID of a service: `name_or_sid` is used as is when it is a Service SID (checked with
  /// `GET /v1/Services/{IS}`; NotFound when missing), else the first service (all pages of
  /// `GET /v1/Services`) whose `friendly_name` equals it; created (`POST /v1/Services FriendlyName=…`)
  /// when there is none. Errors: NotFound, upstream errors.
  Result<std::string> ensure_service(std::string_view name_or_sid);

  /// The MP… / ES… SID of a Map / List addressed by SID or unique name (`GET …/Maps/{name}`), created
  /// with `UniqueName` when missing (a 409 54301 from a concurrent creator → fetched again).
  Result<std::string> ensure_map(std::string_view service_sid, std::string_view name_or_sid);
  /// As ensure_map for a List (ES…).
  Result<std::string> ensure_list(std::string_view service_sid, std::string_view name_or_sid);
  /// The document addressed by SID or unique name; created with `UniqueName` and `initial_data` when
  /// missing (a concurrent creator's 409 → fetched again; `created` tells whether this call created it).
  Result<SyncDocument> ensure_document(std::string_view service_sid, std::string_view name_or_sid,
                                       const nlohmann::json& initial_data, bool* created = nullptr);

  /// Every item of a Map, ascending key, all pages (`GET …/Maps/{MP}/Items?PageSize=…`, then each
  /// `meta.next_page_url`). Items whose JSON is not an object with a string `key` are skipped and
  /// counted in `*skipped` (when given).
  Result<std::vector<SyncItem>> map_items(std::string_view service_sid, std::string_view map_sid,
                                          std::size_t* skipped = nullptr);
  /// One Map Item; std::nullopt when it does not exist (404 54201).
  Result<std::optional<SyncItem>> fetch_map_item(std::string_view service_sid, std::string_view map_sid,
                                                 std::string_view key);
  /// Creates a Map Item (`POST …/Items Key, Data`). Errors: AlreadyExists when the key exists (409 54208).
  Result<SyncItem> create_map_item(std::string_view service_sid, std::string_view map_sid, std::string_view key,
                                   const nlohmann::json& data);
  /// Replaces a Map Item's data with `If-Match: <if_match>` → the new revision.
  /// Errors: Conflict when the revision no longer matches (412 54205); NotFound when it is gone.
  Result<SyncItem> update_map_item(std::string_view service_sid, std::string_view map_sid, std::string_view key,
                                   const nlohmann::json& data, std::string_view if_match);
  /// Deletes a Map Item (`If-Match` when `if_match` is non-empty). Errors: Conflict (412), NotFound.
  Status delete_map_item(std::string_view service_sid, std::string_view map_sid, std::string_view key,
                         std::string_view if_match);

  /// Fetches a Document by SID or unique name. Errors: NotFound (404), upstream errors.
  Result<SyncDocument> fetch_document(std::string_view service_sid, std::string_view document);
  /// Replaces a Document's data with `If-Match: <if_match>` → the new revision. Errors: Conflict (412).
  Result<SyncDocument> update_document(std::string_view service_sid, std::string_view document,
                                       const nlohmann::json& data, std::string_view if_match);

  /// Appends a List Item (`POST …/Lists/{ES}/Items Data`) → its index and revision.
  Result<SyncItem> append_list_item(std::string_view service_sid, std::string_view list_sid,
                                    const nlohmann::json& data);
  /// One page of List Items (`Order`, `From` = index when given, `Bounds=inclusive`, `PageSize` 1–100).
  Result<std::vector<SyncItem>> list_items_page(std::string_view service_sid, std::string_view list_sid,
                                                SyncOrder order, std::optional<std::int64_t> from,
                                                int page_size);

  /// Sync calls made so far per object ("<IS>/Maps/<MP>" …) and kind ("read"/"write").
  std::map<std::string, std::uint64_t> call_counts() const;

 private:
  Response call(Request request, SyncObject kind, std::string_view object_id, bool write);
  void acquire(const std::string& bucket_key);
  std::string object_url(std::string_view service_sid, SyncObject kind, std::string_view object) const;
  Result<std::string> ensure_collection(std::string_view service_sid, SyncObject kind, std::string_view name);
  Result<std::vector<nlohmann::json>> read_pages(std::string url, std::string_view list_key, SyncObject kind,
                                                 std::string_view object_id);

  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point last{};
    bool initialised = false;
  };

  HttpClient& client_;
  std::string base_url_;
  BasicAuth credentials_;
  const Clock& clock_;
  Sleeper& sleeper_;
  SyncClientOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
  std::map<std::string, std::uint64_t> counts_;
};

}  // namespace flexcore::server::upstream
