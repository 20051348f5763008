// The router with a family mounted on an OpenAPI spec, as later modules (TaskRouter, Sync, …) use it:
// requests are checked against twilio-oai before a handler runs. Called directly, no sockets.
#include "router.h"

#include <catch2/catch.hpp>

using namespace flexcore::emulator;
using json = nlohmann::json;

namespace {

const std::string kWorkspace = "WS0123456789abcdef0123456789abcdef";
const std::string kTask = "WT0123456789abcdef0123456789abcdef";

httplib::Request make_request(const std::string& method, const std::string& target, const std::string& body = "",
                              const std::string& content_type = "") {
  httplib::Request req;
  req.method = method;
  req.target = target;
  req.path = url_decode(target.substr(0, target.find('?')), false);
  req.body = body;
  if (!content_type.empty()) req.set_header("Content-Type", content_type);
  return req;
}

struct Fixture {
  Contracts contracts{FLEXCORE_TWILIO_OAI_DIR};
  Router router{contracts};
  int calls = 0;
  PathParams seen_params;
  Params seen_form;
  std::string seen_operation;

  Fixture() {
    router.add_family("iam", {"", "/iam"});
    router.add_family("taskrouter", {"/taskrouter"}, "taskrouter");
    router.add_route("taskrouter", "POST", "/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}",
                     [this](const UpstreamRequest& request, httplib::Response& res) {
                       ++calls;
                       seen_params = request.params;
                       seen_form = request.form;
                       seen_operation = request.operation != nullptr ? request.operation->operation_id : "";
                       send_json(res, 200, json{{"sid", request.params.at("Sid")}});
                     });
    router.add_route("taskrouter", "GET", "/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}.mp3",
                     [this](const UpstreamRequest&, httplib::Response& res) {
                       ++calls;
                       res.status = 200;
                       res.set_content("audio", "audio/mpeg");
                     },
                     Router::RouteOptions{false});
  }

  httplib::Response dispatch(const httplib::Request& req) {
    httplib::Response res;
    router.dispatch(req, res, router.resolve(req.target.substr(0, req.target.find('?'))));
    return res;
  }
};

}  // namespace

TEST_CASE("families resolve by the longest matching prefix", "[emulator][router]") {
  Fixture f;
  const auto tr = f.router.resolve("/taskrouter/v1/Workspaces");
  CHECK(tr.family == "taskrouter");
  CHECK(tr.prefix == "/taskrouter");
  CHECK(tr.relative_path == "/v1/Workspaces");
  const auto iam = f.router.resolve("/iam/v1/Accounts/AC1/Tokens/validate");
  CHECK(iam.family == "iam");
  CHECK(iam.relative_path == "/v1/Accounts/AC1/Tokens/validate");
  CHECK(f.router.resolve("/v1/Accounts").family == "iam");
  CHECK(f.router.resolve("/taskrouterx/v1").family == "iam");  // prefixes end at a segment boundary
  CHECK(f.router.resolve("/taskrouter").relative_path == "/");
  CHECK_THROWS_WITH(f.router.add_family("other", {"/iam"}), Catch::Contains("already used"));
  CHECK_THROWS_WITH(f.router.add_family("x", {"/__emulator"}), Catch::Contains("reserved"));
  CHECK_THROWS_WITH(f.router.add_route("nope", "GET", "/x", {}), Catch::Contains("unknown family"));
}

TEST_CASE("a request the spec accepts reaches the handler with decoded params and its operation", "[emulator][router]") {
  Fixture f;
  const auto res = f.dispatch(make_request("POST", "/taskrouter/v1/Workspaces/" + kWorkspace + "/Tasks/" + kTask,
                                           "AssignmentStatus=wrapping&Reason=done+now", "application/x-www-form-urlencoded"));
  CHECK(res.status == 200);
  CHECK(f.calls == 1);
  CHECK(f.seen_operation == "UpdateTask");
  CHECK(f.seen_params.at("WorkspaceSid") == kWorkspace);
  CHECK(f.seen_form == Params{{"AssignmentStatus", "wrapping"}, {"Reason", "done now"}});
}

TEST_CASE("the router answers what the spec rejects before any handler runs", "[emulator][router]") {
  Fixture f;
  const std::string task = "/taskrouter/v1/Workspaces/" + kWorkspace + "/Tasks/" + kTask;

  const auto unknown_param = f.dispatch(make_request("POST", task, "AssignmentStatuz=x", "application/x-www-form-urlencoded"));
  CHECK(unknown_param.status == 400);
  CHECK(json::parse(unknown_param.body)["message"] == "Invalid parameter: AssignmentStatuz");

  const auto wrong_method = f.dispatch(make_request("PUT", task));
  CHECK(wrong_method.status == 405);
  CHECK(wrong_method.get_header_value("Allow") == "DELETE, GET, POST");

  const auto unknown_path = f.dispatch(make_request("GET", "/taskrouter/v1/Nope"));
  CHECK(unknown_path.status == 404);
  CHECK(json::parse(unknown_path.body)["code"] == 20404);

  const auto bad_sid = f.dispatch(make_request("POST", "/taskrouter/v1/Workspaces/" + kWorkspace + "/Tasks/nope",
                                               "Reason=x", "application/x-www-form-urlencoded"));
  CHECK(bad_sid.status == 404);
  CHECK(f.calls == 0);
}

TEST_CASE("an operation the spec has but no module emulates is 501 naming it", "[emulator][router]") {
  Fixture f;
  const auto fetch = f.dispatch(make_request("GET", "/taskrouter/v1/Workspaces/" + kWorkspace + "/Tasks/" + kTask));
  CHECK(fetch.status == 501);
  CHECK(json::parse(fetch.body)["message"] ==
        "flexcore-emulator does not emulate FetchTask (GET /v1/Workspaces/{WorkspaceSid}/Tasks/{Sid})");
  const auto list = f.dispatch(make_request("GET", "/taskrouter/v1/Workspaces/" + kWorkspace + "/Workers?PageSize=5"));
  CHECK(list.status == 501);
  CHECK(f.calls == 0);
}

TEST_CASE("a route outside the spec is served when its check is turned off", "[emulator][router]") {
  Fixture f;
  const auto media = f.dispatch(make_request("GET", "/taskrouter/v1/Workspaces/" + kWorkspace + "/Tasks/" + kTask + ".mp3"));
  CHECK(media.status == 200);
  CHECK(media.body == "audio");
  CHECK(f.calls == 1);
}

TEST_CASE("a family without a spec answers Twilio 404 and 405 itself", "[emulator][router]") {
  Fixture f;
  f.router.add_route("iam", "POST", "/v1/Accounts/{AccountSid}/Tokens/validate",
                     [](const UpstreamRequest&, httplib::Response& res) { res.status = 200; });
  const auto wrong = f.dispatch(make_request("GET", "/v1/Accounts/AC1/Tokens/validate"));
  CHECK(wrong.status == 405);
  CHECK(json::parse(wrong.body)["code"] == 20004);
  CHECK(wrong.get_header_value("Allow") == "POST");
  const auto missing = f.dispatch(make_request("GET", "/anything"));
  CHECK(missing.status == 404);
  CHECK(json::parse(missing.body)["message"] == "The requested resource /anything was not found");
}

TEST_CASE("unloadable specs make checked families answer 500 naming the problem", "[emulator][router]") {
  Contracts contracts{"/nonexistent/twilio-oai"};
  Router router{contracts};
  router.add_family("taskrouter", {"/taskrouter"}, "taskrouter");
  httplib::Response res;
  const auto req = make_request("GET", "/taskrouter/v1/Workspaces");
  router.dispatch(req, res, router.resolve("/taskrouter/v1/Workspaces"));
  CHECK(res.status == 500);
  CHECK(json::parse(res.body)["message"].get<std::string>().find("/nonexistent/twilio-oai") != std::string::npos);
  CHECK_THROWS_WITH(contracts.checker(), Catch::Contains("could not be loaded"));
}
