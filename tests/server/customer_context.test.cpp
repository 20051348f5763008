// Customer context routes (issue 5): /fetch-persona, /fetch-persona-studio and /identify-user of
// flexcore-server against the real emulator process (Segment Profile API, Tracking API, IAM, Studio
// webhooks signed by the emulator).

#include <catch2/catch.hpp>

#include "fakes.h"
#include "flexcore/emulator/emulator_process.h"
#include "test_server.h"

using namespace flexcore;
using namespace flexcore::server;
using namespace flexcore::server::testing;
using flexcore::emulator::EmulatorProcess;
using json = nlohmann::json;

namespace {

const std::string kAccessToken = "emulator-segment-access-token";
const std::string kWriteKey = "emulator-segment-write-key";

std::map<std::string, std::string> env_for(const EmulatorProcess& emulator, bool segment = true) {
  std::map<std::string, std::string> env{{"ACCOUNT_SID", emulator.account_sid()},
                                         {"AUTH_TOKEN", emulator.auth_token()},
                                         {"FLEXCORE_IAM_URL", emulator.base_url()},
                                         {"FLEXCORE_SEGMENT_PROFILES_URL", emulator.family_url("segment-profiles")},
                                         {"FLEXCORE_SEGMENT_TRACKING_URL", emulator.family_url("segment-api")}};
  if (segment) {
    env.emplace("SEGMENT_SPACE_ID", "spa_emulator");
    env.emplace("SEGMENT_PERSONAS_KEY", kAccessToken);
    env.emplace("SEGMENT_WRITE_KEY", kWriteKey);
  }
  return env;
}

AppDeps test_deps(std::shared_ptr<RecordingSleeper> sleeper = std::make_shared<RecordingSleeper>()) {
  AppDeps deps;
  deps.sleeper = std::move(sleeper);
  deps.random = std::make_shared<ScriptedRandom>();
  return deps;
}

// Raw text, so the trait order of the document is the order the emulator stores.
void seed_bob(const EmulatorProcess& emulator) {
  httplib::Client client("127.0.0.1", emulator.port());
  const auto result = client.Post("/__emulator/segment/profiles", R"({
    "externalIds":[{"type":"user_id","id":"bob"},{"type":"anonymous_id","id":"anon-1"},{"type":"anonymous_id","id":"anon-2"},
                   {"type":"email","id":"bob@example.com"},{"type":"phone","id":"+5511999990000"},{"type":"ios.idfa","id":"idfa-1"},
                   {"type":"user_id","id":"Zoë ü"}],
    "traits":{"zeta":"z","first_name":"Bob","plan":"gold","address":{"city":"Recife"}},
    "events":[{"type":"track","event":"Order Completed","timestamp":"2026-01-02T10:00:00.000Z","properties":{"total":42}},
              {"type":"page","timestamp":"2026-01-03T10:00:00.000Z"},
              {"type":"track","event":"Signed Up","timestamp":"2026-01-01T10:00:00.000Z"}]})",
                                  "application/json");
  if (!result || result->status != 201) throw std::runtime_error("seeding the Segment profile failed");
}

json body_of(const httplib::Result& result) {
  REQUIRE(result);
  return json::parse(result->body);
}

std::string form(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += upstream::url_encode(name) + "=" + upstream::url_encode(value);
  }
  return out;
}

}  // namespace

TEST_CASE("fetch-persona answers traits in Segment's order, events, filtered external ids and the anonymous id",
          "[server][emulator][customer-context]") {
  EmulatorProcess emulator;
  seed_bob(emulator);
  const auto alice = emulator.issue_token("alice", {"agent"});
  RunningApp server(make_config(env_for(emulator)), test_deps());
  const auto result = server.client().Get(("/fetch-persona?Token=" + alice.token + "&identifier=bob").c_str());
  REQUIRE(result);
  REQUIRE(result->status == 200);
  CHECK(result->body.find("\"zeta\"") < result->body.find("\"first_name\""));
  CHECK(result->get_header_value("Cache-Control") == "no-store");
  const auto body = json::parse(result->body);
  CHECK(body["traits"] == json{{"zeta", "z"}, {"first_name", "Bob"}, {"plan", "gold"}, {"address", {{"city", "Recife"}}}});
  REQUIRE(body["events"].size() == 3);
  CHECK(body["events"][0]["type"] == "page");
  CHECK(body["events"][1]["event"] == "Order Completed");
  std::vector<std::string> types;
  for (const auto& entry : body["externalIds"]) types.push_back(entry["type"]);
  CHECK(types == std::vector<std::string>{"user_id", "email", "phone", "user_id"});
  CHECK(body["anonymousId"]["id"] == "anon-1");
  CHECK(body["anonymousId"]["type"] == "anonymous_id");
  CHECK(body["audiences"] == json::array());

  const auto calls = emulator.requests("GET", "/segment-profiles/**");
  REQUIRE(calls.size() == 3);
  std::set<std::string> paths;
  for (const auto& call : calls) {
    paths.insert(call["path"].get<std::string>() + "?" + call["query"].get<std::string>());
    CHECK(call["auth"]["username"] == kAccessToken);
    CHECK(call["status"] == 200);
  }
  const std::string base = "/segment-profiles/v1/spaces/spa_emulator/collections/users/profiles/user_id:bob";
  CHECK(paths == std::set<std::string>{base + "/traits?limit=25", base + "/events?limit=25", base + "/external_ids?limit=25"});
  // Neither the access token nor the Flex token shows in the answer.
  CHECK(result->body.find(kAccessToken) == std::string::npos);
}

TEST_CASE("fetch-persona follows cursor pages up to limit and caps each list at limit",
          "[server][emulator][customer-context]") {
  EmulatorProcess emulator;
  std::string traits;
  for (int i = 0; i < 150; ++i) {
    if (i > 0) traits += ',';
    traits.append("\"t").append(std::to_string(i)).append("\":").append(std::to_string(i));
  }
  httplib::Client control("127.0.0.1", emulator.port());
  const auto seeded = control.Post("/__emulator/segment/profiles",
                                   R"({"externalIds":[{"type":"email","id":"many@example.com"}],"traits":{)" + traits + "}}",
                                   "application/json");
  REQUIRE(seeded);
  REQUIRE(seeded->status == 201);
  const auto alice = emulator.issue_token("alice", {"agent"});
  RunningApp server(make_config(env_for(emulator)), test_deps());
  auto client = server.client();

  const auto all = client.Post("/fetch-persona",
                               json{{"Token", alice.token}, {"idType", "email"}, {"identifier", "many@example.com"}, {"limit", 200}}.dump(),
                               "application/json");
  const auto body = body_of(all);
  REQUIRE(all->status == 200);
  CHECK(body["traits"].size() == 150);
  CHECK(body["traits"]["t149"] == 149);
  CHECK(emulator.requests("GET", "/segment-profiles/**/traits").size() == 2);  // 100 + 50

  emulator.clear_requests();
  const auto capped = client.Post("/fetch-persona", form({{"Token", alice.token}, {"idType", "email"}, {"identifier", "many@example.com"}, {"limit", "120"}}),
                                  "application/x-www-form-urlencoded");
  const auto capped_body = body_of(capped);
  REQUIRE(capped->status == 200);
  CHECK(capped_body["traits"].size() == 120);
  const auto trait_calls = emulator.requests("GET", "/segment-profiles/**/traits");
  REQUIRE(trait_calls.size() == 2);
  CHECK(trait_calls[0]["query"] == "limit=120");
  CHECK(trait_calls[1]["query"].get<std::string>().rfind("limit=20&next=", 0) == 0);
}

TEST_CASE("fetch-persona answers 404 with statusCode for an unknown profile", "[server][emulator][customer-context]") {
  EmulatorProcess emulator;
  seed_bob(emulator);
  const auto alice = emulator.issue_token("alice", {"agent"});
  RunningApp server(make_config(env_for(emulator)), test_deps());
  const auto result = server.client().Get(("/fetch-persona?Token=" + alice.token + "&identifier=nobody").c_str());
  const auto body = body_of(result);
  CHECK(result->status == 404);
  CHECK(body["error"] == "No Segment profile for user_id:nobody");
  CHECK(body["statusCode"] == 404);
  CHECK(body["statusMessage"] == "Not Found");
  CHECK(body["code"] == "NotFound");
}

TEST_CASE("fetch-persona normalises identifiers: phone plus sign, %2B, spaces and unicode",
          "[server][emulator][customer-context]") {
  EmulatorProcess emulator;
  seed_bob(emulator);
  const auto alice = emulator.issue_token("alice", {"agent"});
  RunningApp server(make_config(env_for(emulator)), test_deps());
  auto client = server.client();
  // An unencoded + arrives as a space (the lost-plus rule restores it); %2B is a real +; spaces and - go.
  for (const std::string raw : {"+5511999990000", "%2B5511999990000", "%2B55%2011%2099999-0000"}) {
    emulator.clear_requests();
    const auto result = client.Get(("/fetch-persona?Token=" + alice.token + "&idType=phone&identifier=" + raw).c_str());
    REQUIRE(result);
    INFO(raw << " → " << result->body);
    CHECK(result->status == 200);
    const auto calls = emulator.requests("GET", "/segment-profiles/**/traits");
    REQUIRE(calls.size() == 1);
    CHECK(calls[0]["path"] == "/segment-profiles/v1/spaces/spa_emulator/collections/users/profiles/phone:+5511999990000/traits");
  }
  // user_id keeps inner spaces and unicode, trims the ends.
  const auto unicode = client.Post("/fetch-persona", json{{"Token", alice.token}, {"identifier", "  Zoë ü "}}.dump(), "application/json");
  REQUIRE(unicode);
  CHECK(unicode->status == 200);
  const auto email = client.Get(("/fetch-persona?Token=" + alice.token + "&idType=email&identifier=bob%40example.com").c_str());
  REQUIRE(email);
  CHECK(email->status == 200);
}

TEST_CASE("fetch-persona refuses bad input with 400 naming the parameter", "[server][emulator][customer-context]") {
  EmulatorProcess emulator;
  const auto alice = emulator.issue_token("alice", {"agent"});
  RunningApp server(make_config(env_for(emulator)), test_deps());
  auto client = server.client();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "identifier is required"},
      {"&identifier=", "identifier is required"},
      {"&identifier=%20%20", "identifier is required"},
      {"&identifier=bob&limit=0", "limit must be an integer between 1 and 200"},
      {"&identifier=bob&limit=201", "limit must be an integer between 1 and 200"},
      {"&identifier=bob&limit=ten", "limit must be an integer between 1 and 200"},
      {"&identifier=bob&idType=user%2Fid", "idType must be"},
      {"&identifier=bob&idType=a:b", "idType must be"},
      {"&identifier=a%01b", "control characters"},
  };
  for (const auto& [query, message] : cases) {
    const auto result = client.Get(("/fetch-persona?Token=" + alice.token + query).c_str());
    REQUIRE(result);
    INFO(query << " → " << result->body);
    CHECK(result->status == 400);
    CHECK(json::parse(result->body)["error"].get<std::string>().find(message) != std::string::npos);
  }
  CHECK(emulator.requests("GET", "/segment-profiles/**").empty());
  const auto no_token = client.Get("/fetch-persona?identifier=bob");
  REQUIRE(no_token);
  CHECK(no_token->status == 403);
}

TEST_CASE("fetch-persona maps Segment failures: wrong key 502, rate limit 429 after retries, retried 429 succeeds",
          "[server][emulator][customer-context]") {
  EmulatorProcess emulator;
  seed_bob(emulator);
  const auto alice = emulator.issue_token("alice", {"agent"});
  auto env = env_for(emulator);
  env["SEGMENT_PERSONAS_KEY"] = "wrong-access-token";
  {
    RunningApp server(make_config(env), test_deps());
    const auto result = server.client().Get(("/fetch-persona?Token=" + alice.token + "&identifier=bob").c_str());
    const auto body = body_of(result);
    CHECK(result->status == 502);
    CHECK(body["code"] == "UpstreamError");
    CHECK(body["error"].get<std::string>().find("SEGMENT_PERSONAS_KEY") != std::string::npos);
    CHECK(result->body.find("wrong-access-token") == std::string::npos);
  }
  auto sleeper = std::make_shared<RecordingSleeper>();
  RunningApp server(make_config(env_for(emulator)), test_deps(sleeper));
  emulator.control("POST", "/segment/rate-limit", json{{"count", 1}});
  const auto retried = server.client().Get(("/fetch-persona?Token=" + alice.token + "&identifier=bob").c_str());
  REQUIRE(retried);
  CHECK(retried->status == 200);

  emulator.control("POST", "/segment/rate-limit", json{{"count", 1000}});
  const auto limited = server.client().Get(("/fetch-persona?Token=" + alice.token + "&identifier=bob").c_str());
  const auto body = body_of(limited);
  CHECK(limited->status == 429);
  CHECK(body["code"] == "ResourceExhausted");
}

TEST_CASE("customer context routes answer 503 naming the missing Segment settings", "[server][emulator][customer-context]") {
  EmulatorProcess emulator;
  const auto alice = emulator.issue_token("alice", {"agent"});
  RunningApp server(make_config(env_for(emulator, false)), test_deps());
  auto client = server.client();
  const auto persona = client.Get(("/fetch-persona?Token=" + alice.token + "&identifier=bob").c_str());
  const auto persona_body = body_of(persona);
  CHECK(persona->status == 503);
  CHECK(persona_body["code"] == "NotConfigured");
  CHECK(persona_body["error"].get<std::string>().find("SEGMENT_SPACE_ID") != std::string::npos);
  CHECK(persona_body["error"].get<std::string>().find("SEGMENT_PERSONAS_KEY") != std::string::npos);
  const auto identify = client.Post("/identify-user", json{{"Token", alice.token}, {"userId", "bob"}, {"traits", json::object()}}.dump(),
                                    "application/json");
  const auto identify_body = body_of(identify);
  CHECK(identify->status == 503);
  CHECK(identify_body["error"].get<std::string>().find("SEGMENT_WRITE_KEY") != std::string::npos);
  CHECK(emulator.requests("", "/segment-*/**").empty());
}

TEST_CASE("fetch-persona-studio answers a signed Studio request and refuses unsigned or Flex-token calls",
          "[server][emulator][customer-context]") {
  EmulatorProcess emulator;
  seed_bob(emulator);
  const auto alice = emulator.issue_token("alice", {"agent"});
  RunningApp server(make_config(env_for(emulator)), test_deps());
  const auto signed_call = emulator.send_webhook(
      {{"url", server.url() + "/fetch-persona-studio"}, {"params", {{"idType", "phone"}, {"identifier", "+55 11 99999-0000"}}}});
  CHECK(signed_call["status"] == 200);
  const auto body = json::parse(signed_call["body"].get<std::string>());
  CHECK(body["traits"]["first_name"] == "Bob");

  const auto bad = emulator.send_webhook(
      {{"url", server.url() + "/fetch-persona-studio"}, {"params", {{"identifier", "bob"}}}, {"badSignature", true}});
  CHECK(bad["status"] == 403);
  const auto token_only = server.client().Post("/fetch-persona-studio", form({{"Token", alice.token}, {"identifier", "bob"}}),
                                               "application/x-www-form-urlencoded");
  REQUIRE(token_only);
  CHECK(token_only->status == 403);
  const auto missing = emulator.send_webhook({{"url", server.url() + "/fetch-persona-studio"}, {"params", {{"idType", "user_id"}}}});
  CHECK(missing["status"] == 400);
  const auto unknown = emulator.send_webhook({{"url", server.url() + "/fetch-persona-studio"}, {"params", {{"identifier", "ghost"}}}});
  CHECK(unknown["status"] == 404);
  CHECK(json::parse(unknown["body"].get<std::string>())["statusCode"] == 404);
}

TEST_CASE("identify-user from Studio sends a Segment identify with the write key and updates the profile",
          "[server][emulator][customer-context]") {
  EmulatorProcess emulator;
  seed_bob(emulator);
  RunningApp server(make_config(env_for(emulator)), test_deps());
  const auto result = emulator.send_webhook({{"url", server.url() + "/identify-user"},
                                             {"params", {{"userId", "bob"}, {"traits", R"({"plan":"platinum","vip":true})"}}}});
  CHECK(result["status"] == 200);
  CHECK(json::parse(result["body"].get<std::string>()) == json{{"success", true}});

  const auto calls = emulator.requests("POST", "/segment-api/v1/identify");
  REQUIRE(calls.size() == 1);
  CHECK(calls[0]["auth"]["username"] == kWriteKey);
  CHECK(calls[0]["headers"]["content-type"] == "application/json");
  const auto sent = json::parse(calls[0]["body"].get<std::string>());
  CHECK(sent["type"] == "identify");
  CHECK(sent["userId"] == "bob");
  CHECK(sent["traits"] == json{{"plan", "platinum"}, {"vip", true}});
  CHECK(sent["messageId"].get<std::string>().rfind("flexcore-", 0) == 0);
  CHECK(sent["messageId"].get<std::string>().size() == 41);
  CHECK(sent["timestamp"].get<std::string>().size() == 24);

  const auto profiles = emulator.control("GET", "/segment/profiles")["profiles"];
  REQUIRE(profiles.size() == 1);
  CHECK(profiles[0]["traits"]["plan"] == "platinum");
  CHECK(profiles[0]["traits"]["first_name"] == "Bob");
}

TEST_CASE("identify-user accepts a Flex token with traits as an object or a string, and refuses bad traits",
          "[server][emulator][customer-context]") {
  EmulatorProcess emulator;
  const auto alice = emulator.issue_token("alice", {"agent"});
  RunningApp server(make_config(env_for(emulator)), test_deps());
  auto client = server.client();
  const auto as_object = client.Post("/identify-user", json{{"Token", alice.token}, {"userId", "carol"}, {"traits", {{"a", 1}}}}.dump(),
                                     "application/json");
  REQUIRE(as_object);
  CHECK(as_object->status == 200);
  const auto as_string = client.Post("/identify-user", form({{"Token", alice.token}, {"userId", "carol"}, {"traits", R"({"b":"2"})"}}),
                                     "application/x-www-form-urlencoded");
  REQUIRE(as_string);
  CHECK(as_string->status == 200);
  CHECK(emulator.control("GET", "/segment/profiles")["profiles"][0]["traits"] == json{{"a", 1}, {"b", "2"}});

  const std::vector<std::tuple<std::vector<std::pair<std::string, std::string>>, int, std::string>> cases = {
      {{{"traits", "{}"}}, 400, "userId is required"},
      {{{"userId", ""}, {"traits", "{}"}}, 400, "userId is required"},
      {{{"userId", "carol"}}, 400, "traits is required"},
      {{{"userId", "carol"}, {"traits", "{not json"}}, 400, "traits must be a JSON object: invalid JSON"},
      {{{"userId", "carol"}, {"traits", "[1,2]"}}, 400, "traits must be a JSON object, got array"},
      {{{"userId", "carol"}, {"traits", "\"text\""}}, 400, "traits must be a JSON object, got string"},
      {{{"userId", "carol"}, {"traits", R"({"a":1,"a":2})"}}, 400, "twice"},
      {{{"userId", "carol"}, {"traits", R"({"big":")" + std::string(40000, 'x') + "\"}"}}, 413, "32768"},
  };
  for (const auto& [params, status, message] : cases) {
    auto with_token = params;
    with_token.emplace_back("Token", alice.token);
    const auto result = client.Post("/identify-user", form(with_token), "application/x-www-form-urlencoded");
    REQUIRE(result);
    INFO(result->body);
    CHECK(result->status == status);
    CHECK(json::parse(result->body)["error"].get<std::string>().find(message) != std::string::npos);
  }
  // 1 MB of traits is over the request body limit.
  const auto huge = client.Post("/identify-user",
                                form({{"Token", alice.token}, {"userId", "carol"}, {"traits", R"({"big":")" + std::string(1 << 20, 'x') + "\"}"}}),
                                "application/x-www-form-urlencoded");
  REQUIRE(huge);
  CHECK(huge->status == 413);
  CHECK(emulator.requests("POST", "/segment-api/**").size() == 2);
}

TEST_CASE("identify-user maps a rejected write key to 502 without echoing it", "[server][emulator][customer-context]") {
  EmulatorProcess emulator;
  auto env = env_for(emulator);
  env["SEGMENT_WRITE_KEY"] = "wrong-write-key";
  RunningApp server(make_config(env), test_deps());
  const auto result = emulator.send_webhook({{"url", server.url() + "/identify-user"}, {"params", {{"userId", "bob"}, {"traits", "{}"}}}});
  CHECK(result["status"] == 502);
  CHECK(result["body"].get<std::string>().find("SEGMENT_WRITE_KEY") != std::string::npos);
  CHECK(result["body"].get<std::string>().find("wrong-write-key") == std::string::npos);
}

TEST_CASE("identify-user refuses a bad Studio signature and a missing or unknown Flex token", "[server][emulator][customer-context]") {
  EmulatorProcess emulator;
  RunningApp server(make_config(env_for(emulator)), test_deps());
  const auto bad = emulator.send_webhook(
      {{"url", server.url() + "/identify-user"}, {"params", {{"userId", "bob"}, {"traits", "{}"}}}, {"badSignature", true}});
  CHECK(bad["status"] == 403);
  const auto no_token = server.client().Post("/identify-user", form({{"userId", "bob"}, {"traits", "{}"}}), "application/x-www-form-urlencoded");
  REQUIRE(no_token);
  CHECK(no_token->status == 403);
  const auto unknown = server.client().Post("/identify-user", form({{"Token", "not-a-token"}, {"userId", "bob"}, {"traits", "{}"}}),
                                            "application/x-www-form-urlencoded");
  REQUIRE(unknown);
  CHECK(unknown->status == 403);
  CHECK(emulator.requests("POST", "/segment-api/**").empty());
}
