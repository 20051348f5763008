// The Twilio Sync v1 client (server/src/upstream/sync_client.h) on a scripted loopback upstream: the
// per-object rate limiter (injected clock and sleeper: asserts the sleeps requested, never elapsed time),
// paging through meta.next_page_url (and refusing a next page outside the Sync URL), If-Match writes and
// the error mapping of 409 / 412 / 404.

#include <catch2/catch.hpp>

#include "fakes.h"
#include "scripted_upstream.h"
#include "upstream/sync_client.h"

using namespace flexcore;
using namespace flexcore::server;
using namespace flexcore::server::testing;
using namespace flexcore::server::upstream;
using nlohmann::json;
using std::chrono::milliseconds;

namespace {

const std::string kService = "IS" + std::string(32, 'a');
const std::string kMap = "MP" + std::string(32, 'b');

ScriptedResponse ok(const json& body) { return ScriptedResponse{200, body.dump(), "application/json", {}, false}; }

json item(const std::string& key, const std::string& revision = "0") {
  return {{"key", key}, {"revision", revision}, {"data", {{"workerSid", key}}}};
}

json page(const json& items, const std::string& next) {
  return {{"items", items},
          {"meta", {{"key", "items"}, {"page_size", 2}, {"next_page_url", next.empty() ? json() : json(next)}}}};
}

}  // namespace

// A sleeper that records each sleep and moves the manual clock by it (virtual time: nothing really waits).
class ClockSleeper final : public Sleeper {
 public:
  explicit ClockSleeper(ManualClock& clock) : clock_(clock) {}
  void sleep_for(milliseconds duration) override {
    sleeps.push_back(duration);
    clock_.advance(duration);
  }
  std::vector<milliseconds> sleeps;

 private:
  ManualClock& clock_;
};

TEST_CASE("the Sync client keeps each object at 20 reads/s and 20 writes/s with sleeps, per object",
          "[server][sync][unit]") {
  ScriptedUpstream upstream;
  upstream.set_fallback(ok(item("k")));
  ManualClock clock;
  ClockSleeper sleeper(clock);
  CurlHttpClient transport;
  SyncClient client(transport, upstream.url(), {"AC", "token"}, clock, sleeper);
  // 5 reads of one map at once: the first goes at once, the others are spaced 50 ms apart (20/s).
  for (int i = 0; i < 5; ++i) REQUIRE(client.fetch_map_item(kService, kMap, "k").ok());
  CHECK(sleeper.sleeps == std::vector<milliseconds>(4, milliseconds(50)));
  // Writes to the same map have their own bucket; another map is not slowed by this one.
  REQUIRE(client.update_map_item(kService, kMap, "k", json::object(), "0").ok());
  REQUIRE(client.fetch_map_item(kService, "MP" + std::string(32, 'c'), "k").ok());
  CHECK(sleeper.sleeps.size() == 4);
  // After a quiet second the bucket holds one token again (burst 1): no wait.
  clock.advance(milliseconds(1000));
  REQUIRE(client.fetch_map_item(kService, kMap, "k").ok());
  CHECK(sleeper.sleeps.size() == 4);
  // Sustained: 41 reads asked 25 ms apart (40/s) go out at 20/s — 40 intervals of 50 ms of (virtual) time.
  const auto first = clock.steady_now();
  REQUIRE(client.fetch_map_item(kService, kMap, "k").ok());
  for (int i = 0; i < 40; ++i) {
    clock.advance(milliseconds(25));
    REQUIRE(client.fetch_map_item(kService, kMap, "k").ok());
  }
  CHECK(clock.steady_now() - first >= milliseconds(40 * 50));
  const auto counts = client.call_counts();
  CHECK(counts.at("Maps/" + kMap + " read") == 47);
  CHECK(counts.at("Maps/" + kMap + " write") == 1);
}

TEST_CASE("the Sync client follows meta.next_page_url to the last page and refuses a foreign next page",
          "[server][sync][unit]") {
  ScriptedUpstream upstream;
  ManualClock clock;
  RecordingSleeper sleeper;
  CurlHttpClient transport;
  SyncClient client(transport, upstream.url(), {"AC", "token"}, clock, sleeper);
  upstream.script({ok(page({item("a"), item("b")}, upstream.url() + "/v1/Services/x/Maps/y/Items?Page=1&PageToken=PT1")),
                   ok(page({item("c"), item("d")}, upstream.url() + "/v1/Services/x/Maps/y/Items?Page=2&PageToken=PT2")),
                   ok(page(json::array({item("e")}), ""))});
  auto items = client.map_items(kService, kMap);
  INFO((items.ok() ? std::string() : items.error().message));
  REQUIRE(items.ok());
  REQUIRE(items.value().size() == 5);
  CHECK(items.value()[4].key == "e");
  const auto received = upstream.received();
  REQUIRE(received.size() == 3);
  CHECK(received[0].target == "/v1/Services/" + kService + "/Maps/" + kMap + "/Items?Order=asc&PageSize=100");
  CHECK(received[2].target == "/v1/Services/x/Maps/y/Items?Page=2&PageToken=PT2");
  CHECK(received[1].authorization.rfind("Basic ", 0) == 0);

  upstream.script({ok(page(json::array({item("a")}), "https://elsewhere.example.com/v1/Services/x/Maps/y/Items?Page=1"))});
  auto foreign = client.map_items(kService, kMap);
  REQUIRE_FALSE(foreign.ok());
  CHECK(foreign.error().code == ErrorCode::UpstreamError);
  CHECK_THAT(foreign.error().message, Catch::Contains("outside the configured Sync URL"));
}

TEST_CASE("Sync writes send If-Match and map 412, 409 and 404 to Conflict, AlreadyExists and NotFound",
          "[server][sync][unit]") {
  ScriptedUpstream upstream;
  ManualClock clock;
  RecordingSleeper sleeper;
  CurlHttpClient transport;
  SyncClient client(transport, upstream.url(), {"AC", "token"}, clock, sleeper);
  upstream.script({ok(item("k", "7")),
                   twilio_error(412, 54205, "The revision of the Map Item does not match the expected revision"),
                   twilio_error(409, 54208, "Map Item already exists"),
                   twilio_error(404, 54201, "Map Item not found"),
                   ScriptedResponse{204, "", "application/json", {}, false}});
  auto updated = client.update_map_item(kService, kMap, "k", json{{"a", 1}}, "6");
  REQUIRE(updated.ok());
  CHECK(updated.value().revision == "7");
  auto stale = client.update_map_item(kService, kMap, "k", json{{"a", 2}}, "6");
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.error().code == ErrorCode::Conflict);
  CHECK_THAT(stale.error().message, Catch::Contains("54205"));
  auto duplicate = client.create_map_item(kService, kMap, "k", json::object());
  REQUIRE_FALSE(duplicate.ok());
  CHECK(duplicate.error().code == ErrorCode::AlreadyExists);
  auto missing = client.fetch_map_item(kService, kMap, "gone");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing.value().has_value());
  CHECK(client.delete_map_item(kService, kMap, "k", "7").ok());
  const auto received = upstream.received();
  REQUIRE(received.size() == 5);
  CHECK(received[0].if_match == "6");
  CHECK(received[0].body == "Data=%7B%22a%22%3A1%7D");
  CHECK(received[2].body == "Key=k&Data=%7B%7D");
  CHECK(received[4].method == "DELETE");
  CHECK(received[4].if_match == "7");
}
