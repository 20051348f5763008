// The X-Twilio-Signature middleware (upstream-contracts 2) over real sockets: a Studio/TaskRouter
// style route registered with AuthMode::TwilioSignature.

#include <catch2/catch.hpp>

#include "auth/twilio_signature.h"
#include "fakes.h"
#include "test_server.h"
#include "upstream/http_client.h"

using namespace flexcore;
using namespace flexcore::server;
using namespace flexcore::server::testing;

namespace {
const std::string kAuthToken = "12345";

void add_webhook_route(App& app) {
  app.router().add({"POST", "GET"}, "/test/webhook", AuthMode::TwilioSignature, [](RequestContext& ctx) -> Result<Reply> {
    return Reply::json({{"EventType", ctx.param("EventType").value_or("")}, {"body", ctx.body_kind == BodyKind::Json}});
  });
}

std::unique_ptr<RunningApp> start(std::map<std::string, std::string> env) {
  return std::make_unique<RunningApp>(make_config(std::move(env)), AppDeps{}, add_webhook_route);
}
}  // namespace

TEST_CASE("signed form webhooks pass, wrong or missing signatures are 403", "[server][signature]") {
  const std::string public_url = "https://flexcore.example.com";
  auto server = start({{"AUTH_TOKEN", kAuthToken}, {"FLEXCORE_PUBLIC_URL", public_url + "/"}});
  auto client = server->client();
  const std::vector<FormParam> params = {{"EventType", "task.wrapup"}, {"TaskSid", "WT1"}, {"Note", "a b&c"}};
  const std::string body = upstream::form_encode(params);
  const std::string signature = compute_signature(kAuthToken, public_url + "/test/webhook?x=1", params);

  auto accepted = client.Post("/test/webhook?x=1", {{"X-Twilio-Signature", signature}}, body,
                              "application/x-www-form-urlencoded");
  REQUIRE(accepted);
  CHECK(accepted->status == 200);
  CHECK(nlohmann::json::parse(accepted->body)["EventType"] == "task.wrapup");

  // The same signature does not cover another query string, other params or another URL.
  auto other_query = client.Post("/test/webhook?x=2", {{"X-Twilio-Signature", signature}}, body,
                                 "application/x-www-form-urlencoded");
  CHECK(other_query->status == 403);
  auto tampered = client.Post("/test/webhook?x=1", {{"X-Twilio-Signature", signature}}, body + "&Extra=1",
                              "application/x-www-form-urlencoded");
  REQUIRE(tampered);
  CHECK(tampered->status == 403);
  const auto error = nlohmann::json::parse(tampered->body);
  CHECK(error["code"] == "Unauthenticated");
  CHECK(error["error"] == "invalid X-Twilio-Signature");

  auto missing = client.Post("/test/webhook?x=1", body, "application/x-www-form-urlencoded");
  REQUIRE(missing);
  CHECK(missing->status == 403);
  CHECK(nlohmann::json::parse(missing->body)["error"] == "missing X-Twilio-Signature header");

  auto wrong_key = client.Post("/test/webhook?x=1",
                               {{"X-Twilio-Signature", compute_signature("other-token", public_url + "/test/webhook?x=1", params)}},
                               body, "application/x-www-form-urlencoded");
  CHECK(wrong_key->status == 403);
}

TEST_CASE("signed JSON webhooks use bodySHA256", "[server][signature]") {
  const std::string public_url = "https://flexcore.example.com";
  auto server = start({{"AUTH_TOKEN", kAuthToken}, {"FLEXCORE_PUBLIC_URL", public_url}});
  auto client = server->client();
  const std::string body = R"({"property": "value", "boolean": true})";
  const std::string path = "/test/webhook?bodySHA256=" + sha256_hex(body);
  const std::string signature = compute_signature(kAuthToken, public_url + path, {});
  auto accepted = client.Post(path.c_str(), {{"X-Twilio-Signature", signature}}, body, "application/json");
  REQUIRE(accepted);
  CHECK(accepted->status == 200);
  CHECK(nlohmann::json::parse(accepted->body)["body"] == true);
  auto changed = client.Post(path.c_str(), {{"X-Twilio-Signature", signature}}, R"({"property": "other", "boolean": true})",
                             "application/json");
  CHECK(changed->status == 403);
}

TEST_CASE("without FLEXCORE_PUBLIC_URL the URL comes from Host and X-Forwarded-Proto", "[server][signature]") {
  auto server = start({{"AUTH_TOKEN", kAuthToken}});
  auto client = server->client();
  const std::string host = "127.0.0.1:" + std::to_string(server->port());
  const std::vector<FormParam> params = {{"EventType", "reservation.created"}};
  const std::string body = upstream::form_encode(params);

  const std::string direct = compute_signature(kAuthToken, "http://" + host + "/test/webhook", params);
  CHECK(client.Post("/test/webhook", {{"X-Twilio-Signature", direct}}, body, "application/x-www-form-urlencoded")->status == 200);

  const std::string proxied = compute_signature(kAuthToken, "https://public.example.org/test/webhook", params);
  CHECK(client.Post("/test/webhook",
                    {{"X-Twilio-Signature", proxied}, {"X-Forwarded-Proto", "https"}, {"X-Forwarded-Host", "public.example.org"}},
                    body, "application/x-www-form-urlencoded")
            ->status == 200);
  // A signature over the default port is accepted too (twilio-node's tolerance).
  const std::string with_port = compute_signature(kAuthToken, "https://public.example.org:443/test/webhook", params);
  CHECK(client.Post("/test/webhook",
                    {{"X-Twilio-Signature", with_port}, {"X-Forwarded-Proto", "https"}, {"X-Forwarded-Host", "public.example.org"}},
                    body, "application/x-www-form-urlencoded")
            ->status == 200);
  // GET webhooks sign the URL alone.
  const std::string get_signature = compute_signature(kAuthToken, "http://" + host + "/test/webhook?EventType=x", {});
  auto get = client.Get("/test/webhook?EventType=x", {{"X-Twilio-Signature", get_signature}});
  REQUIRE(get);
  CHECK(get->status == 200);
  CHECK(nlohmann::json::parse(get->body)["EventType"] == "x");
}

TEST_CASE("signature routes answer 503 NotConfigured without AUTH_TOKEN", "[server][signature]") {
  auto server = start({{"ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef"}});
  auto result = server->client().Post("/test/webhook", "EventType=x", "application/x-www-form-urlencoded");
  REQUIRE(result);
  CHECK(result->status == 503);
  const auto body = nlohmann::json::parse(result->body);
  CHECK(body["code"] == "NotConfigured");
  CHECK_THAT(body["error"].get<std::string>(), Catch::Contains("AUTH_TOKEN"));
}
