#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "flexcore/task_attributes.h"

using flexcore::ErrorCode;
using flexcore::task_attributes::merge_conversations;

namespace {
std::string merged(const std::string& attributes, const std::string& patch) {
  auto r = merge_conversations(attributes, patch);
  INFO("attributes: " << attributes << " patch: " << patch);
  if (!r.ok()) FAIL("unexpected error: " << r.error().message);
  return r.value();
}
}  // namespace

TEST_CASE("merge_conversations changes only the patched conversations keys, byte for byte elsewhere",
          "[core][task_attributes]") {
  SECTION("existing key replaced in place; order, spacing, numbers and escapes kept") {
    const std::string in = R"({ "b": 1.50, "conversations" : { "x" : "\u00e9", "hang_up_by" : "customer" , "n": 1e2 }, "a": [1,2] })";
    CHECK(merged(in, R"({"hang_up_by":"agent"})") ==
          R"({ "b": 1.50, "conversations" : { "x" : "\u00e9", "hang_up_by" : "agent" , "n": 1e2 }, "a": [1,2] })");
  }
  SECTION("new key appended at the end of conversations") {
    CHECK(merged(R"({"conversations":{"x":"y"},"z":true})", R"({"hang_up_by":"agent"})") ==
          R"({"conversations":{"x":"y","hang_up_by":"agent"},"z":true})");
  }
  SECTION("empty conversations object") {
    CHECK(merged(R"({"conversations":{}})", R"({"hang_up_by":"agent"})") == R"({"conversations":{"hang_up_by":"agent"}})");
    CHECK(merged(R"({"conversations":{  }})", R"({"a":1})") == R"({"conversations":{  "a":1}})");
  }
  SECTION("conversations absent: appended to the top-level object") {
    CHECK(merged(R"({"name":"x"})", R"({"conversation_id":"WT1"})") ==
          R"({"name":"x","conversations":{"conversation_id":"WT1"}})");
    CHECK(merged("{}", R"({"a":"b"})") == R"({"conversations":{"a":"b"}})");
    CHECK(merged("", R"({"a":"b"})") == R"({"conversations":{"a":"b"}})");
  }
  SECTION("conversations null (the seed's plugin threw here) is replaced by an object") {
    CHECK(merged(R"({"conversations":null,"k":1})", R"({"hang_up_by":"agent"})") ==
          R"({"conversations":{"hang_up_by":"agent"},"k":1})");
  }
  SECTION("nested lookalikes and strings with braces are not touched") {
    const std::string in = R"({"note":"\"conversations\":{}","deep":{"conversations":{"hang_up_by":"x"}},"conversations":{"hang_up_by":"x"}})";
    CHECK(merged(in, R"({"hang_up_by":"agent"})") ==
          R"({"note":"\"conversations\":{}","deep":{"conversations":{"hang_up_by":"x"}},"conversations":{"hang_up_by":"agent"}})");
  }
  SECTION("object and array values inside conversations are skipped correctly") {
    CHECK(merged(R"({"conversations":{"m":{"a":[1,{"b":"}"}]},"hang_up_by":"c"}})", R"({"hang_up_by":"agent"})") ==
          R"({"conversations":{"m":{"a":[1,{"b":"}"}]},"hang_up_by":"agent"}})");
  }
  SECTION("duplicate keys: the last one (what JSON.parse keeps) is replaced") {
    CHECK(merged(R"({"conversations":{"hang_up_by":"a","hang_up_by":"b"}})", R"({"hang_up_by":"agent"})") ==
          R"({"conversations":{"hang_up_by":"a","hang_up_by":"agent"}})");
  }
  SECTION("several keys at once, result parses") {
    auto out = merged(R"({"conversations":{"a":1}})", R"({"a":2,"b":"x","c":null})");
    auto doc = nlohmann::json::parse(out);
    CHECK(doc["conversations"]["a"] == 2);
    CHECK(doc["conversations"]["b"] == "x");
    CHECK(doc["conversations"]["c"].is_null());
  }
  SECTION("an empty patch returns the attributes unchanged") {
    CHECK(merged(R"({ "x" : 1 })", "{}") == R"({ "x" : 1 })");
  }
}

TEST_CASE("merge_conversations rejects what is not a JSON object", "[core][task_attributes]") {
  for (const std::string bad : {"[]", "null", "\"s\"", "{", "{\"a\":}", "not json"}) {
    auto r = merge_conversations(bad, R"({"a":1})");
    INFO("attributes: " << bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::InvalidArgument);
    CHECK(r.error().message.rfind("attributes:", 0) == 0);
  }
  for (const std::string bad : {"[]", "1", "", "{"}) {
    auto r = merge_conversations("{}", bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.rfind("patch:", 0) == 0);
  }
}
