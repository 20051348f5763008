// Sync v1 (upstream-contracts.md 3.2, twilio_sync_v1.json) against the real emulator process: services,
// maps and map items, documents, lists and list items, paging, error codes, If-Match, the 16 KiB limit,
// per-object rate limiting (with the injected clock) and the statistics the sync_load benchmark reads.
#include "test_support.h"

#include <catch2/catch.hpp>

#include <set>

using flexcore::emulator::EmulatorProcess;
using namespace flexcore::emulator::testing;
using json = nlohmann::json;

namespace {

const std::string kServices = "/sync/v1/Services";
const std::string kDefault = "/sync/v1/Services/default";

struct Fixture {
  EmulatorProcess emulator;
  httplib::Client client = authed();

  httplib::Client authed() {
    auto c = client_for(emulator);
    c.set_basic_auth(emulator.account_sid().c_str(), emulator.auth_token().c_str());
    return c;
  }

  httplib::Result post(const std::string& path, const httplib::Params& params, const httplib::Headers& headers = {}) {
    return client.Post(path.c_str(), headers, params);
  }
  httplib::Result get(const std::string& path) { return client.Get(path.c_str()); }
  httplib::Result del(const std::string& path, const httplib::Headers& headers = {}) {
    return client.Delete(path.c_str(), headers);
  }

  // Expects `status` and returns the JSON body (null for an empty body).
  json expect(const httplib::Result& result, int status) {
    REQUIRE(result);
    INFO(result->body);
    REQUIRE(result->status == status);
    return result->body.empty() ? json(nullptr) : json::parse(result->body);
  }

  json create_map(const std::string& unique_name) {
    return expect(post(kDefault + "/Maps", {{"UniqueName", unique_name}}), 201);
  }

  // The path part of an absolute meta URL pointing at the emulator.
  std::string path_of(const std::string& url) {
    const std::string prefix = "http://127.0.0.1:" + std::to_string(emulator.port());
    REQUIRE(url.rfind(prefix, 0) == 0);
    return url.substr(prefix.size());
  }
};

void check_error(const json& body, int status, int code) {
  INFO(body.dump());
  CHECK(body["status"] == status);
  CHECK(body["code"] == code);
  CHECK(body["more_info"] == "https://www.twilio.com/docs/errors/" + std::to_string(code));
  CHECK(body["message"].is_string());
}

}  // namespace

TEST_CASE("the Default Service exists and services can be created, fetched, updated, listed and deleted", "[emulator][sync]") {
  Fixture f;
  const json by_name = f.expect(f.get(kDefault), 200);
  CHECK(by_name["unique_name"] == "default");
  CHECK(by_name["friendly_name"] == "Default Service");
  CHECK(by_name["account_sid"] == f.emulator.account_sid());
  CHECK(f.expect(f.get(kServices + "/" + by_name["sid"].get<std::string>()), 200)["sid"] == by_name["sid"]);

  const json created = f.expect(f.post(kServices, {{"FriendlyName", "flexcore"}, {"AclEnabled", "true"}}), 201);
  const std::string sid = created["sid"];
  CHECK(sid.rfind("IS", 0) == 0);
  CHECK(created["friendly_name"] == "flexcore");
  CHECK(created["acl_enabled"] == true);
  CHECK(created["unique_name"].is_null());
  CHECK(created["links"]["maps"] == "https://sync.twilio.com/v1/Services/" + sid + "/Maps");

  const json updated = f.expect(f.post(kServices + "/" + sid, {{"FriendlyName", "renamed"}}), 200);
  CHECK(updated["friendly_name"] == "renamed");
  CHECK(updated["acl_enabled"] == true);
  check_error(f.expect(f.post(kServices + "/" + sid, {{"AclEnabled", "maybe"}}), 400), 400, 20001);

  const json list = f.expect(f.get(kServices), 200);
  REQUIRE(list["services"].size() == 2);
  CHECK(list["services"][1]["sid"] == sid);
  CHECK(list["meta"]["key"] == "services");
  CHECK(list["meta"]["next_page_url"].is_null());

  f.expect(f.del(kServices + "/" + sid), 204);
  check_error(f.expect(f.get(kServices + "/" + sid), 404), 404, 20404);

  auto anonymous = client_for(f.emulator);
  const auto unauthenticated = anonymous.Get(kDefault.c_str());
  REQUIRE(unauthenticated);
  CHECK(unauthenticated->status == 401);
  CHECK(json_of(unauthenticated)["code"] == 20003);
}

TEST_CASE("maps are addressed by SID or unique name, a duplicate unique name is 409 54301, a missing map 404 54200", "[emulator][sync]") {
  Fixture f;
  const json map = f.create_map("extensions");
  const std::string sid = map["sid"];
  CHECK(sid.rfind("MP", 0) == 0);
  CHECK(map["revision"] == "0");
  CHECK(map["created_by"] == "system");
  CHECK(f.expect(f.get(kDefault + "/Maps/extensions"), 200)["sid"] == sid);
  CHECK(f.expect(f.get(kDefault + "/Maps/" + sid), 200)["unique_name"] == "extensions");
  check_error(f.expect(f.post(kDefault + "/Maps", {{"UniqueName", "extensions"}}), 409), 409, 54301);
  check_error(f.expect(f.get(kDefault + "/Maps/nothing"), 404), 404, 54200);
  check_error(f.expect(f.get(kDefault + "/Maps/nothing/Items"), 404), 404, 54200);
  check_error(f.expect(f.get("/sync/v1/Services/ISffffffffffffffffffffffffffffffff/Maps"), 404), 404, 20404);

  const json maps = f.expect(f.get(kDefault + "/Maps"), 200);
  CHECK(maps["meta"]["key"] == "maps");
  CHECK(maps["maps"].size() == 1);
  f.expect(f.del(kDefault + "/Maps/extensions"), 204);
  check_error(f.expect(f.get(kDefault + "/Maps/" + sid), 404), 404, 54200);
}

TEST_CASE("map items: create 201 with revision 0, duplicate key 409 54208, missing 404 54201, If-Match 412 54205", "[emulator][sync]") {
  Fixture f;
  f.create_map("extensions");
  const std::string items = kDefault + "/Maps/extensions/Items";
  const auto created = f.post(items, {{"Key", "WK1"}, {"Data", R"({"extension":"1001"})"}});
  const json item = f.expect(created, 201);
  CHECK(created->get_header_value("ETag") == "0");
  CHECK(item["key"] == "WK1");
  CHECK(item["revision"] == "0");
  CHECK(item["data"] == json{{"extension", "1001"}});
  CHECK(item["created_by"] == "system");
  CHECK(item["date_expires"].is_null());
  CHECK(item["date_created"].get<std::string>().size() == 20);  // 2026-11-21T17:55:16Z
  CHECK(item["map_sid"].get<std::string>().rfind("MP", 0) == 0);

  check_error(f.expect(f.post(items, {{"Key", "WK1"}, {"Data", "{}"}}), 409), 409, 54208);
  check_error(f.expect(f.get(items + "/WK2"), 404), 404, 54201);
  check_error(f.expect(f.post(items, {{"Key", std::string(321, 'k')}, {"Data", "{}"}}), 400), 400, 54209);
  check_error(f.expect(f.post(items, {{"Key", "WK3"}, {"Data", "not json"}}), 400), 400, 20001);
  check_error(f.expect(f.post(items, {{"Key", "WK3"}, {"Data", "[1,2]"}}), 400), 400, 20001);
  check_error(f.expect(f.post(items, {{"Key", "WK3"}}), 400), 400, 20001);  // Data required (spec)

  // Update with the current revision, then with the stale one.
  const auto updated = f.post(items + "/WK1", {{"Data", R"({"extension":"1002"})"}}, {{"If-Match", "0"}});
  const json after = f.expect(updated, 200);
  CHECK(after["revision"] == "1");
  CHECK(updated->get_header_value("ETag") == "1");
  CHECK(after["data"]["extension"] == "1002");
  const json stale = f.expect(f.post(items + "/WK1", {{"Data", R"({"extension":"1003"})"}}, {{"If-Match", "0"}}), 412);
  check_error(stale, 412, 54205);
  CHECK(f.expect(f.get(items + "/WK1"), 200)["data"]["extension"] == "1002");  // not overwritten
  // Without If-Match the update applies unconditionally (as on Twilio).
  CHECK(f.expect(f.post(items + "/WK1", {{"Data", R"({"extension":"1004"})"}}), 200)["revision"] == "2");

  check_error(f.expect(f.del(items + "/WK1", {{"If-Match", "1"}}), 412), 412, 54205);
  f.expect(f.del(items + "/WK1", {{"If-Match", "\"2\""}}), 204);
  check_error(f.expect(f.get(items + "/WK1"), 404), 404, 54201);
  check_error(f.expect(f.del(items + "/WK1"), 404), 404, 54201);
}

TEST_CASE("data over Sync's 16 KiB limit is refused with 413 54006, 16 KiB exactly is stored", "[emulator][sync]") {
  Fixture f;
  f.create_map("big");
  const std::string items = kDefault + "/Maps/big/Items";
  const auto payload = [](std::size_t total) {
    const std::string prefix = R"({"x":")", suffix = R"("})";
    return prefix + std::string(total - prefix.size() - suffix.size(), 'a') + suffix;
  };
  f.expect(f.post(items, {{"Key", "fits"}, {"Data", payload(16384)}}), 201);
  check_error(f.expect(f.post(items, {{"Key", "over"}, {"Data", payload(16385)}}), 413), 413, 54006);
  check_error(f.expect(f.post(items + "/fits", {{"Data", payload(20000)}}), 413), 413, 54006);
  check_error(f.expect(f.post(kDefault + "/Documents", {{"Data", payload(16385)}}), 413), 413, 54006);
  check_error(f.expect(f.get(items + "/over"), 404), 404, 54201);
}

TEST_CASE("map items page 50 at a time in key order and following next_page_url reads every item once", "[emulator][sync]") {
  Fixture f;
  f.create_map("many");
  const std::string items = kDefault + "/Maps/many/Items";
  std::set<std::string> keys;
  for (int i = 0; i < 120; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "WK%03d", (i * 37) % 120);  // created out of order
    keys.insert(key);
    f.expect(f.post(items, {{"Key", key}, {"Data", json{{"n", i}}.dump()}}), 201);
  }
  std::vector<std::string> seen;
  std::string next = items;
  int pages = 0;
  json second_page;
  while (!next.empty()) {
    const json page = f.expect(f.get(next), 200);
    ++pages;
    if (pages == 2) second_page = page;
    CHECK(page["meta"]["key"] == "items");
    CHECK(page["meta"]["page_size"] == 50);
    CHECK(page["meta"]["page"] == pages - 1);
    for (const auto& item : page["items"]) seen.push_back(item["key"]);
    next = page["meta"]["next_page_url"].is_null() ? "" : f.path_of(page["meta"]["next_page_url"]);
  }
  CHECK(pages == 3);
  CHECK(seen == std::vector<std::string>(keys.begin(), keys.end()));

  // previous_page_url of page 2 is page 1.
  const json first_again = f.expect(f.get(f.path_of(second_page["meta"]["previous_page_url"])), 200);
  REQUIRE(first_again["items"].size() == 50);
  CHECK(first_again["items"][0]["key"] == "WK000");
  CHECK(first_again["items"][49]["key"] == "WK049");
  CHECK(first_again["meta"]["previous_page_url"].is_null());

  // PageSize is capped at 100 for items; Order desc; From + Bounds.
  const json capped = f.expect(f.get(items + "?PageSize=500"), 200);
  CHECK(capped["items"].size() == 100);
  CHECK(capped["meta"]["page_size"] == 100);
  const json desc = f.expect(f.get(items + "?Order=desc&PageSize=3"), 200);
  CHECK(desc["items"][0]["key"] == "WK119");
  CHECK(desc["items"][2]["key"] == "WK117");
  const json desc_next = f.expect(f.get(f.path_of(desc["meta"]["next_page_url"])), 200);
  CHECK(desc_next["items"][0]["key"] == "WK116");
  const json from = f.expect(f.get(items + "?From=WK010&PageSize=2"), 200);
  CHECK(from["items"][0]["key"] == "WK010");
  const json exclusive = f.expect(f.get(items + "?From=WK010&Bounds=exclusive&PageSize=2"), 200);
  CHECK(exclusive["items"][0]["key"] == "WK011");
  CHECK(exclusive["meta"]["url"].get<std::string>().find("From=WK010") != std::string::npos);
  check_error(f.expect(f.get(items + "?Order=sideways"), 400), 400, 20001);
  check_error(f.expect(f.get(items + "?PageToken=garbage"), 400), 400, 20001);
  check_error(f.expect(f.get(items + "?Colour=red"), 400), 400, 20001);  // OpenAPI check
}

TEST_CASE("documents: create, fetch by unique name, update with If-Match, 412 54205 on a stale revision, 404 54100", "[emulator][sync]") {
  Fixture f;
  const json doc = f.expect(f.post(kDefault + "/Documents", {{"UniqueName", "published"}, {"Data", R"({"version":1})"}}), 201);
  CHECK(doc["sid"].get<std::string>().rfind("ET", 0) == 0);
  CHECK(doc["revision"] == "0");
  const auto fetched = f.get(kDefault + "/Documents/published");
  CHECK(f.expect(fetched, 200)["data"]["version"] == 1);
  CHECK(fetched->get_header_value("ETag") == "0");
  CHECK(f.expect(f.post(kDefault + "/Documents/published", {{"Data", R"({"version":2})"}}, {{"If-Match", "0"}}), 200)["revision"] == "1");
  check_error(f.expect(f.post(kDefault + "/Documents/published", {{"Data", R"({"version":3})"}}, {{"If-Match", "0"}}), 412), 412, 54205);
  CHECK(f.expect(f.get(kDefault + "/Documents/" + doc["sid"].get<std::string>()), 200)["data"]["version"] == 2);
  check_error(f.expect(f.post(kDefault + "/Documents", {{"UniqueName", "published"}}), 409), 409, 54301);
  check_error(f.expect(f.get(kDefault + "/Documents/missing"), 404), 404, 54100);
  const json list = f.expect(f.get(kDefault + "/Documents"), 200);
  CHECK(list["documents"].size() == 1);
  CHECK(list["meta"]["key"] == "documents");
  f.expect(f.del(kDefault + "/Documents/published"), 204);
  check_error(f.expect(f.get(kDefault + "/Documents/published"), 404), 404, 54100);
}

TEST_CASE("lists: items get increasing indexes, can be fetched, updated, deleted and paged in either order", "[emulator][sync]") {
  Fixture f;
  const json list = f.expect(f.post(kDefault + "/Lists", {{"UniqueName", "audit"}}), 201);
  CHECK(list["sid"].get<std::string>().rfind("ES", 0) == 0);
  const std::string items = kDefault + "/Lists/audit/Items";
  for (int i = 0; i < 5; ++i) {
    const json item = f.expect(f.post(items, {{"Data", json{{"n", i}}.dump()}}), 201);
    CHECK(item["index"] == i);
    CHECK(item["list_sid"] == list["sid"]);
  }
  CHECK(f.expect(f.get(items + "/3"), 200)["data"]["n"] == 3);
  CHECK(f.expect(f.post(items + "/3", {{"Data", R"({"n":33})"}}, {{"If-Match", "0"}}), 200)["revision"] == "1");
  check_error(f.expect(f.post(items + "/3", {{"Data", R"({"n":34})"}}, {{"If-Match", "0"}}), 412), 412, 54205);
  f.expect(f.del(items + "/1"), 204);
  check_error(f.expect(f.get(items + "/1"), 404), 404, 54151);
  check_error(f.expect(f.get(items + "/x"), 404), 404, 54151);
  const json desc = f.expect(f.get(items + "?Order=desc&PageSize=2"), 200);
  REQUIRE(desc["items"].size() == 2);
  CHECK(desc["items"][0]["index"] == 4);
  CHECK(desc["items"][1]["index"] == 3);
  const json rest = f.expect(f.get(f.path_of(desc["meta"]["next_page_url"])), 200);
  REQUIRE(rest["items"].size() == 2);
  CHECK(rest["items"][0]["index"] == 2);
  CHECK(rest["items"][1]["index"] == 0);
  CHECK(rest["meta"]["next_page_url"].is_null());
  CHECK(f.expect(f.get(items + "?From=3"), 200)["items"].size() == 2);
  check_error(f.expect(f.get(kDefault + "/Lists/none/Items"), 404), 404, 54150);
}

TEST_CASE("rate limiting is off by default, when on, more than perSecond reads or writes on one object in a second get 429 20429", "[emulator][sync]") {
  Fixture f;
  f.create_map("hot");
  f.create_map("cold");
  const std::string hot = kDefault + "/Maps/hot/Items";
  f.expect(f.post(hot, {{"Key", "k"}, {"Data", "{}"}}), 201);
  // Off: any burst passes.
  for (int i = 0; i < 30; ++i) f.expect(f.get(hot + "/k"), 200);
  CHECK(f.emulator.control("GET", "/sync/rate-limit") == json{{"enabled", false}, {"perSecond", 20}});

  // On, with the limiter's clock frozen so the test does not depend on timing.
  f.emulator.control("POST", "/sync/clock", {{"frozen", true}});
  f.emulator.control("DELETE", "/sync/stats", nullptr, 204);
  CHECK(f.emulator.control("POST", "/sync/rate-limit", {{"enabled", true}, {"perSecond", 3}}) ==
        json{{"enabled", true}, {"perSecond", 3}});
  for (int i = 0; i < 3; ++i) f.expect(f.get(hot + "/k"), 200);
  const auto throttled = f.get(kDefault + "/Maps/hot");  // the map itself and its items share the budget
  check_error(f.expect(throttled, 429), 429, 20429);
  CHECK(throttled->get_header_value("Retry-After") == "1");
  // Writes have their own budget; other objects are unaffected.
  for (int i = 0; i < 3; ++i) f.expect(f.post(hot + "/k", {{"Data", json{{"i", i}}.dump()}}), 200);
  check_error(f.expect(f.del(hot + "/k"), 429), 429, 20429);
  f.expect(f.get(kDefault + "/Maps/cold/Items"), 200);
  // A second later the window has moved on.
  f.emulator.control("POST", "/sync/clock", {{"advanceMs", 1000}});
  f.expect(f.get(hot + "/k"), 200);

  const json stats = f.emulator.control("GET", "/sync/stats");
  CHECK(stats["throttled"] == 2);
  json hot_stats;
  for (const auto& object : stats["objects"]) {
    if (object["uniqueName"] == "hot") hot_stats = object;
  }
  INFO(stats.dump());
  REQUIRE(hot_stats.is_object());
  CHECK(hot_stats["type"] == "map");
  CHECK(hot_stats["reads"] == 5);   // 3 + 1 throttled + 1 after the second
  CHECK(hot_stats["writes"] == 4);  // 3 + 1 throttled
  CHECK(hot_stats["throttled"] == 2);
  CHECK(hot_stats["maxPerSecond"] == json{{"reads", 4}, {"writes", 4}, {"total", 8}});  // attempts, throttled included

  f.emulator.control("DELETE", "/sync/stats", nullptr, 204);
  CHECK(f.emulator.control("GET", "/sync/stats")["objects"].empty());
  CHECK_THROWS_WITH(f.emulator.control("POST", "/sync/rate-limit", {{"perSecond", 0}}), Catch::Contains("perSecond"));
  CHECK_THROWS_WITH(f.emulator.control("POST", "/sync/clock", {{"advanceMs", -1}}), Catch::Contains("advanceMs"));
}

TEST_CASE("statistics record the most requests any object saw in one second", "[emulator][sync]") {
  Fixture f;
  f.create_map("m");
  f.emulator.control("POST", "/sync/clock", {{"frozen", true}});
  f.emulator.control("DELETE", "/sync/stats", nullptr, 204);
  for (int i = 0; i < 5; ++i) f.expect(f.get(kDefault + "/Maps/m/Items"), 200);
  f.emulator.control("POST", "/sync/clock", {{"advanceMs", 999}});
  for (int i = 0; i < 2; ++i) f.expect(f.get(kDefault + "/Maps/m"), 200);  // same 1-second window: 7
  f.emulator.control("POST", "/sync/clock", {{"advanceMs", 1}});
  for (int i = 0; i < 3; ++i) f.expect(f.get(kDefault + "/Maps/m"), 200);  // first five left: 5
  const json stats = f.emulator.control("GET", "/sync/stats");
  REQUIRE(stats["objects"].size() == 1);
  CHECK(stats["objects"][0]["reads"] == 10);
  CHECK(stats["objects"][0]["maxPerSecond"]["reads"] == 7);
  CHECK(stats["objects"][0]["maxPerSecond"]["writes"] == 0);
  CHECK(stats["objects"][0]["throttled"] == 0);
  CHECK(stats["rateLimit"]["enabled"] == false);
}

TEST_CASE("control routes put malformed items by hand, seed services with unique names and dump the state", "[emulator][sync]") {
  Fixture f;
  const json seeded = f.emulator.control("POST", "/sync/services", {{"uniqueName", "flexcore"}, {"friendlyName", "Flexcore"}}, 201);
  CHECK(f.expect(f.get(kServices + "/flexcore"), 200)["sid"] == seeded["sid"]);
  CHECK_THROWS_WITH(f.emulator.control("POST", "/sync/services", {{"uniqueName", "flexcore"}}, 201), Catch::Contains("exists already"));

  const json bad = f.emulator.control("POST", "/sync/services/flexcore/maps/extensions/items/WKbad", {{"data", "not an object"}}, 201);
  CHECK(bad["data"] == "not an object");
  f.emulator.control("POST", "/sync/services/flexcore/maps/extensions/items/WKnum", {{"data", 42}}, 201);
  const json replaced = f.emulator.control("POST", "/sync/services/flexcore/maps/extensions/items/WKnum", {{"data", {{"x", 1}}}}, 200);
  CHECK(replaced["revision"] == "1");
  const json listed = f.expect(f.get(kServices + "/flexcore/Maps/extensions/Items"), 200);
  REQUIRE(listed["items"].size() == 2);
  CHECK(listed["items"][0]["data"] == "not an object");
  CHECK(f.expect(f.get(kServices + "/flexcore/Maps/extensions/Items/WKnum"), 200)["data"] == json{{"x", 1}});

  f.emulator.control("POST", "/sync/services/flexcore/documents/published", {{"data", json::array({1, 2})}}, 201);
  CHECK(f.expect(f.get(kServices + "/flexcore/Documents/published"), 200)["data"] == json::array({1, 2}));
  f.emulator.control("POST", "/sync/services/flexcore/lists/audit/items", {{"data", {{"n", 0}}}}, 201);
  CHECK(f.expect(f.get(kServices + "/flexcore/Lists/audit/Items/0"), 200)["data"]["n"] == 0);

  const json dump = f.emulator.control("GET", "/sync/services");
  REQUIRE(dump["services"].size() == 2);
  CHECK_THROWS_WITH(f.emulator.control("POST", "/sync/services/nope/maps/m/items/k", {{"data", 1}}, 201), Catch::Contains("no Sync service"));
  CHECK_THROWS_WITH(f.emulator.control("POST", "/sync/services/flexcore/maps/m/items/k", {{"colour", 1}}, 201), Catch::Contains("unknown field"));

  f.emulator.reset();
  const json after = f.emulator.control("GET", "/sync/services");
  REQUIRE(after["services"].size() == 1);
  CHECK(after["services"][0]["unique_name"] == "default");
}
