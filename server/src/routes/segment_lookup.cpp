// GET|POST /get-segment-id (seed-behaviour.md 1.2): Task SID → Flex Insights segment IDs.
#include <memory>

#include "app.h"
#include "flexcore/segment_lookup.h"
#include "insights/insights_client.h"

namespace flexcore::server {

void register_segment_lookup_routes(Router& router, App& app) {
  // One client (its SST/TT and display-form caches) for the server's lifetime; the upstream client
  // retries 429/503 and network failures (seed-behaviour 6), the Insights client handles 401s.
  auto client = std::make_shared<insights::InsightsClient>(app.upstream(), app.clock(), app.sleeper());
  router.add({"GET", "POST"}, "/get-segment-id", AuthMode::FlexToken, [client, &app](RequestContext& ctx) -> Result<Reply> {
    // Order of checks as in the seed: token (pipeline, 403), TaskSid (400), settings (503).
    auto task_sid = segment_lookup::check_task_sid(ctx.param("TaskSid").value_or(""));
    if (!task_sid) return task_sid.error();
    const Config& config = app.config();
    if (Status configured = config.require({"ANALYTICS_WORKSPACE", "INSIGHTS_USERNAME", "INSIGHTS_PASSWORD", "INSIGHTS_REPORT"});
        !configured) {
      return configured.error();
    }
    insights::InsightsSettings settings;
    settings.base_url = config.urls.insights;
    settings.workspace = config.analytics_workspace;
    settings.username = config.insights_username;
    settings.password = config.insights_password;
    settings.report = config.insights_report;
    settings.poll_budget = config.insights_poll_budget;
    auto ids = client->segment_ids(settings, task_sid.value());
    if (!ids) return ids.error();
    Reply reply = Reply::json({{"segment_ids", ids.value()}});
    reply.headers.emplace_back("Cache-Control", "no-store");
    return reply;
  });
}

}  // namespace flexcore::server
