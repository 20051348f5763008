// POST /__emulator/webhooks/send: the emulator acts as Studio / TaskRouter and signs webhooks the way
// flexcore-server verifies them (flexcore::server::verify_signature, upstream-contracts.md 2).
#include "test_support.h"

#include "auth/twilio_signature.h"
#include "http_util.h"

#include <catch2/catch.hpp>

#include <mutex>
#include <thread>

using flexcore::emulator::EmulatorProcess;
using namespace flexcore::emulator::testing;
using json = nlohmann::json;
namespace server = flexcore::server;

namespace {

/// A webhook target on 127.0.0.1:0 that keeps what it received.
class Receiver {
 public:
  struct Received {
    std::string method, target, content_type, signature, body, user_agent;
    std::vector<server::FormParam> params;
  };

  Receiver() {
    const auto record = [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      Received r;
      r.method = req.method;
      r.target = req.target;
      r.content_type = req.get_header_value("Content-Type");
      r.signature = req.get_header_value("X-Twilio-Signature");
      r.user_agent = req.get_header_value("User-Agent");
      r.body = req.body;
      if (r.content_type.rfind("application/x-www-form-urlencoded", 0) == 0) {
        for (const auto& [name, value] : flexcore::emulator::parse_form(req.body)) r.params.emplace_back(name, value);
      }
      received_.push_back(r);
      res.status = 201;
      res.set_header("X-Receiver", "yes");
      res.set_content(R"({"handled":true})", "application/json");
    };
    server_.Post(".*", record);
    server_.Get(".*", record);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }

  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  int port() const { return port_; }

  Received only() {
    std::lock_guard lock(mutex_);
    REQUIRE(received_.size() == 1);
    return received_.front();
  }

  /// Verifies a received request the way flexcore-server does, against `public_base` + target.
  static bool verify(const Received& r, const std::string& auth_token, const std::string& public_base) {
    server::SignedRequest request;
    request.url = public_base + r.target;
    request.signature = r.signature;
    request.params = r.params;
    request.json_body = r.content_type.rfind("application/json", 0) == 0;
    request.raw_body = r.body;
    return server::verify_signature(auth_token, request);
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<Received> received_;
};

}  // namespace

TEST_CASE("a form webhook is signed with the account's auth token", "[emulator][webhooks]") {
  EmulatorProcess emulator;
  Receiver receiver;
  const auto answer = emulator.send_webhook({{"url", receiver.url("/taskrouter/events?source=tr")},
                                             {"params",
                                              {{"EventType", "task.wrapup"},
                                               {"TaskSid", "WT0123456789abcdef0123456789abcdef"},
                                               {"TaskAttributes", R"({"conversations":{"segment":"x y&z"}})"},
                                               {"Multi", {"b", "a"}}}}});
  CHECK(answer["status"] == 201);
  CHECK(answer["body"] == R"({"handled":true})");
  CHECK(answer["headers"]["x-receiver"] == "yes");

  const auto r = receiver.only();
  CHECK(r.method == "POST");
  CHECK(r.target == "/taskrouter/events?source=tr");
  CHECK(r.content_type == "application/x-www-form-urlencoded");
  CHECK(r.user_agent == "TwilioProxy/1.1");
  CHECK(r.signature == answer["signature"]);
  CHECK(r.params.size() == 5);
  CHECK(Receiver::verify(r, emulator.auth_token(), "http://127.0.0.1:" + std::to_string(receiver.port())));
  CHECK_FALSE(Receiver::verify(r, "another-token", "http://127.0.0.1:" + std::to_string(receiver.port())));
  // The signature is exactly HMAC-SHA1 over URL + sorted params (upstream-contracts 2.1).
  CHECK(r.signature == server::compute_signature(emulator.auth_token(), receiver.url("/taskrouter/events?source=tr"), r.params));
}

TEST_CASE("a JSON webhook carries bodySHA256 in the signed URL", "[emulator][webhooks]") {
  EmulatorProcess emulator;
  Receiver receiver;
  const json payload{{"property", "value"}, {"boolean", true}};
  const auto answer = emulator.send_webhook({{"url", receiver.url("/studio/lookup")}, {"json", payload}});
  CHECK(answer["status"] == 201);
  const auto r = receiver.only();
  CHECK(r.content_type == "application/json");
  CHECK(json::parse(r.body) == payload);
  CHECK(r.target == "/studio/lookup?bodySHA256=" + server::sha256_hex(r.body));
  CHECK(answer["url"] == receiver.url(r.target));
  CHECK(Receiver::verify(r, emulator.auth_token(), "http://127.0.0.1:" + std::to_string(receiver.port())));

  // A tampered body no longer matches bodySHA256.
  auto tampered = r;
  tampered.body = R"({"property":"other","boolean":true})";
  CHECK_FALSE(Receiver::verify(tampered, emulator.auth_token(), "http://127.0.0.1:" + std::to_string(receiver.port())));
}

TEST_CASE("badSignature produces a signature that fails verification", "[emulator][webhooks]") {
  EmulatorProcess emulator;
  Receiver receiver;
  const bool json_body = GENERATE(false, true);
  json spec{{"url", receiver.url("/hook")}, {"badSignature", true}};
  if (json_body) {
    spec["json"] = {{"a", 1}};
  } else {
    spec["params"] = {{"CallSid", "CA0123456789abcdef0123456789abcdef"}};
  }
  emulator.send_webhook(spec);
  const auto r = receiver.only();
  INFO("json body: " << json_body);
  CHECK_FALSE(r.signature.empty());
  CHECK(r.signature.size() == 28);  // still a well-formed base64 HMAC-SHA1
  CHECK_FALSE(Receiver::verify(r, emulator.auth_token(), "http://127.0.0.1:" + std::to_string(receiver.port())));
}

TEST_CASE("signatureUrl signs the public URL instead of the loopback one", "[emulator][webhooks]") {
  EmulatorProcess emulator;
  Receiver receiver;
  const std::string public_base = "https://flexcore.example.com";
  const auto answer = emulator.send_webhook({{"url", receiver.url("/taskrouter/events")},
                                             {"signatureUrl", public_base + "/taskrouter/events"},
                                             {"authToken", "a-different-token"},
                                             {"params", {{"EventType", "task.created"}}}});
  CHECK(answer["signedUrl"] == public_base + "/taskrouter/events");
  const auto r = receiver.only();
  CHECK(Receiver::verify(r, "a-different-token", public_base));
  CHECK(Receiver::verify(r, "a-different-token", public_base + ":443"));  // default port tolerated
  CHECK_FALSE(Receiver::verify(r, "a-different-token", "http://127.0.0.1:" + std::to_string(receiver.port())));
  CHECK_FALSE(Receiver::verify(r, emulator.auth_token(), public_base));
}

TEST_CASE("GET webhooks put the params in the signed query string", "[emulator][webhooks]") {
  EmulatorProcess emulator;
  Receiver receiver;
  emulator.send_webhook({{"url", receiver.url("/lookup?a=1")}, {"method", "GET"}, {"params", {{"From", "+14155550100"}}}});
  const auto r = receiver.only();
  CHECK(r.method == "GET");
  CHECK(r.target == "/lookup?a=1&From=%2B14155550100");
  CHECK(r.params.empty());
  CHECK(Receiver::verify(r, emulator.auth_token(), "http://127.0.0.1:" + std::to_string(receiver.port())));
}

TEST_CASE("omitSignature sends no X-Twilio-Signature header", "[emulator][webhooks]") {
  EmulatorProcess emulator;
  Receiver receiver;
  const auto answer = emulator.send_webhook({{"url", receiver.url("/hook")}, {"omitSignature", true}, {"params", {{"A", "1"}}}});
  CHECK(answer["signature"].is_null());
  CHECK(receiver.only().signature.empty());
}

TEST_CASE("webhooks to unreachable or non-loopback targets are refused", "[emulator][webhooks]") {
  EmulatorProcess emulator;
  int closed_port = 0;
  {
    Receiver gone;  // bind, note the port, close it again
    closed_port = gone.port();
  }
  CHECK_THROWS_WITH(emulator.send_webhook({{"url", "http://127.0.0.1:" + std::to_string(closed_port) + "/hook"}, {"params", json::object()}}),
                    Catch::Contains("502") && Catch::Contains("no answer"));
  CHECK_THROWS_WITH(emulator.send_webhook({{"url", "http://example.com/hook"}}), Catch::Contains("400") && Catch::Contains("127.0.0.1"));
  CHECK_THROWS_WITH(emulator.send_webhook({{"url", "https://127.0.0.1:1/hook"}}), Catch::Contains("400"));
  CHECK_THROWS_WITH(emulator.send_webhook({{"url", "http://127.0.0.1:1/h"}, {"params", {{"a", 1}}}, {"json", {{"b", 2}}}}),
                    Catch::Contains("not both"));
  CHECK_THROWS_WITH(emulator.send_webhook({{"url", "http://127.0.0.1:1/h"}, {"params", {{"a", {{"nested", 1}}}}}}),
                    Catch::Contains("'params.a'"));
  CHECK_THROWS_WITH(emulator.send_webhook({{"url", "http://127.0.0.1:1/h"}, {"method", "PUT"}}), Catch::Contains("'method'"));
  CHECK_THROWS_WITH(emulator.send_webhook({{"uri", "http://127.0.0.1:1/h"}}), Catch::Contains("unknown field 'uri'"));
}
