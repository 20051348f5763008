#include "agent_extensions/live_reload.h"

#include <algorithm>

#include "agent_extensions/sync_store.h"
#include "log.h"

namespace flexcore::server::agent_extensions {

Result<bool> reload_published(ExtensionsService& service) {
  auto store = service.store();
  if (!store) return store.error();
  auto published = store.value()->published();
  if (!published) return published.error();
  std::lock_guard lock(service.publish_mutex());
  const auto live = service.live();
  if (live && live->build_sid == published.value().deployed_build_sid) return false;
  auto installed = service.install(published.value().rows, published.value().deployed_build_sid);
  if (!installed) return installed.error();
  return true;
}

PublishedPoller::PublishedPoller(ExtensionsService& service, std::chrono::milliseconds interval,
                                 spdlog::logger& logger)
    : service_(service), interval_(std::max(interval, std::chrono::milliseconds(10))), logger_(logger) {
  thread_ = std::thread([this] { run(); });
}

PublishedPoller::~PublishedPoller() { stop(); }

void PublishedPoller::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PublishedPoller::run() {
  bool failing = false;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
    }
    auto reloaded = reload_published(service_);
    ++checks_;
    if (!reloaded) {
      if (!failing) {  // one warning per failure streak, not one per second
        log_event(logger_, spdlog::level::warn, "agent extensions: live reload check failed (retried)",
                  {{"error", reloaded.error().message}});
      }
      failing = true;
      continue;
    }
    if (failing) log_event(logger_, spdlog::level::info, "agent extensions: live reload checks recovered");
    failing = false;
    if (reloaded.value()) {
      ++reloads_;
      const auto live = service_.live();
      log_event(logger_, spdlog::level::info, "agent extensions: published set reloaded",
                {{"buildSid", live ? live->build_sid : std::string()}});
    }
  }
}

}  // namespace flexcore::server::agent_extensions

namespace flexcore::server::agent_extensions {

namespace {
std::string setting(const App& app, std::string_view name) {
  const auto found = app.config().settings.find(name);
  return found == app.config().settings.end() ? std::string() : found->second.value;
}
}  // namespace

bool uses_sync_store(const App& app) { return setting(app, "FLEXCORE_EXTENSIONS_STORE") == "sync"; }

std::function<Result<std::unique_ptr<ExtensionStore>>()> sync_store_opener(App& app) {
  return [&app]() -> Result<std::unique_ptr<ExtensionStore>> {
    const Config& config = app.config();
    if (!config.has_account_credentials()) {
      return Error{ErrorCode::NotConfigured,
                   "not configured: set ACCOUNT_SID and AUTH_TOKEN (or API_KEY and API_SECRET) for "
                   "FLEXCORE_EXTENSIONS_STORE=sync (see server/README.md)"};
    }
    upstream::BasicAuth credentials = config.auth_token.empty()
                                          ? upstream::BasicAuth{config.api_key, config.api_secret}
                                          : upstream::BasicAuth{config.account_sid, config.auth_token};
    upstream::SyncClientOptions options;
    const std::string rate = setting(app, "FLEXCORE_SYNC_RATE_PER_OBJECT");  // validated 1–20 by Config
    if (!rate.empty()) options.rate_per_second = static_cast<double>(std::stoll(rate));
    auto client = std::make_unique<upstream::SyncClient>(app.upstream(), config.urls.sync, std::move(credentials),
                                                         app.clock(), app.sleeper(), options);
    SyncStoreNames names;
    names.service = setting(app, "FLEXCORE_SYNC_SERVICE");
    names.draft_map = setting(app, "FLEXCORE_EXTENSIONS_SYNC_MAP");
    names.builds_map = setting(app, "FLEXCORE_EXTENSIONS_SYNC_BUILDS_MAP");
    names.document = setting(app, "FLEXCORE_EXTENSIONS_SYNC_DOCUMENT");
    names.audit_list = setting(app, "FLEXCORE_EXTENSIONS_SYNC_AUDIT_LIST");
    // The logger lives in the App, which outlives the store: a non-owning shared_ptr.
    std::shared_ptr<spdlog::logger> logger(std::shared_ptr<void>(), &app.logger());
    auto opened = SyncExtensionStore::open(std::move(client), std::move(names), std::move(logger));
    if (!opened) return opened.error();
    return std::unique_ptr<ExtensionStore>(std::move(opened).value());
  };
}

void start_live_reload(App& app, ExtensionsService& service) {
  if (!uses_sync_store(app)) return;
  long long interval = 1000;
  const std::string text = setting(app, "FLEXCORE_EXTENSIONS_POLL_MS");
  if (!text.empty()) interval = std::stoll(text);
  service.attach(std::make_shared<PublishedPoller>(service, std::chrono::milliseconds(interval), app.logger()));
}

}  // namespace flexcore::server::agent_extensions
