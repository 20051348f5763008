#pragma once
/// @file recorder.h
/// Records every upstream request the emulator answers (control API calls excluded), for tests to
/// query through `GET /__emulator/requests`. Credentials never reach the record: the Authorization
/// and Proxy-Authorization values are replaced by "<redacted>" (only the Basic username, an
/// Account/API key SID, is kept in `auth.username`).

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace flexcore::emulator {

/// One recorded request.
struct RecordedRequest {
  std::uint64_t seq = 0;     ///< 1, 2, 3… in arrival order (restarts at 1 after reset)
  std::string method;
  std::string path;          ///< decoded path as received, with the family prefix (e.g. "/iam/v1/…")
  std::string family;        ///< API family that served it ("iam", "taskrouter", …)
  std::string family_prefix; ///< the path prefix that selected the family ("/iam", or "" for the bare path)
  std::string query;         ///< raw query string (no '?')
  /// (lower-case name, value) in arrival order, secrets redacted; to_json() joins repeated names with ", ".
  std::vector<std::pair<std::string, std::string>> headers;
  std::string auth_scheme;    ///< scheme of the Authorization header ("Basic"), empty without one
  std::string auth_username;  ///< Basic username (an Account or API key SID), empty otherwise
  std::string body;          ///< raw body (first `max_body_bytes` bytes)
  bool body_truncated = false;
  int status = 0;            ///< status answered; 0 when the connection was dropped
  bool faulted = false;      ///< a fault decided the answer (or added delay/headers)
  std::string fault_id;      ///< id of that fault, empty if none
  bool dropped = false;      ///< the connection was closed without an answer
  std::chrono::system_clock::time_point received_at;

  /// The JSON form documented in README.md (`seq, method, path, family, query, headers, auth, body,
  /// bodyTruncated, status, faulted, faultId, dropped, receivedAt`).
  nlohmann::json to_json() const;
};

/// Filters of `GET /__emulator/requests`.
struct RequestFilter {
  std::string method;        ///< exact (case-insensitive) method, empty = any
  std::string path_glob;     ///< glob (path_template.h glob_match) against the full or family-relative path, empty = any
  std::uint64_t since = 0;   ///< only records with seq > since
};

/// Thread-safe bounded log of requests (oldest dropped first once `capacity` is reached).
class Recorder {
 public:
  /// `capacity` records are kept (0 disables recording); bodies beyond `max_body_bytes` are truncated.
  explicit Recorder(std::size_t capacity = 10000, std::size_t max_body_bytes = 1 << 20);

  /// Builds the record of `req` (not yet stored): headers copied and redacted, body capped.
  RecordedRequest capture(const httplib::Request& req, std::string family, std::string family_prefix,
                          std::chrono::system_clock::time_point received_at) const;

  /// Stores `record` with the next sequence number; returns that number (0 when recording is off).
  std::uint64_t add(RecordedRequest record);

  /// The JSON array of the records matching `filter`, oldest first.
  nlohmann::json query(const RequestFilter& filter) const;

  /// Forgets every record and restarts the sequence at 1.
  void clear();

  /// False when recording is off (capacity 0): callers may then skip capture().
  bool enabled() const noexcept { return capacity_ != 0; }

  /// Number of records held.
  std::size_t size() const;

 private:
  std::size_t capacity_;
  std::size_t max_body_bytes_;
  mutable std::mutex mutex_;
  std::deque<RecordedRequest> records_;
  std::uint64_t next_seq_ = 1;
};

/// The family-relative form of `path` given the family's prefix ("/iam/v1/x", "/iam" → "/v1/x").
std::string strip_prefix(const std::string& path, const std::string& prefix);

}  // namespace flexcore::emulator
