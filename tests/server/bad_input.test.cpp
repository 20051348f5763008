// Issue 3 "Bad input": every case over a real socket; after each, the server still answers /healthz.

#include <catch2/catch.hpp>

#include "fakes.h"
#include "scripted_upstream.h"
#include "test_server.h"

using namespace flexcore;
using namespace flexcore::server;
using namespace flexcore::server::testing;

namespace {
const std::string kAccount = "AC0123456789abcdef0123456789abcdef";

struct Fixture {
  ScriptedUpstream iam;
  std::unique_ptr<RunningApp> server;

  explicit Fixture(std::map<std::string, std::string> extra = {}) {
    iam.set_fallback(iam_valid("alice", {"agent"}));
    extra.emplace("ACCOUNT_SID", kAccount);
    extra.emplace("AUTH_TOKEN", "auth");
    extra.emplace("FLEXCORE_IAM_URL", iam.url());
    AppDeps deps;
    deps.sleeper = std::make_shared<RecordingSleeper>();
    server = std::make_unique<RunningApp>(make_config(extra), deps);
  }

  std::string exchange(const std::string& raw, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    return raw_exchange(server->port(), raw, limit);
  }

  void still_healthy() {
    auto health = server->client().Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
  }
};

std::string post(const std::string& target, const std::string& content_type, const std::string& body,
                 const std::string& extra_headers = "") {
  return "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
}

nlohmann::json body_of(const std::string& raw) {
  const std::size_t start = raw.find("\r\n\r\n");
  REQUIRE(start != std::string::npos);
  return nlohmann::json::parse(raw.substr(start + 4));
}
}  // namespace

TEST_CASE("bad input: a body over the limit is 413", "[server][bad-input]") {
  Fixture f(std::map<std::string, std::string>{{"FLEXCORE_MAX_BODY_BYTES", "1024"}});
  SECTION("with Content-Length") {
    const std::string raw = f.exchange(post("/session", "application/x-www-form-urlencoded", "Token=" + std::string(2000, 'a')));
    CHECK(raw_status(raw) == 413);
    CHECK(body_of(raw)["code"] == "PayloadTooLarge");
    CHECK_THAT(body_of(raw)["error"].get<std::string>(), Catch::Contains("1024 bytes"));
  }
  SECTION("chunked, without Content-Length") {
    std::string chunks;
    for (int i = 0; i < 4; ++i) chunks += "200\r\n" + std::string(512, 'b') + "\r\n";
    const std::string raw = f.exchange("POST /session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                       "Transfer-Encoding: chunked\r\n\r\n" + chunks + "0\r\n\r\n");
    CHECK(raw_status(raw) == 413);
    CHECK(body_of(raw)["code"] == "PayloadTooLarge");
  }
  SECTION("on an unknown route too") {
    CHECK(raw_status(f.exchange(post("/nowhere", "application/json", std::string(5000, '[')))) == 413);
  }
  SECTION("a body at the limit is accepted") {
    const std::string body = "Token=t&pad=" + std::string(1024 - 12, 'c');
    REQUIRE(body.size() == 1024);
    CHECK(raw_status(f.exchange(post("/session", "application/x-www-form-urlencoded", body))) == 200);
  }
  f.still_healthy();
}

TEST_CASE("bad input: the default limit is 1 MiB", "[server][bad-input]") {
  Fixture f;
  const std::string raw = f.exchange(post("/session", "application/json", std::string((1 << 20) + 1, ' ')));
  CHECK(raw_status(raw) == 413);
  // Form bodies larger than httplib's own 8 KiB form limit but under ours are accepted.
  const std::string form = "Token=t&note=" + std::string(20000, 'n');
  CHECK(raw_status(f.exchange(post("/session", "application/x-www-form-urlencoded", form))) == 200);
  f.still_healthy();
}

TEST_CASE("bad input: malformed JSON is 400 naming the problem", "[server][bad-input]") {
  Fixture f;
  for (const std::string body : {R"({"Token": "abc",})", "{", "[1,2", R"({"Token": tru})", "nul"}) {
    INFO(body);
    const std::string raw = f.exchange(post("/session", "application/json", body));
    CHECK(raw_status(raw) == 400);
    CHECK(body_of(raw)["code"] == "InvalidArgument");
    CHECK_THAT(body_of(raw)["error"].get<std::string>(), Catch::StartsWith("malformed JSON body at line 1, column"));
  }
  const std::string deep = f.exchange(post("/session", "application/json", std::string(10000, '[')));
  CHECK(raw_status(deep) == 400);
  CHECK_THAT(body_of(deep)["error"].get<std::string>(), Catch::Contains("nested deeper"));
  f.still_healthy();
}

TEST_CASE("bad input: malformed form encoding is 400", "[server][bad-input]") {
  Fixture f;
  const std::string raw = f.exchange(post("/session", "application/x-www-form-urlencoded", "Token=%zz"));
  CHECK(raw_status(raw) == 400);
  CHECK_THAT(body_of(raw)["error"].get<std::string>(), Catch::Contains("malformed form body: invalid percent-escape"));
  const std::string query = f.exchange("GET /session?Token=%4 HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(raw_status(query) == 400);
  CHECK_THAT(body_of(query)["error"].get<std::string>(), Catch::Contains("malformed query string"));
  f.still_healthy();
}

TEST_CASE("bad input: non-UTF-8 in parameters or bodies is 400", "[server][bad-input]") {
  Fixture f;
  const std::string query = f.exchange("GET /session?Token=%FF%FE HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(raw_status(query) == 400);
  CHECK(body_of(query)["error"] == "query string parameter \"Token\" is not valid UTF-8");
  const std::string form = f.exchange(post("/session", "application/x-www-form-urlencoded", "Token=%C0%AF"));
  CHECK(raw_status(form) == 400);
  const std::string json = f.exchange(post("/session", "application/json", "{\"Token\":\"\xff\"}"));
  CHECK(raw_status(json) == 400);
  CHECK(body_of(json)["error"] == "JSON body is not valid UTF-8");
  const std::string raw_bytes = f.exchange(post("/session", "application/x-www-form-urlencoded", "Token=\xc3\x28"));
  CHECK(raw_status(raw_bytes) == 400);
  f.still_healthy();
}

TEST_CASE("bad input: duplicate Token or Token in two places with different values is 400", "[server][bad-input]") {
  Fixture f;
  const std::string twice = f.exchange("GET /session?Token=a&Token=a HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(raw_status(twice) == 400);
  CHECK_THAT(body_of(twice)["error"].get<std::string>(), Catch::Contains("more than once"));
  const std::string places = f.exchange(post("/session?Token=a", "application/x-www-form-urlencoded", "Token=b"));
  CHECK(raw_status(places) == 400);
  CHECK_THAT(body_of(places)["error"].get<std::string>(), Catch::Contains("different values"));
  const std::string json_dup = f.exchange(post("/session", "application/json", R"({"Token":"a","Token":"b"})"));
  CHECK(raw_status(json_dup) == 400);
  CHECK(body_of(json_dup)["error"] == "JSON body has the key \"Token\" twice");
  // The same value in two places is one Token.
  CHECK(raw_status(f.exchange(post("/session?Token=a", "application/json", R"({"Token":"a"})"))) == 200);
  CHECK(f.iam.count() == 1);  // none of the 400s reached IAM
  f.still_healthy();
}

TEST_CASE("bad input: very long headers and URIs are 4xx without stalling", "[server][bad-input]") {
  Fixture f;
  const std::string long_header = f.exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: " + std::string(64 * 1024, 'h') + "\r\n\r\n");
  CHECK(raw_status(long_header) == 400);
  CHECK(body_of(long_header)["code"] == "InvalidArgument");
  const std::string long_token = f.exchange("GET /session HTTP/1.1\r\nHost: x\r\nCookie: " + std::string(20000, 'c') + "\r\n\r\n");
  CHECK(raw_status(long_token) == 400);
  const std::string long_uri = f.exchange("GET /session?Token=" + std::string(20000, 'u') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(raw_status(long_uri) == 414);
  CHECK(body_of(long_uri)["code"] == "InvalidArgument");
  f.still_healthy();
}

TEST_CASE("bad input: garbage, unknown methods, multipart and unknown content types", "[server][bad-input]") {
  Fixture f;
  CHECK(raw_status(f.exchange("garbage\r\n\r\n")) == 400);
  CHECK(raw_status(f.exchange("BREW /session HTTP/1.1\r\nHost: x\r\n\r\n")) == 400);
  const std::string multipart = f.exchange(post("/session", "multipart/form-data; boundary=XyZ",
                                                "--XyZ\r\nContent-Disposition: form-data; name=\"Token\"\r\n\r\nabc\r\n--XyZ--\r\n"));
  CHECK(raw_status(multipart) == 400);
  CHECK_THAT(body_of(multipart)["error"].get<std::string>(), Catch::Contains("multipart/form-data"));
  const std::string xml = f.exchange(post("/session", "application/xml", "<Token>a</Token>"));
  CHECK(raw_status(xml) == 400);
  CHECK_THAT(body_of(xml)["error"].get<std::string>(), Catch::Contains("unsupported Content-Type \"application/xml\""));
  const std::string bad_chunk = f.exchange("POST /session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                           "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
  CHECK(raw_status(bad_chunk) == 400);
  f.still_healthy();
}

TEST_CASE("bad input: a client that stops sending mid-body does not hold the server", "[server][bad-input]") {
  Fixture f;
  // Announces 100 bytes, sends 10, then closes: the server must not answer 200 and keeps serving.
  const std::string raw = f.exchange("POST /session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                     "Content-Length: 100\r\n\r\n{\"Token\":1", std::chrono::milliseconds(200));
  CHECK(raw_status(raw) != 200);
  // The handler reading that body ends once the peer is gone (bounded wait, not a timing assertion).
  CHECK(wait_until([&] { return f.server->app().metrics().http_in_flight.value() == 0; }));
  f.still_healthy();
}
