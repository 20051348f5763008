#include <catch2/catch.hpp>

#include "http/params.h"

using namespace flexcore;
using namespace flexcore::server;

TEST_CASE("UTF-8 validation follows RFC 3629", "[server][params]") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii"));
  CHECK(is_valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  CHECK_FALSE(is_valid_utf8("\xff"));
  CHECK_FALSE(is_valid_utf8("\xc3"));              // truncated
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xe0\x80\xaf"));      // overlong
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));      // UTF-16 surrogate
  CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xe2\x28\xa1"));      // bad continuation
}

TEST_CASE("form decoding: pairs, '+', percent escapes, repeated names, order", "[server][params]") {
  auto params = decode_form("TaskSid=WT1&Token=a%2Bb+c&&flag&Token=second&empty=&x=%E2%82%AC", "form body");
  REQUIRE(params.ok());
  const Params expected = {{"TaskSid", "WT1"}, {"Token", "a+b c"}, {"flag", ""},
                           {"Token", "second"}, {"empty", ""},    {"x", "\xe2\x82\xac"}};
  CHECK(params.value() == expected);
  CHECK(decode_form("", "query string").value().empty());
  CHECK(decode_form("a=1=2", "query string").value() == Params{{"a", "1=2"}});
}

TEST_CASE("malformed form encoding is a 400-class error naming where", "[server][params]") {
  for (const std::string text : {"a=%zz", "a=%4", "a=%", "%g1=x"}) {
    INFO(text);
    auto params = decode_form(text, "form body");
    REQUIRE_FALSE(params.ok());
    CHECK(params.error().code == ErrorCode::InvalidArgument);
    CHECK_THAT(params.error().message, Catch::Contains("malformed form body") && Catch::Contains("percent-escape"));
  }
  auto offset = decode_form("ok=1&bad=%q1", "query string");
  REQUIRE_FALSE(offset.ok());
  CHECK_THAT(offset.error().message, Catch::Contains("query string") && Catch::Contains("byte 9"));
  auto empty_name = decode_form("=value", "form body");
  REQUIRE_FALSE(empty_name.ok());
  CHECK_THAT(empty_name.error().message, Catch::Contains("empty parameter name"));
}

TEST_CASE("non-UTF-8 parameters are rejected naming the parameter, not its value", "[server][params]") {
  auto params = decode_form("TaskSid=%FF%FE", "query string");
  REQUIRE_FALSE(params.ok());
  CHECK(params.error().code == ErrorCode::InvalidArgument);
  CHECK(params.error().message == "query string parameter \"TaskSid\" is not valid UTF-8");
  auto name = decode_form("%C0%AF=1", "form body");
  REQUIRE_FALSE(name.ok());
  CHECK_THAT(name.error().message, Catch::Contains("name that is not valid UTF-8"));
}

TEST_CASE("JSON bodies parse, errors give the position and reason without the input", "[server][params]") {
  auto ok = parse_json_body(R"({"Token":"abc","n":[1,2,{"k":true}]})");
  REQUIRE(ok.ok());
  CHECK(ok.value()["n"][2]["k"] == true);

  auto bad = parse_json_body(R"({"Token": "secret-token-value", oops})");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::InvalidArgument);
  CHECK_THAT(bad.error().message, Catch::StartsWith("malformed JSON body at line 1, column"));
  CHECK_THAT(bad.error().message, !Catch::Contains("secret-token-value"));
  CHECK_THAT(bad.error().message, !Catch::Contains("oops"));

  auto empty = parse_json_body("");
  REQUIRE_FALSE(empty.ok());
  CHECK_THAT(empty.error().message, Catch::Contains("malformed JSON body"));
}

TEST_CASE("JSON bodies: duplicate keys, invalid UTF-8 and deep nesting are rejected", "[server][params]") {
  auto duplicate = parse_json_body(R"({"Token":"a","Token":"b"})");
  REQUIRE_FALSE(duplicate.ok());
  CHECK(duplicate.error().message == "JSON body has the key \"Token\" twice");
  auto nested_duplicate = parse_json_body(R"({"a":{"k":1,"k":2}})");
  REQUIRE_FALSE(nested_duplicate.ok());
  CHECK(parse_json_body(R"({"a":{"k":1},"b":{"k":2}})").ok());

  auto utf8 = parse_json_body("{\"a\":\"\xff\"}");
  REQUIRE_FALSE(utf8.ok());
  CHECK(utf8.error().message == "JSON body is not valid UTF-8");

  const std::string deep = std::string(100, '[') + std::string(100, ']');
  auto nested = parse_json_body(deep);
  REQUIRE_FALSE(nested.ok());
  CHECK_THAT(nested.error().message, Catch::Contains("nested deeper than 64"));
  const std::string fine = std::string(60, '[') + std::string(60, ']');
  CHECK(parse_json_body(fine).ok());
  // A million brackets neither crash nor exhaust the stack.
  CHECK_FALSE(parse_json_body(std::string(1000000, '[')).ok());
}
