// Segment Profile API and Tracking API (upstream-contracts.md 5.1, 5.2) against the real emulator process.
#include "test_support.h"

#include <catch2/catch.hpp>

using flexcore::emulator::EmulatorProcess;
using namespace flexcore::emulator::testing;
using json = nlohmann::json;

namespace {

const std::string kToken = "emulator-segment-access-token";
const std::string kWriteKey = "emulator-segment-write-key";
const std::string kProfiles = "/segment-profiles/v1/spaces/spa_emulator/collections/users/profiles/";

// Raw text (not nlohmann::json, which sorts keys) so the trait order of the document is what is sent.
json seed_bob(EmulatorProcess& emulator) {
  auto client = client_for(emulator);
  const auto result = client.Post("/__emulator/segment/profiles", R"({
    "externalIds":[{"type":"user_id","id":"bob"},{"type":"phone","id":"+5511999990000"},
                   {"type":"anonymous_id","id":"anon-1"},{"type":"email","id":"bob@example.com"}],
    "traits":{"zeta":"last-alphabetically","first_name":"Bob","plan":"gold","visits":3},
    "events":[{"type":"track","event":"Order Completed","timestamp":"2026-01-02T10:00:00.000Z","properties":{"total":42}},
              {"type":"page","timestamp":"2026-01-03T10:00:00.000Z","properties":{"path":"/help"}},
              {"type":"track","event":"Signed Up","timestamp":"2026-01-01T10:00:00.000Z"}]})",
                                  "application/json");
  REQUIRE(result);
  REQUIRE(result->status == 201);
  return json_of(result);
}

httplib::Result get(httplib::Client& client, const std::string& path, const std::string& user = kToken) {
  client.set_basic_auth(user.c_str(), "");
  return client.Get(path.c_str());
}

}  // namespace

TEST_CASE("Segment profiles answer traits in seeded order with a cursor", "[emulator][segment]") {
  EmulatorProcess emulator;
  seed_bob(emulator);
  auto client = client_for(emulator);
  const auto result = get(client, kProfiles + "user_id:bob/traits?limit=25");
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(!result->get_header_value("Request-Id").empty());
  // Insertion order, not alphabetical: compare the raw text.
  CHECK(result->body.find("\"zeta\"") < result->body.find("\"first_name\""));
  const auto body = json_of(result);
  CHECK(body["traits"] == json{{"zeta", "last-alphabetically"}, {"first_name", "Bob"}, {"plan", "gold"}, {"visits", 3}});
  CHECK(body["cursor"]["has_more"] == false);
  CHECK(body["cursor"]["next"] == "");
}

TEST_CASE("Segment traits are paged with limit and next until has_more is false", "[emulator][segment]") {
  EmulatorProcess emulator;
  seed_bob(emulator);
  auto client = client_for(emulator);
  json collected = json::object();
  std::string next;
  int pages = 0;
  do {
    const auto result = get(client, kProfiles + "user_id:bob/traits?limit=3" + (next.empty() ? "" : "&next=" + next));
    REQUIRE(result);
    REQUIRE(result->status == 200);
    const auto body = json_of(result);
    collected.update(body["traits"]);
    next = body["cursor"]["next"].get<std::string>();
    CHECK(body["cursor"]["has_more"] == !next.empty());
    ++pages;
  } while (!next.empty() && pages < 10);
  CHECK(pages == 2);
  CHECK(collected.size() == 4);

  const auto bad = get(client, kProfiles + "user_id:bob/traits?next=forged");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(json_of(bad)["error"]["code"] == "invalid_request_error");
  for (const std::string limit : {"0", "201", "ten", "-1"}) {
    const auto out_of_range = get(client, kProfiles + "user_id:bob/traits?limit=" + limit);
    REQUIRE(out_of_range);
    CHECK(out_of_range->status == 400);
    CHECK(json_of(out_of_range)["error"]["code"] == "validation_error");
  }
}

TEST_CASE("Segment events are newest first and external ids are listed, by any identifier", "[emulator][segment]") {
  EmulatorProcess emulator;
  seed_bob(emulator);
  auto client = client_for(emulator);
  // A leading + is sent as %2B (upstream-contracts 5.1).
  const auto events = get(client, kProfiles + "phone:%2B5511999990000/events?limit=2");
  REQUIRE(events);
  REQUIRE(events->status == 200);
  const auto body = json_of(events);
  REQUIRE(body["data"].size() == 2);
  CHECK(body["data"][0]["type"] == "page");
  CHECK(body["data"][1]["event"] == "Order Completed");
  CHECK(body["cursor"]["has_more"] == true);
  const auto rest = get(client, kProfiles + "phone:%2B5511999990000/events?limit=2&next=" + body["cursor"]["next"].get<std::string>());
  REQUIRE(rest);
  CHECK(json_of(rest)["data"].size() == 1);
  CHECK(json_of(rest)["data"][0]["event"] == "Signed Up");

  const auto ids = get(client, kProfiles + "email:bob%40example.com/external_ids?limit=25");
  REQUIRE(ids);
  REQUIRE(ids->status == 200);
  const auto id_list = json_of(ids)["data"];
  REQUIRE(id_list.size() == 4);
  CHECK(id_list[0]["type"] == "user_id");
  CHECK(id_list[0]["id"] == "bob");
  CHECK(id_list[0]["collection"] == "users");
  CHECK(id_list[0]["encoding"] == "none");
}

TEST_CASE("Segment answers 404 for unknown profiles and 401 for a wrong access token", "[emulator][segment]") {
  EmulatorProcess emulator;
  seed_bob(emulator);
  auto client = client_for(emulator);
  for (const std::string profile : {"user_id:nobody", "bob", "phone:5511999990000"}) {
    const auto missing = get(client, kProfiles + profile + "/traits");
    REQUIRE(missing);
    CHECK(missing->status == 404);
    CHECK(json_of(missing) == json{{"error", {{"code", "not_found"}, {"message", "Profile was not found."}}}});
  }
  const auto wrong = get(client, kProfiles + "user_id:bob/traits", "wrong-token");
  REQUIRE(wrong);
  CHECK(wrong->status == 401);
  CHECK(json_of(wrong)["error"]["code"] == "authentication_error");
  client.set_basic_auth("", "");
  auto none = httplib::Client("127.0.0.1", emulator.port()).Get((kProfiles + "user_id:bob/traits").c_str());
  REQUIRE(none);
  CHECK(none->status == 401);
  const auto other_space = get(client, "/segment-profiles/v1/spaces/spa_other/collections/users/profiles/user_id:bob/traits");
  REQUIRE(other_space);
  CHECK(other_space->status == 404);
}

TEST_CASE("Segment rate limit answers 429 rate_limit_error on demand, then serves again", "[emulator][segment]") {
  EmulatorProcess emulator;
  seed_bob(emulator);
  emulator.control("POST", "/segment/rate-limit", json{{"count", 2}}, 200);
  auto client = client_for(emulator);
  for (int i = 0; i < 2; ++i) {
    const auto limited = get(client, kProfiles + "user_id:bob/traits");
    REQUIRE(limited);
    CHECK(limited->status == 429);
    CHECK(limited->get_header_value("Retry-After") == "1");
    CHECK(json_of(limited)["error"]["code"] == "rate_limit_error");
  }
  const auto served = get(client, kProfiles + "user_id:bob/traits");
  REQUIRE(served);
  CHECK(served->status == 200);
}

TEST_CASE("Segment identify checks the write key and body, and updates the profile's traits", "[emulator][segment]") {
  EmulatorProcess emulator;
  seed_bob(emulator);
  auto client = client_for(emulator);
  client.set_basic_auth(kWriteKey.c_str(), "");
  const auto ok = client.Post("/segment-api/v1/identify",
                              R"({"userId":"bob","traits":{"plan":"platinum","city":"Recife"},"messageId":"m-1","timestamp":"2026-02-01T00:00:00.000Z"})",
                              "application/json");
  REQUIRE(ok);
  CHECK(ok->status == 200);
  CHECK(json_of(ok) == json{{"success", true}});
  const auto traits = json_of(get(client, kProfiles + "user_id:bob/traits?limit=200"))["traits"];
  CHECK(traits["plan"] == "platinum");
  CHECK(traits["city"] == "Recife");
  CHECK(traits["first_name"] == "Bob");
  const auto events = json_of(get(client, kProfiles + "user_id:bob/events?limit=1"))["data"];
  CHECK(events[0]["type"] == "identify");
  CHECK(events[0]["message_id"] == "m-1");

  // A new user gets a new profile.
  client.set_basic_auth(kWriteKey.c_str(), "");
  const auto created = client.Post("/segment-api/v1/identify", R"({"userId":"carol","traits":{"vip":true}})", "application/json");
  REQUIRE(created);
  CHECK(created->status == 200);
  CHECK(json_of(get(client, kProfiles + "user_id:carol/traits"))["traits"] == json{{"vip", true}});

  client.set_basic_auth("wrong-key", "");
  const auto wrong = client.Post("/segment-api/v1/identify", R"({"userId":"bob","traits":{}})", "application/json");
  REQUIRE(wrong);
  CHECK(wrong->status == 401);

  client.set_basic_auth(kWriteKey.c_str(), "");
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"{not json", "invalid_request_error"},
      {R"({"traits":{"a":1}})", "no_user_anon_id"},
      {R"({"userId":"bob","traits":[1]})", "validation_error"},
      {R"({"userId":"","traits":{}})", "validation_error"},
      {R"({"userId":"bob","messageId":")" + std::string(120, 'm') + R"("})", "validation_error"},
      {R"({"userId":"bob","traits":{"big":")" + std::string(40000, 'x') + R"("}})", "invalid_request_error"},
  };
  for (const auto& [body, code] : bad) {
    const auto refused = client.Post("/segment-api/v1/identify", body, "application/json");
    REQUIRE(refused);
    CHECK(refused->status == 400);
    CHECK(json_of(refused)["error"]["code"] == code);
  }
  const auto form = client.Post("/segment-api/v1/identify", "userId=bob", "application/x-www-form-urlencoded");
  REQUIRE(form);
  CHECK(form->status == 400);
}

TEST_CASE("Segment track appends an event, settings and reset control the space", "[emulator][segment]") {
  EmulatorProcess emulator;
  const auto settings = emulator.control("POST", "/segment/settings",
                                         json{{"spaceId", "spa_test"}, {"accessToken", "tok"}, {"writeKey", "wk"}}, 200);
  CHECK(settings == json{{"spaceId", "spa_test"}, {"accessToken", "tok"}, {"writeKey", "wk"}});
  emulator.control("POST", "/segment/settings", json{{"bogus", "x"}}, 400);
  auto client = client_for(emulator);
  // writeKey in the body is accepted too.
  const auto tracked = client.Post("/segment-api/v1/track",
                                   R"({"writeKey":"wk","anonymousId":"a-9","event":"Clicked","properties":{"button":"buy"}})",
                                   "application/json");
  REQUIRE(tracked);
  CHECK(tracked->status == 200);
  const auto missing_event = client.Post("/segment-api/v1/track", R"({"writeKey":"wk","anonymousId":"a-9"})", "application/json");
  REQUIRE(missing_event);
  CHECK(missing_event->status == 400);
  const auto events = get(client, "/segment-profiles/v1/spaces/spa_test/collections/users/profiles/anonymous_id:a-9/events", "tok");
  REQUIRE(events);
  REQUIRE(events->status == 200);
  CHECK(json_of(events)["data"][0]["event"] == "Clicked");
  CHECK(json_of(events)["data"][0]["properties"] == json{{"button", "buy"}});

  const auto listed = emulator.control("GET", "/segment/profiles");
  CHECK(listed["profiles"].size() == 1);
  emulator.reset();
  CHECK(emulator.control("GET", "/segment/profiles")["profiles"].empty());
  CHECK(emulator.control("GET", "/segment/settings")["spaceId"] == "spa_emulator");
}

TEST_CASE("Segment profile seeding refuses bad specs and duplicate identifiers", "[emulator][segment]") {
  EmulatorProcess emulator;
  seed_bob(emulator);
  emulator.control("POST", "/segment/profiles", json{{"externalIds", {{{"type", "user_id"}, {"id", "bob"}}}}}, 409);
  emulator.control("POST", "/segment/profiles", json::object(), 400);
  emulator.control("POST", "/segment/profiles", json{{"externalIds", json::array()}}, 400);
  emulator.control("POST", "/segment/profiles", json{{"externalIds", {{{"type", "user_id"}}}}}, 400);
  emulator.control("POST", "/segment/profiles", json{{"externalIds", {{{"type", "user_id"}, {"id", "x"}}}}, {"traits", json::array()}}, 400);
  emulator.control("POST", "/segment/profiles", json{{"externalIds", {{{"type", "user_id"}, {"id", "x"}}}}, {"events", {1}}}, 400);
  emulator.control("POST", "/segment/profiles", json{{"externalIds", {{{"type", "user_id"}, {"id", "x"}}}}, {"other", 1}}, 400);
}

TEST_CASE("Segment pages hold at most 100 items even when limit asks for 200", "[emulator][segment]") {
  EmulatorProcess emulator;
  std::string traits;
  for (int i = 0; i < 150; ++i) {
    if (i > 0) traits += ',';
    traits.append("\"t").append(std::to_string(i)).append("\":").append(std::to_string(i));
  }
  auto client = client_for(emulator);
  const auto seeded = client.Post("/__emulator/segment/profiles",
                                  R"({"externalIds":[{"type":"user_id","id":"many"}],"traits":{)" + traits + "}}", "application/json");
  REQUIRE(seeded);
  REQUIRE(seeded->status == 201);
  const auto first = json_of(get(client, kProfiles + "user_id:many/traits?limit=200"));
  CHECK(first["traits"].size() == 100);
  CHECK(first["cursor"]["has_more"] == true);
  const auto second = json_of(get(client, kProfiles + "user_id:many/traits?limit=200&next=" + first["cursor"]["next"].get<std::string>()));
  CHECK(second["traits"].size() == 50);
  CHECK(second["traits"]["t149"] == 149);
  CHECK(second["cursor"]["has_more"] == false);
}
