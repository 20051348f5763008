// TaskRouter workers, activities, task queues, reservations, routing and event callbacks
// (upstream-contracts.md 3.1; spec twilio_taskrouter_v1.json). Part of TaskRouterModule
// (taskrouter_module.h); the task/workspace routes live in taskrouter_module.cpp.
#include "taskrouter_module.h"

#include "http_util.h"
#include "taskrouter_detail.h"
#include "twilio_error.h"

#include <algorithm>
#include <cctype>

namespace flexcore::emulator {
using namespace taskrouter_detail;

namespace {

using Clock = std::chrono::system_clock;

const std::vector<std::pair<std::string, bool>> kDefaultActivities = {
    {"Offline", false}, {"Available", true}, {"Unavailable", false}, {"Break", false}};

std::string trim(std::string_view text) {
  std::size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

// Splits at a keyword surrounded by spaces, case-insensitive, outside quotes and brackets.
std::vector<std::string> split_keyword(const std::string& text, const std::string& keyword) {
  std::vector<std::string> parts;
  const std::string needle = " " + keyword + " ";
  std::size_t start = 0;
  char quote = 0;
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') quote = c;
    else if (c == '[') ++depth;
    else if (c == ']') --depth;
    else if (depth == 0 && i + needle.size() <= text.size() && to_lower(text.substr(i, needle.size())) == to_lower(needle)) {
      parts.push_back(text.substr(start, i - start));
      start = i + needle.size();
      i = start - 1;
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

// A literal: "x" / 'x' / number / true / false / null.
std::optional<nlohmann::json> parse_literal(const std::string& raw) {
  const std::string text = trim(raw);
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front()) {
    return nlohmann::json(text.substr(1, text.size() - 2));
  }
  const auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded() || parsed.is_object() || parsed.is_array()) return std::nullopt;
  return parsed;
}

std::optional<nlohmann::json> parse_list(const std::string& raw) {
  const std::string text = trim(raw);
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return std::nullopt;
  nlohmann::json list = nlohmann::json::array();
  const std::string inner = text.substr(1, text.size() - 2);
  if (trim(inner).empty()) return list;
  std::size_t start = 0;
  char quote = 0;
  for (std::size_t i = 0; i <= inner.size(); ++i) {
    if (i < inner.size() && quote != 0) {
      if (inner[i] == quote) quote = 0;
      continue;
    }
    if (i < inner.size() && (inner[i] == '"' || inner[i] == '\'')) {
      quote = inner[i];
      continue;
    }
    if (i == inner.size() || inner[i] == ',') {
      const auto item = parse_literal(inner.substr(start, i - start));
      if (!item) return std::nullopt;
      list.push_back(*item);
      start = i + 1;
    }
  }
  return list;
}

const nlohmann::json* lookup(const nlohmann::json& document, const std::string& path) {
  const nlohmann::json* at = &document;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!at->is_object() || !at->contains(key)) return nullptr;
    at = &(*at)[key];
    if (dot == std::string::npos) return at;
    start = dot + 1;
  }
}

bool valid_path(const std::string& path) {
  if (path.empty()) return false;
  for (const char c : path) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') return false;
  }
  return true;
}

std::optional<bool> term_matches(const std::string& raw, const nlohmann::json& document) {
  const std::string term = trim(raw);
  if (term == "1==1" || term == "1 == 1" || to_lower(term) == "true") return true;
  if (term == "1==0" || term == "1 == 0" || to_lower(term) == "false") return false;
  for (const std::string op : {"==", "!=", " HAS ", " IN ", " has ", " in "}) {
    const std::size_t at = term.find(op);
    if (at == std::string::npos) continue;
    const std::string path = trim(term.substr(0, at));
    const std::string rest = term.substr(at + op.size());
    if (!valid_path(path)) return std::nullopt;
    const nlohmann::json* value = lookup(document, path);
    const std::string kind = to_lower(trim(op));
    if (kind == "==" || kind == "!=") {
      const auto literal = parse_literal(rest);
      if (!literal) return std::nullopt;
      const bool equal = value != nullptr && *value == *literal;
      const bool null_equal = literal->is_null() && (value == nullptr || value->is_null());
      return kind == "==" ? (equal || null_equal) : !(equal || null_equal);
    }
    if (kind == "has") {
      const auto literal = parse_literal(rest);
      if (!literal) return std::nullopt;
      return value != nullptr && value->is_array() && std::find(value->begin(), value->end(), *literal) != value->end();
    }
    const auto list = parse_list(rest);
    if (!list) return std::nullopt;
    return value != nullptr && std::find(list->begin(), list->end(), *value) != list->end();
  }
  return std::nullopt;
}

}  // namespace

std::optional<bool> matches_expression(const std::string& expression, const nlohmann::json& document) {
  if (trim(expression).empty()) return true;
  bool any = false;
  for (const auto& alternative : split_keyword(expression, "OR")) {
    bool all = true;
    for (const auto& term : split_keyword(alternative, "AND")) {
      const auto result = term_matches(term, document);
      if (!result) return std::nullopt;
      all = all && *result;
    }
    any = any || all;
  }
  return any;
}

// ---------------------------------------------------------------------------------------------- JSON

nlohmann::json TaskRouterModule::activity_json(const Workspace& ws, const Activity& activity) const {
  const std::string url = std::string(kPublicBase) + "/Workspaces/" + ws.sid + "/Activities/" + activity.sid;
  return nlohmann::json{{"account_sid", context_.config.credentials.account_sid},
                        {"available", activity.available},
                        {"date_created", iso8601_seconds(activity.created)},
                        {"date_updated", iso8601_seconds(activity.created)},
                        {"friendly_name", activity.friendly_name},
                        {"sid", activity.sid},
                        {"workspace_sid", ws.sid},
                        {"url", url},
                        {"links", {{"workspace", std::string(kPublicBase) + "/Workspaces/" + ws.sid}}}};
}

nlohmann::json TaskRouterModule::worker_json(const Workspace& ws, const Worker& worker) const {
  const std::string ws_url = std::string(kPublicBase) + "/Workspaces/" + ws.sid;
  const std::string url = ws_url + "/Workers/" + worker.sid;
  const Activity* activity = find_activity(ws, worker.activity_sid);
  return nlohmann::json{{"account_sid", context_.config.credentials.account_sid},
                        {"activity_name", activity != nullptr ? activity->friendly_name : ""},
                        {"activity_sid", worker.activity_sid},
                        {"attributes", worker.attributes},
                        {"available", activity != nullptr && activity->available},
                        {"date_created", iso8601_seconds(worker.created)},
                        {"date_status_changed", iso8601_seconds(worker.status_changed)},
                        {"date_updated", iso8601_seconds(worker.updated)},
                        {"friendly_name", worker.friendly_name},
                        {"sid", worker.sid},
                        {"workspace_sid", ws.sid},
                        {"url", url},
                        {"links",
                         {{"channels", url + "/Channels"},
                          {"reservations", url + "/Reservations"},
                          {"worker_statistics", url + "/Statistics"},
                          {"activity", ws_url + "/Activities/" + worker.activity_sid},
                          {"workspace", ws_url}}}};
}

nlohmann::json TaskRouterModule::queue_json(const Workspace& ws, const TaskQueue& queue) const {
  const std::string ws_url = std::string(kPublicBase) + "/Workspaces/" + ws.sid;
  const std::string url = ws_url + "/TaskQueues/" + queue.sid;
  return nlohmann::json{{"account_sid", context_.config.credentials.account_sid},
                        {"assignment_activity_sid", nullptr},
                        {"assignment_activity_name", nullptr},
                        {"date_created", iso8601_seconds(queue.created)},
                        {"date_updated", iso8601_seconds(queue.created)},
                        {"friendly_name", queue.friendly_name},
                        {"max_reserved_workers", 1},
                        {"reservation_activity_sid", nullptr},
                        {"reservation_activity_name", nullptr},
                        {"sid", queue.sid},
                        {"target_workers", queue.target_workers},
                        {"task_order", "FIFO"},
                        {"url", url},
                        {"workspace_sid", ws.sid},
                        {"links",
                         {{"assignment_activity", nullptr},
                          {"reservation_activity", nullptr},
                          {"workspace", ws_url},
                          {"statistics", url + "/Statistics"},
                          {"real_time_statistics", url + "/RealTimeStatistics"},
                          {"cumulative_statistics", url + "/CumulativeStatistics"},
                          {"list_statistics", ws_url + "/TaskQueues/Statistics"}}}};
}

nlohmann::json TaskRouterModule::reservation_json(const Workspace& ws, const Reservation& reservation) const {
  const std::string ws_url = std::string(kPublicBase) + "/Workspaces/" + ws.sid;
  const std::string url = ws_url + "/Tasks/" + reservation.task_sid + "/Reservations/" + reservation.sid;
  const auto worker = ws.workers.find(reservation.worker_sid);
  return nlohmann::json{{"account_sid", context_.config.credentials.account_sid},
                        {"date_created", iso8601_seconds(reservation.created)},
                        {"date_updated", iso8601_seconds(reservation.updated)},
                        {"reservation_status", reservation.status},
                        {"sid", reservation.sid},
                        {"task_sid", reservation.task_sid},
                        {"worker_name", worker != ws.workers.end() ? worker->second.friendly_name : ""},
                        {"worker_sid", reservation.worker_sid},
                        {"workspace_sid", ws.sid},
                        {"url", url},
                        {"links",
                         {{"task", ws_url + "/Tasks/" + reservation.task_sid},
                          {"worker", ws_url + "/Workers/" + reservation.worker_sid},
                          {"workspace", ws_url}}}};
}

// ------------------------------------------------------------------------------------------ helpers

void TaskRouterModule::add_default_activities(Workspace& ws) {
  for (const auto& [name, available] : kDefaultActivities) {
    ws.activities.push_back(Activity{random_sid("WA"), name, available, ws.created});
  }
}

const TaskRouterModule::Activity* TaskRouterModule::find_activity(const Workspace& ws, const std::string& sid_or_name) const {
  for (const auto& activity : ws.activities) {
    if (activity.sid == sid_or_name || activity.friendly_name == sid_or_name) return &activity;
  }
  return nullptr;
}

bool TaskRouterModule::worker_available(const Workspace& ws, const Worker& worker) const {
  const Activity* activity = find_activity(ws, worker.activity_sid);
  return activity != nullptr && activity->available;
}

bool TaskRouterModule::worker_busy(const Workspace& ws, const std::string& worker_sid, const std::string& channel_sid) const {
  for (const auto& [sid, reservation] : ws.reservations) {
    (void)sid;
    if (reservation.worker_sid != worker_sid ||
        (reservation.status != "pending" && reservation.status != "accepted" && reservation.status != "wrapping")) {
      continue;
    }
    // Capacity 1 per task channel: a callback task does not block a voice call.
    const auto task = ws.tasks.find(reservation.task_sid);
    if (channel_sid.empty() || task == ws.tasks.end() || task->second.task_channel_sid == channel_sid) return true;
  }
  return false;
}

std::uint64_t TaskRouterModule::emit(const Workspace& ws, const std::string& type, const std::string& description,
                                     const Task* task, const Reservation* reservation) {
  const auto now = Clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  Params params{{"EventType", type},
                {"EventDescription", description},
                {"AccountSid", context_.config.credentials.account_sid},
                {"WorkspaceSid", ws.sid},
                {"WorkspaceName", ws.friendly_name},
                {"ResourceType", reservation != nullptr ? "reservation" : "task"},
                {"ResourceSid", reservation != nullptr ? reservation->sid : (task != nullptr ? task->sid : ws.sid)},
                {"Sid", random_sid("EV")},
                {"Timestamp", std::to_string(ms / 1000)},
                {"TimestampMs", std::to_string(ms)}};
  if (task != nullptr) {
    std::string workflow_name, channel_name, queue_name, queue_target;
    for (const auto& wf : ws.workflows) {
      if (wf.sid == task->workflow_sid) workflow_name = wf.friendly_name;
    }
    for (const auto& channel : ws.channels) {
      if (channel.sid == task->task_channel_sid) channel_name = channel.unique_name;
    }
    for (const auto& queue : ws.queues) {
      if (queue.sid == task->task_queue_sid) {
        queue_name = queue.friendly_name;
        queue_target = queue.target_workers;
      }
    }
    const auto age = std::chrono::duration_cast<std::chrono::seconds>(now - task->created).count();
    const std::vector<std::pair<std::string, std::string>> task_params = {
        {"TaskSid", task->sid},
        {"TaskAttributes", task->attributes},
        {"TaskAge", std::to_string(std::max<long long>(0, age))},
        {"TaskPriority", std::to_string(task->priority)},
        {"TaskAssignmentStatus", task->assignment_status},
        {"TaskVersion", std::to_string(task->version)},
        {"TaskChannelSid", task->task_channel_sid},
        {"TaskChannelUniqueName", channel_name},
        {"TaskDateCreated", std::to_string(std::chrono::duration_cast<std::chrono::seconds>(task->created.time_since_epoch()).count())},
        {"TaskQueueSid", task->task_queue_sid},
        {"TaskQueueName", queue_name},
        {"TaskQueueTargetExpression", queue_target},
        {"WorkflowSid", task->workflow_sid},
        {"WorkflowName", workflow_name}};
    for (const auto& param : task_params) params.push_back(param);
    if (type == "task.canceled") params.emplace_back("TaskCanceledReason", task->reason);
    if (type == "task.completed") params.emplace_back("TaskCompletedReason", task->reason);
    if (type == "task.canceled" || type == "task.completed") params.emplace_back("Reason", task->reason);
  }
  if (reservation != nullptr) {
    params.emplace_back("ReservationSid", reservation->sid);
    params.emplace_back("WorkerSid", reservation->worker_sid);
    const auto worker = ws.workers.find(reservation->worker_sid);
    if (worker != ws.workers.end()) {
      params.emplace_back("WorkerName", worker->second.friendly_name);
      params.emplace_back("WorkerAttributes", worker->second.attributes);
      params.emplace_back("WorkerActivitySid", worker->second.activity_sid);
      const Activity* activity = find_activity(ws, worker->second.activity_sid);
      params.emplace_back("WorkerActivityName", activity != nullptr ? activity->friendly_name : "");
    }
  } else if (task != nullptr && !task->reservation_sid.empty()) {
    const auto live = ws.reservations.find(task->reservation_sid);
    if (live != ws.reservations.end()) params.emplace_back("WorkerSid", live->second.worker_sid);
  }
  return events_.add(ws.event_callback_url, std::move(params));
}

void TaskRouterModule::route_task(Workspace& ws, Task& task) {
  if (task.assignment_status != "pending") return;
  const auto wf = std::find_if(ws.workflows.begin(), ws.workflows.end(), [&](const Workflow& w) { return w.sid == task.workflow_sid; });
  if (wf == ws.workflows.end()) return;
  const nlohmann::json attributes = nlohmann::json::parse(task.attributes, nullptr, false);
  const nlohmann::json configuration = nlohmann::json::parse(wf->configuration, nullptr, false);
  // The workflow's targets in order: every matching filter's targets, then the default filter.
  std::vector<nlohmann::json> targets;
  bool has_known_worker_target = false;
  if (configuration.is_object() && configuration.contains("task_routing") && configuration["task_routing"].is_object()) {
    const auto& routing = configuration["task_routing"];
    if (routing.contains("filters") && routing["filters"].is_array()) {
      for (const auto& filter : routing["filters"]) {
        if (!filter.is_object()) continue;
        if (filter.contains("expression") && filter["expression"].is_string()) {
          const auto matched = matches_expression(filter["expression"].get<std::string>(), attributes);
          if (!matched.value_or(false)) continue;
        }
        if (filter.contains("targets") && filter["targets"].is_array()) {
          for (const auto& target : filter["targets"]) {
            if (!target.is_object()) continue;
            if (target.contains("known_worker_sid")) has_known_worker_target = true;
            targets.push_back(target);
          }
        }
      }
    }
    if (routing.contains("default_filter") && routing["default_filter"].is_object()) targets.push_back(routing["default_filter"]);
  }
  // Without a known-worker target, the attribute targetWorker (then workerSID) names the known worker.
  if (!has_known_worker_target) {
    targets.insert(targets.begin(), nlohmann::json{{"known_worker_sid", "task.targetWorker"}});
    targets.insert(targets.begin() + 1, nlohmann::json{{"known_worker_sid", "task.workerSID"}});
  }
  // The task is in the first queue its workflow names, even when a known worker takes it.
  if (task.task_queue_sid.empty()) {
    for (const auto& target : targets) {
      if (!target.contains("queue") || !target["queue"].is_string()) continue;
      const std::string wanted = target["queue"].get<std::string>();
      const auto queue = std::find_if(ws.queues.begin(), ws.queues.end(), [&](const TaskQueue& q) { return q.sid == wanted || q.friendly_name == wanted; });
      if (queue != ws.queues.end()) {
        task.task_queue_sid = queue->sid;
        break;
      }
    }
  }
  const auto offerable = [&](const Worker& worker) {
    return worker_available(ws, worker) && !worker_busy(ws, worker.sid, task.task_channel_sid) &&
           task.rejected_workers.count(worker.sid) == 0;
  };
  std::string chosen;
  std::string queue_sid;
  bool any_queue_target = false;
  for (const auto& target : targets) {
    if (target.contains("known_worker_sid") && target["known_worker_sid"].is_string()) {
      std::string expr = target["known_worker_sid"].get<std::string>();
      std::string worker_sid = expr;
      if (expr.rfind("task.", 0) == 0) {
        const nlohmann::json* value = attributes.is_object() ? lookup(attributes, expr.substr(5)) : nullptr;
        worker_sid = value != nullptr && value->is_string() ? value->get<std::string>() : "";
      }
      const auto worker = ws.workers.find(worker_sid);
      if (worker != ws.workers.end() && offerable(worker->second)) {
        chosen = worker_sid;
        if (target.contains("queue") && target["queue"].is_string()) queue_sid = target["queue"].get<std::string>();
        break;
      }
      continue;
    }
    if (!target.contains("queue") || !target["queue"].is_string()) continue;
    const std::string wanted = target["queue"].get<std::string>();
    auto queue = std::find_if(ws.queues.begin(), ws.queues.end(), [&](const TaskQueue& q) { return q.sid == wanted || q.friendly_name == wanted; });
    if (queue == ws.queues.end()) continue;
    any_queue_target = true;
    if (task.task_queue_sid.empty()) task.task_queue_sid = queue->sid;
    // Round robin over the queue's workers in creation order, from the queue's cursor.
    std::vector<const Worker*> members;
    for (const auto& [sid, worker] : ws.workers) {
      (void)sid;
      const nlohmann::json worker_attributes = nlohmann::json::parse(worker.attributes, nullptr, false);
      if (matches_expression(queue->target_workers, worker_attributes).value_or(false)) members.push_back(&worker);
    }
    std::sort(members.begin(), members.end(), [](const Worker* a, const Worker* b) { return a->order < b->order; });
    for (std::size_t i = 0; i < members.size() && chosen.empty(); ++i) {
      const std::size_t at = (queue->next_worker + i) % members.size();
      if (offerable(*members[at])) {
        chosen = members[at]->sid;
        queue->next_worker = at + 1;
        queue_sid = queue->sid;
      }
    }
    if (!chosen.empty()) break;
  }
  if (chosen.empty() && !any_queue_target) {
    // A workflow without queues (e.g. `{"task_routing":{"filters":[]}}`) offers to any worker.
    std::vector<const Worker*> everyone;
    for (const auto& [sid, worker] : ws.workers) {
      (void)sid;
      everyone.push_back(&worker);
    }
    std::sort(everyone.begin(), everyone.end(), [](const Worker* a, const Worker* b) { return a->order < b->order; });
    for (const auto* worker : everyone) {
      if (offerable(*worker)) {
        chosen = worker->sid;
        break;
      }
    }
  }
  if (chosen.empty()) return;  // waits until a worker becomes available
  if (!queue_sid.empty()) task.task_queue_sid = queue_sid;
  Reservation reservation;
  reservation.sid = random_sid("WR");
  reservation.task_sid = task.sid;
  reservation.worker_sid = chosen;
  reservation.created = reservation.updated = Clock::now();
  reservation.order = next_order_++;
  task.assignment_status = "reserved";
  task.reservation_sid = reservation.sid;
  ++task.version;
  task.updated = reservation.created;
  const auto [it, inserted] = ws.reservations.emplace(reservation.sid, reservation);
  (void)inserted;
  emit(ws, "reservation.created", "Created reservation " + it->second.sid + " for task " + task.sid, &task, &it->second);
}

void TaskRouterModule::route_pending(Workspace& ws) {
  std::vector<Task*> pending;
  for (auto& [sid, task] : ws.tasks) {
    (void)sid;
    if (task.assignment_status == "pending") pending.push_back(&task);
  }
  std::sort(pending.begin(), pending.end(), [](const Task* a, const Task* b) {
    if (a->priority != b->priority) return a->priority > b->priority;
    if (a->virtual_start != b->virtual_start) return a->virtual_start < b->virtual_start;
    return a->order < b->order;
  });
  for (Task* task : pending) route_task(ws, *task);
}

std::uint64_t TaskRouterModule::apply_task_status(Workspace& ws, Task& task, const std::string& status, const std::string& reason) {
  std::uint64_t seq = 0;
  task.assignment_status = status;
  if (!reason.empty()) task.reason = reason;
  Reservation* reservation = nullptr;
  if (!task.reservation_sid.empty()) {
    const auto it = ws.reservations.find(task.reservation_sid);
    if (it != ws.reservations.end()) reservation = &it->second;
  }
  const auto now = Clock::now();
  bool freed = false;
  if (status == "wrapping") {
    if (reservation != nullptr) {
      reservation->status = "wrapping";
      reservation->updated = now;
      emit(ws, "reservation.wrapup", "Reservation " + reservation->sid + " wrapping up", &task, reservation);
    }
    seq = emit(ws, "task.wrapup", "Task " + task.sid + " wrapping up", &task, nullptr);
  } else if (status == "completed") {
    if (reservation != nullptr) {
      reservation->status = "completed";
      reservation->updated = now;
      emit(ws, "reservation.completed", "Reservation " + reservation->sid + " completed", &task, reservation);
      freed = true;
    }
    seq = emit(ws, "task.completed", "Task " + task.sid + " completed", &task, nullptr);
    task.reservation_sid.clear();
  } else if (status == "canceled") {
    if (reservation != nullptr) {
      reservation->status = "canceled";
      reservation->updated = now;
      emit(ws, "reservation.canceled", "Reservation " + reservation->sid + " canceled", &task, reservation);
      freed = true;
    }
    seq = emit(ws, "task.canceled", "Task " + task.sid + " canceled", &task, nullptr);
    task.reservation_sid.clear();
  }
  if (freed) route_pending(ws);
  return seq;
}

bool TaskRouterModule::change_reservation(Workspace& ws, Reservation& reservation, const std::string& status,
                                          std::vector<Accepted>& accepted, std::string& error) {
  const auto task_it = ws.tasks.find(reservation.task_sid);
  if (task_it == ws.tasks.end()) {
    error = "Task " + reservation.task_sid + " no longer exists";
    return false;
  }
  Task& task = task_it->second;
  const std::string from = reservation.status;
  const auto now = Clock::now();
  if (status == "accepted") {
    if (from != "pending") {
      error = "Reservation " + reservation.sid + " is " + from + " and cannot be accepted";
      return false;
    }
    reservation.status = "accepted";
    reservation.updated = now;
    task.assignment_status = "assigned";
    ++task.version;
    task.updated = now;
    emit(ws, "reservation.accepted", "Reservation " + reservation.sid + " accepted", &task, &reservation);
    accepted.push_back(Accepted{ws.sid, task.sid, reservation.sid, reservation.worker_sid});
    return true;
  }
  if (status == "rejected") {
    if (from != "pending") {
      error = "Reservation " + reservation.sid + " is " + from + " and cannot be rejected";
      return false;
    }
    reservation.status = "rejected";
    reservation.updated = now;
    task.assignment_status = "pending";
    task.reservation_sid.clear();
    task.rejected_workers.insert(reservation.worker_sid);
    ++task.version;
    task.updated = now;
    emit(ws, "reservation.rejected", "Reservation " + reservation.sid + " rejected", &task, &reservation);
    route_pending(ws);
    return true;
  }
  if (status == "wrapping") {
    if (from != "accepted") {
      error = "Reservation " + reservation.sid + " is " + from + " and cannot be wrapped up";
      return false;
    }
    ++task.version;
    task.updated = now;
    apply_task_status(ws, task, "wrapping", "");
    return true;
  }
  if (status == "completed") {
    if (from != "accepted" && from != "wrapping") {
      error = "Reservation " + reservation.sid + " is " + from + " and cannot be completed";
      return false;
    }
    ++task.version;
    task.updated = now;
    apply_task_status(ws, task, "completed", "reservation completed");
    return true;
  }
  error = "ReservationStatus must be accepted, rejected, wrapping or completed";
  return false;
}

void TaskRouterModule::notify_accepted(const std::vector<Accepted>& accepted) {
  if (!accept_listener_) return;
  for (const auto& item : accepted) accept_listener_(item);
}

// ----------------------------------------------------------------------------------------- upstream

void TaskRouterModule::register_worker_routes(Router& upstream, ControlApi& control) {
  const auto route = [&](const std::string& method, const std::string& path,
                         void (TaskRouterModule::*handler)(const UpstreamRequest&, httplib::Response&)) {
    upstream.add_route("taskrouter", method, path, [this, handler](const UpstreamRequest& request, httplib::Response& res) {
      if (!require_twilio_basic_auth(request.http, res, context_.config.credentials)) return;
      (this->*handler)(request, res);
    });
  };
  route("POST", "/v1/Workspaces/{WorkspaceSid}/Activities", &TaskRouterModule::create_activity);
  route("GET", "/v1/Workspaces/{WorkspaceSid}/Activities", &TaskRouterModule::list_activities);
  route("GET", "/v1/Workspaces/{WorkspaceSid}/Activities/{Sid}", &TaskRouterModule::fetch_activity);
  route("POST", "/v1/Workspaces/{WorkspaceSid}/Workers", &TaskRouterModule::create_worker);
  route("GET", "/v1/Workspaces/{WorkspaceSid}/Workers", &TaskRouterModule::list_workers);
  route("GET", "/v1/Workspaces/{WorkspaceSid}/Workers/{Sid}", &TaskRouterModule::fetch_worker);
  route("POST", "/v1/Workspaces/{WorkspaceSid}/Workers/{Sid}", &TaskRouterModule::update_worker);
  route("POST", "/v1/Workspaces/{WorkspaceSid}/TaskQueues", &TaskRouterModule::create_queue);
  route("GET", "/v1/Workspaces/{WorkspaceSid}/TaskQueues", &TaskRouterModule::list_queues);
  route("GET", "/v1/Workspaces/{WorkspaceSid}/TaskQueues/{Sid}", &TaskRouterModule::fetch_queue);
  route("GET", "/v1/Workspaces/{WorkspaceSid}/Tasks/{TaskSid}/Reservations", &TaskRouterModule::list_reservations);
  route("GET", "/v1/Workspaces/{WorkspaceSid}/Tasks/{TaskSid}/Reservations/{Sid}", &TaskRouterModule::fetch_reservation);
  route("POST", "/v1/Workspaces/{WorkspaceSid}/Tasks/{TaskSid}/Reservations/{Sid}", &TaskRouterModule::update_reservation);
  route("GET", "/v1/Workspaces/{WorkspaceSid}/Workers/{WorkerSid}/Reservations", &TaskRouterModule::list_reservations);
  route("GET", "/v1/Workspaces/{WorkspaceSid}/Workers/{WorkerSid}/Reservations/{Sid}", &TaskRouterModule::fetch_reservation);
  route("POST", "/v1/Workspaces/{WorkspaceSid}/Workers/{WorkerSid}/Reservations/{Sid}", &TaskRouterModule::update_reservation);

  control.add("GET", "/taskrouter/events", [this](const httplib::Request& req, httplib::Response& res, const PathParams&) {
    std::uint64_t since = 0;
    std::string type;
    for (const auto& [name, value] : req.params) {
      if (name == "since") {
        const auto parsed = parse_integer(value);
        if (!parsed || *parsed < 0) return send_control_error(res, 400, "'since' must be a non-negative integer");
        since = static_cast<std::uint64_t>(*parsed);
      } else if (name == "type") {
        type = value;
      } else {
        return send_control_error(res, 400, "unknown query parameter '" + name + "' (expected since, type)");
      }
    }
    send_json(res, 200, nlohmann::json{{"events", events_.list(since, type)}});
  });
  control.add("DELETE", "/taskrouter/events", [this](const httplib::Request&, httplib::Response& res, const PathParams&) {
    events_.clear();
    res.status = 204;
  });
}

void TaskRouterModule::create_activity(const UpstreamRequest& request, httplib::Response& res) {
  const std::string name = form_value(request, "FriendlyName").value_or("");
  if (!valid_friendly_name(name)) return invalid_parameter(res, "FriendlyName", "FriendlyName must be 1 to 64 characters");
  const std::string available = form_value(request, "Available").value_or("true");
  if (available != "true" && available != "false") {
    return invalid_parameter(res, "Available", "Invalid parameter: Available must be true or false");
  }
  std::lock_guard lock(mutex_);
  Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  if (find_activity(*ws, name) != nullptr) {
    return send_twilio_error(res, 409, 20001, "Activity with FriendlyName " + name + " already exists");
  }
  ws->activities.push_back(Activity{random_sid("WA"), name, available == "true", Clock::now()});
  send_json(res, 201, activity_json(*ws, ws->activities.back()));
}

void TaskRouterModule::list_activities(const UpstreamRequest& request, httplib::Response& res) {
  const auto name = query_value(request, "FriendlyName");
  const auto available = query_value(request, "Available");
  if (available && *available != "true" && *available != "false") {
    return invalid_parameter(res, "Available", "Invalid parameter: Available must be true or false");
  }
  std::lock_guard lock(mutex_);
  const Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  std::vector<nlohmann::json> items;
  for (const auto& activity : ws->activities) {
    if (name && activity.friendly_name != *name) continue;
    if (available && activity.available != (*available == "true")) continue;
    items.push_back(activity_json(*ws, activity));
  }
  send_page(request, res, "activities", items);
}

void TaskRouterModule::fetch_activity(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  const Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  for (const auto& activity : ws->activities) {
    if (activity.sid == request.params.at("Sid")) return send_json(res, 200, activity_json(*ws, activity));
  }
  not_found(res, request.path);
}

namespace {
// Attributes form value: a JSON object document, else 400.
bool read_attributes(const UpstreamRequest& request, httplib::Response& res, std::optional<std::string>& out) {
  if (const auto value = form_value(request, "Attributes")) {
    const auto parsed = nlohmann::json::parse(*value, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
      invalid_parameter(res, "Attributes", "Value of Attributes must be a JSON object");
      return false;
    }
    out = *value;
  }
  return true;
}
}  // namespace

void TaskRouterModule::create_worker(const UpstreamRequest& request, httplib::Response& res) {
  const std::string name = form_value(request, "FriendlyName").value_or("");
  if (name.empty() || name.size() > 255) return invalid_parameter(res, "FriendlyName", "FriendlyName must be 1 to 255 characters");
  std::optional<std::string> attributes;
  if (!read_attributes(request, res, attributes)) return;
  const auto activity_sid = form_value(request, "ActivitySid");
  std::lock_guard lock(mutex_);
  Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  for (const auto& [sid, worker] : ws->workers) {
    (void)sid;
    if (worker.friendly_name == name) return send_twilio_error(res, 409, 20001, "Worker with FriendlyName " + name + " already exists");
  }
  const Activity* activity = activity_sid ? find_activity(*ws, *activity_sid) : &ws->activities.front();
  if (activity == nullptr || (activity_sid && activity->sid != *activity_sid)) {
    return invalid_parameter(res, "ActivitySid", "Invalid parameter: ActivitySid " + activity_sid.value_or("") + " is not an activity of workspace " + ws->sid);
  }
  Worker worker;
  worker.sid = random_sid("WK");
  worker.friendly_name = name;
  worker.attributes = attributes.value_or("{}");
  worker.activity_sid = activity->sid;
  worker.created = worker.updated = worker.status_changed = Clock::now();
  worker.order = next_order_++;
  const auto [it, inserted] = ws->workers.emplace(worker.sid, worker);
  (void)inserted;
  const nlohmann::json answer = worker_json(*ws, it->second);
  if (activity->available) route_pending(*ws);
  send_json(res, 201, answer);
}

void TaskRouterModule::list_workers(const UpstreamRequest& request, httplib::Response& res) {
  std::optional<std::string> activity_name, activity_sid, available, friendly_name, target, queue_sid, queue_name;
  bool descending = false;
  for (const auto& [name, value] : request.query) {
    if (name == "ActivityName") activity_name = value;
    else if (name == "ActivitySid") activity_sid = value;
    else if (name == "Available") available = value;
    else if (name == "FriendlyName") friendly_name = value;
    else if (name == "TargetWorkersExpression") target = value;
    else if (name == "TaskQueueSid") queue_sid = value;
    else if (name == "TaskQueueName") queue_name = value;
    else if (name == "Ordering") {
      if (value != "DateCreated:asc" && value != "DateCreated:desc") {
        return invalid_parameter(res, "Ordering", "Invalid parameter: Ordering must be DateCreated:asc or DateCreated:desc");
      }
      descending = value == "DateCreated:desc";
    }
  }
  if (available && *available != "true" && *available != "false" && *available != "1" && *available != "0") {
    return invalid_parameter(res, "Available", "Invalid parameter: Available must be true or false");
  }
  if (target && !matches_expression(*target, nlohmann::json::object())) {
    return invalid_parameter(res, "TargetWorkersExpression", "Invalid parameter: TargetWorkersExpression is not an expression the emulator understands");
  }
  std::lock_guard lock(mutex_);
  const Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  std::string queue_expression;
  if (queue_sid || queue_name) {
    const auto queue = std::find_if(ws->queues.begin(), ws->queues.end(), [&](const TaskQueue& q) {
      return (queue_sid && q.sid == *queue_sid) || (queue_name && q.friendly_name == *queue_name);
    });
    if (queue == ws->queues.end()) return send_page(request, res, "workers", {});
    queue_expression = queue->target_workers;
  }
  std::vector<const Worker*> matching;
  for (const auto& [sid, worker] : ws->workers) {
    (void)sid;
    const Activity* activity = find_activity(*ws, worker.activity_sid);
    if (activity_sid && worker.activity_sid != *activity_sid) continue;
    if (activity_name && (activity == nullptr || activity->friendly_name != *activity_name)) continue;
    if (available && (activity != nullptr && activity->available) != (*available == "true" || *available == "1")) continue;
    if (friendly_name && worker.friendly_name != *friendly_name) continue;
    const nlohmann::json attributes = nlohmann::json::parse(worker.attributes, nullptr, false);
    if (target && !matches_expression(*target, attributes).value_or(false)) continue;
    if ((queue_sid || queue_name) && !matches_expression(queue_expression, attributes).value_or(false)) continue;
    matching.push_back(&worker);
  }
  std::sort(matching.begin(), matching.end(), [&](const Worker* a, const Worker* b) {
    return descending ? a->order > b->order : a->order < b->order;
  });
  std::vector<nlohmann::json> items;
  for (const auto* worker : matching) items.push_back(worker_json(*ws, *worker));
  send_page(request, res, "workers", items);
}

void TaskRouterModule::fetch_worker(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  const Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  const auto it = ws->workers.find(request.params.at("Sid"));
  if (it == ws->workers.end()) return not_found(res, request.path);
  send_json(res, 200, worker_json(*ws, it->second));
}

void TaskRouterModule::update_worker(const UpstreamRequest& request, httplib::Response& res) {
  std::optional<std::string> attributes;
  if (!read_attributes(request, res, attributes)) return;
  const auto name = form_value(request, "FriendlyName");
  if (name && (name->empty() || name->size() > 255)) return invalid_parameter(res, "FriendlyName", "FriendlyName must be 1 to 255 characters");
  const auto activity_sid = form_value(request, "ActivitySid");
  const auto reject_pending = form_value(request, "RejectPendingReservations");
  if (reject_pending && *reject_pending != "true" && *reject_pending != "false") {
    return invalid_parameter(res, "RejectPendingReservations", "Invalid parameter: RejectPendingReservations must be true or false");
  }
  std::lock_guard lock(mutex_);
  Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  const auto it = ws->workers.find(request.params.at("Sid"));
  if (it == ws->workers.end()) return not_found(res, request.path);
  Worker& worker = it->second;
  const Activity* activity = nullptr;
  if (activity_sid) {
    activity = find_activity(*ws, *activity_sid);
    if (activity == nullptr || activity->sid != *activity_sid) {
      return invalid_parameter(res, "ActivitySid", "Invalid parameter: ActivitySid " + *activity_sid + " is not an activity of workspace " + ws->sid);
    }
  }
  if (name) {
    for (const auto& [sid, other] : ws->workers) {
      if (sid != worker.sid && other.friendly_name == *name) {
        return send_twilio_error(res, 409, 20001, "Worker with FriendlyName " + *name + " already exists");
      }
    }
    worker.friendly_name = *name;
  }
  if (attributes) worker.attributes = *attributes;
  const auto now = Clock::now();
  worker.updated = now;
  if (activity != nullptr && activity->sid != worker.activity_sid) {
    worker.activity_sid = activity->sid;
    worker.status_changed = now;
  }
  if (activity != nullptr && !activity->available && reject_pending == std::optional<std::string>("true")) {
    std::vector<Accepted> none;
    std::string error;
    for (auto& [sid, reservation] : ws->reservations) {
      (void)sid;
      if (reservation.worker_sid == worker.sid && reservation.status == "pending") change_reservation(*ws, reservation, "rejected", none, error);
    }
  }
  const nlohmann::json answer = worker_json(*ws, worker);
  if (worker_available(*ws, worker)) route_pending(*ws);
  send_json(res, 200, answer);
}

void TaskRouterModule::create_queue(const UpstreamRequest& request, httplib::Response& res) {
  const std::string name = form_value(request, "FriendlyName").value_or("");
  if (!valid_friendly_name(name)) return invalid_parameter(res, "FriendlyName", "FriendlyName must be 1 to 64 characters");
  const std::string target = form_value(request, "TargetWorkers").value_or("1==1");
  if (!matches_expression(target, nlohmann::json::object())) {
    return invalid_parameter(res, "TargetWorkers",
                             "Invalid parameter: TargetWorkers must be an expression such as 1==1, roles HAS \"agent\" or team == \"sales\"");
  }
  std::lock_guard lock(mutex_);
  Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  for (const auto& queue : ws->queues) {
    if (queue.friendly_name == name) return send_twilio_error(res, 409, 20001, "TaskQueue with FriendlyName " + name + " already exists");
  }
  ws->queues.push_back(TaskQueue{random_sid("WQ"), name, target, Clock::now()});
  send_json(res, 201, queue_json(*ws, ws->queues.back()));
}

void TaskRouterModule::list_queues(const UpstreamRequest& request, httplib::Response& res) {
  const auto name = query_value(request, "FriendlyName");
  const auto worker_sid = query_value(request, "WorkerSid");
  std::lock_guard lock(mutex_);
  const Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  nlohmann::json worker_attributes;
  if (worker_sid) {
    const auto it = ws->workers.find(*worker_sid);
    if (it == ws->workers.end()) return send_page(request, res, "task_queues", {});
    worker_attributes = nlohmann::json::parse(it->second.attributes, nullptr, false);
  }
  std::vector<nlohmann::json> items;
  for (const auto& queue : ws->queues) {
    if (name && queue.friendly_name != *name) continue;
    if (worker_sid && !matches_expression(queue.target_workers, worker_attributes).value_or(false)) continue;
    items.push_back(queue_json(*ws, queue));
  }
  send_page(request, res, "task_queues", items);
}

void TaskRouterModule::fetch_queue(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  const Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  for (const auto& queue : ws->queues) {
    if (queue.sid == request.params.at("Sid")) return send_json(res, 200, queue_json(*ws, queue));
  }
  not_found(res, request.path);
}

void TaskRouterModule::list_reservations(const UpstreamRequest& request, httplib::Response& res) {
  const auto status = query_value(request, "ReservationStatus");
  const auto worker_filter = query_value(request, "WorkerSid");
  std::lock_guard lock(mutex_);
  const Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  const auto task_sid = request.params.find("TaskSid");
  const auto worker_sid = request.params.find("WorkerSid");
  if (task_sid != request.params.end() && ws->tasks.count(task_sid->second) == 0) return not_found(res, request.path);
  if (worker_sid != request.params.end() && ws->workers.count(worker_sid->second) == 0) return not_found(res, request.path);
  std::vector<const Reservation*> matching;
  for (const auto& [sid, reservation] : ws->reservations) {
    (void)sid;
    if (task_sid != request.params.end() && reservation.task_sid != task_sid->second) continue;
    if (worker_sid != request.params.end() && reservation.worker_sid != worker_sid->second) continue;
    if (worker_filter && reservation.worker_sid != *worker_filter) continue;
    if (status && reservation.status != *status) continue;
    matching.push_back(&reservation);
  }
  std::sort(matching.begin(), matching.end(), [](const Reservation* a, const Reservation* b) { return a->order < b->order; });
  std::vector<nlohmann::json> items;
  for (const auto* reservation : matching) items.push_back(reservation_json(*ws, *reservation));
  send_page(request, res, "reservations", items);
}

void TaskRouterModule::fetch_reservation(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  const Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
  if (ws == nullptr) return not_found(res, request.path);
  const auto it = ws->reservations.find(request.params.at("Sid"));
  if (it == ws->reservations.end()) return not_found(res, request.path);
  const auto task_sid = request.params.find("TaskSid");
  const auto worker_sid = request.params.find("WorkerSid");
  if ((task_sid != request.params.end() && it->second.task_sid != task_sid->second) ||
      (worker_sid != request.params.end() && it->second.worker_sid != worker_sid->second)) {
    return not_found(res, request.path);
  }
  send_json(res, 200, reservation_json(*ws, it->second));
}

void TaskRouterModule::update_reservation(const UpstreamRequest& request, httplib::Response& res) {
  const auto status = form_value(request, "ReservationStatus");
  const auto worker_activity = form_value(request, "WorkerActivitySid");
  const auto instruction = form_value(request, "Instruction");
  if (instruction) {
    // conference / dequeue / call / redirect instructions drive real calls: use POST /__emulator/calls instead.
    return send_twilio_error(res, 501, 20501, "flexcore-emulator: Instruction " + *instruction + " is not emulated (accept the reservation instead)");
  }
  std::vector<Accepted> accepted;
  nlohmann::json answer;
  {
    std::lock_guard lock(mutex_);
    Workspace* ws = find_workspace(request.params.at("WorkspaceSid"));
    if (ws == nullptr) return not_found(res, request.path);
    const auto it = ws->reservations.find(request.params.at("Sid"));
    if (it == ws->reservations.end()) return not_found(res, request.path);
    Reservation& reservation = it->second;
    const auto task_sid = request.params.find("TaskSid");
    const auto worker_sid = request.params.find("WorkerSid");
    if ((task_sid != request.params.end() && reservation.task_sid != task_sid->second) ||
        (worker_sid != request.params.end() && reservation.worker_sid != worker_sid->second)) {
      return not_found(res, request.path);
    }
    const Activity* activity = nullptr;
    if (worker_activity) {
      activity = find_activity(*ws, *worker_activity);
      if (activity == nullptr || activity->sid != *worker_activity) {
        return invalid_parameter(res, "WorkerActivitySid", "Invalid parameter: WorkerActivitySid " + *worker_activity + " is not an activity of workspace " + ws->sid);
      }
    }
    if (status) {
      static const std::set<std::string> kStatuses = {"accepted", "rejected", "wrapping", "completed"};
      if (kStatuses.count(*status) == 0) {
        return invalid_parameter(res, "ReservationStatus",
                                 "Invalid parameter: ReservationStatus can be set to accepted, rejected, wrapping or completed");
      }
      std::string error;
      if (!change_reservation(*ws, reservation, *status, accepted, error)) {
        return send_twilio_error(res, 400, 20001, error);
      }
    }
    if (activity != nullptr) {
      const auto worker = ws->workers.find(reservation.worker_sid);
      if (worker != ws->workers.end() && worker->second.activity_sid != activity->sid) {
        worker->second.activity_sid = activity->sid;
        worker->second.status_changed = worker->second.updated = Clock::now();
        if (activity->available) route_pending(*ws);
      }
    }
    answer = reservation_json(*ws, reservation);
  }
  notify_accepted(accepted);
  send_json(res, 200, answer);
}

// ------------------------------------------------------------------------------------- calls support

TaskRouterModule::Created TaskRouterModule::create_task_for_call(const std::string& workspace_sid,
                                                                  const std::string& workflow_sid,
                                                                  const nlohmann::json& attributes,
                                                                  const std::string& channel) {
  std::lock_guard lock(mutex_);
  Workspace* ws = find_workspace(workspace_sid);
  if (ws == nullptr) throw std::out_of_range("no workspace " + workspace_sid);
  const auto wf = std::find_if(ws->workflows.begin(), ws->workflows.end(), [&](const Workflow& w) { return w.sid == workflow_sid; });
  if (wf == ws->workflows.end()) throw std::out_of_range("no workflow " + workflow_sid + " in workspace " + workspace_sid);
  const auto channel_it = std::find_if(ws->channels.begin(), ws->channels.end(), [&](const TaskChannel& c) {
    return c.sid == channel || c.unique_name == channel;
  });
  if (channel_it == ws->channels.end()) throw std::out_of_range("no task channel " + channel + " in workspace " + workspace_sid);
  Task task;
  task.sid = random_sid("WT");
  task.workflow_sid = workflow_sid;
  task.task_channel_sid = channel_it->sid;
  task.attributes = attributes.dump();
  task.created = task.updated = task.virtual_start = Clock::now();
  task.order = next_order_++;
  auto [it, inserted] = ws->tasks.emplace(task.sid, task);
  (void)inserted;
  emit(*ws, "task.created", "Task " + it->second.sid + " created", &it->second, nullptr);
  route_task(*ws, it->second);
  Created created{it->second.sid, it->second.reservation_sid, ""};
  if (!created.reservation_sid.empty()) created.worker_sid = ws->reservations.at(created.reservation_sid).worker_sid;
  return created;
}

std::uint64_t TaskRouterModule::move_task(const std::string& workspace_sid, const std::string& task_sid,
                                          const std::string& status, const std::string& reason) {
  std::lock_guard lock(mutex_);
  Workspace* ws = find_workspace(workspace_sid);
  if (ws == nullptr) throw std::out_of_range("no workspace " + workspace_sid);
  const auto it = ws->tasks.find(task_sid);
  if (it == ws->tasks.end()) throw std::out_of_range("no task " + task_sid);
  const std::string& from = it->second.assignment_status;
  if (status == "wrapping" && from == "wrapping") {
    // Already wrapping: raise task.wrapup again (a redelivery), nothing changes.
    return emit(*ws, "task.wrapup", "Task " + task_sid + " wrapping up", &it->second, nullptr);
  }
  const bool allowed = (status == "wrapping" && from == "assigned") ||
                       (status == "completed" && (from == "assigned" || from == "wrapping")) ||
                       (status == "canceled" && (from == "pending" || from == "reserved"));
  if (!allowed) throw std::invalid_argument("task " + task_sid + " is " + from + ": it cannot become " + status);
  ++it->second.version;
  it->second.updated = Clock::now();
  return apply_task_status(*ws, it->second, status, reason);
}

void TaskRouterModule::edit_task_attributes(const std::string& workspace_sid, const std::string& task_sid,
                                            const std::function<void(nlohmann::json&)>& edit) {
  std::lock_guard lock(mutex_);
  Workspace* ws = find_workspace(workspace_sid);
  if (ws == nullptr) throw std::out_of_range("no workspace " + workspace_sid);
  const auto it = ws->tasks.find(task_sid);
  if (it == ws->tasks.end()) throw std::out_of_range("no task " + task_sid);
  nlohmann::json attributes = nlohmann::json::parse(it->second.attributes, nullptr, false);
  if (!attributes.is_object()) attributes = nlohmann::json::object();
  edit(attributes);
  it->second.attributes = attributes.dump();
  ++it->second.version;
  it->second.updated = Clock::now();
}

nlohmann::json TaskRouterModule::task_resource(const std::string& workspace_sid, const std::string& task_sid) {
  std::lock_guard lock(mutex_);
  Workspace* ws = find_workspace(workspace_sid);
  if (ws == nullptr) throw std::out_of_range("no workspace " + workspace_sid);
  const auto it = ws->tasks.find(task_sid);
  if (it == ws->tasks.end()) throw std::out_of_range("no task " + task_sid);
  return task_json(*ws, it->second);
}

// ------------------------------------------------------------------------------------------ control

void TaskRouterModule::seed_people(const nlohmann::json& spec, Workspace& ws, nlohmann::json& answer) {
  // Validated by seed_workspace before the workspace was created.
  const auto now = Clock::now();
  answer["activities"] = nlohmann::json::array();
  for (const auto& activity : ws.activities) answer["activities"].push_back({{"sid", activity.sid}, {"friendlyName", activity.friendly_name}, {"available", activity.available}});
  answer["taskQueues"] = nlohmann::json::array();
  for (const auto& item : spec.value("taskQueues", nlohmann::json::array())) {
    TaskQueue queue{item.value("sid", std::string()), item.at("friendlyName").get<std::string>(), item.value("targetWorkers", std::string("1==1")), now};
    if (queue.sid.empty()) queue.sid = random_sid("WQ");
    ws.queues.push_back(queue);
    answer["taskQueues"].push_back({{"sid", queue.sid}, {"friendlyName", queue.friendly_name}, {"targetWorkers", queue.target_workers}});
  }
  answer["workers"] = nlohmann::json::array();
  for (const auto& item : spec.value("workers", nlohmann::json::array())) {
    Worker worker;
    worker.sid = item.value("sid", std::string());
    if (worker.sid.empty()) worker.sid = random_sid("WK");
    worker.friendly_name = item.at("friendlyName").get<std::string>();
    worker.attributes = item.value("attributes", nlohmann::json::object()).dump();
    const Activity* activity = find_activity(ws, item.value("activity", std::string("Offline")));
    worker.activity_sid = activity->sid;
    worker.created = worker.updated = worker.status_changed = now;
    worker.order = next_order_++;
    ws.workers.emplace(worker.sid, worker);
    answer["workers"].push_back({{"sid", worker.sid}, {"friendlyName", worker.friendly_name}, {"activity", activity->friendly_name}});
  }
  // Workflows naming a queue / known-worker attribute get a TaskRouter configuration routing to them.
  const auto workflow_specs = spec.value("workflows", nlohmann::json::array());
  for (std::size_t i = 0; i < workflow_specs.size() && i < ws.workflows.size(); ++i) {
    const auto& item = workflow_specs[i];
    if (!item.contains("taskQueue") && !item.contains("knownWorker")) continue;
    std::string queue_sid;
    if (item.contains("taskQueue")) {
      const std::string wanted = item["taskQueue"].get<std::string>();
      for (const auto& queue : ws.queues) {
        if (queue.sid == wanted || queue.friendly_name == wanted) queue_sid = queue.sid;
      }
    }
    nlohmann::json target = nlohmann::json::object();
    if (item.contains("knownWorker")) target["known_worker_sid"] = "task." + item["knownWorker"].get<std::string>();
    if (!queue_sid.empty()) target["queue"] = queue_sid;
    nlohmann::json routing{{"filters", nlohmann::json::array({{{"filter_friendly_name", ws.workflows[i].friendly_name}, {"expression", "1==1"}, {"targets", nlohmann::json::array({target})}}})}};
    if (!queue_sid.empty()) routing["default_filter"] = {{"queue", queue_sid}};
    ws.workflows[i].configuration = nlohmann::json{{"task_routing", routing}}.dump();
  }
}

}  // namespace flexcore::emulator
