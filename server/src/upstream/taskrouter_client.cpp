#include "upstream/taskrouter_client.h"

#include <utility>
#include <vector>

#include "flexcore/sid.h"
#include "upstream/twilio_error.h"

namespace flexcore::server::upstream {

namespace {

Result<Unit> check_sids(std::string_view workspace_sid, std::optional<std::string_view> task_sid) {
  if (auto ws = check_sid(workspace_sid, "WS", "WorkspaceSid"); !ws.ok()) return ws.error();
  if (task_sid) {
    if (auto wt = check_sid(*task_sid, "WT", "TaskSid"); !wt.ok()) return wt.error();
  }
  return Unit{};
}

bool success(const Response& response) {
  return response.answered() && response.status >= 200 && response.status < 300;
}

}  // namespace

std::string unquote_etag(std::string_view etag) {
  while (!etag.empty() && (etag.front() == ' ' || etag.front() == '\t')) etag.remove_prefix(1);
  while (!etag.empty() && (etag.back() == ' ' || etag.back() == '\t')) etag.remove_suffix(1);
  if (etag.substr(0, 2) == "W/") etag.remove_prefix(2);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return std::string(etag);
}

TaskRouterClient::TaskRouterClient(HttpClient& client, std::string base_url, BasicAuth credentials)
    : client_(client), base_url_(std::move(base_url)), credentials_(std::move(credentials)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

Result<TaskSnapshot> TaskRouterClient::snapshot(const Response& response) const {
  TaskSnapshot out;
  out.task = nlohmann::json::parse(response.body, nullptr, false);
  if (out.task.is_discarded() || !out.task.is_object() || !out.task.contains("sid") ||
      !out.task["sid"].is_string()) {
    return Error{ErrorCode::UpstreamError, std::string(kTaskRouterService) + " answered HTTP " +
                                               std::to_string(response.status) + " without a task object"};
  }
  out.sid = out.task["sid"].get<std::string>();
  const auto attributes = out.task.find("attributes");
  if (attributes != out.task.end() && attributes->is_string()) {
    out.attributes = attributes->get<std::string>();
  } else {
    out.attributes = "{}";
  }
  out.etag = unquote_etag(response.header("ETag"));
  return out;
}

Result<TaskSnapshot> TaskRouterClient::create_task(std::string_view workspace_sid, const NewTask& task) {
  if (auto checked = check_sids(workspace_sid, std::nullopt); !checked.ok()) return checked.error();
  std::vector<Header> params;
  if (!task.attributes_json.empty()) params.emplace_back("Attributes", task.attributes_json);
  if (!task.workflow_sid.empty()) params.emplace_back("WorkflowSid", task.workflow_sid);
  if (!task.task_channel.empty()) params.emplace_back("TaskChannel", task.task_channel);
  if (task.priority) params.emplace_back("Priority", std::to_string(*task.priority));
  if (task.timeout_seconds) params.emplace_back("Timeout", std::to_string(*task.timeout_seconds));
  if (!task.virtual_start_time.empty()) params.emplace_back("VirtualStartTime", task.virtual_start_time);

  Request request;
  request.method = "POST";
  request.url = base_url_ + "/v1/Workspaces/" + url_encode(workspace_sid) + "/Tasks";
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.body = form_encode(params);
  request.basic_auth = credentials_;
  const Response response = client_.send(request);
  if (!success(response)) return upstream_error(response, kTaskRouterService);
  return snapshot(response);
}

Result<TaskSnapshot> TaskRouterClient::fetch_task(std::string_view workspace_sid, std::string_view task_sid) {
  if (auto checked = check_sids(workspace_sid, task_sid); !checked.ok()) return checked.error();
  Request request;
  request.method = "GET";
  request.url = base_url_ + "/v1/Workspaces/" + url_encode(workspace_sid) + "/Tasks/" + url_encode(task_sid);
  request.basic_auth = credentials_;
  const Response response = client_.send(request);
  if (!success(response)) return upstream_error(response, kTaskRouterService);
  return snapshot(response);
}

Result<TaskUpdate> TaskRouterClient::update_task_attributes(std::string_view workspace_sid,
                                                            std::string_view task_sid,
                                                            std::string_view attributes_json,
                                                            std::optional<std::string_view> if_match) {
  if (auto checked = check_sids(workspace_sid, task_sid); !checked.ok()) return checked.error();
  Request request;
  request.method = "POST";
  request.url = base_url_ + "/v1/Workspaces/" + url_encode(workspace_sid) + "/Tasks/" + url_encode(task_sid);
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  if (if_match) request.headers.emplace_back("If-Match", "\"" + unquote_etag(*if_match) + "\"");
  request.body = form_encode({{"Attributes", std::string(attributes_json)}});
  request.basic_auth = credentials_;
  const Response response = client_.send(request);
  if (response.answered() && response.status == 412) {
    return TaskUpdate{WriteOutcome::PreconditionFailed, {}};
  }
  if (!success(response)) return upstream_error(response, kTaskRouterService);
  auto task = snapshot(response);
  if (!task.ok()) return task.error();
  return TaskUpdate{WriteOutcome::Written, std::move(task).value()};
}

Result<SafeMergeResult> TaskRouterClient::update_attributes_safely(std::string_view workspace_sid,
                                                                   std::string_view task_sid,
                                                                   const AttributesTransform& transform,
                                                                   int max_attempts) {
  if (max_attempts < 1) max_attempts = 1;
  for (int attempt = 1; attempt <= max_attempts; ++attempt) {
    auto fetched = fetch_task(workspace_sid, task_sid);
    if (!fetched.ok()) return fetched.error();
    auto wanted = transform(fetched.value());
    if (!wanted.ok()) return wanted.error();
    if (!wanted.value()) return SafeMergeResult{false, attempt, std::move(fetched).value()};
    const std::string etag = fetched.value().etag;
    if (etag.empty()) {
      // Without a version an update could overwrite a concurrent change: refuse rather than guess.
      return Error{ErrorCode::UpstreamError,
                   std::string(kTaskRouterService) + " answered the task fetch without an ETag header"};
    }
    auto updated = update_task_attributes(workspace_sid, task_sid, *wanted.value(), etag);
    if (!updated.ok()) return updated.error();
    if (updated.value().outcome == WriteOutcome::Written) {
      return SafeMergeResult{true, attempt, std::move(updated).value().task};
    }
  }
  return Error{ErrorCode::Conflict, std::string(kTaskRouterService) + ": task " + std::string(task_sid) +
                                        " was still changing after " + std::to_string(max_attempts) +
                                        " attempts (412 Precondition Failed on every write)"};
}

}  // namespace flexcore::server::upstream
