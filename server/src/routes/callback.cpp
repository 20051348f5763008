// Callback and voicemail routes (seed-behaviour 4.2/4.4; issue 7):
//   POST      /callback/flex/create-callback    Flex token (the plugin's Retry Later)
//   POST|GET  /callback/studio/create-callback  X-Twilio-Signature (Studio Run Function, or a Record
//                                               Voicemail widget's Transcription Callback URL)
// The request is shaped by the core (flexcore/callback.h); this file only reads the request, calls
// TaskRouter through the retrying upstream client and answers in the seed's body format.

#include <chrono>
#include <string>

#include "app.h"
#include "flexcore/callback.h"
#include "http/http_error.h"
#include "log.h"
#include "upstream/taskrouter_client.h"

namespace flexcore::server {
namespace {

// Twilio Functions merge the query string, the form body and a JSON body into one `event`; the first
// occurrence of a name wins, in that order (RequestContext::param does the same).
callback::Params event_params(const RequestContext& ctx) {
  callback::Params params;
  for (const auto& [name, value] : ctx.query) params.emplace_back(name, value);
  for (const auto& [name, value] : ctx.form) params.emplace_back(name, value);
  if (ctx.body_kind == BodyKind::Json && ctx.json.is_object()) {
    for (const auto& [name, value] : ctx.json.items()) {
      if (value.is_string()) params.emplace_back(name, value.get<std::string>());
      else if (value.is_number() || value.is_boolean()) params.emplace_back(name, value.dump());
    }
  }
  return params;
}

// {"success":false,"message":…,"code":…} with the status of the error table.
Reply failure(const Error& error) {
  return Reply::json({{"success", false}, {"message", error.message}, {"code", std::string(to_string(error.code))}},
                     http_status(error.code));
}

Result<Reply> create_callback(RequestContext& ctx, App& app, const std::string& path) {
  const Config& config = app.config();
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(app.clock().now().time_since_epoch()).count();
  callback::ShapeOptions options{callback::format_iso8601_ms(now_ms), "UTC", config.flex_callback_workflow_sid};
  auto shaped = callback::shape_callback_task(event_params(ctx), options);
  if (!shaped) {
    if (shaped.error().code != ErrorCode::InvalidArgument) return failure(shaped.error());
    // The seed's validation body, plus the error code.
    return Reply::json({{"data", nullptr},
                        {"message", "(" + path + ") " + shaped.error().message},
                        {"code", std::string(to_string(ErrorCode::InvalidArgument))}},
                       400);
  }
  if (auto configured = config.require({"TWILIO_FLEX_WORKSPACE_SID"}); !configured) return failure(configured.error());
  if (!config.has_account_credentials()) {
    return failure(Error{ErrorCode::NotConfigured,
                         "not configured: set ACCOUNT_SID and AUTH_TOKEN (or API_KEY and API_SECRET) (see server/README.md)"});
  }
  const upstream::BasicAuth credentials = config.auth_token.empty()
                                              ? upstream::BasicAuth{config.api_key, config.api_secret}
                                              : upstream::BasicAuth{config.account_sid, config.auth_token};
  upstream::TaskRouterClient taskrouter(app.upstream(), config.urls.taskrouter, credentials);
  const callback::CallbackTask& task = shaped.value();
  upstream::NewTask request;
  request.attributes_json = task.attributes_json;
  request.workflow_sid = task.workflow_sid;
  request.task_channel = task.task_channel;
  request.priority = task.priority;
  request.timeout_seconds = task.timeout;
  request.virtual_start_time = task.virtual_start_time;
  auto created = taskrouter.create_task(config.flex_workspace_sid, request);
  if (!created) {
    log_event(app.logger(), spdlog::level::warn, "create-callback: TaskRouter create task failed",
              {{"requestId", ctx.request_id}, {"route", path}, {"code", std::string(to_string(created.error().code))},
               {"error", created.error().message}});
    return failure(created.error());
  }
  return Reply::json({{"success", true}, {"taskSid", created.value().sid}});
}

}  // namespace

void register_callback_routes(Router& router, App& app) {
  static const std::string kFlexPath = "/callback/flex/create-callback";
  static const std::string kStudioPath = "/callback/studio/create-callback";
  router.add({"POST"}, kFlexPath, AuthMode::FlexToken,
             [&app](RequestContext& ctx) { return create_callback(ctx, app, kFlexPath); });
  router.add({"GET", "POST"}, kStudioPath, AuthMode::TwilioSignature,
             [&app](RequestContext& ctx) { return create_callback(ctx, app, kStudioPath); });
}

}  // namespace flexcore::server
