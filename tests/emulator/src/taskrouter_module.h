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
///   GET|POST …/Activities, GET …/Activities/{Sid}; GET|POST …/Workers, GET|POST …/Workers/{Sid};
///   GET|POST …/TaskQueues, GET …/TaskQueues/{Sid};
///   GET …/Tasks/{TaskSid}/Reservations, GET|POST …/Tasks/{TaskSid}/Reservations/{Sid};
///   GET …/Workers/{WorkerSid}/Reservations, GET|POST …/Workers/{WorkerSid}/Reservations/{Sid}
/// Control:
///   POST /__emulator/taskrouter/workspaces   seed a workspace with workflows and task channels
///   GET  /__emulator/taskrouter/workspaces   everything, tasks with parsed attributes
///   POST /__emulator/taskrouter/workspaces/{WorkspaceSid}/tasks/{TaskSid}  force an assignment status
///        (what routing to a worker would do), e.g. {"assignmentStatus":"assigned"}
///   GET  /__emulator/taskrouter/events        the TaskRouter event callbacks generated and their deliveries
///   DELETE /__emulator/taskrouter/events      forget them
/// Workers, activities, task queues and reservations (taskrouter_workers.cpp): workers are offered
/// tasks by the workflow (known worker, else round robin over the queue's available workers, else the
/// task waits until a worker becomes available); accepting a reservation assigns the task. Event
/// callbacks (task.created, reservation.created/accepted/rejected/wrapup/completed/canceled,
/// task.wrapup/completed/canceled) are POSTed signed to the workspace's EventCallbackUrl by a
/// background thread (taskrouter_events.h), never delaying the REST answer.
/// README.md "TaskRouter" documents the bodies.

#include "module.h"
#include "taskrouter_events.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
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
    std::string task_queue_sid;             ///< the queue the workflow put it in ("" = none)
    std::string reservation_sid;            ///< the live (pending/accepted/wrapping) reservation, "" = none
    std::set<std::string> rejected_workers;  ///< workers who rejected it (not offered again)
  };
  /// An activity (Offline, Available, Unavailable, Break, …).
  struct Activity {
    std::string sid, friendly_name;
    bool available = false;
    std::chrono::system_clock::time_point created;
  };
  /// A worker. `attributes` is a JSON object document.
  struct Worker {
    std::string sid, friendly_name, attributes = "{}", activity_sid;
    std::chrono::system_clock::time_point created, updated, status_changed;
    std::uint64_t order = 0;
  };
  /// A task queue; `target_workers` selects its workers (see matches_expression()).
  struct TaskQueue {
    std::string sid, friendly_name, target_workers = "1==1";
    std::chrono::system_clock::time_point created;
    std::size_t next_worker = 0;  ///< round-robin cursor over the queue's workers
  };
  /// A reservation of a task for a worker: pending → accepted → wrapping → completed, or
  /// pending → rejected | canceled.
  struct Reservation {
    std::string sid, task_sid, worker_sid, status = "pending";
    std::chrono::system_clock::time_point created, updated;
    std::uint64_t order = 0;
  };
  /// A workspace with its children.
  struct Workspace {
    std::string sid, friendly_name, event_callback_url;
    std::chrono::system_clock::time_point created;
    std::vector<Workflow> workflows;
    std::vector<TaskChannel> channels;
    std::map<std::string, Task> tasks;  ///< by sid
    std::uint64_t order = 0;
    std::vector<Activity> activities;   ///< Offline (default), Available, Unavailable, Break, …
    std::map<std::string, Worker> workers;  ///< by sid
    std::vector<TaskQueue> queues;
    std::map<std::string, Reservation> reservations;  ///< by sid
  };

  /// Who accepted what (passed to the accept listener, outside the module's lock).
  struct Accepted {
    std::string workspace_sid, task_sid, reservation_sid, worker_sid;
  };
  /// Called (on the request's thread, outside the module's lock) after a reservation was accepted
  /// over REST or through accept_reservation(). Set once before the server listens.
  void set_accept_listener(std::function<void(const Accepted&)> listener) { accept_listener_ = std::move(listener); }

  /// What create_task_for_call() made.
  struct Created {
    std::string task_sid, reservation_sid, worker_sid;  ///< reservation/worker "" when the task waits
  };
  /// Creates a task as `POST …/Tasks` would (task.created, routing, reservation.created) for the
  /// calls control route. Throws std::out_of_range (unknown workspace/workflow/channel: message names it).
  Created create_task_for_call(const std::string& workspace_sid, const std::string& workflow_sid,
                               const nlohmann::json& attributes, const std::string& channel);
  /// Moves a task (and its reservation) to `status` as an update over REST would: `wrapping` (from
  /// assigned), `completed` (from assigned/wrapping), `canceled` (from pending/reserved), emitting
  /// task.wrapup / task.completed / task.canceled (`wrapping` again on a wrapping task raises task.wrapup
  /// once more, a redelivery). Returns that event's sequence number. Throws
  /// std::out_of_range (unknown workspace/task) or std::invalid_argument (transition not allowed).
  std::uint64_t move_task(const std::string& workspace_sid, const std::string& task_sid, const std::string& status,
                          const std::string& reason = "");
  /// Applies `edit` to the task's parsed attributes and stores them (version + 1).
  void edit_task_attributes(const std::string& workspace_sid, const std::string& task_sid,
                            const std::function<void(nlohmann::json&)>& edit);
  /// The task as `GET …/Tasks/{Sid}` returns it (throws std::out_of_range when unknown).
  nlohmann::json task_resource(const std::string& workspace_sid, const std::string& task_sid);
  /// The event records (README "TaskRouter events").
  TaskRouterEvents& events() noexcept { return events_; }

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
  void create_activity(const UpstreamRequest& request, httplib::Response& res);
  void list_activities(const UpstreamRequest& request, httplib::Response& res);
  void fetch_activity(const UpstreamRequest& request, httplib::Response& res);
  void create_worker(const UpstreamRequest& request, httplib::Response& res);
  void list_workers(const UpstreamRequest& request, httplib::Response& res);
  void fetch_worker(const UpstreamRequest& request, httplib::Response& res);
  void update_worker(const UpstreamRequest& request, httplib::Response& res);
  void create_queue(const UpstreamRequest& request, httplib::Response& res);
  void list_queues(const UpstreamRequest& request, httplib::Response& res);
  void fetch_queue(const UpstreamRequest& request, httplib::Response& res);
  void list_reservations(const UpstreamRequest& request, httplib::Response& res);
  void fetch_reservation(const UpstreamRequest& request, httplib::Response& res);
  void update_reservation(const UpstreamRequest& request, httplib::Response& res);
  void register_worker_routes(Router& upstream, ControlApi& control);
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
  nlohmann::json activity_json(const Workspace& ws, const Activity& activity) const;
  nlohmann::json worker_json(const Workspace& ws, const Worker& worker) const;
  nlohmann::json queue_json(const Workspace& ws, const TaskQueue& queue) const;
  nlohmann::json reservation_json(const Workspace& ws, const Reservation& reservation) const;
  void add_default_activities(Workspace& ws);
  const Activity* find_activity(const Workspace& ws, const std::string& sid_or_name) const;
  bool worker_available(const Workspace& ws, const Worker& worker) const;
  /// True when the worker holds a live (pending/accepted/wrapping) reservation on the task channel
  /// `channel_sid` (capacity 1 per channel; "" = on any channel).
  bool worker_busy(const Workspace& ws, const std::string& worker_sid, const std::string& channel_sid) const;
  /// Offers `task` (pending) to a worker as its workflow says; creates the reservation and its event.
  void route_task(Workspace& ws, Task& task);
  /// Offers every pending task (oldest first) again, e.g. after a worker became available.
  void route_pending(Workspace& ws);
  /// Status change of a task with its reservation and events (wrapping, completed, canceled); returns
  /// the sequence number of the task.* event.
  std::uint64_t apply_task_status(Workspace& ws, Task& task, const std::string& status, const std::string& reason);
  /// Queues one event callback (recorded even without EventCallbackUrl). Returns its sequence number.
  std::uint64_t emit(const Workspace& ws, const std::string& type, const std::string& description, const Task* task,
                     const Reservation* reservation);
  /// Accepts/rejects/wraps/completes a reservation; collects accepted ones for the listener.
  /// Answers false with (status, code, message) in `error` when not allowed.
  bool change_reservation(Workspace& ws, Reservation& reservation, const std::string& status,
                          std::vector<Accepted>& accepted, std::string& error);
  void notify_accepted(const std::vector<Accepted>& accepted);
  void seed_people(const nlohmann::json& spec, Workspace& ws, nlohmann::json& answer);

  ModuleContext context_;
  std::mutex mutex_;
  std::map<std::string, Workspace> workspaces_;
  std::uint64_t next_order_ = 1;
  std::function<void(const Accepted&)> accept_listener_;
  TaskRouterEvents events_;
};

/// Evaluates a TaskRouter expression (TargetWorkers, workflow filter `expression`) against a JSON
/// object: `1==1`, `<path> == "v"`, `<path> != "v"`, `<path> HAS "v"`, `<path> IN ["a","b"]`, joined
/// by `AND`/`OR` (AND binds tighter; no parentheses); `<path>` is dotted (`routing.skills`), `"v"`
/// may use single quotes, numbers and `true`/`false` are compared as JSON. Returns nullopt when the
/// expression is not of this subset.
std::optional<bool> matches_expression(const std::string& expression, const nlohmann::json& document);

}  // namespace flexcore::emulator
