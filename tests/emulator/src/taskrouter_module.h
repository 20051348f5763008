#pragma once
/// @file taskrouter_module.h
/// TaskRouter v1 (upstream-contracts.md 3.1, spec twilio_taskrouter_v1.json): Workspaces, Workflows,
/// TaskChannels and Tasks with integer versions behind quoted `ETag`s and `If-Match` → 412.
///
/// Upstream (family "taskrouter", mounted under /taskrouter, checked against the "taskrouter" spec):
///   GET|POST /v1/Workspaces, GET /v1/Workspaces/{Sid}
///   GET|POST /v1/Workspaces/{WorkspaceSid}/Workflows, GET …/Workflows/{Sid}
///   GET|POST /v1/Workspaces/{WorkspaceSid}/TaskChannels, GET …/TaskChannels/{Sid}
///   GET|POST /v1/Workspaces/{WorkspaceSid}/Tasks, GET|POST|DELETE …/Tasks/{Sid}
/// Control:
///   POST /__emulator/taskrouter/workspaces   seed a workspace with workflows and task channels
///   GET  /__emulator/taskrouter/workspaces   everything, tasks with parsed attributes
///   POST /__emulator/taskrouter/workspaces/{WorkspaceSid}/tasks/{TaskSid}  force an assignment status
///        (what routing to a worker would do), e.g. {"assignmentStatus":"assigned"}
/// README.md "TaskRouter" documents the bodies.

#include "module.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace flexcore::emulator {

/// Parses an ISO-8601 date-time (`2024-05-01T12:00:00Z`, `…:00.123Z`, `…:00+02:00`) as TaskRouter
/// accepts for VirtualStartTime into milliseconds since the epoch (any 4-digit year); nullopt when
/// malformed (fields out of range included).
std::optional<long long> parse_iso8601_ms(std::string_view text);

/// The same as a system_clock time point; nullopt also outside years 1700–2199 (system_clock counts
/// nanoseconds in 64 bits).
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

/// `2024-05-01T12:00:00Z`: whole seconds, UTC, the format TaskRouter answers dates in.
std::string iso8601_seconds(std::chrono::system_clock::time_point when);

/// The TaskRouter module. State lives in memory until reset.
class TaskRouterModule final : public Module {
 public:
  /// `context` must outlive the module.
  explicit TaskRouterModule(ModuleContext context);

  std::string name() const override { return "taskrouter"; }
  void register_routes(Router& upstream, ControlApi& control) override;
  void reset() override;

  /// A workflow of a workspace.
  struct Workflow {
    std::string sid, friendly_name, configuration;
    std::chrono::system_clock::time_point created;
  };
  /// A task channel of a workspace.
  struct TaskChannel {
    std::string sid, unique_name, friendly_name;
    std::chrono::system_clock::time_point created;
  };
  /// A task. `version` is the ETag value (0 at creation, +1 per update).
  struct Task {
    std::string sid, workflow_sid, task_channel_sid, attributes, assignment_status = "pending", reason;
    long long priority = 0, timeout = 86400;
    std::uint64_t version = 0, order = 0;
    std::chrono::system_clock::time_point created, updated, virtual_start;
  };
  /// A workspace with its children.
  struct Workspace {
    std::string sid, friendly_name, event_callback_url;
    std::chrono::system_clock::time_point created;
    std::vector<Workflow> workflows;
    std::vector<TaskChannel> channels;
    std::map<std::string, Task> tasks;  ///< by sid
    std::uint64_t order = 0;
  };

 private:
  // Upstream handlers (run under the OpenAPI check; Basic auth checked first).
  void create_workspace(const UpstreamRequest& request, httplib::Response& res);
  void list_workspaces(const UpstreamRequest& request, httplib::Response& res);
  void fetch_workspace(const UpstreamRequest& request, httplib::Response& res);
  void create_workflow(const UpstreamRequest& request, httplib::Response& res);
  void list_workflows(const UpstreamRequest& request, httplib::Response& res);
  void fetch_workflow(const UpstreamRequest& request, httplib::Response& res);
  void create_task_channel(const UpstreamRequest& request, httplib::Response& res);
  void list_task_channels(const UpstreamRequest& request, httplib::Response& res);
  void fetch_task_channel(const UpstreamRequest& request, httplib::Response& res);
  void create_task(const UpstreamRequest& request, httplib::Response& res);
  void list_tasks(const UpstreamRequest& request, httplib::Response& res);
  void fetch_task(const UpstreamRequest& request, httplib::Response& res);
  void update_task(const UpstreamRequest& request, httplib::Response& res);
  void delete_task(const UpstreamRequest& request, httplib::Response& res);
  // Control handlers.
  void seed_workspace(const httplib::Request& req, httplib::Response& res);
  void dump(httplib::Response& res);
  void force_task_status(const httplib::Request& req, httplib::Response& res, const PathParams& params);

  // Helpers; callers hold mutex_.
  Workspace* find_workspace(const std::string& sid);
  Workspace& add_workspace(std::string sid, std::string friendly_name, std::string event_callback_url);
  nlohmann::json workspace_json(const Workspace& ws) const;
  nlohmann::json workflow_json(const Workspace& ws, const Workflow& wf) const;
  nlohmann::json channel_json(const Workspace& ws, const TaskChannel& channel) const;
  nlohmann::json task_json(const Workspace& ws, const Task& task, bool with_attributes = true) const;

  ModuleContext context_;
  std::mutex mutex_;
  std::map<std::string, Workspace> workspaces_;
  std::uint64_t next_order_ = 1;
};

}  // namespace flexcore::emulator
