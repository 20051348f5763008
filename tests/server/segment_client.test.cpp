// segment::fetch_persona against a scripted Segment host on loopback: malformed or hostile Profile API
// answers end in a defined error or a bounded result, never a throw or an endless paging loop.

#include <catch2/catch.hpp>

#include "scripted_upstream.h"
#include "segment/segment_client.h"
#include "test_server.h"

using namespace flexcore;
using namespace flexcore::server;
using namespace flexcore::server::testing;

namespace {

Config segment_config(const ScriptedUpstream& segment) {
  return make_config({{"SEGMENT_SPACE_ID", "spa_test"},
                      {"SEGMENT_PERSONAS_KEY", "personas-key"},
                      {"SEGMENT_WRITE_KEY", "write-key"},
                      {"FLEXCORE_SEGMENT_PROFILES_URL", segment.url()},
                      {"FLEXCORE_SEGMENT_TRACKING_URL", segment.url()}});
}

// One body that is a valid page of all three lists (traits, events, external_ids).
ScriptedResponse page(const std::string& cursor) {
  return ScriptedResponse{200,
                          R"({"traits":{"a":1},"data":[{"type":"user_id","id":"u1"}],"cursor":)" + cursor + "}",
                          "application/json",
                          {},
                          false};
}

}  // namespace

TEST_CASE("fetch_persona stops paging on a malformed or repeating cursor", "[server][segment]") {
  ScriptedUpstream segment;
  const Config config = segment_config(segment);
  upstream::CurlHttpClient http;
  segment::PersonaQuery query;
  query.identifier = "u1";
  query.limit = 50;

  SECTION("has_more that is not a boolean ends the list") {
    segment.set_fallback(page(R"({"has_more":"yes","next":"c1"})"));
    auto persona = segment::fetch_persona(http, config, query);
    REQUIRE(persona);
    CHECK(persona.value()["traits"] == nlohmann::ordered_json{{"a", 1}});
    CHECK(segment.count() == 3);
  }
  SECTION("a cursor that repeats is followed once, then the list ends") {
    segment.set_fallback(page(R"({"has_more":true,"next":"same"})"));
    auto persona = segment::fetch_persona(http, config, query);
    REQUIRE(persona);
    CHECK(persona.value()["events"].size() == 2);
    CHECK(segment.count() == 6);  // two pages per list
  }
  SECTION("a cursor that is not an object ends the list") {
    segment.set_fallback(page(R"("next")"));
    auto persona = segment::fetch_persona(http, config, query);
    REQUIRE(persona);
    CHECK(segment.count() == 3);
  }
}

TEST_CASE("fetch_persona maps malformed Segment answers and errors to UpstreamError", "[server][segment]") {
  ScriptedUpstream segment;
  const Config config = segment_config(segment);
  upstream::CurlHttpClient http;
  segment::PersonaQuery query;
  query.identifier = "u1";

  const std::vector<std::pair<ScriptedResponse, std::string>> cases = {
      {ScriptedResponse{200, "not json", "text/plain", {}, false}, "malformed"},
      {ScriptedResponse{200, R"({"traits":[1],"data":{}})", "application/json", {}, false}, "malformed"},
      {ScriptedResponse{403, R"({"error":{"code":"authentication_error"}})", "application/json", {}, false}, "SEGMENT_PERSONAS_KEY"},
      {ScriptedResponse{500, "{}", "application/json", {}, false}, "HTTP 500"},
  };
  for (const auto& [answer, message] : cases) {
    segment.set_fallback(answer);
    auto persona = segment::fetch_persona(http, config, query);
    REQUIRE_FALSE(persona);
    CHECK(persona.error().code == ErrorCode::UpstreamError);
    CHECK(persona.error().message.find(message) != std::string::npos);
    CHECK(persona.error().message.find("personas-key") == std::string::npos);
  }
  // Basic auth is the key with an empty password (upstream-contracts 5.1).
  const auto received = segment.received();
  REQUIRE(!received.empty());
  CHECK(received[0].authorization == "Basic cGVyc29uYXMta2V5Og==");  // base64("personas-key:")
}

TEST_CASE("fetch_persona checks its settings and the space id before calling Segment", "[server][segment]") {
  ScriptedUpstream segment;
  upstream::CurlHttpClient http;
  segment::PersonaQuery query;
  query.identifier = "u1";
  auto bad_space = make_config({{"SEGMENT_SPACE_ID", "spa/../x"}, {"SEGMENT_PERSONAS_KEY", "k"},
                                {"FLEXCORE_SEGMENT_PROFILES_URL", segment.url()}});
  auto refused = segment::fetch_persona(http, bad_space, query);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::NotConfigured);
  CHECK(refused.error().message.find("SEGMENT_SPACE_ID") != std::string::npos);
  query.limit = 0;
  auto zero = segment::fetch_persona(http, segment_config(segment), query);
  REQUIRE_FALSE(zero);
  CHECK(zero.error().code == ErrorCode::InvalidArgument);
  CHECK(segment.count() == 0);
}
