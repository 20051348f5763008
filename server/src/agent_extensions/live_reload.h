#pragma once
/// @file live_reload.h
/// Live reload of the published agent extensions (issue 10): every flexcore-server instance serves the
/// Studio lookup from its in-memory LiveSet; a PublishedPoller re-reads the published side every
/// `interval` (FLEXCORE_EXTENSIONS_POLL_MS, default 1000 ms: one Sync Document read per second per
/// instance, well under Sync's 20 reads/s per object) and, when the deployed build differs from the live
/// one, installs it atomically (ExtensionsService::install, under the publish mutex), so a publish made on
/// another instance is served here within interval + one read. Errors are logged and retried next tick.
/// The destructor stops the thread and joins it (it wakes at once: no hang on shutdown).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include <spdlog/logger.h>

#include "agent_extensions/service.h"
#include "app.h"

namespace flexcore::server::agent_extensions {

/// One reload check: reads service.store()->published() and installs the deployed rows when their build
/// differs from the live set's. Returns whether a new set was installed. Errors: the store's and
/// install()'s (the old live set stays).
Result<bool> reload_published(ExtensionsService& service);

class PublishedPoller {
 public:
  /// Starts the thread; the first check runs after one `interval` (min 10 ms).
  /// `service` must outlive the poller (attach the poller to it: ExtensionsService::attach).
  PublishedPoller(ExtensionsService& service, std::chrono::milliseconds interval, spdlog::logger& logger);
  ~PublishedPoller();
  PublishedPoller(const PublishedPoller&) = delete;
  PublishedPoller& operator=(const PublishedPoller&) = delete;

  /// Stops and joins the thread (idempotent).
  void stop();
  /// Checks made so far, and how many installed a new set.
  std::uint64_t checks() const noexcept { return checks_.load(); }
  std::uint64_t reloads() const noexcept { return reloads_.load(); }

 private:
  void run();

  ExtensionsService& service_;
  std::chrono::milliseconds interval_;
  spdlog::logger& logger_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> checks_{0};
  std::atomic<std::uint64_t> reloads_{0};
  std::thread thread_;
};

/// The store opener of FLEXCORE_EXTENSIONS_STORE=sync: a SyncExtensionStore on app.upstream() (retries) at
/// FLEXCORE_SYNC_URL with the account credentials and the FLEXCORE_SYNC_SERVICE / FLEXCORE_EXTENSIONS_SYNC_*
/// names. Errors: NotConfigured without ACCOUNT_SID + AUTH_TOKEN (or API_KEY + API_SECRET); the store's.
std::function<Result<std::unique_ptr<ExtensionStore>>()> sync_store_opener(App& app);

/// True when FLEXCORE_EXTENSIONS_STORE is "sync".
bool uses_sync_store(const App& app);

/// With the Sync store: attaches a PublishedPoller (FLEXCORE_EXTENSIONS_POLL_MS) to `service`. No-op otherwise.
void start_live_reload(App& app, ExtensionsService& service);

}  // namespace flexcore::server::agent_extensions
