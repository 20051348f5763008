#include "flexcore/emulator/call_scenario.h"

#include <httplib.h>

#include <stdexcept>

#include "http_util.h"

namespace flexcore::emulator {
namespace {
std::string task_path(const std::string& workspace, const std::string& task = "") {
  return "/taskrouter/v1/Workspaces/" + workspace + "/Tasks" + (task.empty() ? "" : "/" + task);
}
}  // namespace

CallScenario::CallScenario(EmulatorProcess& emulator) : emulator_(emulator) {
  // A workspace whose workflow offers calls to any free worker; enough Available workers for the
  // calls one test plays at once (each holds one call until it completes).
  nlohmann::json workers = nlohmann::json::array();
  for (int i = 1; i <= kWorkers; ++i) {
    workers.push_back({{"friendlyName", "agent-" + std::to_string(i)},
                       {"attributes", {{"full_name", "Agent " + std::to_string(i)}, {"roles", {"agent"}}, {"contact_uri", "client:agent-" + std::to_string(i)}}},
                       {"activity", "Available"}});
  }
  const auto workspace = emulator_.control(
      "POST", "/taskrouter/workspaces",
      {{"friendlyName", "Flex Task Assignment " + random_hex(4)}, {"workflows", {{{"friendlyName", "Assign to Anyone"}}}}, {"workers", workers}},
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

CallScenario::Call CallScenario::accept(const nlohmann::json& created) {
  const auto& reservation = created.at("reservationSid");
  const std::string task_sid = created.at("taskSid").get<std::string>();
  if (!reservation.is_string()) throw std::runtime_error("call " + task_sid + " was not offered to any worker (all busy?)");
  // What Flex's AcceptTask does: accept the reservation over REST; the emulator joins the worker leg.
  const auto [status, body] = api("POST", task_path(workspace_sid_, task_sid) + "/Reservations/" + reservation.get<std::string>(),
                                  {{"ReservationStatus", "accepted"}});
  if (status != 200) throw std::runtime_error("accept reservation: " + std::to_string(status) + " " + body);
  const nlohmann::json call = emulator_.control("GET", "/calls/" + task_sid);
  const auto text = [&](const char* key) { return call.at(key).is_string() ? call.at(key).get<std::string>() : std::string(); };
  return Call{task_sid, text("conferenceSid"), text("customerCallSid"), text("workerCallSid"), text("channel")};
}

CallScenario::Call CallScenario::start_call(const nlohmann::json& base_attributes, bool with_conference,
                                            const std::string& channel) {
  const nlohmann::json created = emulator_.control(
      "POST", "/calls",
      {{"workspaceSid", workspace_sid_},
       {"workflowSid", workflow_sid_},
       {"from", "+15550100100"},
       {"to", "+15550100001"},
       {"attributes", base_attributes.is_object() ? base_attributes : nlohmann::json::object()},
       {"channel", channel},
       {"conference", with_conference}},
      201);
  return accept(created);
}

void CallScenario::hang_up(const Call& call, Party party) {
  emulator_.control("POST", "/calls/" + call.task_sid + "/hang-up",
                    {{"party", party == Party::Customer ? "customer" : "worker"}, {"wrapUp", false}}, 200);
}

CallScenario::Call CallScenario::cold_transfer(const Call& call) {
  return accept(emulator_.control("POST", "/calls/" + call.task_sid + "/transfer", nlohmann::json::object(), 201));
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
  return emulator_.control("POST", "/calls/" + call.task_sid + "/wrap-up", {{"eventUrl", events_url}, {"params", overrides}}, 200)
      .at("event");
}

}  // namespace flexcore::emulator
