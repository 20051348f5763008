#include "flexcore/emulator/call_scenario.h"

#include <httplib.h>

#include <chrono>
#include <stdexcept>

#include "http_util.h"

namespace flexcore::emulator {
namespace {
std::string task_path(const std::string& workspace, const std::string& task = "") {
  return "/taskrouter/v1/Workspaces/" + workspace + "/Tasks" + (task.empty() ? "" : "/" + task);
}
}  // namespace

CallScenario::CallScenario(EmulatorProcess& emulator) : emulator_(emulator) {
  const auto workspace = emulator_.control(
      "POST", "/taskrouter/workspaces",
      {{"friendlyName", "Flex Task Assignment " + random_hex(4)}, {"workflows", {{{"friendlyName", "Assign to Anyone"}}}}},
      201);
  workspace_sid_ = workspace.at("sid").get<std::string>();
  workflow_sid_ = workspace.at("workflows").at(0).at("sid").get<std::string>();
}

std::pair<int, std::string> CallScenario::api(const std::string& method, const std::string& path,
                                              const std::vector<std::pair<std::string, std::string>>& form) {
  httplib::Client client("127.0.0.1", emulator_.port());
  client.set_connection_timeout(10, 0);
  client.set_read_timeout(30, 0);
  client.set_basic_auth(emulator_.account_sid().c_str(), emulator_.auth_token().c_str());
  auto call_api = [&]() -> httplib::Result {
    if (method == "GET") return client.Get(path.c_str());
    if (method == "POST") {
      return client.Post(path.c_str(), encode_form(Params(form.begin(), form.end())), "application/x-www-form-urlencoded");
    }
    if (method == "DELETE") return client.Delete(path.c_str());
    throw std::invalid_argument("CallScenario::api: unsupported method " + method);
  };
  const httplib::Result result = call_api();
  if (!result) throw std::runtime_error("emulator call " + method + " " + path + " failed: " + httplib::to_string(result.error()));
  return {result->status, result->body};
}

CallScenario::Call CallScenario::start_call(const nlohmann::json& base_attributes, bool with_conference,
                                            const std::string& channel) {
  Call call;
  call.channel = channel;
  nlohmann::json attributes = base_attributes.is_object() ? base_attributes : nlohmann::json::object();
  if (with_conference) {
    call.customer_call = random_sid("CA");
    call.conference_sid = random_sid("CF");
    call.worker_call = random_sid("CA");
    attributes["call_sid"] = call.customer_call;
    attributes["conference"] = {{"sid", call.conference_sid},
                                {"participants", {{"customer", call.customer_call}, {"worker", call.worker_call}}}};
  }
  const auto [status, body] = api("POST", task_path(workspace_sid_),
                                  {{"Attributes", attributes.dump()}, {"WorkflowSid", workflow_sid_}, {"TaskChannel", channel}});
  if (status != 201) throw std::runtime_error("create task: " + std::to_string(status) + " " + body);
  call.task_sid = nlohmann::json::parse(body).at("sid").get<std::string>();
  // Routing reserves the task for a worker, who accepts the reservation.
  for (const char* next : {"reserved", "assigned"}) {
    emulator_.control("POST", "/taskrouter/workspaces/" + workspace_sid_ + "/tasks/" + call.task_sid,
                      {{"assignmentStatus", next}}, 200);
  }
  if (with_conference) {
    emulator_.control("POST", "/voice/conferences", {{"sid", call.conference_sid}, {"friendlyName", call.task_sid}}, 201);
    emulator_.control("POST", "/voice/conferences/" + call.conference_sid + "/participants",
                      {{"callSid", call.customer_call}, {"label", "customer"}, {"endConferenceOnExit", true}}, 201);
    emulator_.control("POST", "/voice/conferences/" + call.conference_sid + "/participants",
                      {{"callSid", call.worker_call}, {"label", "worker"}, {"endConferenceOnExit", true}}, 201);
  }
  return call;
}

void CallScenario::hang_up(const Call& call, Party party) {
  const std::string& leg = party == Party::Customer ? call.customer_call : call.worker_call;
  emulator_.control("POST", "/voice/conferences/" + call.conference_sid + "/participants/" + leg + "/leave",
                    {{"reason", "participant_hung_up"}}, 200);
}

CallScenario::Call CallScenario::cold_transfer(const Call& call) {
  // Flex keeps the conference up for the customer while the first agent leaves.
  const auto [status, body] =
      api("POST", "/voice/2010-04-01/Accounts/" + emulator_.account_sid() + "/Conferences/" + call.conference_sid +
                      "/Participants/" + call.worker_call + ".json",
          {{"EndConferenceOnExit", "false"}});
  if (status != 200) throw std::runtime_error("update worker leg: " + std::to_string(status) + " " + body);
  emulator_.control("POST", "/voice/conferences/" + call.conference_sid + "/participants/" + call.worker_call + "/leave",
                    {{"reason", "participant_updated_via_api"}}, 200);
  Call next;
  next.channel = call.channel;
  next.conference_sid = call.conference_sid;
  next.customer_call = call.customer_call;
  next.worker_call = random_sid("CA");
  nlohmann::json attributes = this->attributes(call);
  attributes["conference"]["participants"]["worker"] = next.worker_call;
  if (attributes.contains("conversations")) attributes.erase("conversations");
  const auto [created, created_body] =
      api("POST", task_path(workspace_sid_),
          {{"Attributes", attributes.dump()}, {"WorkflowSid", workflow_sid_}, {"TaskChannel", call.channel}});
  if (created != 201) throw std::runtime_error("create transfer task: " + std::to_string(created) + " " + created_body);
  next.task_sid = nlohmann::json::parse(created_body).at("sid").get<std::string>();
  for (const char* status_name : {"reserved", "assigned"}) {
    emulator_.control("POST", "/taskrouter/workspaces/" + workspace_sid_ + "/tasks/" + next.task_sid,
                      {{"assignmentStatus", status_name}}, 200);
  }
  emulator_.control("POST", "/voice/conferences/" + call.conference_sid + "/participants",
                    {{"callSid", next.worker_call}, {"label", "worker"}, {"endConferenceOnExit", true}}, 201);
  return next;
}

nlohmann::json CallScenario::task(const Call& call) {
  const auto [status, body] = api("GET", task_path(workspace_sid_, call.task_sid));
  if (status != 200) throw std::runtime_error("fetch task: " + std::to_string(status) + " " + body);
  return nlohmann::json::parse(body);
}

std::string CallScenario::raw_attributes(const Call& call) { return task(call).at("attributes").get<std::string>(); }

nlohmann::json CallScenario::attributes(const Call& call) { return nlohmann::json::parse(raw_attributes(call)); }

void CallScenario::set_attributes(const Call& call, const nlohmann::json& attributes) {
  const auto [status, body] = api("POST", task_path(workspace_sid_, call.task_sid), {{"Attributes", attributes.dump()}});
  if (status != 200) throw std::runtime_error("update task: " + std::to_string(status) + " " + body);
}

nlohmann::json CallScenario::wrap_up(const Call& call, const std::string& events_url, const nlohmann::json& overrides) {
  emulator_.control("POST", "/taskrouter/workspaces/" + workspace_sid_ + "/tasks/" + call.task_sid,
                    {{"assignmentStatus", "wrapping"}}, 200);
  const nlohmann::json task = this->task(call);
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  auto text = [&](const char* key) {
    const auto it = task.find(key);
    if (it == task.end() || it->is_null()) return std::string();
    return it->is_string() ? it->get<std::string>() : it->dump();
  };
  nlohmann::json params = {
      {"EventType", "task.wrapup"},
      {"EventDescription", "Task " + call.task_sid + " wrapping up"},
      {"AccountSid", emulator_.account_sid()},
      {"WorkspaceSid", workspace_sid_},
      {"WorkspaceName", "Flex Task Assignment"},
      {"ResourceType", "task"},
      {"ResourceSid", call.task_sid},
      {"Sid", random_sid("EV")},
      {"Timestamp", std::to_string(seconds)},
      {"TimestampMs", std::to_string(millis)},
      {"TaskSid", call.task_sid},
      {"TaskAttributes", text("attributes")},
      {"TaskAge", text("age")},
      {"TaskPriority", text("priority")},
      {"TaskAssignmentStatus", text("assignment_status")},
      {"TaskChannelSid", text("task_channel_sid")},
      {"TaskChannelUniqueName", text("task_channel_unique_name")},
      {"TaskDateCreated", text("date_created")},
      {"WorkflowSid", text("workflow_sid")},
      {"WorkflowName", text("workflow_friendly_name")},
  };
  for (const auto& [key, value] : overrides.items()) {
    if (value.is_null()) {
      params.erase(key);
    } else {
      params[key] = value;
    }
  }
  return emulator_.send_webhook({{"url", events_url}, {"method", "POST"}, {"params", params}});
}

}  // namespace flexcore::emulator
