// The emulator as a process: readiness line, flags, clean stop on SIGTERM, and EmulatorProcess itself.
#include "test_support.h"

#include "child_process.h"

#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <cstring>
#include <thread>

using flexcore::emulator::EmulatorProcess;
using flexcore::testing::ChildProcess;
using namespace flexcore::emulator::testing;
using json = nlohmann::json;

namespace {

/// The binary run directly (not through EmulatorProcess), to see its exit code and output; it inherits
/// the test's environment, stdout and stderr are captured (tests/support/child_process.h).
std::unique_ptr<ChildProcess> run_emulator(const std::vector<std::string>& args) {
  return ChildProcess::start(FLEXCORE_EMULATOR_PATH, args, {});
}

/// Polls (bounded: 20 s) until the first fault has been hit, i.e. the delayed call is in flight.
void wait_until_fault_hit(EmulatorProcess& emulator) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (emulator.faults()[0]["hits"] != 1) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

int port_from(const std::string& output) {
  const std::string prefix = "flexcore-emulator listening on http://127.0.0.1:";
  const auto at = output.find(prefix);
  return at == std::string::npos ? 0 : std::stoi(output.substr(at + prefix.size()));
}

}  // namespace

TEST_CASE("EmulatorProcess starts the emulator on a free loopback port", "[emulator][process]") {
  EmulatorProcess first;
  EmulatorProcess second;
  CHECK(first.port() > 0);
  CHECK(first.port() != second.port());
  CHECK(first.base_url() == "http://127.0.0.1:" + std::to_string(first.port()));
  CHECK(first.family_url("iam") == first.base_url() + "/iam");
  CHECK(first.account_sid() == "AC00000000000000000000000000000000");
  CHECK(first.auth_token() == "emulator-auth-token");
  CHECK(first.pid() > 0);
  CHECK(first.control("GET", "/healthz")["ok"] == true);
}

TEST_CASE("EmulatorProcess stops and reaps the emulator on destruction", "[emulator][process]") {
  pid_t pid = 0;
  std::thread held;
  {
    EmulatorProcess emulator;
    pid = emulator.pid();
    // An idle keep-alive connection and a call held by a long delay must not keep it alive.
    auto idle = client_for(emulator);
    REQUIRE(idle.Get("/__emulator/healthz"));
    emulator.add_fault({{"path", "/slow"}, {"delayMs", 600000}});
    const int port = emulator.port();
    held = std::thread([port] {
      httplib::Client client("127.0.0.1", port);
      client.set_read_timeout(60, 0);
      (void)client.Get("/slow");
    });
    wait_until_fault_hit(emulator);
  }
  held.join();
  // The child was reaped: the pid no longer names a process of ours.
  CHECK(::kill(pid, 0) == -1);
  CHECK(errno == ESRCH);
}

TEST_CASE("SIGTERM stops the emulator cleanly with exit status 0", "[emulator][process]") {
  auto process = run_emulator({"--port", "0"});
  const auto line = process->read_stdout_line();
  const int port = port_from(line);
  REQUIRE(port > 0);
  CHECK(line == "flexcore-emulator listening on http://127.0.0.1:" + std::to_string(port));

  // Keep a keep-alive connection open and a delayed call in flight while stopping.
  httplib::Client idle("127.0.0.1", port);
  REQUIRE(idle.Get("/__emulator/healthz"));
  httplib::Client control("127.0.0.1", port);
  REQUIRE(control.Post("/__emulator/faults", R"({"path":"/slow","delayMs":600000})", "application/json")->status == 201);
  std::thread held([port] {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(60, 0);
    (void)client.Get("/slow");
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (json::parse(control.Get("/__emulator/faults")->body)["faults"][0]["hits"] != 1) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  SECTION("SIGTERM") { process->signal(SIGTERM); }
  SECTION("SIGINT") { process->signal(SIGINT); }
  const int code = process->wait();
  held.join();
  CHECK(code == 0);  // -1 would be "still running", 128+N "killed by signal N"
}

TEST_CASE("invalid flags stop the emulator before it listens, naming the flag", "[emulator][process]") {
  const auto [args, message] = GENERATE(table<std::vector<std::string>, std::string>({
      {{"--host", "0.0.0.0"}, "--host must be a loopback address"},
      {{"--host", "192.168.1.1"}, "--host must be a loopback address"},
      {{"--account-sid", "AC123"}, "--account-sid must be AC followed by 32 hex digits"},
      {{"--api-key", "SK0123456789abcdef0123456789abcdef"}, "--api-key and --api-secret go together"},
      {{"--api-key", "bogus", "--api-secret", "s"}, "--api-key must be SK"},
      {{"--threads", "0"}, "--threads must be 1-1024"},
      {{"--contracts-dir", "/nonexistent/twilio-oai"}, "--contracts-dir /nonexistent/twilio-oai"},
      {{"--no-such-flag"}, "no-such-flag"},
  }));
  auto process = run_emulator(args);
  const int code = process->wait();
  const auto output = process->stdout_text() + process->stderr_text();
  INFO(output);
  CHECK(output.find(message) != std::string::npos);
  CHECK(code > 0);    // exited with a failure status…
  CHECK(code < 128);  // …rather than being killed by a signal
  CHECK(output.find("listening") == std::string::npos);
}

TEST_CASE("EmulatorProcess reports an emulator that cannot start", "[emulator][process]") {
  EmulatorProcess::Options options;
  options.account_sid = "not-an-account-sid";
  CHECK_THROWS_WITH(EmulatorProcess(options), Catch::Contains("exited with status 2 before it was ready"));
}

TEST_CASE("the --version flag prints the version and exits 0", "[emulator][process]") {
  auto process = run_emulator({"--version"});
  CHECK(process->read_stdout_line().rfind("flexcore-emulator ", 0) == 0);
  CHECK(process->wait() == 0);
}

TEST_CASE("the --preload-contracts flag loads the OpenAPI specs before listening", "[emulator][process]") {
  EmulatorProcess emulator({"", "", "", "", {"--preload-contracts", "--threads", "8", "--record-limit", "2"}});
  auto client = client_for(emulator);
  for (int i = 0; i < 3; ++i) REQUIRE(client.Get(("/nothing/" + std::to_string(i)).c_str()));
  const auto recorded = emulator.requests();
  REQUIRE(recorded.size() == 2);  // --record-limit keeps the newest
  CHECK(recorded[0]["seq"] == 2);
  CHECK(recorded[1]["seq"] == 3);
}
