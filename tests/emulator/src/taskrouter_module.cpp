#include "taskrouter_module.h"

#include "http_util.h"
#include "taskrouter_detail.h"
#include "twilio_error.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <set>

namespace flexcore::emulator {
namespace taskrouter_detail {

using Clock = std::chrono::system_clock;


const std::vector<std::string> kDefaultChannels = {"default", "voice", "chat", "sms", "video", "email"};

std::string channel_friendly_name(const std::string& unique_name) {
  if (unique_name == "sms") return "SMS";
  std::string name = unique_name;
  if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name;
}

// First value of `name` in the form body.
std::optional<std::string> form_value(const UpstreamRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.form) {
    if (key == name) return value;
  }
  return std::nullopt;
}

// First value of `name` in the query string.
std::optional<std::string> query_value(const UpstreamRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

// Strict decimal integer (optional leading '-'), nullopt otherwise or on overflow.
std::optional<long long> parse_integer(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::size_t i = text[0] == '-' ? 1 : 0;
  if (i == text.size()) return std::nullopt;
  long long value = 0;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return text[0] == '-' ? -value : value;
}

void invalid_parameter(httplib::Response& res, const std::string& name, const std::string& message) {
  send_twilio_error(res, 400, 20001, message, nlohmann::json{{"parameter", name}});
}

void not_found(httplib::Response& res, const std::string& path) {
  send_twilio_error(res, 404, 20404, not_found_message(path));
}

std::string quoted_etag(std::uint64_t version) {
  // Appends, not "…" + std::string: GCC 12 -O2 warns falsely (-Wrestrict) on the concatenation.
  std::string etag = "\"";
  etag += std::to_string(version);
  etag += '"';
  return etag;
}

// True when the request carries no If-Match, or one naming `version` (quoted, bare or weak).
bool if_match_ok(const httplib::Request& http, std::uint64_t version) {
  if (!http.has_header("If-Match")) return true;
  std::string value = http.get_header_value("If-Match");
  if (value == "*") return true;
  if (value.rfind("W/", 0) == 0) value = value.substr(2);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  return value == std::to_string(version);
}

// The v1 paging envelope (upstream-contracts 0.4) over `items`; next/previous URLs point back at the
// emulator (Host of the request) so clients can follow them.
void send_page(const UpstreamRequest& request, httplib::Response& res, const std::string& key,
               const std::vector<nlohmann::json>& items) {
  long long page_size = 50;
  long long page = 0;
  if (const auto value = query_value(request, "PageSize")) {
    const auto parsed = parse_integer(*value);
    if (!parsed || *parsed < 1 || *parsed > kMaxPageSize) {
      invalid_parameter(res, "PageSize", "Invalid parameter: PageSize must be an integer from 1 to 1000");
      return;
    }
    page_size = *parsed;
  }
  if (const auto value = query_value(request, "Page")) {
    const auto parsed = parse_integer(*value);
    if (!parsed || *parsed < 0) {
      invalid_parameter(res, "Page", "Invalid parameter: Page must be a non-negative integer");
      return;
    }
    page = *parsed;
  }
  Params kept;
  for (const auto& param : request.query) {
    if (param.first != "PageSize" && param.first != "Page" && param.first != "PageToken") kept.push_back(param);
  }
  const std::string host = request.http.get_header_value("Host");
  const std::string base = "http://" + host + std::string(kMountPrefix) + request.path.substr(0, request.path.find('?'));
  const auto url_for = [&](long long p) {
    Params params = kept;
    params.emplace_back("PageSize", std::to_string(page_size));
    params.emplace_back("Page", std::to_string(p));
    if (p > 0) params.emplace_back("PageToken", "PT" + std::to_string(p));
    return base + "?" + encode_form(params);
  };
  const auto total = static_cast<long long>(items.size());
  nlohmann::json list = nlohmann::json::array();
  const long long first = page * page_size;
  for (long long i = first; i < total && i < first + page_size; ++i) list.push_back(items[static_cast<std::size_t>(i)]);
  const bool has_next = first + page_size < total;
  nlohmann::json meta{{"page", page},
                      {"page_size", page_size},
                      {"first_page_url", url_for(0)},
                      {"previous_page_url", page > 0 ? nlohmann::json(url_for(page - 1)) : nlohmann::json(nullptr)},
                      {"url", url_for(page)},
                      {"next_page_url", has_next ? nlohmann::json(url_for(page + 1)) : nlohmann::json(nullptr)},
                      {"key", key}};
  send_json(res, 200, nlohmann::json{{key, list}, {"meta", meta}});
}

bool valid_friendly_name(const std::string& name) { return !name.empty() && name.size() <= kMaxFriendlyName; }

}  // namespace taskrouter_detail
using namespace taskrouter_detail;

std::optional<long long> parse_iso8601_ms(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)
  const auto digits = [&](std::size_t at, std::size_t count) -> std::optional<int> {
    if (at + count > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  const auto year = digits(0, 4), month = digits(5, 2), day = digits(8, 2), hour = digits(11, 2), minute = digits(14, 2),
             second = digits(17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (*month < 1 || *month > 12 || *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
  if (*day > kDays[*month - 1] || (*month == 2 && *day == 29 && !leap)) return std::nullopt;
  std::size_t at = 19;
  long long millis = 0;
  if (at < text.size() && text[at] == '.') {
    ++at;
    const std::size_t start = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      if (at - start < 3) millis = millis * 10 + (text[at] - '0');
      ++at;
    }
    if (at == start || at - start > 9) return std::nullopt;
    for (std::size_t n = at - start; n < 3; ++n) millis *= 10;
  }
  long long offset_seconds = 0;
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z') && at + 1 == text.size()) {
    // UTC
  } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') && text[at + 3] == ':') {
    const auto oh = digits(at + 1, 2), om = digits(at + 4, 2);
    if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
    offset_seconds = (*oh * 3600LL + *om * 60LL) * (text[at] == '+' ? 1 : -1);
  } else {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = *year - 1900;
  tm.tm_mon = *month - 1;
  tm.tm_mday = *day;
  tm.tm_hour = *hour;
  tm.tm_min = *minute;
  tm.tm_sec = *second;
  const std::time_t seconds = ::timegm(&tm);
  return (static_cast<long long>(seconds) - offset_seconds) * 1000 + millis;
}

std::optional<Clock::time_point> parse_iso8601(std::string_view text) {
  const auto ms = parse_iso8601_ms(text);
  // system_clock counts nanoseconds in 64 bits: years 1678–2262 only. Keep well inside.
  constexpr long long kMinMs = -8520336000000LL;  // 1700-01-01
  constexpr long long kMaxMs = 7258118400000LL;   // 2200-01-01
  if (!ms || *ms < kMinMs || *ms >= kMaxMs) return std::nullopt;
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(*ms)));
}

std::string iso8601_seconds(Clock::time_point when) {
  const std::time_t seconds = Clock::to_time_t(std::chrono::time_point_cast<std::chrono::seconds>(when));
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

TaskRouterModule::TaskRouterModule(ModuleContext context)
    : context_(context), events_(context.config.credentials.auth_token) {}

void TaskRouterModule::register_routes(Router& upstream, ControlApi& control) {
  upstream.add_family("taskrouter", {std::string(kMountPrefix)}, "taskrouter");
  const auto route = [&](const std::string& method, const std::string& path,
                         void (TaskRouterModule::*handler)(const UpstreamRequest&, httplib::Response&)) {
    upstream.add_route("taskrouter", method, path, [this, handler](const UpstreamRequest& request, httplib::Response& res) {
      if (!require_twilio_basic_auth(request.http, res, context_.config.credentials)) return;
      (this->*handler)(request, res);
    });
  };
  route("POST", "/v1/Workspaces", &TaskRouterModule::create_workspace);
  route("GET", "/v1/Workspaces", &TaskRouterModule::list_workspaces);
  route("GET", "/v1/Workspaces/{Sid}", &TaskRouterModule::fetch_workspace);
  route("POST", "/v1/Workspaces/{WorkspaceSid}/Workflows", &TaskRouterModule::create_workflow);
  route("GET", "/v1/Workspaces/{WorkspaceSid}/Workflows", &TaskRouterModule::list_workflows);
  route("GET", "/v1/Workspaces/{WorkspaceSid}/Workflows/{Sid}", &TaskRouterModule::fetch_workflow);
  route("POST", "/v1/Workspaces/{WorkspaceSid}/TaskChannels", &TaskRouterModule::create_task_channel);
  route("GET", "/v1/Workspaces/{WorkspaceSid}/TaskChannels", &TaskRouterModule::list_task_channels);
  route("GET", "/v1/Workspaces/{WorkspaceSid}/TaskChannels/{Sid}", &TaskRouterModule::fetch_task_channel);
  route("POST", "/v1/Workspaces/{WorkspaceSid}/Tasks", &TaskRouterModule::create_task);
  route("GET", "/v1/Workspaces/{WorkspaceSid}/Tasks", &TaskRouterModule::list_tasks);
  route("GET", "/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}", &TaskRouterModule::fetch_task);
  route("POST", "/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}", &TaskRouterModule::update_task);
  route("DELETE", "/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}", &TaskRouterModule::delete_task);

  control.add("POST", "/taskrouter/workspaces",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams&) { seed_workspace(req, res); });
  control.add("GET", "/taskrouter/workspaces",
              [this](const httplib::Request&, httplib::Response& res, const PathParams&) { dump(res); });
  control.add("POST", "/taskrouter/workspaces/{WorkspaceSid}/tasks/{TaskSid}",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams& params) {
                force_task_status(req, res, params);
              });
  register_worker_routes(upstream, control);
}

void TaskRouterModule::reset() {
  {
    std::lock_guard lock(mutex_);
    workspaces_.clear();
    next_order_ = 1;
  }
  events_.clear();
}

// ---------------------------------------------------------------------------------------------- JSON

nlohmann::json TaskRouterModule::workspace_json(const Workspace& ws) const {
  const std::string url = std::string(kPublicBase) + "/Workspaces/" + ws.sid;
  return nlohmann::json{{"account_sid", context_.config.credentials.account_sid},
                        {"date_created", iso8601_seconds(ws.created)},
                        {"date_updated", iso8601_seconds(ws.created)},
                        {"default_activity_name", "Offline"},
                        {"default_activity_sid", ws.activities.empty() ? nlohmann::json(nullptr) : nlohmann::json(ws.activities.front().sid)},
                        {"event_callback_url", ws.event_callback_url.empty() ? nlohmann::json(nullptr)
                                                                             : nlohmann::json(ws.event_callback_url)},
                        {"events_filter", nullptr},
                        {"friendly_name", ws.friendly_name},
                        {"multi_task_enabled", true},
                        {"sid", ws.sid},
                        {"timeout_activity_name", "Offline"},
                        {"timeout_activity_sid", nullptr},
                        {"prioritize_queue_order", "FIFO"},
                        {"url", url},
                        {"links",
                         {{"tasks", url + "/Tasks"},
                          {"workflows", url + "/Workflows"},
                          {"task_channels", url + "/TaskChannels"},
                          {"task_queues", url + "/TaskQueues"},
                          {"workers", url + "/Workers"},
                          {"activities", url + "/Activities"},
                          {"events", url + "/Events"}}}};
}

nlohmann::json TaskRouterModule::workflow_json(const Workspace& ws, const Workflow& wf) const {
  const std::string url = std::string(kPublicBase) + "/Workspaces/" + ws.sid + "/Workflows/" + wf.sid;
  return nlohmann::json{{"account_sid", context_.config.credentials.account_sid},
                        {"assignment_callback_url", nullptr},
                        {"configuration", wf.configuration},
                        {"date_created", iso8601_seconds(wf.created)},
                        {"date_updated", iso8601_seconds(wf.created)},
                        {"document_content_type", "application/json"},
                        {"fallback_assignment_callback_url", nullptr},
                        {"friendly_name", wf.friendly_name},
                        {"sid", wf.sid},
                        {"task_reservation_timeout", 120},
                        {"workspace_sid", ws.sid},
                        {"url", url},
                        {"links", {{"statistics", url + "/Statistics"}, {"workspace", std::string(kPublicBase) + "/Workspaces/" + ws.sid}}}};
}

nlohmann::json TaskRouterModule::channel_json(const Workspace& ws, const TaskChannel& channel) const {
  const std::string url = std::string(kPublicBase) + "/Workspaces/" + ws.sid + "/TaskChannels/" + channel.sid;
  return nlohmann::json{{"account_sid", context_.config.credentials.account_sid},
                        {"date_created", iso8601_seconds(channel.created)},
                        {"date_updated", iso8601_seconds(channel.created)},
                        {"friendly_name", channel.friendly_name},
                        {"sid", channel.sid},
                        {"unique_name", channel.unique_name},
                        {"workspace_sid", ws.sid},
                        {"channel_optimized_routing", nullptr},
                        {"url", url},
                        {"links", {{"workspace", std::string(kPublicBase) + "/Workspaces/" + ws.sid}}}};
}

nlohmann::json TaskRouterModule::task_json(const Workspace& ws, const Task& task, bool with_attributes) const {
  const std::string ws_url = std::string(kPublicBase) + "/Workspaces/" + ws.sid;
  const std::string url = ws_url + "/Tasks/" + task.sid;
  std::string workflow_name;
  for (const auto& wf : ws.workflows) {
    if (wf.sid == task.workflow_sid) workflow_name = wf.friendly_name;
  }
  std::string channel_name;
  for (const auto& channel : ws.channels) {
    if (channel.sid == task.task_channel_sid) channel_name = channel.unique_name;
  }
  std::string queue_name;
  for (const auto& queue : ws.queues) {
    if (queue.sid == task.task_queue_sid) queue_name = queue.friendly_name;
  }
  const auto age = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - task.created).count();
  return nlohmann::json{{"account_sid", context_.config.credentials.account_sid},
                        {"age", std::max<long long>(0, age)},
                        {"assignment_status", task.assignment_status},
                        {"attributes", with_attributes ? nlohmann::json(task.attributes) : nlohmann::json(nullptr)},
                        {"addons", "{}"},
                        {"date_created", iso8601_seconds(task.created)},
                        {"date_updated", iso8601_seconds(task.updated)},
                        {"task_queue_entered_date", nullptr},
                        {"priority", task.priority},
                        {"reason", task.reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(task.reason)},
                        {"sid", task.sid},
                        {"task_queue_sid", task.task_queue_sid.empty() ? nlohmann::json(nullptr) : nlohmann::json(task.task_queue_sid)},
                        {"task_queue_friendly_name", queue_name.empty() ? nlohmann::json(nullptr) : nlohmann::json(queue_name)},
                        {"task_channel_sid", task.task_channel_sid},
                        {"task_channel_unique_name", channel_name},
                        {"timeout", task.timeout},
                        {"workflow_sid", task.workflow_sid},
                        {"workflow_friendly_name", workflow_name},
                        {"workspace_sid", ws.sid},
                        {"url", url},
                        {"links",
                         {{"task_queue", task.task_queue_sid.empty() ? nlohmann::json(nullptr) : nlohmann::json(ws_url + "/TaskQueues/" + task.task_queue_sid)},
                          {"workflow", ws_url + "/Workflows/" + task.workflow_sid},
                          {"workspace", ws_url},
                          {"reservations", url + "/Reservations"}}},
                        {"virtual_start_time", iso8601_seconds(task.virtual_start)},
                        {"ignore_capacity", false},
                        {"routing_target", nullptr}};
}

// ------------------------------------------------------------------------------------------ helpers

TaskRouterModule::Workspace* TaskRouterModule::find_workspace(const std::string& sid) {
  const auto it = workspaces_.find(sid);
  return it == workspaces_.end() ? nullptr : &it->second;
}

TaskRouterModule::Workspace& TaskRouterModule::add_workspace(std::string sid, std::string friendly_name,
                                                             std::string event_callback_url) {
  Workspace ws;
  ws.sid = std::move(sid);
  ws.friendly_name = std::move(friendly_name);
  ws.event_callback_url = std::move(event_callback_url);
  ws.created = Clock::now();
  ws.order = next_order_++;
  // Every TaskRouter workspace comes with these channels.
  for (const auto& unique_name : kDefaultChannels) {
    ws.channels.push_back(TaskChannel{random_sid("TC"), unique_name, channel_friendly_name(unique_name), ws.created});
  }
  add_default_activities(ws);
  auto [it, inserted] = workspaces_.emplace(ws.sid, std::move(ws));
  (void)inserted;
  return it->second;
}

// ----------------------------------------------------------------------------------------- upstream

void TaskRouterModule::create_workspace(const UpstreamRequest& request, httplib::Response& res) {
  const std::string friendly_name = form_value(request, "FriendlyName").value_or("");
  if (!valid_friendly_name(friendly_name)) {
    invalid_parameter(res, "FriendlyName", "FriendlyName must be 1 to 64 characters");
    return;
  }
  std::lock_guard lock(mutex_);
  for (const auto& [sid, ws] : workspaces_) {
    (void)sid;
    if (ws.friendly_name == friendly_name) {
      send_twilio_error(res, 409, 20001, "Workspace with FriendlyName " + friendly_name + " already exists");
      return;
    }
  }
  Workspace& ws = add_workspace(random_sid("WS"), friendly_name, form_value(request, "EventCallbackUrl").value_or(""));
  if (form_value(request, "Template").value_or("NONE") == "FIFO") {
    ws.workflows.push_back(Workflow{random_sid("WW"), "Default Fifo Workflow", "{\"task_routing\":{\"filters\":[]}}", ws.created});
  }
  send_json(res, 201, workspace_json(ws));
}

void TaskRouterModule::list_workspaces(const UpstreamRequest& request, httplib::Response& res) {
  const auto name = query_value(request, "FriendlyName");
  std::vector<const Workspace*> matching;
  std::vector<nlohmann::json> items;
  std::lock_guard lock(mutex_);
  for (const auto& [sid, ws] : workspaces_) {
    (void)sid;
    if (!name || ws.friendly_name == *name) matching.push_back(&ws);
  }
  std::sort(matching.begin(), matching.end(), [](const Workspace* a, const Workspace* b) { return a->order < b->order; });
  for (const auto* ws : matching) items.push_back(workspace_json(*ws));
  send_page(request, res, "workspaces", items);
}

void TaskRouterModule::fetch_workspace(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  const Workspace* ws = find_workspace(request.params.at("Sid"));
  if (ws == nullptr) return not_found(res, request.path);
  send_json(res, 200, workspace_json(*ws));
}

void TaskRouterModule::create_workflow(const UpstreamRequest& request, httplib::Response& res) {
  const std::string friendly_name = form_value(request, "FriendlyName").value_or("");
  const std::string configuration = form_value(request, "Configuration").value_or("");
  if (!valid_friendly_name(friendly_name)) {
    invalid_parameter(res, "FriendlyName", "FriendlyName must be 1 to 64 characters");
    return;
  }
  const auto parsed = nlohmann::json::parse(configuration, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    invalid_parameter(res, "Configuration", "Configuration must be a JSON object (the workflow's task_routing document)");
    return;
  }
  std::lock_guard lock(mutex_);
  Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  ws->workflows.push_back(Workflow{random_sid("WW"), friendly_name, configuration, Clock::now()});
  send_json(res, 201, workflow_json(*ws, ws->workflows.back()));
}

void TaskRouterModule::list_workflows(const UpstreamRequest& request, httplib::Response& res) {
  const auto name = query_value(request, "FriendlyName");
  std::lock_guard lock(mutex_);
  const Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  std::vector<nlohmann::json> items;
  for (const auto& wf : ws->workflows) {
    if (!name || wf.friendly_name == *name) items.push_back(workflow_json(*ws, wf));
  }
  send_page(request, res, "workflows", items);
}

void TaskRouterModule::fetch_workflow(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  const Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  for (const auto& wf : ws->workflows) {
    if (wf.sid == request.params.at("Sid")) return send_json(res, 200, workflow_json(*ws, wf));
  }
  not_found(res, request.path);
}

void TaskRouterModule::create_task_channel(const UpstreamRequest& request, httplib::Response& res) {
  const std::string friendly_name = form_value(request, "FriendlyName").value_or("");
  const std::string unique_name = form_value(request, "UniqueName").value_or("");
  if (!valid_friendly_name(friendly_name)) {
    invalid_parameter(res, "FriendlyName", "FriendlyName must be 1 to 64 characters");
    return;
  }
  if (!valid_friendly_name(unique_name)) {
    invalid_parameter(res, "UniqueName", "UniqueName must be 1 to 64 characters");
    return;
  }
  std::lock_guard lock(mutex_);
  Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  for (const auto& channel : ws->channels) {
    if (channel.unique_name == unique_name) {
      send_twilio_error(res, 409, 20001, "TaskChannel with UniqueName " + unique_name + " already exists");
      return;
    }
  }
  ws->channels.push_back(TaskChannel{random_sid("TC"), unique_name, friendly_name, Clock::now()});
  send_json(res, 201, channel_json(*ws, ws->channels.back()));
}

void TaskRouterModule::list_task_channels(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  const Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  std::vector<nlohmann::json> items;
  for (const auto& channel : ws->channels) items.push_back(channel_json(*ws, channel));
  send_page(request, res, "channels", items);
}

void TaskRouterModule::fetch_task_channel(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  const Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  for (const auto& channel : ws->channels) {
    if (channel.sid == request.params.at("Sid") || channel.unique_name == request.params.at("Sid")) {
      return send_json(res, 200, channel_json(*ws, channel));
    }
  }
  not_found(res, request.path);
}

namespace {

// Validates the fields Create and Update share; answers 400 and returns false on the first bad one.
struct TaskFields {
  std::optional<std::string> attributes;
  std::optional<long long> priority, timeout;
  std::optional<Clock::time_point> virtual_start;
  std::optional<std::string> channel;
};

bool read_task_fields(const UpstreamRequest& request, httplib::Response& res, TaskFields& out) {
  if (const auto value = form_value(request, "Attributes")) {
    const auto parsed = nlohmann::json::parse(*value, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
      invalid_parameter(res, "Attributes", "Value of Attributes must be a JSON object");
      return false;
    }
    out.attributes = *value;
  }
  if (const auto value = form_value(request, "Priority")) {
    const auto parsed = parse_integer(*value);
    if (!parsed || *parsed < 0 || *parsed > kMaxPriority) {
      invalid_parameter(res, "Priority", "Invalid parameter: Priority must be an integer from 0 to 2147483647");
      return false;
    }
    out.priority = *parsed;
  }
  if (const auto value = form_value(request, "Timeout")) {
    const auto parsed = parse_integer(*value);
    if (!parsed || *parsed < 1 || *parsed > kMaxTimeout) {
      invalid_parameter(res, "Timeout", "Invalid parameter: Timeout must be an integer from 1 to 1209600 seconds");
      return false;
    }
    out.timeout = *parsed;
  }
  if (const auto value = form_value(request, "VirtualStartTime")) {
    // Compared in milliseconds first: far-future years do not fit system_clock's nanoseconds.
    const auto ms = parse_iso8601_ms(*value);
    static const long long kEarliestMs = *parse_iso8601_ms("1900-01-01T00:00:00Z");
    if (!ms) {
      invalid_parameter(res, "VirtualStartTime", "Invalid parameter: VirtualStartTime must be an ISO-8601 date-time");
      return false;
    }
    const long long now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
    if (*ms > now_ms || *ms < kEarliestMs) {
      invalid_parameter(res, "VirtualStartTime", "VirtualStartTime cannot be in the future or before 1900");
      return false;
    }
    out.virtual_start = *parse_iso8601(*value);
  }
  if (const auto value = form_value(request, "TaskChannel")) out.channel = *value;
  return true;
}

}  // namespace

void TaskRouterModule::create_task(const UpstreamRequest& request, httplib::Response& res) {
  TaskFields fields;
  if (!read_task_fields(request, res, fields)) return;
  for (const char* unsupported : {"RoutingTarget", "IgnoreCapacity", "TaskQueueSid"}) {
    if (form_value(request, unsupported)) {
      send_twilio_error(res, 501, 20501, std::string("flexcore-emulator: ") + unsupported + " is not emulated");
      return;
    }
  }
  std::lock_guard lock(mutex_);
  Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  Task task;
  const auto workflow_sid = form_value(request, "WorkflowSid");
  if (workflow_sid) {
    const auto it = std::find_if(ws->workflows.begin(), ws->workflows.end(),
                                 [&](const Workflow& wf) { return wf.sid == *workflow_sid; });
    if (it == ws->workflows.end()) {
      invalid_parameter(res, "WorkflowSid", "Invalid parameter: WorkflowSid " + *workflow_sid + " is not a workflow of workspace " + ws->sid);
      return;
    }
    task.workflow_sid = *workflow_sid;
  } else if (ws->workflows.size() == 1) {
    task.workflow_sid = ws->workflows.front().sid;
  } else {
    invalid_parameter(res, "WorkflowSid",
                      "Missing required parameter WorkflowSid: the workspace has " + std::to_string(ws->workflows.size()) + " workflows");
    return;
  }
  const std::string channel = fields.channel.value_or("default");
  const auto channel_it = std::find_if(ws->channels.begin(), ws->channels.end(), [&](const TaskChannel& c) {
    return c.sid == channel || c.unique_name == channel;
  });
  if (channel_it == ws->channels.end()) {
    invalid_parameter(res, "TaskChannel", "Invalid parameter: TaskChannel " + channel + " does not exist in workspace " + ws->sid);
    return;
  }
  task.sid = random_sid("WT");
  task.task_channel_sid = channel_it->sid;
  task.attributes = fields.attributes.value_or("{}");
  task.priority = fields.priority.value_or(0);
  task.timeout = fields.timeout.value_or(kDefaultTimeout);
  task.created = task.updated = Clock::now();
  task.virtual_start = fields.virtual_start.value_or(task.created);
  task.order = next_order_++;
  auto [it, inserted] = ws->tasks.emplace(task.sid, task);
  (void)inserted;
  res.set_header("ETag", quoted_etag(it->second.version));
  // The answer shows the task as created (pending); routing happens right after, as TaskRouter's.
  send_json(res, 201, task_json(*ws, it->second));
  emit(*ws, "task.created", "Task " + it->second.sid + " created", &it->second, nullptr);
  route_task(*ws, it->second);
}

void TaskRouterModule::list_tasks(const UpstreamRequest& request, httplib::Response& res) {
  std::set<std::string> statuses;
  std::optional<std::string> workflow_sid, workflow_name, queue_sid, queue_name, routing_target, has_addons;
  std::optional<long long> priority;
  std::vector<std::pair<std::string, bool>> ordering;  // field, descending
  for (const auto& [name, value] : request.query) {
    if (name == "AssignmentStatus") {
      // repeatable, and comma-separated lists are accepted too
      std::size_t start = 0;
      while (start <= value.size()) {
        const std::size_t comma = value.find(',', start);
        const std::string status = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        static const std::set<std::string> kStatuses = {"pending", "reserved", "assigned", "canceled", "completed", "wrapping"};
        if (kStatuses.count(status) == 0) {
          invalid_parameter(res, "AssignmentStatus",
                            "Invalid parameter: AssignmentStatus must be pending, reserved, assigned, canceled, completed or wrapping");
          return;
        }
        statuses.insert(status);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else if (name == "WorkflowSid") {
      workflow_sid = value;
    } else if (name == "WorkflowName") {
      workflow_name = value;
    } else if (name == "TaskQueueSid") {
      queue_sid = value;
    } else if (name == "TaskQueueName") {
      queue_name = value;
    } else if (name == "RoutingTarget") {
      routing_target = value;
    } else if (name == "HasAddons") {
      has_addons = value;
    } else if (name == "Priority") {
      priority = parse_integer(value);
      if (!priority) {
        invalid_parameter(res, "Priority", "Invalid parameter: Priority must be an integer");
        return;
      }
    } else if (name == "EvaluateTaskAttributes") {
      send_twilio_error(res, 501, 20501, "flexcore-emulator: EvaluateTaskAttributes is not emulated (3 requests/s upstream: list by status instead)");
      return;
    } else if (name == "Ordering") {
      std::size_t start = 0;
      while (start <= value.size()) {
        const std::size_t comma = value.find(',', start);
        const std::string item = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const std::size_t colon = item.find(':');
        const std::string field = item.substr(0, colon);
        const std::string direction = colon == std::string::npos ? "asc" : item.substr(colon + 1);
        if ((field != "DateCreated" && field != "Priority" && field != "VirtualStartTime") ||
            (direction != "asc" && direction != "desc")) {
          invalid_parameter(res, "Ordering",
                            "Invalid parameter: Ordering must list DateCreated, Priority or VirtualStartTime with :asc or :desc");
          return;
        }
        ordering.emplace_back(field, direction == "desc");
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
  }
  std::lock_guard lock(mutex_);
  const Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  std::vector<const Task*> matching;
  for (const auto& [sid, task] : ws->tasks) {
    (void)sid;
    if (!statuses.empty() && statuses.count(task.assignment_status) == 0) continue;
    if (workflow_sid && task.workflow_sid != *workflow_sid) continue;
    if (workflow_name) {
      const auto wf = std::find_if(ws->workflows.begin(), ws->workflows.end(), [&](const Workflow& w) { return w.sid == task.workflow_sid; });
      if (wf == ws->workflows.end() || wf->friendly_name != *workflow_name) continue;
    }
    if (queue_sid && task.task_queue_sid != *queue_sid) continue;
    if (queue_name) {
      const auto queue = std::find_if(ws->queues.begin(), ws->queues.end(), [&](const TaskQueue& q) { return q.sid == task.task_queue_sid; });
      if (queue == ws->queues.end() || queue->friendly_name != *queue_name) continue;
    }
    if (routing_target) continue;  // no task has a routing target here
    if (has_addons && *has_addons == "true") continue;        // no task has add-ons here
    if (priority && task.priority != *priority) continue;
    matching.push_back(&task);
  }
  std::sort(matching.begin(), matching.end(), [&](const Task* a, const Task* b) {
    for (const auto& [field, descending] : ordering) {
      int cmp = 0;
      if (field == "DateCreated") cmp = a->created < b->created ? -1 : (b->created < a->created ? 1 : 0);
      if (field == "Priority") cmp = a->priority < b->priority ? -1 : (b->priority < a->priority ? 1 : 0);
      if (field == "VirtualStartTime") cmp = a->virtual_start < b->virtual_start ? -1 : (b->virtual_start < a->virtual_start ? 1 : 0);
      if (cmp != 0) return descending ? cmp > 0 : cmp < 0;
    }
    return a->order < b->order;
  });
  std::vector<nlohmann::json> items;
  items.reserve(matching.size());
  for (const auto* task : matching) items.push_back(task_json(*ws, *task));
  send_page(request, res, "tasks", items);
}

void TaskRouterModule::fetch_task(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  const auto it = ws->tasks.find(request.params.at("Sid"));
  if (it == ws->tasks.end()) return not_found(res, request.path);
  res.set_header("ETag", quoted_etag(it->second.version));
  send_json(res, 200, task_json(*ws, it->second));
}

void TaskRouterModule::update_task(const UpstreamRequest& request, httplib::Response& res) {
  TaskFields fields;
  if (!read_task_fields(request, res, fields)) return;
  const auto status = form_value(request, "AssignmentStatus");
  const auto reason = form_value(request, "Reason");
  std::lock_guard lock(mutex_);
  Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  const auto it = ws->tasks.find(request.params.at("Sid"));
  if (it == ws->tasks.end()) return not_found(res, request.path);
  Task& task = it->second;
  if (!if_match_ok(request.http, task.version)) {
    res.set_header("ETag", quoted_etag(task.version));
    send_twilio_error(res, 412, 412, "Precondition Failed: If-Match " + request.http.get_header_value("If-Match") +
                                           " does not match the task's current version " + std::to_string(task.version));
    return;
  }
  if (task.assignment_status == "canceled" || task.assignment_status == "completed") {
    send_twilio_error(res, 400, 20001, "Task " + task.sid + " is " + task.assignment_status + " and can no longer be updated");
    return;
  }
  if (status) {
    const std::string& from = task.assignment_status;
    bool allowed = false;
    if (*status == "canceled") allowed = from == "pending" || from == "reserved";
    else if (*status == "wrapping") allowed = from == "assigned";
    else if (*status == "completed") allowed = from == "assigned" || from == "wrapping";
    else {
      invalid_parameter(res, "AssignmentStatus", "Invalid parameter: AssignmentStatus can be set to canceled, wrapping or completed");
      return;
    }
    if (!allowed) {
      send_twilio_error(res, 400, 20001, "Cannot set AssignmentStatus " + *status + " on a task that is " + from);
      return;
    }
    if ((*status == "canceled" || *status == "completed") && (!reason || reason->empty())) {
      invalid_parameter(res, "Reason", "Missing required parameter Reason: required when a task is canceled or completed");
      return;
    }
  }
  std::string channel_sid = task.task_channel_sid;
  if (fields.channel) {
    const auto channel_it = std::find_if(ws->channels.begin(), ws->channels.end(), [&](const TaskChannel& c) {
      return c.sid == *fields.channel || c.unique_name == *fields.channel;
    });
    if (channel_it == ws->channels.end()) {
      invalid_parameter(res, "TaskChannel", "Invalid parameter: TaskChannel " + *fields.channel + " does not exist in workspace " + ws->sid);
      return;
    }
    channel_sid = channel_it->sid;
  }
  // Everything valid: write it all at once.
  if (fields.attributes) task.attributes = *fields.attributes;
  if (fields.priority) task.priority = *fields.priority;
  if (fields.virtual_start) task.virtual_start = *fields.virtual_start;
  task.task_channel_sid = channel_sid;
  if (reason) task.reason = *reason;
  ++task.version;
  task.updated = Clock::now();
  res.set_header("ETag", quoted_etag(task.version));
  // Reservation and event callbacks follow the status (task.wrapup, task.completed, task.canceled).
  if (status) apply_task_status(*ws, task, *status, reason.value_or(""));
  send_json(res, 200, task_json(*ws, task));
}

void TaskRouterModule::delete_task(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  const auto it = ws->tasks.find(request.params.at("Sid"));
  if (it == ws->tasks.end()) return not_found(res, request.path);
  if (!if_match_ok(request.http, it->second.version)) {
    res.set_header("ETag", quoted_etag(it->second.version));
    send_twilio_error(res, 412, 412, "Precondition Failed: If-Match does not match the task's current version " +
                                           std::to_string(it->second.version));
    return;
  }
  // A deleted task frees its worker.
  bool freed = false;
  if (!it->second.reservation_sid.empty()) {
    const auto reservation = ws->reservations.find(it->second.reservation_sid);
    if (reservation != ws->reservations.end() && reservation->second.status != "completed") {
      reservation->second.status = "canceled";
      reservation->second.updated = Clock::now();
      freed = true;
    }
  }
  ws->tasks.erase(it);
  if (freed) route_pending(*ws);
  res.status = 204;
}

// ------------------------------------------------------------------------------------------ control

void TaskRouterModule::seed_workspace(const httplib::Request& req, httplib::Response& res) {
  const auto spec = control_json_body(req, res);
  if (!spec) return;
  static const std::set<std::string> kKnown = {"sid", "friendlyName", "eventCallbackUrl", "workflows", "taskChannels",
                                               "workers", "taskQueues"};
  for (const auto& [key, value] : spec->items()) {
    (void)value;
    if (kKnown.count(key) == 0) {
      send_control_error(res, 400,
                         "unknown field '" + key + "' (expected sid, friendlyName, eventCallbackUrl, workflows, taskChannels, workers, taskQueues)");
      return;
    }
  }
  // workers: [{"sid"?, "friendlyName", "attributes"?: {…}, "activity"?: "Offline|Available|Unavailable|Break"}]
  // taskQueues: [{"sid"?, "friendlyName", "targetWorkers"?: "1==1"}]; workflows[i].taskQueue / .knownWorker
  std::set<std::string> queue_names, worker_names;
  const nlohmann::json queue_specs = spec->value("taskQueues", nlohmann::json::array());
  const nlohmann::json worker_specs = spec->value("workers", nlohmann::json::array());
  if (!queue_specs.is_array() || !worker_specs.is_array()) {
    return send_control_error(res, 400, "'workers' and 'taskQueues' must be arrays of objects");
  }
  for (const auto& item : queue_specs) {
    static const std::set<std::string> kQueueKeys = {"sid", "friendlyName", "targetWorkers"};
    if (!item.is_object()) return send_control_error(res, 400, "'taskQueues' items must be objects {sid?, friendlyName, targetWorkers?}");
    for (const auto& [key, value] : item.items()) {
      if (kQueueKeys.count(key) == 0 || !value.is_string()) {
        return send_control_error(res, 400, "taskQueues: field '" + key + "' is unknown or not a string (expected sid, friendlyName, targetWorkers)");
      }
    }
    if (!item.contains("friendlyName") || !valid_friendly_name(item["friendlyName"].get<std::string>())) {
      return send_control_error(res, 400, "taskQueues: 'friendlyName' (1 to 64 characters) is required");
    }
    if (item.contains("sid") && !is_sid(item["sid"].get<std::string>(), "WQ")) {
      return send_control_error(res, 400, "taskQueues: 'sid' must be WQ followed by 32 hex digits");
    }
    if (item.contains("targetWorkers") && !matches_expression(item["targetWorkers"].get<std::string>(), nlohmann::json::object())) {
      return send_control_error(res, 400, "taskQueues: 'targetWorkers' is not an expression the emulator understands (1==1, x HAS \"v\", x == \"v\", x IN [..], AND/OR)");
    }
    if (!queue_names.insert(item["friendlyName"].get<std::string>()).second) {
      return send_control_error(res, 400, "taskQueues: duplicate friendlyName " + item["friendlyName"].get<std::string>());
    }
    if (item.contains("sid")) queue_names.insert(item["sid"].get<std::string>());
  }
  for (const auto& item : worker_specs) {
    static const std::set<std::string> kWorkerKeys = {"sid", "friendlyName", "attributes", "activity"};
    if (!item.is_object()) return send_control_error(res, 400, "'workers' items must be objects {sid?, friendlyName, attributes?, activity?}");
    for (const auto& [key, value] : item.items()) {
      (void)value;
      if (kWorkerKeys.count(key) == 0) return send_control_error(res, 400, "workers: unknown field '" + key + "' (expected sid, friendlyName, attributes, activity)");
    }
    if (!item.contains("friendlyName") || !item["friendlyName"].is_string() || item["friendlyName"].get<std::string>().empty()) {
      return send_control_error(res, 400, "workers: 'friendlyName' (a non-empty string) is required");
    }
    if (!worker_names.insert(item["friendlyName"].get<std::string>()).second) {
      return send_control_error(res, 400, "workers: duplicate friendlyName " + item["friendlyName"].get<std::string>());
    }
    if (item.contains("sid") && (!item["sid"].is_string() || !is_sid(item["sid"].get<std::string>(), "WK"))) {
      return send_control_error(res, 400, "workers: 'sid' must be WK followed by 32 hex digits");
    }
    if (item.contains("attributes") && !item["attributes"].is_object()) return send_control_error(res, 400, "workers: 'attributes' must be a JSON object");
    if (item.contains("activity")) {
      static const std::set<std::string> kActivities = {"Offline", "Available", "Unavailable", "Break"};
      if (!item["activity"].is_string() || kActivities.count(item["activity"].get<std::string>()) == 0) {
        return send_control_error(res, 400, "workers: 'activity' must be Offline, Available, Unavailable or Break");
      }
    }
  }
  const auto string_field = [&](const nlohmann::json& object, const char* name, std::string& out, bool required) {
    if (!object.contains(name)) {
      if (required) send_control_error(res, 400, std::string("'") + name + "' is required");
      return !required;
    }
    if (!object[name].is_string() || object[name].get<std::string>().empty()) {
      send_control_error(res, 400, std::string("'") + name + "' must be a non-empty string");
      return false;
    }
    out = object[name].get<std::string>();
    return true;
  };
  std::string sid, friendly_name = "Flex Task Assignment", callback_url;
  if (!string_field(*spec, "sid", sid, false) || !string_field(*spec, "friendlyName", friendly_name, false) ||
      !string_field(*spec, "eventCallbackUrl", callback_url, false)) {
    return;
  }
  if (!sid.empty() && !is_sid(sid, "WS")) return send_control_error(res, 400, "'sid' must be WS followed by 32 hex digits");
  if (!valid_friendly_name(friendly_name)) return send_control_error(res, 400, "'friendlyName' must be 1 to 64 characters");

  std::vector<Workflow> workflows;
  std::vector<TaskChannel> channels;
  const auto now = Clock::now();
  const nlohmann::json workflow_specs = spec->value("workflows", nlohmann::json::array());
  const nlohmann::json channel_specs = spec->value("taskChannels", nlohmann::json::array());
  if (!workflow_specs.is_array() || !channel_specs.is_array()) {
    return send_control_error(res, 400, "'workflows' and 'taskChannels' must be arrays of objects");
  }
  for (const auto& item : workflow_specs) {
    if (!item.is_object()) return send_control_error(res, 400, "'workflows' items must be objects {sid?, friendlyName, configuration?}");
    Workflow wf{"", "", "{\"task_routing\":{\"filters\":[]}}", now};
    if (!string_field(item, "friendlyName", wf.friendly_name, true) || !string_field(item, "sid", wf.sid, false)) return;
    std::string queue_ref, known_worker;
    if (!string_field(item, "taskQueue", queue_ref, false) || !string_field(item, "knownWorker", known_worker, false)) return;
    if (!queue_ref.empty() && queue_names.count(queue_ref) == 0) {
      return send_control_error(res, 400, "workflow 'taskQueue' " + queue_ref + " is not one of 'taskQueues' (sid or friendlyName)");
    }
    if ((!queue_ref.empty() || !known_worker.empty()) && item.contains("configuration")) {
      return send_control_error(res, 400, "a workflow takes either 'configuration' or 'taskQueue'/'knownWorker'");
    }
    if (wf.sid.empty()) wf.sid = random_sid("WW");
    if (!is_sid(wf.sid, "WW")) return send_control_error(res, 400, "workflow 'sid' must be WW followed by 32 hex digits");
    if (item.contains("configuration")) {
      const auto& configuration = item["configuration"];
      if (!configuration.is_object()) return send_control_error(res, 400, "workflow 'configuration' must be a JSON object");
      wf.configuration = configuration.dump();
    }
    workflows.push_back(wf);
  }
  for (const auto& item : channel_specs) {
    if (!item.is_object()) return send_control_error(res, 400, "'taskChannels' items must be objects {sid?, uniqueName, friendlyName?}");
    TaskChannel channel{"", "", "", now};
    if (!string_field(item, "uniqueName", channel.unique_name, true) || !string_field(item, "sid", channel.sid, false) ||
        !string_field(item, "friendlyName", channel.friendly_name, false)) {
      return;
    }
    if (channel.sid.empty()) channel.sid = random_sid("TC");
    if (!is_sid(channel.sid, "TC")) return send_control_error(res, 400, "task channel 'sid' must be TC followed by 32 hex digits");
    if (channel.friendly_name.empty()) channel.friendly_name = channel_friendly_name(channel.unique_name);
    if (std::find(kDefaultChannels.begin(), kDefaultChannels.end(), channel.unique_name) != kDefaultChannels.end()) {
      return send_control_error(res, 400, "task channel '" + channel.unique_name + "' exists in every workspace already");
    }
    channels.push_back(channel);
  }
  std::lock_guard lock(mutex_);
  if (sid.empty()) sid = random_sid("WS");
  if (workspaces_.count(sid) != 0) return send_control_error(res, 409, "workspace " + sid + " exists already");
  Workspace& ws = add_workspace(sid, friendly_name, callback_url);
  ws.workflows = std::move(workflows);
  for (auto& channel : channels) ws.channels.push_back(std::move(channel));
  nlohmann::json answer{{"sid", ws.sid}, {"friendlyName", ws.friendly_name}, {"workflows", nlohmann::json::array()},
                        {"taskChannels", nlohmann::json::array()}};
  seed_people(*spec, ws, answer);
  for (const auto& wf : ws.workflows) answer["workflows"].push_back({{"sid", wf.sid}, {"friendlyName", wf.friendly_name}});
  for (const auto& channel : ws.channels) answer["taskChannels"].push_back({{"sid", channel.sid}, {"uniqueName", channel.unique_name}});
  send_json(res, 201, answer);
}

void TaskRouterModule::dump(httplib::Response& res) {
  std::lock_guard lock(mutex_);
  std::vector<const Workspace*> all;
  for (const auto& [sid, ws] : workspaces_) {
    (void)sid;
    all.push_back(&ws);
  }
  std::sort(all.begin(), all.end(), [](const Workspace* a, const Workspace* b) { return a->order < b->order; });
  nlohmann::json list = nlohmann::json::array();
  for (const auto* ws : all) {
    nlohmann::json entry = workspace_json(*ws);
    entry["workflows"] = nlohmann::json::array();
    entry["task_channels"] = nlohmann::json::array();
    entry["tasks"] = nlohmann::json::array();
    for (const auto& wf : ws->workflows) entry["workflows"].push_back(workflow_json(*ws, wf));
    for (const auto& channel : ws->channels) entry["task_channels"].push_back(channel_json(*ws, channel));
    entry["activities"] = nlohmann::json::array();
    for (const auto& activity : ws->activities) entry["activities"].push_back(activity_json(*ws, activity));
    entry["task_queues"] = nlohmann::json::array();
    for (const auto& queue : ws->queues) entry["task_queues"].push_back(queue_json(*ws, queue));
    std::vector<const Worker*> workers;
    for (const auto& [worker_sid, worker] : ws->workers) {
      (void)worker_sid;
      workers.push_back(&worker);
    }
    std::sort(workers.begin(), workers.end(), [](const Worker* a, const Worker* b) { return a->order < b->order; });
    entry["workers"] = nlohmann::json::array();
    for (const auto* worker : workers) entry["workers"].push_back(worker_json(*ws, *worker));
    std::vector<const Reservation*> reservations;
    for (const auto& [reservation_sid, reservation] : ws->reservations) {
      (void)reservation_sid;
      reservations.push_back(&reservation);
    }
    std::sort(reservations.begin(), reservations.end(), [](const Reservation* a, const Reservation* b) { return a->order < b->order; });
    entry["reservations"] = nlohmann::json::array();
    for (const auto* reservation : reservations) entry["reservations"].push_back(reservation_json(*ws, *reservation));
    std::vector<const Task*> tasks;
    for (const auto& [sid, task] : ws->tasks) {
      (void)sid;
      tasks.push_back(&task);
    }
    std::sort(tasks.begin(), tasks.end(), [](const Task* a, const Task* b) { return a->order < b->order; });
    for (const auto* task : tasks) {
      nlohmann::json json = task_json(*ws, *task);
      json["version"] = task->version;
      json["attributes_json"] = nlohmann::json::parse(task->attributes, nullptr, false);
      entry["tasks"].push_back(json);
    }
    list.push_back(entry);
  }
  send_json(res, 200, nlohmann::json{{"workspaces", list}});
}

void TaskRouterModule::force_task_status(const httplib::Request& req, httplib::Response& res, const PathParams& params) {
  const auto spec = control_json_body(req, res);
  if (!spec) return;
  static const std::set<std::string> kStatuses = {"pending", "reserved", "assigned", "canceled", "completed", "wrapping"};
  if (spec->size() != 1 || !spec->contains("assignmentStatus") || !(*spec)["assignmentStatus"].is_string() ||
      kStatuses.count((*spec)["assignmentStatus"].get<std::string>()) == 0) {
    return send_control_error(res, 400,
                              "expected {\"assignmentStatus\": pending|reserved|assigned|canceled|completed|wrapping}");
  }
  std::lock_guard lock(mutex_);
  Workspace* ws = find_workspace(params.at("WorkspaceSid"));
  if (ws == nullptr) return send_control_error(res, 404, "no workspace " + params.at("WorkspaceSid"));
  const auto it = ws->tasks.find(params.at("TaskSid"));
  if (it == ws->tasks.end()) return send_control_error(res, 404, "no task " + params.at("TaskSid"));
  it->second.assignment_status = (*spec)["assignmentStatus"].get<std::string>();
  ++it->second.version;
  it->second.updated = Clock::now();
  nlohmann::json json = task_json(*ws, it->second);
  json["version"] = it->second.version;
  send_json(res, 200, json);
}

}  // namespace flexcore::emulator
