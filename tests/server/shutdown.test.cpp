// Graceful shutdown (issue 3 item 1): in-flight requests finish, new connections are refused.
// In process (httplib's stop()) and for the real binary on SIGTERM / SIGINT.

#include <catch2/catch.hpp>

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

#include "child_process.h"
#include "fakes.h"
#include "scripted_upstream.h"
#include "test_server.h"

using namespace flexcore;
using namespace flexcore::server;
using namespace flexcore::server::testing;
using flexcore::testing::ChildProcess;

namespace {
const std::string kAccount = "AC0123456789abcdef0123456789abcdef";

struct Gate {
  std::mutex mutex;
  std::condition_variable cv;
  bool entered = false;
  bool open = false;
  void enter_and_wait() {
    std::unique_lock lock(mutex);
    entered = true;
    cv.notify_all();
    cv.wait_for(lock, std::chrono::seconds(30), [this] { return open; });
  }
  void release() {
    std::lock_guard lock(mutex);
    open = true;
    cv.notify_all();
  }
};

int port_from_banner(const std::string& line) {
  const std::string prefix = "flexcore-server listening on http://127.0.0.1:";
  if (line.rfind(prefix, 0) != 0) return 0;
  return std::atoi(line.c_str() + prefix.size());
}

std::map<std::string, std::string> binary_env(const std::string& iam_url) {
  return {{"ACCOUNT_SID", kAccount},        {"AUTH_TOKEN", "auth"},    {"FLEXCORE_IAM_URL", iam_url},
          {"FLEXCORE_PORT", "0"},           {"FLEXCORE_HOST", "127.0.0.1"}, {"FLEXCORE_LOG_LEVEL", "info"},
          {"FLEXCORE_THREADS", "8"},        {"PATH", "/usr/bin:/bin"}};
}
}  // namespace

TEST_CASE("stop(): the in-flight request completes, new connections are refused", "[server][shutdown]") {
  auto gate = std::make_shared<Gate>();
  RunningApp server(make_config(), AppDeps{}, [gate](App& app) {
    app.router().add({"GET"}, "/test/slow", AuthMode::None, [gate](RequestContext&) -> Result<Reply> {
      gate->enter_and_wait();
      return Reply::json({{"finished", true}});
    });
  });
  const int port = server.port();
  int status = 0;
  std::string body;
  std::thread request([&] {
    auto client = server.client();
    if (auto result = client.Get("/test/slow")) {
      status = result->status;
      body = result->body;
    }
  });
  {
    std::unique_lock lock(gate->mutex);
    REQUIRE(gate->cv.wait_for(lock, std::chrono::seconds(20), [&] { return gate->entered; }));
  }
  std::thread stopper([&] { server.listening().stop(); });  // stop() then join the listen thread
  CHECK(wait_until([&] { return !can_connect(port); }));   // new connections refused at once
  gate->release();
  request.join();
  stopper.join();
  CHECK(status == 200);
  CHECK(body == R"({"finished":true})");
}

TEST_CASE("flexcore-server: SIGTERM lets the in-flight request finish, then exits 0", "[server][shutdown][binary]") {
  ScriptedUpstream iam;
  auto held = iam_valid("alice", {"agent"});
  held.hold = true;  // IAM keeps the /session request in flight until released
  iam.set_fallback(held);
  ChildProcess child(FLEXCORE_SERVER_BINARY, {}, binary_env(iam.url()));
  const int port = port_from_banner(child.read_stdout_line());
  REQUIRE(port > 0);

  int status = 0;
  std::string body;
  std::thread request([&] {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(30, 0);
    if (auto result = client.Get("/session?Token=abc")) {
      status = result->status;
      body = result->body;
    }
  });
  REQUIRE(wait_until([&] { return iam.holding() == 1; }));
  child.signal(SIGTERM);
  CHECK(wait_until([&] { return !can_connect(port); }));  // listening socket closed
  iam.release();
  request.join();
  REQUIRE(status == 200);
  CHECK(nlohmann::json::parse(body)["identity"] == "alice");
  CHECK(child.wait() == 0);
  const std::string log = child.stderr_text();
  CHECK_THAT(log, Catch::Contains("\"msg\":\"shutting down\"") && Catch::Contains("\"signal\":\"SIGTERM\""));
  CHECK_THAT(log, Catch::Contains("\"msg\":\"stopped\""));
  CHECK_THAT(log, !Catch::Contains("abc"));  // the Token never reaches the log
}

TEST_CASE("flexcore-server: SIGINT on an idle server exits 0", "[server][shutdown][binary]") {
  ScriptedUpstream iam;
  ChildProcess child(FLEXCORE_SERVER_BINARY, {}, binary_env(iam.url()));
  const int port = port_from_banner(child.read_stdout_line());
  REQUIRE(port > 0);
  httplib::Client client("127.0.0.1", port);
  auto health = client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  child.signal(SIGINT);
  CHECK(child.wait() == 0);
}

TEST_CASE("flexcore-server: exit codes for version, help and bad configuration", "[server][binary]") {
  {
    ChildProcess child(FLEXCORE_SERVER_BINARY, {"--version"}, {});
    CHECK(child.wait() == 0);
    CHECK_THAT(child.stdout_text(), Catch::StartsWith("flexcore-server "));
  }
  {
    ChildProcess child(FLEXCORE_SERVER_BINARY, {"--help"}, {});
    CHECK(child.wait() == 0);
    CHECK_THAT(child.stdout_text(), Catch::Contains("--env-file"));
  }
  {
    ChildProcess child(FLEXCORE_SERVER_BINARY, {}, {{"FLEXCORE_PORT", "eighty"}});
    CHECK(child.wait() == 2);
    CHECK_THAT(child.stderr_text(), Catch::Contains("FLEXCORE_PORT"));
  }
  {
    ChildProcess child(FLEXCORE_SERVER_BINARY, {},
                       {{"TWILIO_SERVICE_MIN_BACKOFF", "900"}, {"TWILIO_SERVICE_MAX_BACKOFF", "10"}, {"AUTH_TOKEN", "hidden-value"}});
    CHECK(child.wait() == 2);
    CHECK_THAT(child.stderr_text(), Catch::Contains("TWILIO_SERVICE_MIN_BACKOFF") && !Catch::Contains("hidden-value"));
  }
  {
    ChildProcess child(FLEXCORE_SERVER_BINARY, {"--print-config"}, {{"AUTH_TOKEN", "hidden-value"}});
    CHECK(child.wait() == 0);
    CHECK_THAT(child.stdout_text(), Catch::Contains("AUTH_TOKEN=<set>") && !Catch::Contains("hidden-value"));
  }
}

TEST_CASE("flexcore-server: a port in use is exit code 1 naming the address", "[server][binary]") {
  ListeningServer occupant([](httplib::Server&) {});
  ChildProcess child(FLEXCORE_SERVER_BINARY, {"--port", std::to_string(occupant.port())},
                     {{"FLEXCORE_LOG_LEVEL", "off"}});
  CHECK(child.wait() == 1);
  CHECK_THAT(child.stderr_text(), Catch::Contains("127.0.0.1:" + std::to_string(occupant.port())));
}
