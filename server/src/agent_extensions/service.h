#pragma once
/// @file service.h
/// The agent extensions feature of flexcore-server (issue 6, seed-behaviour 3): the store (opened lazily
/// from FLEXCORE_DATA_DIR, so a data directory that appears later is picked up without a restart) and the
/// in-memory Studio lookup table, swapped atomically on publish (a lookup never waits for the store).

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "agent_extensions/store.h"
#include "flexcore/agent_extensions.h"

namespace flexcore::server::agent_extensions {

class ServerlessMirror;  // serverless_mirror.h (issue 10)

/// The live (deployed) set as the Studio lookup reads it. Immutable once published.
struct LiveSet {
  flexcore::agent_extensions::LookupTable table;  ///< extension → worker
  std::string build_sid;                          ///< the deployed build (ZB…)
};

/// Opens the store on first use and keeps the live lookup table. Thread-safe.
class ExtensionsService {
 public:
  /// Opens the SQLite store at `path` when first needed (`opener` overrides how, for tests).
  explicit ExtensionsService(std::function<Result<std::unique_ptr<ExtensionStore>>()> opener);

  /// The store, opened now if not yet open. Errors: those of the opener (Unavailable / Internal → 503/500).
  Result<ExtensionStore*> store();

  /// The live set, or nullptr while the store could not be opened. Lock-free for readers.
  std::shared_ptr<const LiveSet> live() const { return live_.load(std::memory_order_acquire); }

  /// Rebuilds the live set from the deployed rows (after publish, and when the store opens).
  /// Errors: those of build_lookup_table (a deployed set with a repeated extension) — the old set stays.
  Status install(const std::vector<Extension>& deployed_rows, const std::string& build_sid);

  /// Serialises publish + install so live sets are installed in publish order.
  std::mutex& publish_mutex() { return publish_mutex_; }

  /// Keeps `companion` (e.g. the live-reload poller, issue 10) alive as long as the service; companions are
  /// destroyed before every other member, so a companion thread may use the service until it is joined.
  void attach(std::shared_ptr<void> companion) { companions_.push_back(std::move(companion)); }
  /// The Serverless mirror (issue 10, FLEXCORE_PUBLISH_ASSET=1), or nullptr. Set before the routes serve.
  std::shared_ptr<ServerlessMirror> mirror;

 private:
  std::function<Result<std::unique_ptr<ExtensionStore>>()> opener_;
  std::mutex open_mutex_;
  std::unique_ptr<ExtensionStore> store_;
  std::atomic<ExtensionStore*> store_ptr_{nullptr};
  std::atomic<std::shared_ptr<const LiveSet>> live_;
  std::mutex publish_mutex_;
  std::vector<std::shared_ptr<void>> companions_;  ///< last member: destroyed first (issue 10)
};

/// Formats a time point as ISO-8601 UTC with milliseconds ("2026-01-02T03:04:05.678Z").
std::string iso8601(std::chrono::system_clock::time_point at);

}  // namespace flexcore::server::agent_extensions
