// TaskRouter workers, activities, task queues, reservations, routing and event callbacks against the
// real emulator process (upstream-contracts.md 3.1, twilio_taskrouter_v1.json).
#include "test_support.h"
// after test_support.h (which declares flexcore::emulator::testing after EmulatorProcess)
#include "event_receiver.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using flexcore::emulator::EmulatorProcess;
using namespace flexcore::emulator::testing;
using json = nlohmann::json;

namespace {

const std::string kWs = "WS1111111111111111111111111111abcd";
const std::string kBase = "/taskrouter/v1/Workspaces/" + kWs;

struct Fixture {
  EmulatorProcess emulator;
  EventReceiver receiver;
  json seeded;
  httplib::Client client = client_for(emulator);

  explicit Fixture(const json& extra = json::object()) {
    client.set_basic_auth(emulator.account_sid().c_str(), emulator.auth_token().c_str());
    json spec = {{"sid", kWs},
                 {"eventCallbackUrl", receiver.url("/taskrouter/events")},
                 {"taskQueues", {{{"friendlyName", "Everyone"}}, {{"friendlyName", "Sales"}, {"targetWorkers", "roles HAS \"sales\""}}}},
                 {"workers",
                  {{{"friendlyName", "ana"}, {"attributes", {{"full_name", "Ana"}, {"roles", {"agent", "sales"}}, {"contact_uri", "client:ana"}}}, {"activity", "Available"}},
                   {{"friendlyName", "bob"}, {"attributes", {{"full_name", "Bob"}, {"roles", {"agent", "sales"}}, {"contact_uri", "client:bob"}}}, {"activity", "Available"}},
                   {{"friendlyName", "cid"}, {"attributes", {{"full_name", "Cid"}, {"roles", {"agent"}}, {"contact_uri", "client:cid"}}}, {"activity", "Offline"}}}},
                 {"workflows",
                  {{{"friendlyName", "Sales"}, {"taskQueue", "Sales"}},
                   {{"friendlyName", "Known agent"}, {"taskQueue", "Everyone"}, {"knownWorker", "targetWorker"}}}}};
    for (const auto& [key, value] : extra.items()) spec[key] = value;
    seeded = emulator.control("POST", "/taskrouter/workspaces", spec, 201);
  }

  std::string worker(const std::string& name) const {
    for (const auto& w : seeded["workers"]) {
      if (w["friendlyName"] == name) return w["sid"];
    }
    throw std::runtime_error("no worker " + name);
  }
  std::string workflow(std::size_t i) const { return seeded["workflows"][i]["sid"]; }
  std::string activity(const std::string& name) const {
    for (const auto& a : seeded["activities"]) {
      if (a["friendlyName"] == name) return a["sid"];
    }
    throw std::runtime_error("no activity " + name);
  }

  json get(const std::string& path, int expected = 200) {
    const auto result = client.Get(path.c_str());
    REQUIRE(result);
    INFO(path << " → " << result->body);
    REQUIRE(result->status == expected);
    return json_of(result);
  }
  json post(const std::string& path, const httplib::Params& params, int expected = 200) {
    const auto result = client.Post(path.c_str(), params);
    REQUIRE(result);
    INFO(path << " → " << result->body);
    REQUIRE(result->status == expected);
    return json_of(result);
  }
  json create_task(const json& attributes, std::size_t workflow_index) {
    return post(kBase + "/Tasks", {{"Attributes", attributes.dump()}, {"WorkflowSid", workflow(workflow_index)}, {"TaskChannel", "voice"}}, 201);
  }
  json reservations(const std::string& task_sid) { return get(kBase + "/Tasks/" + task_sid + "/Reservations")["reservations"]; }

  /// The recorded events, after every queued delivery finished (bounded wait: a broken run fails, a
  /// slow machine only waits longer).
  json events(const std::string& type = "") {
    for (int i = 0; i < 2000; ++i) {
      const json all = emulator.control("GET", "/taskrouter/events" + (type.empty() ? "" : "?type=" + type));
      bool pending = false;
      for (const auto& e : all["events"]) pending = pending || e["delivery"] == "pending";
      if (!pending) return all["events"];
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL("event deliveries still pending");
    return json();
  }
};

std::vector<std::string> types(const json& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e["eventType"]);
  return out;
}

}  // namespace

TEST_CASE("seeded workers, activities and task queues are served as TaskRouter resources", "[emulator][taskrouter]") {
  Fixture f;
  const json activities = f.get(kBase + "/Activities")["activities"];
  REQUIRE(activities.size() == 4);
  CHECK(activities[0]["friendly_name"] == "Offline");
  CHECK(activities[1]["friendly_name"] == "Available");
  CHECK(activities[1]["available"] == true);
  CHECK(f.get(kBase + "/Activities?Available=true")["activities"].size() == 1);

  const json workers = f.get(kBase + "/Workers")["workers"];
  REQUIRE(workers.size() == 3);
  CHECK(workers[0]["friendly_name"] == "ana");
  CHECK(json::parse(workers[0]["attributes"].get<std::string>())["contact_uri"] == "client:ana");
  CHECK(workers[0]["activity_name"] == "Available");
  CHECK(workers[0]["available"] == true);
  CHECK(workers[2]["available"] == false);
  CHECK(f.get(kBase + "/Workers?Available=true")["workers"].size() == 2);
  CHECK(f.get(kBase + "/Workers?ActivityName=Offline")["workers"][0]["friendly_name"] == "cid");
  CHECK(f.get(kBase + "/Workers?TaskQueueName=Sales")["workers"].size() == 2);
  CHECK(f.get(kBase + "/Workers?TargetWorkersExpression=" + flexcore::emulator::url_encode("roles HAS \"sales\""))["workers"].size() == 2);

  const json ana = f.get(kBase + "/Workers/" + f.worker("ana"));
  CHECK(ana["sid"] == f.worker("ana"));
  f.get(kBase + "/Workers/WK00000000000000000000000000000000", 404);

  const json queues = f.get(kBase + "/TaskQueues")["task_queues"];
  REQUIRE(queues.size() == 2);
  CHECK(queues[1]["target_workers"] == "roles HAS \"sales\"");
  CHECK(f.get(kBase + "/TaskQueues/" + queues[0]["sid"].get<std::string>())["friendly_name"] == "Everyone");
  CHECK(f.get(kBase + "/TaskQueues?WorkerSid=" + f.worker("cid"))["task_queues"].size() == 1);
}

TEST_CASE("workers, activities and task queues are created and updated over REST", "[emulator][taskrouter]") {
  Fixture f;
  const json busy = f.post(kBase + "/Activities", {{"FriendlyName", "Lunch"}, {"Available", "false"}}, 201);
  CHECK(busy["available"] == false);
  f.post(kBase + "/Activities", {{"FriendlyName", "Lunch"}}, 409);

  const json dan = f.post(kBase + "/Workers", {{"FriendlyName", "dan"}, {"Attributes", R"({"roles":["supervisor"]})"}}, 201);
  CHECK(dan["activity_name"] == "Offline");
  CHECK(dan["available"] == false);
  f.post(kBase + "/Workers", {{"FriendlyName", "dan"}}, 409);
  f.post(kBase + "/Workers", {{"FriendlyName", "eve"}, {"Attributes", "[1]"}}, 400);
  f.post(kBase + "/Workers", {{"FriendlyName", "eve"}, {"ActivitySid", "WA00000000000000000000000000000000"}}, 400);
  f.post(kBase + "/Workers", {{"FriendlyName", "eve"}, {"Color", "red"}}, 400);  // OpenAPI: unknown parameter

  const json updated = f.post(kBase + "/Workers/" + dan["sid"].get<std::string>(),
                              {{"ActivitySid", f.activity("Available")}, {"Attributes", R"({"roles":["supervisor","agent"]})"}});
  CHECK(updated["activity_name"] == "Available");
  CHECK(updated["available"] == true);
  CHECK(json::parse(updated["attributes"].get<std::string>())["roles"].size() == 2);

  const json queue = f.post(kBase + "/TaskQueues", {{"FriendlyName", "Support"}, {"TargetWorkers", "roles HAS 'support'"}}, 201);
  CHECK(queue["sid"].get<std::string>().rfind("WQ", 0) == 0);
  f.post(kBase + "/TaskQueues", {{"FriendlyName", "Broken"}, {"TargetWorkers", "roles CONTAINS x"}}, 400);
  CHECK(f.get(kBase + "/TaskQueues")["task_queues"].size() == 3);
}

TEST_CASE("a task names its known worker through targetWorker when that worker is available", "[emulator][taskrouter]") {
  Fixture f;
  const json task = f.create_task({{"targetWorker", f.worker("bob")}}, 1);
  CHECK(task["assignment_status"] == "pending");  // the create answer; routing follows at once
  const json reservations = f.reservations(task["sid"]);
  REQUIRE(reservations.size() == 1);
  CHECK(reservations[0]["worker_sid"] == f.worker("bob"));
  CHECK(reservations[0]["reservation_status"] == "pending");
  CHECK(f.get(kBase + "/Tasks/" + task["sid"].get<std::string>())["assignment_status"] == "reserved");

  // cid is Offline: the known worker is skipped and the queue (Everyone) offers the task round robin.
  const json other = f.create_task({{"targetWorker", f.worker("cid")}}, 1);
  const json offered = f.reservations(other["sid"]);
  REQUIRE(offered.size() == 1);
  CHECK(offered[0]["worker_sid"] == f.worker("ana"));  // bob holds a reservation already
  CHECK(f.get(kBase + "/Tasks/" + other["sid"].get<std::string>())["task_queue_friendly_name"] == "Everyone");
}

TEST_CASE("a queue offers tasks round robin, and a task waits until a worker becomes available", "[emulator][taskrouter]") {
  Fixture f;
  const json first = f.create_task({{"name", "one"}}, 0);
  const json second = f.create_task({{"name", "two"}}, 0);
  const json third = f.create_task({{"name", "three"}}, 0);
  CHECK(f.reservations(first["sid"])[0]["worker_sid"] == f.worker("ana"));
  CHECK(f.reservations(second["sid"])[0]["worker_sid"] == f.worker("bob"));
  CHECK(f.reservations(third["sid"]).empty());  // both sales workers are busy
  CHECK(f.get(kBase + "/Tasks/" + third["sid"].get<std::string>())["assignment_status"] == "pending");

  // ana rejects: the task goes to nobody else (bob busy) and ana is not asked again; cid (not in Sales)
  // becoming available changes nothing; a new sales worker takes the oldest waiting task.
  const std::string first_reservation = f.reservations(first["sid"])[0]["sid"];
  CHECK(f.post(kBase + "/Tasks/" + first["sid"].get<std::string>() + "/Reservations/" + first_reservation,
               {{"ReservationStatus", "rejected"}})["reservation_status"] == "rejected");
  // Now ana is free again: she gets the third task (the first was rejected by her).
  CHECK(f.reservations(third["sid"])[0]["worker_sid"] == f.worker("ana"));
  CHECK(f.get(kBase + "/Tasks/" + first["sid"].get<std::string>())["assignment_status"] == "pending");
  f.post(kBase + "/Workers/" + f.worker("cid"), {{"ActivitySid", f.activity("Available")}});
  CHECK(f.reservations(first["sid"]).size() == 1);
  const json dan = f.post(kBase + "/Workers", {{"FriendlyName", "dan"}, {"Attributes", R"({"roles":["sales"]})"},
                                               {"ActivitySid", f.activity("Available")}}, 201);
  const json offered = f.reservations(first["sid"]);
  REQUIRE(offered.size() == 2);
  CHECK(offered[1]["worker_sid"] == dan["sid"]);
}

TEST_CASE("accepting a reservation assigns the task, wrapping and completing free the worker", "[emulator][taskrouter]") {
  Fixture f;
  const json task = f.create_task({{"targetWorker", f.worker("ana")}}, 1);
  const std::string sid = task["sid"];
  const std::string reservation = f.reservations(sid)[0]["sid"];
  // Through the worker's reservation path, as the TaskRouter SDK of the worker does.
  const std::string worker_path = kBase + "/Workers/" + f.worker("ana") + "/Reservations";
  CHECK(f.get(worker_path + "?ReservationStatus=pending")["reservations"].size() == 1);
  CHECK(f.post(worker_path + "/" + reservation, {{"ReservationStatus", "accepted"}})["reservation_status"] == "accepted");
  CHECK(f.get(kBase + "/Tasks/" + sid)["assignment_status"] == "assigned");
  f.post(worker_path + "/" + reservation, {{"ReservationStatus", "accepted"}}, 400);  // not pending any more
  f.post(kBase + "/Tasks/" + sid + "/Reservations/" + reservation, {{"ReservationStatus", "bogus"}}, 400);
  f.get(kBase + "/Workers/" + f.worker("bob") + "/Reservations/" + reservation, 404);  // not bob's

  CHECK(f.post(kBase + "/Tasks/" + sid + "/Reservations/" + reservation, {{"ReservationStatus", "wrapping"}})["reservation_status"] == "wrapping");
  CHECK(f.get(kBase + "/Tasks/" + sid)["assignment_status"] == "wrapping");
  CHECK(f.post(kBase + "/Tasks/" + sid + "/Reservations/" + reservation, {{"ReservationStatus", "completed"}})["reservation_status"] == "completed");
  CHECK(f.get(kBase + "/Tasks/" + sid)["assignment_status"] == "completed");
  const json next = f.create_task({{"targetWorker", f.worker("ana")}}, 1);
  CHECK(f.reservations(next["sid"])[0]["worker_sid"] == f.worker("ana"));  // free again
}

TEST_CASE("TaskRouter event callbacks are POSTed signed to the EventCallbackUrl and recorded", "[emulator][taskrouter]") {
  Fixture f;
  const json task = f.create_task({{"targetWorker", f.worker("ana")}, {"call_sid", "CA1"}}, 1);
  const std::string sid = task["sid"];
  const std::string reservation = f.reservations(sid)[0]["sid"];
  f.post(kBase + "/Tasks/" + sid + "/Reservations/" + reservation, {{"ReservationStatus", "accepted"}});
  f.post(kBase + "/Tasks/" + sid, {{"AssignmentStatus", "wrapping"}});
  f.post(kBase + "/Tasks/" + sid, {{"AssignmentStatus", "completed"}, {"Reason", "done"}});
  const json other = f.create_task({{"name", "x"}}, 0);  // Sales, round robin: ana (free again)
  f.post(kBase + "/Tasks/" + other["sid"].get<std::string>(), {{"AssignmentStatus", "canceled"}, {"Reason", "caller left"}});

  const json events = f.events();
  CHECK(types(events) == std::vector<std::string>{"task.created", "reservation.created", "reservation.accepted",
                                                  "reservation.wrapup", "task.wrapup", "reservation.completed",
                                                  "task.completed", "task.created", "reservation.created",
                                                  "reservation.canceled", "task.canceled"});
  for (const auto& e : events) {
    CHECK(e["delivery"] == "delivered");
    CHECK(e["status"] == 204);
  }
  const auto received = f.receiver.received();
  REQUIRE(received.size() == events.size());
  for (const auto& r : received) {
    CHECK(r.path == "/taskrouter/events");
    CHECK(flexcore::server::verify_signature(f.emulator.auth_token(),
                                             {f.receiver.url("/taskrouter/events"), r.signature, r.params, false, ""}));
  }
  const auto& wrapup = received[4];
  CHECK(wrapup.param("EventType") == "task.wrapup");
  CHECK(wrapup.param("ResourceType") == "task");
  CHECK(wrapup.param("ResourceSid") == sid);
  CHECK(wrapup.param("TaskSid") == sid);
  CHECK(wrapup.param("TaskAssignmentStatus") == "wrapping");
  CHECK(wrapup.param("TaskChannelUniqueName") == "voice");
  CHECK(json::parse(wrapup.param("TaskAttributes"))["call_sid"] == "CA1");
  CHECK(wrapup.param("WorkerSid") == f.worker("ana"));
  CHECK(wrapup.param("WorkspaceSid") == kWs);
  CHECK(!wrapup.param("Timestamp").empty());
  CHECK(received[2].param("ReservationSid") == reservation);
  CHECK(received[2].param("WorkerName") == "ana");
  CHECK(received[10].param("TaskCanceledReason") == "caller left");

  CHECK(f.events("task.wrapup").size() == 1);
  f.emulator.control("DELETE", "/taskrouter/events", nullptr, 204);
  CHECK(f.events().empty());
}

TEST_CASE("events without an EventCallbackUrl are recorded, and a failed delivery is recorded as failed", "[emulator][taskrouter]") {
  Fixture f(json{{"eventCallbackUrl", "http://127.0.0.1:1/nothing-listens-here"}});
  f.create_task({{"name", "x"}}, 0);
  const json events = f.events();
  REQUIRE(events.size() == 2);
  CHECK(events[0]["delivery"] == "failed");
  CHECK(events[0]["error"].get<std::string>().find("no answer") != std::string::npos);

  EmulatorProcess plain;
  const json seeded = plain.control("POST", "/taskrouter/workspaces", {{"workflows", {{{"friendlyName", "Any"}}}}}, 201);
  auto client = client_for(plain);
  client.set_basic_auth(plain.account_sid().c_str(), plain.auth_token().c_str());
  const auto created = client.Post(("/taskrouter/v1/Workspaces/" + seeded["sid"].get<std::string>() + "/Tasks").c_str(),
                                   httplib::Params{{"Attributes", "{}"}});
  REQUIRE(created);
  CHECK(created->status == 201);
  const json recorded = plain.control("GET", "/taskrouter/events")["events"];
  REQUIRE(recorded.size() == 1);  // no workers: no reservation
  CHECK(recorded[0]["delivery"] == "none");
  CHECK(recorded[0]["url"].is_null());
}

TEST_CASE("seeding refuses bad workers, queues and workflow references", "[emulator][taskrouter]") {
  EmulatorProcess emulator;
  const auto refused = [&](const json& spec) {
    CHECK_THROWS_WITH(emulator.control("POST", "/taskrouter/workspaces", spec, 201), Catch::Contains("400"));
  };
  refused({{"workers", {{{"friendlyName", "a"}, {"activity", "Sleeping"}}}}});
  refused({{"workers", {{{"friendlyName", "a"}, {"sid", "WKnothex"}}}}});
  refused({{"workers", {{{"friendlyName", "a"}}, {{"friendlyName", "a"}}}}});
  refused({{"workers", {{{"friendlyName", "a"}, {"skills", "x"}}}}});
  refused({{"taskQueues", {{{"friendlyName", "q"}, {"targetWorkers", "skills ~ x"}}}}});
  refused({{"workflows", {{{"friendlyName", "w"}, {"taskQueue", "Nope"}}}}});
}

TEST_CASE("TaskRouter expressions cover the subset the demo and queues use", "[emulator][taskrouter]") {
  // Through TargetWorkersExpression on a seeded workspace.
  Fixture f;
  const auto count = [&](const std::string& expression) {
    return f.get(kBase + "/Workers?TargetWorkersExpression=" + flexcore::emulator::url_encode(expression))["workers"].size();
  };
  CHECK(count("1==1") == 3);
  CHECK(count("full_name == 'Ana'") == 1);
  CHECK(count("full_name != 'Ana'") == 2);
  CHECK(count("full_name IN ['Ana', 'Cid']") == 2);
  CHECK(count("roles HAS 'sales' AND full_name == 'Bob'") == 1);
  CHECK(count("full_name == 'Ana' OR full_name == 'Cid'") == 2);
  CHECK(count("missing == null") == 3);
  f.get(kBase + "/Workers?TargetWorkersExpression=" + flexcore::emulator::url_encode("roles CONTAINS 'x'"), 400);
}

TEST_CASE("a worker's capacity is one task per task channel", "[emulator][taskrouter]") {
  Fixture f(json{{"taskChannels", {{{"uniqueName", "callback"}}}}});
  const json voice = f.create_task({{"targetWorker", f.worker("ana")}}, 1);
  CHECK(f.reservations(voice["sid"])[0]["worker_sid"] == f.worker("ana"));
  const json callback = f.post(kBase + "/Tasks", {{"Attributes", json{{"targetWorker", f.worker("ana")}}.dump()}, {"WorkflowSid", f.workflow(1)},
                                                  {"TaskChannel", "callback"}}, 201);
  CHECK(f.reservations(callback["sid"])[0]["worker_sid"] == f.worker("ana"));  // another channel: ana again
  const json second_voice = f.create_task({{"targetWorker", f.worker("ana")}}, 1);
  CHECK(f.reservations(second_voice["sid"])[0]["worker_sid"] == f.worker("bob"));  // ana's voice capacity is taken
}
