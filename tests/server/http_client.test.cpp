#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "child_process.h"
#include "metrics.h"
#include "scripted_upstream.h"
#include "upstream/http_client.h"

using namespace flexcore::server;
using namespace flexcore::server::testing;
using namespace flexcore::server::upstream;

namespace {
int closed_port() { return flexcore::testing::closed_loopback_port(); }

/// Accepts connections and closes them without answering (a dropped connection).
class DroppingListener {
 public:
  DroppingListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    ::listen(fd_, 16);
    thread_ = std::thread([this] {
      for (;;) {
        const int client = ::accept(fd_, nullptr, nullptr);
        if (client < 0) return;
        char buffer[1024];
        (void)::recv(client, buffer, sizeof buffer, 0);  // read the request, then drop
        ++accepted_;
        ::close(client);
      }
    });
  }
  ~DroppingListener() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  int port() const { return port_; }
  int accepted() const { return accepted_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<int> accepted_{0};
  std::thread thread_;
};
}  // namespace

TEST_CASE("the curl client sends method, headers, body and Basic auth, and reads the answer", "[server][upstream]") {
  ScriptedUpstream upstream;
  upstream.script({ScriptedResponse{201, R"({"sid":"WT1"})", "application/json", {{"ETag", "\"abc\""}}, false}});
  CurlHttpClient client;
  Request request;
  request.method = "POST";
  request.url = upstream.url() + "/v1/Workspaces/WS1/Tasks?x=1";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = form_encode({{"Attributes", R"({"a":"b c"})"}, {"AssetVersions", "ZN1"}, {"AssetVersions", "ZN2"}});
  request.basic_auth = BasicAuth{"AC123", "token"};
  const Response response = client.send(request);

  REQUIRE(response.answered());
  CHECK(response.status == 201);
  CHECK(response.body == R"({"sid":"WT1"})");
  CHECK(response.header("etag") == "\"abc\"");
  CHECK(response.header("missing").empty());
  const auto seen = upstream.received();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "POST");
  CHECK(seen[0].target == "/v1/Workspaces/WS1/Tasks?x=1");
  CHECK(seen[0].authorization == "Basic QUMxMjM6dG9rZW4=");  // base64("AC123:token")
  CHECK(seen[0].body == "Attributes=%7B%22a%22%3A%22b+c%22%7D&AssetVersions=ZN1&AssetVersions=ZN2");
}

TEST_CASE("form and URL encoding keep unreserved characters only", "[server][upstream]") {
  CHECK(form_encode({{"a b", "x&y=z"}, {"k", "é~-._"}}) == "a+b=x%26y%3Dz&k=%C3%A9~-._");
  CHECK(form_encode({}).empty());
  CHECK(url_encode("WT1/../a b") == "WT1%2F..%2Fa%20b");
  CHECK(url_host("https://iam.twilio.com/v1/x?y") == "iam.twilio.com");
  CHECK(url_host("http://127.0.0.1:8080") == "127.0.0.1:8080");
  CHECK(url_host("nonsense").empty());
}

TEST_CASE("connections to a host are reused across calls", "[server][upstream]") {
  ScriptedUpstream upstream;
  Registry registry;
  ServerMetrics metrics(registry);
  CurlHttpClient client({}, &metrics);
  for (int i = 0; i < 5; ++i) {
    const Response response = client.send(Request{"GET", upstream.url() + "/ping", {}, {}, {}, {}});
    REQUIRE(response.status == 200);
  }
  const auto seen = upstream.received();
  REQUIRE(seen.size() == 5);
  for (const auto& request : seen) CHECK(request.remote_port == seen[0].remote_port);  // one TCP connection
  const std::string host = "127.0.0.1:" + std::to_string(upstream.port());
  CHECK_THAT(registry.expose(),
             Catch::Contains("flexcore_upstream_requests_total{host=\"" + host + "\",status=\"200\"} 5"));
}

TEST_CASE("transport failures are classified: refused, dropped, timed out", "[server][upstream]") {
  Registry registry;
  ServerMetrics metrics(registry);
  CurlOptions options;
  options.timeout = std::chrono::milliseconds(300);
  CurlHttpClient client(options, &metrics);

  SECTION("connection refused") {
    const Response response = client.send(Request{"GET", "http://127.0.0.1:" + std::to_string(closed_port()) + "/", {}, {}, {}, {}});
    CHECK(response.transport == TransportError::ConnectFailed);
    CHECK(response.status == 0);
    CHECK_FALSE(response.transport_message.empty());
    CHECK_THAT(registry.expose(), Catch::Contains("status=\"connect_failed\"} 1"));
  }
  SECTION("connection dropped without an answer") {
    DroppingListener listener;
    const Response response = client.send(Request{"GET", "http://127.0.0.1:" + std::to_string(listener.port()) + "/", {}, {}, {}, {}});
    CHECK(response.transport == TransportError::ConnectionLost);
  }
  SECTION("no answer within the total timeout") {
    ScriptedUpstream upstream;
    upstream.script({ScriptedResponse{200, "{}", "application/json", {}, true}});
    const Response response = client.send(Request{"GET", upstream.url() + "/slow", {}, {}, {}, {}});
    CHECK(response.transport == TransportError::Timeout);
    upstream.release();
  }
  SECTION("a per-request timeout overrides the default") {
    ScriptedUpstream upstream;
    upstream.script({ScriptedResponse{200, "{}", "application/json", {}, true}});
    CurlOptions long_options;
    long_options.timeout = std::chrono::seconds(60);
    CurlHttpClient patient(long_options);
    Request request{"GET", upstream.url() + "/slow", {}, {}, {}, std::chrono::milliseconds(200)};
    CHECK(patient.send(request).transport == TransportError::Timeout);
    upstream.release();
  }
  SECTION("a malformed URL") {
    CHECK(client.send(Request{"GET", "notaurl", {}, {}, {}, {}}).transport != TransportError::None);
  }
}

TEST_CASE("the client is safe to use from many threads at once", "[server][upstream]") {
  ScriptedUpstream upstream;
  CurlHttpClient client;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (client.send(Request{"GET", upstream.url() + "/x", {}, {}, {}, {}}).status == 200) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(ok == 160);
  CHECK(upstream.count() == 160);
}
