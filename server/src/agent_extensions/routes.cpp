// Agent extensions routes (issue 6; seed-behaviour 3.3): /admin/list, /admin/extensions, /admin/update,
// /admin/update-status, /admin/publish, /admin/audit (Flex token) and the Studio lookup /agent-extensions
// (+ /agentExtensions, Twilio signature). Pure rules come from flexcore/agent_extensions.h; this file does I/O.

#include <chrono>
#include <ctime>

#include "agent_extensions/live_reload.h"
#include "agent_extensions/serverless_mirror.h"
#include "agent_extensions/service.h"
#include "agent_extensions/sqlite_store.h"
#include "app.h"
#include "flexcore/sid.h"
#include "http/http_error.h"
#include "log.h"

namespace flexcore::server {
namespace {

namespace ax = flexcore::agent_extensions;
using agent_extensions::Actor;
using agent_extensions::DraftAction;
using agent_extensions::ExtensionsService;
using agent_extensions::ExtensionStore;

const std::vector<std::string> kWriterRoles = {"admin", "supervisor"};
constexpr std::string_view kSeedCompatSetting = "FLEXCORE_AGENT_EXTENSIONS_SEED_COMPAT";

Actor actor_of(const RequestContext& ctx, const App& app) {
  return Actor{ctx.token ? ctx.token->identity : std::string(), agent_extensions::iso8601(app.clock().now())};
}

// A required text parameter (query, form or top-level JSON string). JSON non-strings are refused.
Result<std::string> required_text(const RequestContext& ctx, std::string_view name, std::string_view purpose) {
  if (ctx.body_kind == BodyKind::Json && ctx.json.is_object()) {
    auto it = ctx.json.find(std::string(name));
    if (it != ctx.json.end() && !it->is_null() && !it->is_string()) {
      return Error{ErrorCode::InvalidArgument,
                   std::string(name) + ": expected a string, got " + std::string(it->type_name())};
    }
  }
  auto value = ctx.param(name);
  if (!value || value->empty()) {
    return Error{ErrorCode::InvalidArgument, std::string(name) + " is required: " + std::string(purpose)};
  }
  return *value;
}

// `{"error","code","problems":[…]}` with 409 when a problem is a duplicate extension, else 400.
Reply validation_reply(const ax::Validation& validation, const RequestContext& ctx) {
  const auto json = nlohmann::json::parse(ax::to_json(validation));
  ErrorCode code = ErrorCode::InvalidArgument;
  std::string message;
  for (const auto& problem : validation.problems) {
    if (problem.code == ErrorCode::AlreadyExists) code = ErrorCode::AlreadyExists;
    if (message.empty()) message = problem.field + ": " + problem.message;
  }
  if (code == ErrorCode::AlreadyExists) {
    for (const auto& problem : validation.problems) {
      if (problem.code == ErrorCode::AlreadyExists) message = problem.field + ": " + problem.message;
    }
  }
  return error_reply(Error{code, message}, ctx.request_id, {{"problems", json["problems"]}});
}

std::string json_string(std::string_view text) { return nlohmann::json(std::string(text)).dump(); }

// A 200 JSON reply whose body was already serialised (row sets come from the core's to_json adapters).
Reply raw_json(std::string body) {
  Reply reply;
  reply.body = std::move(body);
  return reply;
}

// The query parameters of /admin/list as parse_query reads them.
Result<ax::Query> list_query(const RequestContext& ctx) {
  nlohmann::json options = nlohmann::json::object();
  for (const char* name : {"filter", "sortBy", "sortDir", "numeric", "page", "pageSize"}) {
    if (auto value = ctx.param(name)) options[name] = *value;
  }
  return ax::parse_query(options.dump());
}

Result<std::uint32_t> positive_param(const RequestContext& ctx, std::string_view name, std::uint32_t fallback) {
  auto value = ctx.param(name);
  if (!value) return fallback;
  std::uint64_t number = 0;
  if (value->empty() || value->size() > 9) {
    return Error{ErrorCode::InvalidArgument, std::string(name) + " must be a positive integer"};
  }
  for (char c : *value) {
    if (c < '0' || c > '9') return Error{ErrorCode::InvalidArgument, std::string(name) + " must be a positive integer"};
    number = number * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return static_cast<std::uint32_t>(number);
}

Result<Reply> list_route(RequestContext& ctx, ExtensionsService& service) {
  auto query = list_query(ctx);
  if (!query) return query.error();
  auto store = service.store();
  if (!store) return store.error();
  auto published = store.value()->published();
  if (!published) return published.error();
  if (service.mirror) {  // issue 10: version / versionIsDeployed from Serverless, as the seed
    if (auto mirrored = agent_extensions::apply_mirror_state(*service.mirror, published.value()); !mirrored) {
      return mirrored.error();
    }
  }
  auto draft = store.value()->draft();
  if (!draft) return draft.error();
  const ax::ExtensionTable table(std::move(draft).value());
  auto page = table.query(query.value());
  if (!page) return page.error();
  const auto& state = published.value();
  std::string body = R"({"data":)" + ax::to_json(state.rows, ax::RowShape::Published) +
                     R"(,"version":)" + json_string(state.version) +
                     R"(,"versionIsDeployed":)" + (state.version_is_deployed ? "true" : "false") +
                     R"(,"deployedVersion":)" + json_string(state.deployed_version) +
                     R"(,"draft":)" + ax::to_json(table.rows(), ax::RowShape::Draft) +
                     R"(,"page":)" + ax::to_json(page.value()) + "}";
  Reply reply = raw_json(std::move(body));
  reply.headers.emplace_back("Cache-Control", "no-store");
  return reply;
}

// The row of /admin/extensions: `entry` object, or top-level members (JSON), or form/query parameters.
Result<ax::Extension> entry_of(const RequestContext& ctx) {
  if (ctx.body_kind == BodyKind::Json) {
    if (ctx.json.contains("entry")) return ax::parse_extension(ctx.json["entry"].dump(), "entry");
    return ax::parse_extension(ctx.body, "body");
  }
  ax::Extension entry;
  entry.worker_sid = ctx.param("workerSid").value_or("");
  entry.worker_full_name = ctx.param("workerFullName").value_or("");
  entry.extension_number = ctx.param("extensionNumber").value_or("");
  return entry;
}

Result<Reply> extensions_route(RequestContext& ctx, ExtensionsService& service, App& app) {
  auto action_name = required_text(ctx, "action", "create, update or delete");
  if (!action_name) return action_name.error();
  DraftAction action;
  if (action_name.value() == "create") {
    action = DraftAction::Create;
  } else if (action_name.value() == "update") {
    action = DraftAction::Update;
  } else if (action_name.value() == "delete") {
    action = DraftAction::Delete;
  } else {
    return Error{ErrorCode::InvalidArgument, "action must be \"create\", \"update\" or \"delete\""};
  }
  auto entry = entry_of(ctx);
  if (!entry) return entry.error();
  if (action == DraftAction::Delete) {
    auto sid = check_sid(entry.value().worker_sid, "WK", "workerSid");
    if (!sid) return sid.error();
  }
  auto store = service.store();
  if (!store) return store.error();
  auto outcome = store.value()->change_draft(action, entry.value(), actor_of(ctx, app), {});
  if (!outcome) return outcome.error();
  if (action != DraftAction::Delete && !outcome.value().validation.ok()) {
    return validation_reply(outcome.value().validation, ctx);
  }
  std::string body = R"({"success":true,"action":)" + json_string(action_name.value()) +
                     R"(,"entry":)" + ax::to_json(outcome.value().row, ax::RowShape::Draft) + "}";
  return raw_json(std::move(body));
}

Result<Reply> update_route(RequestContext& ctx, ExtensionsService& service, App& app) {
  auto version = required_text(ctx, "version", "the asset version SID being updated (from /admin/list)");
  if (!version) return version.error();
  std::string data_text;
  if (ctx.body_kind == BodyKind::Json) {
    auto it = ctx.json.find("data");
    if (it == ctx.json.end() || it->is_null()) {
      return Error{ErrorCode::InvalidArgument, "data is required: the rows to save (a JSON array)"};
    }
    if (!it->is_array()) {
      return Error{ErrorCode::InvalidArgument, "data: expected a JSON array, got " + std::string(it->type_name())};
    }
    data_text = it->dump();
  } else {
    auto data = ctx.param("data");
    if (!data) return Error{ErrorCode::InvalidArgument, "data is required: the rows to save (a JSON array)"};
    data_text = *data;
  }
  auto rows = ax::parse_extensions(data_text, "data");
  if (!rows) return rows.error();
  auto store = service.store();
  if (!store) return store.error();
  if (service.mirror) {  // issue 10: the client may send the Serverless asset version /admin/list reported
    auto expected = agent_extensions::mirror_expected_version(*store.value(), *service.mirror, version.value());
    if (!expected) return expected.error();
    version.value() = expected.value();
  }
  auto build = store.value()->prepare_publish(rows.value(), version.value(), actor_of(ctx, app), {});
  if (!build) return build.error();
  return Reply::json({{"success", true}, {"status", 200}, {"buildSid", build.value().build_sid},
                      {"version", build.value().version}});
}

Result<std::string> build_sid_of(const RequestContext& ctx, std::string_view purpose) {
  auto build_sid = required_text(ctx, "buildSid", purpose);
  if (!build_sid) return build_sid.error();
  return check_sid(build_sid.value(), "ZB", "buildSid");
}

Result<Reply> update_status_route(RequestContext& ctx, ExtensionsService& service) {
  auto build_sid = build_sid_of(ctx, "build SID to check the status of");
  if (!build_sid) return build_sid.error();
  auto store = service.store();
  if (!store) return store.error();
  auto build = store.value()->build(build_sid.value());
  if (!build) return build.error();
  return Reply::json({{"success", true}, {"status", 200}, {"buildStatus", build.value().status}});
}

Result<Reply> publish_route(RequestContext& ctx, ExtensionsService& service, App& app) {
  auto build_sid = build_sid_of(ctx, "build SID to deploy");
  if (!build_sid) return build_sid.error();
  auto store = service.store();
  if (!store) return store.error();
  std::lock_guard lock(service.publish_mutex());
  if (service.mirror) {  // issue 10: mirror to Serverless first; a failure leaves the live set as it was
    auto mirrored = agent_extensions::mirror_build(*store.value(), *service.mirror, build_sid.value());
    if (!mirrored) {
      log_event(app.logger(), spdlog::level::err, "agent extensions: Serverless mirror failed, nothing published",
                {{"error", mirrored.error().message}, {"buildSid", build_sid.value()}});
      return mirrored.error();
    }
    if (mirrored.value()) {
      log_event(app.logger(), spdlog::level::info, "agent extensions mirrored to Serverless",
                {{"assetVersion", mirrored.value()->asset_version}, {"serverlessBuildSid", mirrored.value()->build_sid},
                 {"deploymentSid", mirrored.value()->deployment_sid}, {"statusPolls", mirrored.value()->status_polls}});
    }
  }
  auto outcome = store.value()->publish(build_sid.value(), actor_of(ctx, app));
  if (!outcome) return outcome.error();
  const auto& state = outcome.value().state;
  auto installed = service.install(state.rows, state.deployed_build_sid);
  if (!installed) {
    log_event(app.logger(), spdlog::level::err, "agent extensions: published set not installed",
              {{"error", installed.error().message}, {"buildSid", state.deployed_build_sid}});
    return installed.error();
  }
  log_event(app.logger(), spdlog::level::info, "agent extensions published",
            {{"buildSid", state.deployed_build_sid}, {"rows", state.rows.size()}, {"by", ctx.token->identity}});
  return Reply::json({{"success", true}, {"status", 200}, {"deploymentSid", outcome.value().deployment_sid},
                      {"version", state.deployed_version}});
}

Result<Reply> audit_route(RequestContext& ctx, ExtensionsService& service) {
  auto page = positive_param(ctx, "page", 1);
  if (!page) return page.error();
  auto page_size = positive_param(ctx, "pageSize", 50);
  if (!page_size) return page_size.error();
  auto store = service.store();
  if (!store) return store.error();
  auto audit = store.value()->audit(page.value(), page_size.value());
  if (!audit) return audit.error();
  nlohmann::json items = nlohmann::json::array();
  for (const auto& entry : audit.value().items) {
    items.push_back({{"id", entry.id},
                     {"at", entry.at},
                     {"actor", entry.actor},
                     {"action", entry.action},
                     {"workerSid", entry.worker_sid},
                     {"before", entry.before.empty() ? nlohmann::json() : nlohmann::json::parse(entry.before)},
                     {"after", entry.after.empty() ? nlohmann::json() : nlohmann::json::parse(entry.after)}});
  }
  const auto& a = audit.value();
  const std::size_t page_count = (a.total + a.page_size - 1) / a.page_size;
  Reply reply = Reply::json({{"items", std::move(items)},
                             {"total", a.total},
                             {"page", a.page},
                             {"pageSize", a.page_size},
                             {"pageCount", page_count}});
  reply.headers.emplace_back("Cache-Control", "no-store");
  return reply;
}

Result<Reply> lookup_route(RequestContext& ctx, ExtensionsService& service, bool seed_compat) {
  auto extension = ctx.param("agentExt");
  if (!extension || trim(*extension).empty()) {
    return Error{ErrorCode::InvalidArgument, "agentExt is required: the extension digits the caller entered"};
  }
  auto live = service.live();
  if (!live) {
    auto store = service.store();  // opens the store (and installs the live set) when it can
    if (!store) return store.error();
    live = service.live();
    if (!live) return Error{ErrorCode::Unavailable, "agent extensions are not loaded yet"};
  }
  if (const auto* entry = live->table.find(*extension)) {
    std::string body = R"({"workerSID":)" + json_string(entry->worker_sid) + R"(,"workerSid":)" + json_string(entry->worker_sid) + "}";
    return raw_json(std::move(body));
  }
  if (seed_compat) return Reply::empty(200);  // seed-behaviour 3.3: an empty 200
  std::string shown(trim(*extension).substr(0, 64));
  return Error{ErrorCode::NotFound, "No agent has extension " + shown};
}

}  // namespace

namespace agent_extensions {

std::string iso8601(std::chrono::system_clock::time_point at) {
  const auto seconds = std::chrono::system_clock::to_time_t(at);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count() % 1000;
  if (millis < 0) millis += 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
  return buffer;
}

ExtensionsService::ExtensionsService(std::function<Result<std::unique_ptr<ExtensionStore>>()> opener)
    : opener_(std::move(opener)) {}

Result<ExtensionStore*> ExtensionsService::store() {
  if (auto* open = store_ptr_.load(std::memory_order_acquire)) return open;
  std::lock_guard lock(open_mutex_);
  if (store_) return store_.get();
  auto opened = opener_();
  if (!opened) return opened.error();
  auto published = opened.value()->published();
  if (!published) return published.error();
  auto installed = install(published.value().rows, published.value().deployed_build_sid);
  if (!installed) return installed.error();
  store_ = std::move(opened).value();
  store_ptr_.store(store_.get(), std::memory_order_release);
  return store_.get();
}

Status ExtensionsService::install(const std::vector<Extension>& deployed_rows, const std::string& build_sid) {
  auto table = ax::build_lookup_table(deployed_rows);
  if (!table) return table.error();
  auto live = std::make_shared<LiveSet>();
  live->table = std::move(table).value();
  live->build_sid = build_sid;
  live_.store(std::move(live), std::memory_order_release);
  return ok_status();
}

}  // namespace agent_extensions

void register_agent_extensions_routes(Router& router, App& app) {
  const auto path = agent_extensions::store_path(app.config().data_dir);
  auto service = std::make_shared<ExtensionsService>([path]() -> Result<std::unique_ptr<ExtensionStore>> {
    auto opened = agent_extensions::SqliteExtensionStore::open(path);
    if (!opened) return opened.error();
    return std::unique_ptr<ExtensionStore>(std::move(opened).value());
  });
  if (agent_extensions::uses_sync_store(app)) {  // issue 10: FLEXCORE_EXTENSIONS_STORE=sync
    service = std::make_shared<ExtensionsService>(agent_extensions::sync_store_opener(app));
  }
  if (auto opened = service->store(); !opened) {
    log_event(app.logger(), spdlog::level::warn, "agent extensions store not open (retried on each request)",
              {{"error", opened.error().message}});
  }
  agent_extensions::start_live_reload(app, *service);  // issue 10: Sync store only
  service->mirror = agent_extensions::make_serverless_mirror(app);  // issue 10; nullptr unless FLEXCORE_PUBLISH_ASSET=1
  const auto compat = app.config().settings.find(kSeedCompatSetting);
  const bool seed_compat = compat != app.config().settings.end() && compat->second.value == "1";

  router.add({"GET", "POST"}, "/admin/list", AuthMode::FlexToken,
             [service](RequestContext& ctx) { return list_route(ctx, *service); });
  router.add({"POST"}, "/admin/extensions", AuthMode::FlexToken,
             [service, &app](RequestContext& ctx) { return extensions_route(ctx, *service, app); }, kWriterRoles);
  router.add({"POST"}, "/admin/update", AuthMode::FlexToken,
             [service, &app](RequestContext& ctx) { return update_route(ctx, *service, app); }, kWriterRoles);
  router.add({"GET", "POST"}, "/admin/update-status", AuthMode::FlexToken,
             [service](RequestContext& ctx) { return update_status_route(ctx, *service); }, kWriterRoles);
  router.add({"POST"}, "/admin/publish", AuthMode::FlexToken,
             [service, &app](RequestContext& ctx) { return publish_route(ctx, *service, app); }, kWriterRoles);
  router.add({"GET", "POST"}, "/admin/audit", AuthMode::FlexToken,
             [service](RequestContext& ctx) { return audit_route(ctx, *service); }, kWriterRoles);
  for (const char* lookup_path : {"/agent-extensions", "/agentExtensions"}) {
    router.add({"GET", "POST"}, lookup_path, AuthMode::TwilioSignature,
               [service, seed_compat](RequestContext& ctx) { return lookup_route(ctx, *service, seed_compat); });
  }
}

}  // namespace flexcore::server
