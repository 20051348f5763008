#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "child_process.h"
#include "fakes.h"
#include "metrics.h"
#include "scripted_upstream.h"
#include "upstream/retrying_client.h"
#include "upstream/twilio_error.h"

using namespace flexcore;
using namespace flexcore::server;
using namespace flexcore::server::testing;
using namespace flexcore::server::upstream;
using std::chrono::milliseconds;

namespace {
struct Harness {
  Registry registry;
  ServerMetrics metrics{registry};
  CurlHttpClient curl;
  ManualClock clock;
  RecordingSleeper sleeper;
  ScriptedRandom random;
  RetryingClient client;

  explicit Harness(RetryPolicy policy = {}, std::deque<std::int64_t> randoms = {}, CurlOptions options = {})
      : curl(options, &metrics), random(std::move(randoms)), client(curl, policy, clock, sleeper, random, &metrics) {}
};

RetryPolicy policy(int limit, int min_ms = 100, int max_ms = 300) {
  RetryPolicy p;
  p.retry_limit = limit;
  p.min_backoff = milliseconds(min_ms);
  p.max_backoff = milliseconds(max_ms);
  return p;
}

Request get(const std::string& url) { return Request{"GET", url, {}, {}, {}, {}}; }

int closed_port() { return flexcore::testing::closed_loopback_port(); }
}  // namespace

TEST_CASE("429 then 200: one retry after a random backoff in [MIN, MAX]", "[server][retry]") {
  ScriptedUpstream upstream;
  upstream.script({twilio_error(429, 20429, "Too Many Requests"), ScriptedResponse{}});
  Harness h(policy(5), {217});
  const Response response = h.client.send(get(upstream.url() + "/v1/x"));
  CHECK(response.status == 200);
  CHECK(response.attempts == 2);
  CHECK(upstream.count() == 2);
  CHECK(h.sleeper.sleeps() == std::vector<milliseconds>{milliseconds(217)});
  CHECK(h.random.ranges() == std::vector<std::pair<std::int64_t, std::int64_t>>{{100, 300}});
  const std::string host = "127.0.0.1:" + std::to_string(upstream.port());
  CHECK_THAT(h.registry.expose(), Catch::Contains("flexcore_upstream_retries_total{host=\"" + host + "\",reason=\"429\"} 1"));
}

TEST_CASE("503 on every attempt: limit retries, then the 503 maps to Unavailable", "[server][retry]") {
  ScriptedUpstream upstream;
  upstream.set_fallback(twilio_error(503, 20503, "Service Unavailable"));
  Harness h(policy(3));
  const Response response = h.client.send(get(upstream.url() + "/v1/x"));
  CHECK(response.status == 503);
  CHECK(response.attempts == 4);
  CHECK(upstream.count() == 4);
  CHECK(h.sleeper.sleeps().size() == 3);
  for (const auto sleep : h.sleeper.sleeps()) CHECK(sleep == milliseconds(100));  // ScriptedRandom gives `low`
  const Error error = upstream_error(response, "Twilio TaskRouter");
  CHECK(error.code == ErrorCode::Unavailable);
  CHECK_THAT(error.message, Catch::Contains("after 4 attempts"));
}

TEST_CASE("the default limit of 5 allows 6 attempts in total", "[server][retry]") {
  ScriptedUpstream upstream;
  upstream.set_fallback(twilio_error(429, 20429, "Too Many Requests"));
  Harness h;  // default policy: 5, 100-300 ms
  const Response response = h.client.send(get(upstream.url() + "/"));
  CHECK(response.attempts == 6);
  CHECK(upstream.count() == 6);
  CHECK(h.sleeper.sleeps().size() == 5);
  CHECK(upstream_error(response, "Twilio").code == ErrorCode::ResourceExhausted);
}

TEST_CASE("412 is retried at once, without sleeping", "[server][retry]") {
  ScriptedUpstream upstream;
  upstream.script({twilio_error(412, 0, "Precondition Failed"), ScriptedResponse{}});
  Harness h(policy(5));
  const Response response = h.client.send(get(upstream.url() + "/"));
  CHECK(response.status == 200);
  CHECK(upstream.count() == 2);
  CHECK(h.sleeper.sleeps().empty());
  CHECK(h.random.ranges().empty());
}

TEST_CASE("other statuses are final at once", "[server][retry]") {
  for (int status : {200, 400, 401, 404, 409, 500, 502, 504}) {
    INFO(status);
    ScriptedUpstream upstream;
    upstream.set_fallback(ScriptedResponse{status, "{}", "application/json", {}, false});
    Harness h(policy(5));
    const Response response = h.client.send(get(upstream.url() + "/"));
    CHECK(response.status == status);
    CHECK(response.attempts == 1);
    CHECK(upstream.count() == 1);
    CHECK(h.sleeper.sleeps().empty());
  }
}

TEST_CASE("Retry-After replaces the random backoff, in seconds or as an HTTP date, capped", "[server][retry]") {
  SECTION("delta seconds") {
    ScriptedUpstream upstream;
    upstream.script({twilio_error(429, 20429, "Too Many Requests", {{"Retry-After", "2"}}), ScriptedResponse{}});
    Harness h(policy(5));
    CHECK(h.client.send(get(upstream.url() + "/")).status == 200);
    CHECK(h.sleeper.sleeps() == std::vector<milliseconds>{milliseconds(2000)});
    CHECK(h.random.ranges().empty());
  }
  SECTION("an HTTP date, relative to the injected clock") {
    ScriptedUpstream upstream;
    Harness h(policy(5));
    const auto now = std::chrono::system_clock::from_time_t(1445412480);  // Wed, 21 Oct 2015 07:28:00 GMT
    h.clock.set(now);
    upstream.script({twilio_error(503, 0, "down", {{"Retry-After", "Wed, 21 Oct 2015 07:28:03 GMT"}}), ScriptedResponse{}});
    CHECK(h.client.send(get(upstream.url() + "/")).status == 200);
    CHECK(h.sleeper.sleeps() == std::vector<milliseconds>{milliseconds(3000)});
  }
  SECTION("a huge Retry-After is capped at max_retry_after") {
    ScriptedUpstream upstream;
    upstream.script({twilio_error(429, 20429, "slow down", {{"Retry-After", "3600"}}), ScriptedResponse{}});
    Harness h(policy(5));
    CHECK(h.client.send(get(upstream.url() + "/")).status == 200);
    CHECK(h.sleeper.sleeps() == std::vector<milliseconds>{milliseconds(10000)});
  }
  SECTION("a malformed Retry-After falls back to the random backoff") {
    ScriptedUpstream upstream;
    upstream.script({twilio_error(429, 20429, "x", {{"Retry-After", "soon"}}), ScriptedResponse{}});
    Harness h(policy(5), {250});
    CHECK(h.client.send(get(upstream.url() + "/")).status == 200);
    CHECK(h.sleeper.sleeps() == std::vector<milliseconds>{milliseconds(250)});
  }
}

TEST_CASE("network failures are retried like 503 and end as Unavailable / DeadlineExceeded", "[server][retry]") {
  SECTION("connection refused") {
    Harness h(policy(2), {111, 222});
    const Response response = h.client.send(get("http://127.0.0.1:" + std::to_string(closed_port()) + "/"));
    CHECK(response.transport == TransportError::ConnectFailed);
    CHECK(response.attempts == 3);
    CHECK(h.sleeper.sleeps() == std::vector<milliseconds>{milliseconds(111), milliseconds(222)});
    CHECK(upstream_error(response, "Twilio IAM").code == ErrorCode::Unavailable);
  }
  SECTION("timeouts are bounded: limit+1 attempts of at most the per-attempt timeout") {
    ScriptedUpstream upstream;
    upstream.set_fallback(ScriptedResponse{200, "{}", "application/json", {}, true});  // never answers in time
    CurlOptions options;
    options.timeout = milliseconds(150);
    Harness h(policy(2), {}, options);
    const Response response = h.client.send(get(upstream.url() + "/"));
    CHECK(response.transport == TransportError::Timeout);
    CHECK(response.attempts == 3);
    CHECK(h.sleeper.sleeps().size() == 2);
    const Error error = upstream_error(response, "Twilio IAM");
    CHECK(error.code == ErrorCode::DeadlineExceeded);
    upstream.release();
    CHECK(wait_until([&] { return upstream.count() == 3; }));
  }
  SECTION("a retry limit of 0 never retries") {
    Harness h(policy(0));
    const Response response = h.client.send(get("http://127.0.0.1:" + std::to_string(closed_port()) + "/"));
    CHECK(response.attempts == 1);
    CHECK(h.sleeper.sleeps().empty());
  }
}

TEST_CASE("Retry-After parsing", "[server][retry]") {
  const auto now = std::chrono::system_clock::from_time_t(1445412480);  // 2015-10-21T07:28:00Z
  CHECK(parse_retry_after("0", now) == milliseconds(0));
  CHECK(parse_retry_after(" 120 ", now) == milliseconds(120000));
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now) == milliseconds(30000));
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now) == milliseconds(0));  // in the past
  CHECK_FALSE(parse_retry_after("", now));
  CHECK_FALSE(parse_retry_after("-5", now));
  CHECK_FALSE(parse_retry_after("1.5", now));
  CHECK_FALSE(parse_retry_after("Wed, 21 Foo 2015 07:28:30 GMT", now));
  CHECK_FALSE(parse_retry_after("Wednesday, 21-Oct-15 07:28:30 GMT", now));
  CHECK(parse_retry_after("99999999999999999999999", now).has_value());  // huge: clamped, not an error
}

TEST_CASE("Twilio error bodies are parsed and mapped to the error vocabulary", "[server][retry]") {
  Response not_found;
  not_found.status = 404;
  not_found.body = R"({"code":20404,"message":"The requested resource /Tasks/WT1 was not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404})";
  const auto parsed = parse_twilio_error(not_found);
  REQUIRE(parsed);
  CHECK(parsed->code == 20404);
  CHECK(parsed->status == 404);
  CHECK(parsed->more_info == "https://www.twilio.com/docs/errors/20404");
  const Error error = upstream_error(not_found, "Twilio TaskRouter");
  CHECK(error.code == ErrorCode::NotFound);
  CHECK(error.message == "Twilio TaskRouter answered HTTP 404: The requested resource /Tasks/WT1 was not found (Twilio error 20404)");

  Response unauthorized;
  unauthorized.status = 401;
  unauthorized.body = R"({"code":20003,"message":"Authenticate","status":401})";
  CHECK(upstream_error(unauthorized, "Twilio IAM").code == ErrorCode::UpstreamError);
  CHECK_THAT(upstream_error(unauthorized, "Twilio IAM").message, Catch::Contains("rejected the server's credentials"));

  Response bad_request;
  bad_request.status = 400;
  bad_request.body = R"({"code":20001,"message":"Invalid parameter"})";
  CHECK(upstream_error(bad_request, "x").code == ErrorCode::InvalidArgument);
  bad_request.status = 409;
  CHECK(upstream_error(bad_request, "x").code == ErrorCode::Conflict);
  bad_request.status = 500;
  CHECK(upstream_error(bad_request, "x").code == ErrorCode::UpstreamError);
  bad_request.status = 504;
  CHECK(upstream_error(bad_request, "x").code == ErrorCode::DeadlineExceeded);

  Response html;
  html.status = 502;
  html.body = "<html>bad gateway</html>";
  CHECK_FALSE(parse_twilio_error(html));
  CHECK(upstream_error(html, "x").message == "x answered HTTP 502");
}
