#pragma once
/// @file insights_client.h
/// Flex Insights (GoodData) client of the segment lookup (seed-behaviour.md 1.3-1.4, upstream-contracts.md
/// 4.1-4.3): the SST/TT session cache, the display-form URI cache and the report run with a polling budget.
/// The request bodies and reply readers are the core's (flexcore/segment_lookup.h); this file only does I/O.
///
/// Session (per base URL + username):
/// - SST cached 14 days, TT cached 10 minutes, both renewed 60 s before expiry (Clock::now()).
/// - One refresh at a time per user: concurrent callers wait on the same refresh and reuse its TT
///   (single-flight), so a cold burst costs one login and one TT fetch.
/// - A 401 from identifiers / validElements / execute / export drops the TT and retries once; if the
///   TT fetch itself answers 401, the SST is dropped and the user logs in again.
/// Display-form URI of `label.conversations.external_id` cached per base URL + workspace.
/// Report polling: 202/201 → wait and poll again, 204 → no segments, 200 → CSV; waits grow
/// (100, 200, 400, 800, 1000, 1000… ms) and the total is bounded by the budget (default 8000 ms), after
/// which DeadlineExceeded (504). The budget counts max(steady time elapsed, sum of waits), so an injected
/// Sleeper that does not sleep still ends the loop.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "flexcore/result.h"
#include "runtime.h"
#include "upstream/http_client.h"

namespace flexcore::server::insights {

/// What one lookup needs (from Config: ANALYTICS_WORKSPACE, INSIGHTS_USERNAME, INSIGHTS_PASSWORD,
/// INSIGHTS_REPORT, FLEXCORE_INSIGHTS_URL, INSIGHTS_POLL_BUDGET_MS).
struct InsightsSettings {
  std::string base_url;   ///< e.g. "https://analytics.ytica.com" (no trailing slash)
  std::string workspace;  ///< GoodData workspace (project) id
  std::string username;   ///< Insights login (e-mail)
  std::string password;   ///< secret; never logged
  std::string report;     ///< report object id (the report URI is /gdc/md/{workspace}/obj/{report})
  std::chrono::milliseconds poll_budget{8000};  ///< total time allowed for raw-export polling (ms)
};

/// Token lifetimes of the seed (seed-behaviour 1.4).
inline constexpr std::chrono::milliseconds kSstLifetime = std::chrono::hours(24 * 14);
inline constexpr std::chrono::milliseconds kTtLifetime = std::chrono::minutes(10);
inline constexpr std::chrono::milliseconds kRenewMargin = std::chrono::seconds(60);

/// The waits between export polls: 100, 200, 400, 800 then 1000 ms (index 0 = after the first poll).
std::chrono::milliseconds poll_wait(int attempt) noexcept;

/// Thread-safe Flex Insights client. `http`, `clock` and `sleeper` must outlive it.
class InsightsClient {
 public:
  InsightsClient(upstream::HttpClient& http, const Clock& clock, Sleeper& sleeper);
  ~InsightsClient();
  InsightsClient(const InsightsClient&) = delete;
  InsightsClient& operator=(const InsightsClient&) = delete;

  /// Segment IDs of Task SID `task_sid` (already checked by segment_lookup::check_task_sid):
  /// identifiers (cached) → validElements → execute/raw → poll → parse_segment_csv.
  /// Errors: NotFound (the seed's "not indexed yet" message) when validElements finds nothing;
  /// UpstreamError naming the step and the upstream HTTP status (or transport failure) otherwise;
  /// DeadlineExceeded when the export is not ready within settings.poll_budget; InvalidArgument
  /// from the CSV parser is reported as UpstreamError (the upstream sent a malformed CSV).
  Result<std::vector<std::string>> segment_ids(const InsightsSettings& settings, std::string_view task_sid);

  /// A valid TT for the settings' user (cached, refreshed, single-flight). Exposed for tests.
  Result<std::string> temporary_token(const InsightsSettings& settings);

 private:
  struct Session;
  Session& session_for(const InsightsSettings& settings);
  Result<std::string> refresh_locked(Session& session, const InsightsSettings& settings);
  void drop_tt(Session& session, const std::string& tt);
  /// Sends `request` with the TT cookie; on 401 drops the TT and retries once with a fresh one.
  Result<upstream::Response> authorized(const InsightsSettings& settings, upstream::Request request);

  upstream::HttpClient& http_;
  const Clock& clock_;
  Sleeper& sleeper_;
  std::mutex mutex_;  ///< guards the two maps (not the sessions' contents)
  std::map<std::string, std::unique_ptr<Session>> sessions_;   ///< by base URL + "\n" + username
  std::map<std::string, std::string> display_forms_;           ///< by base URL + "\n" + workspace
};

}  // namespace flexcore::server::insights
