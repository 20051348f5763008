#pragma once
// The agent extensions store under test (issue 10: "same tests, two stores"): SQLite on a file, or the
// Twilio Sync store on a real emulator process, chosen by FLEXCORE_TEST_EXTENSIONS_STORE (unset/"sqlite" or
// "sync"). SyncStoreEnv also serves the Sync-only tests: one emulator, any number of store instances (each
// with its own Sync client, as separate flexcore-server instances have), recorded sleeps, captured logs.

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "agent_extensions/sqlite_store.h"
#include "agent_extensions/sync_store.h"
#include "fakes.h"
#include "flexcore/emulator/emulator_process.h"
#include "log.h"
#include "runtime.h"
#include "test_server.h"
#include "upstream/http_client.h"
#include "upstream/retrying_client.h"
#include "upstream/sync_client.h"

namespace flexcore::server::testing {

/// True when FLEXCORE_TEST_EXTENSIONS_STORE=sync (the second ctest run of the extensions suites).
inline bool sync_store_selected() {
  const char* value = std::getenv("FLEXCORE_TEST_EXTENSIONS_STORE");
  return value != nullptr && std::string(value) == "sync";
}

/// One emulator process and the upstream stack a flexcore-server instance would use (libcurl transport,
/// RetryingClient with recorded sleeps and the lowest backoff), plus a captured log.
class SyncStoreEnv {
 public:
  SyncStoreEnv()
      : transport_(std::make_unique<upstream::CurlHttpClient>()),
        retrying_(std::make_unique<upstream::RetryingClient>(*transport_, upstream::RetryPolicy{}, clock_, sleeper_,
                                                             random_)),
        logger_(make_logger(log_.sink(), "info")) {}

  flexcore::emulator::EmulatorProcess& emulator() { return emulator_; }
  std::string sync_url() const { return emulator_.family_url("sync"); }
  /// The retry backoffs requested (429/503), in order.
  RecordingSleeper& sleeper() { return sleeper_; }
  /// The rate limiter's waits requested.
  RecordingSleeper& limiter_sleeper() { return limiter_sleeper_; }
  CapturedLog& log() { return log_; }
  upstream::HttpClient& upstream() { return *retrying_; }

  /// A Sync client of its own (limiter with the system clock and the recording sleeper: no real waits).
  std::unique_ptr<upstream::SyncClient> client(upstream::SyncClientOptions options = {}) {
    return std::make_unique<upstream::SyncClient>(*retrying_, sync_url(),
                                                  upstream::BasicAuth{emulator_.account_sid(), emulator_.auth_token()},
                                                  clock_, limiter_sleeper_, options);
  }

  /// A new store instance on the shared Sync objects (as another flexcore-server instance would open it).
  Result<std::unique_ptr<agent_extensions::SyncExtensionStore>> try_open(agent_extensions::SyncStoreNames names = {},
                                                                         upstream::SyncClientOptions options = {}) {
    return agent_extensions::SyncExtensionStore::open(client(options), std::move(names), logger_);
  }
  std::unique_ptr<agent_extensions::SyncExtensionStore> open(agent_extensions::SyncStoreNames names = {},
                                                             upstream::SyncClientOptions options = {}) {
    auto opened = try_open(std::move(names), options);
    if (!opened) throw std::runtime_error("Sync store: " + opened.error().message);
    return std::move(opened).value();
  }

 private:
  flexcore::emulator::EmulatorProcess emulator_;
  SystemClock clock_;
  RecordingSleeper sleeper_;          // the retry policy's backoffs
  RecordingSleeper limiter_sleeper_;  // the Sync rate limiter's waits (not slept: tests never wait)
  ScriptedRandom random_;
  std::unique_ptr<upstream::CurlHttpClient> transport_;
  std::unique_ptr<upstream::RetryingClient> retrying_;
  CapturedLog log_;
  std::shared_ptr<spdlog::logger> logger_;
};

/// The store of the generic tests: `->` reaches the ExtensionStore interface.
class StoreHarness {
 public:
  static std::unique_ptr<StoreHarness> open(const std::filesystem::path& sqlite_path) {
    auto harness = std::make_unique<StoreHarness>();
    if (sync_store_selected()) {
      harness->env_ = std::make_unique<SyncStoreEnv>();
      harness->store_ = harness->env_->open();
    } else {
      auto opened = agent_extensions::SqliteExtensionStore::open(sqlite_path);
      if (!opened) throw std::runtime_error("SQLite store: " + opened.error().message);
      harness->store_ = std::move(opened).value();
    }
    return harness;
  }
  agent_extensions::ExtensionStore* operator->() { return store_.get(); }
  agent_extensions::ExtensionStore& store() { return *store_; }
  /// The Sync environment, or nullptr for SQLite.
  SyncStoreEnv* sync() { return env_.get(); }

 private:
  std::unique_ptr<SyncStoreEnv> env_;  // declared first: destroyed after the store
  std::unique_ptr<agent_extensions::ExtensionStore> store_;
};

}  // namespace flexcore::server::testing
