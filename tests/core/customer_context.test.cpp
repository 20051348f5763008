#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "flexcore/customer_context.h"

using namespace flexcore::customer_context;
using flexcore::ErrorCode;

namespace {

std::vector<Row> rows_of(const std::string& attributes, const DisplayOptions& options = {}) {
  auto r = context_rows(attributes, options);
  INFO("attributes: " << attributes.substr(0, 200));
  if (!r.ok()) FAIL("unexpected error: " << r.error().message);
  return r.value();
}

std::vector<std::string> keys_of(const std::vector<Row>& rows) {
  std::vector<std::string> keys;
  for (const Row& row : rows) keys.push_back(row.key);
  return keys;
}

// The display value of the single row of {"context":{"v": <value_json>}}.
std::string shown(const std::string& value_json, const DisplayOptions& options = {}) {
  auto rows = rows_of(R"({"context":{"v":)" + value_json + "}}", options);
  REQUIRE(rows.size() == 1);
  return rows[0].value;
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

const std::string kEllipsis = "\xE2\x80\xA6";

}  // namespace

TEST_CASE("context rows follow JavaScript Object.keys order", "[core][customer_context]") {
  // Canonical array indices (no leading zero, <= 4294967294) ascending first, then insertion order.
  auto rows = rows_of(R"({"context":{"b":1,"10":2,"a":3,"2":4,"01":5,"4294967295":6,"4294967294":7,"-1":8,"0":9}})");
  CHECK(keys_of(rows) == std::vector<std::string>{"0", "2", "10", "4294967294", "b", "a", "01", "4294967295", "-1"});
}

TEST_CASE("context rows resolve duplicate keys like JSON.parse: first position, last value", "[core][customer_context]") {
  auto rows = rows_of(R"({"context":{"b":1,"a":2,"b":"x"}})");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == Row{"b", "x", ValueKind::String, false});
  CHECK(rows[1] == Row{"a", "2", ValueKind::Number, false});
  SECTION("the last context member of the attributes counts") {
    auto last = rows_of(R"({"context":{"old":1},"x":0,"context":{"new":2}})");
    REQUIRE(last.size() == 1);
    CHECK(last[0].key == "new");
  }
  SECTION("an escaped spelling of the key \"context\" is the same key") {
    CHECK(rows_of(R"({"con\u0074ext":{"k":"v"}})").size() == 1);
  }
  SECTION("duplicates in a large context (hash path)") {
    std::string context;
    for (int i = 0; i < 40; ++i) context += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    auto many = rows_of(R"({"context":{)" + context + R"("k3":"last"}})");
    REQUIRE(many.size() == 40);
    CHECK(many[3] == Row{"k3", "last", ValueKind::String, false});
  }
}

TEST_CASE("context values are display text: strings as is, numbers and booleans as JSON text, null empty",
          "[core][customer_context]") {
  auto rows = rows_of(R"({"context":{"s":"Olá \"mundo\"","n":42,"f":-1.50,"t":true,"no":false,"z":null,"e":""}})");
  CHECK(rows == std::vector<Row>{{"s", "Olá \"mundo\"", ValueKind::String, false},
                                 {"n", "42", ValueKind::Number, false},
                                 {"f", "-1.5", ValueKind::Number, false},
                                 {"t", "true", ValueKind::Boolean, false},
                                 {"no", "false", ValueKind::Boolean, false},
                                 {"z", "", ValueKind::Null, false},
                                 {"e", "", ValueKind::String, false}});
}

TEST_CASE("numbers are shown as JavaScript prints the double JSON.parse reads", "[core][customer_context]") {
  // Expected values are what node's JSON.stringify(JSON.parse(text)) prints.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"1.50", "1.5"},
      {"1e2", "100"},
      {"-0", "0"},
      {"-0.0e5", "0"},
      {"1E-7", "1e-7"},
      {"0.1", "0.1"},
      {"1e21", "1e+21"},
      {"1e20", "100000000000000000000"},
      {"1e400", "null"},
      {"-1e400", "null"},
      {"1e-400", "0"},
      {"0.000001", "0.000001"},
      {"0.0000001", "1e-7"},
      {"5e-324", "5e-324"},
      {"2e-308", "2e-308"},
      {"0.30000000000000004", "0.30000000000000004"},
      {"2.5e-5", "0.000025"},
      {"-1.5e-10", "-1.5e-10"},
      {"123456789012345678901234", "1.2345678901234569e+23"},
      {"9007199254740993", "9007199254740992"},
      {"12345678901234567890", "12345678901234567000"},
      {"1.7976931348623157e308", "1.7976931348623157e+308"},
      {"123.456e5", "12345600"},
      {"0.00001234", "0.00001234"},
      {"100", "100"},
      {"0", "0"},
  };
  for (const auto& [literal, expected] : cases) {
    INFO("literal " << literal);
    CHECK(shown(literal) == expected);
  }
}

TEST_CASE("objects and arrays are shown as compact JSON exactly like JSON.stringify", "[core][customer_context]") {
  auto rows = rows_of(R"({"context":{"o":{ "x" : "\u00e9\/\u0007\ud800\"\\", "2" : [1, 2.50 ,{"b":1,"1":true}] },
                                     "a":[ ],"e":{ },"l":["x",null,false]}})");
  REQUIRE(rows.size() == 4);
  CHECK(rows[0] == Row{"o", R"({"2":[1,2.5,{"1":true,"b":1}],"x":"é/\u0007\ud800\"\\"})", ValueKind::Object, false});
  CHECK(rows[1] == Row{"a", "[]", ValueKind::Array, false});
  CHECK(rows[2] == Row{"e", "{}", ValueKind::Object, false});
  CHECK(rows[3] == Row{"l", R"(["x",null,false])", ValueKind::Array, false});
  SECTION("duplicate keys inside nested objects resolve like JSON.parse") {
    CHECK(shown(R"({"a":1,"b":2,"a":3})") == R"({"a":3,"b":2})");
  }
  SECTION("escaped keys are re-escaped only where JSON.stringify escapes") {
    CHECK(shown(R"({"k\ty\u00e9":"\u001f\b\f\n\r\t"})") == R"({"k\tyé":"\u001f\b\f\n\r\t"})");
  }
}

TEST_CASE("missing or non-object context gives no rows, not an error", "[core][customer_context]") {
  for (const std::string attributes :
       {R"({})", R"({"name":"x"})", R"({"context":"a string"})", R"({"context":["an","array"]})",
        R"({"context":null})", R"({"context":5})", R"({"context":true})", "", "  \n", R"({"context":{}})"}) {
    INFO("attributes: " << attributes);
    CHECK(rows_of(attributes).empty());
  }
}

TEST_CASE("attributes that are not a JSON object are InvalidArgument naming the byte", "[core][customer_context]") {
  const std::vector<std::string> bad = {
      "[]", "null", "\"s\"", "42", "{", R"({"context":})", "not json", R"({"a":1,})", R"({"a":01})",
      R"({"a":1} x)", R"({"a":"raw)" "\x01" R"("})", R"({"a":"\x"})", R"({"a":"\u12"})", "{\"a\":\"\xC3\x28\"}",
      "{\"a\":\"\xED\xA0\x80\"}", "{\"a\":\"\xF5\x80\x80\x80\"}", "{\"a\":\"\xC0\xAF\"}", R"({"a":1.})", R"({"a":-})",
      R"({"a":.5})", R"({"a":+1})", R"({"a":1e})", R"({"a":tru})", R"({'a':1})", R"({"a" 1})", R"([1,]})",
      "{\"a\":\"unterminated}",
  };
  for (const std::string& attributes : bad) {
    INFO("attributes: " << attributes);
    auto r = context_rows(attributes);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::InvalidArgument);
    CHECK(r.error().message.rfind("attributes: ", 0) == 0);
  }
  auto r = context_rows(R"({"a": tru})");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "attributes: invalid JSON at byte 6: expected a value (object, array, string, number, true, false or null)");
  auto array = context_rows("[1]");
  REQUIRE_FALSE(array.ok());
  CHECK(array.error().message == "attributes: expected a JSON object, got array");
  SECTION("a leading UTF-8 byte order mark is skipped") {
    CHECK(rows_of("\xEF\xBB\xBF{\"context\":{\"a\":1}}").size() == 1);
  }
}

TEST_CASE("flatten expands nested objects into dotted keys while arrays stay compact JSON", "[core][customer_context]") {
  DisplayOptions options;
  options.flatten = true;
  auto rows = rows_of(R"({"context":{"name":"Ana","address":{"city":"Lisboa","geo":{"lat":38.7,"lng":-9.1},"1":"first"},
                                     "tags":["a",{"b":1}],"empty":{},"after":0}})",
                      options);
  CHECK(rows == std::vector<Row>{{"name", "Ana", ValueKind::String, false},
                                 {"address.1", "first", ValueKind::String, false},
                                 {"address.city", "Lisboa", ValueKind::String, false},
                                 {"address.geo.lat", "38.7", ValueKind::Number, false},
                                 {"address.geo.lng", "-9.1", ValueKind::Number, false},
                                 {"tags", R"(["a",{"b":1}])", ValueKind::Array, false},
                                 {"empty", "{}", ValueKind::Object, false},
                                 {"after", "0", ValueKind::Number, false}});
}

TEST_CASE("containers deeper than maxDepth are collapsed with a marker", "[core][customer_context]") {
  // 50 levels: {"a":{"a":...{"a":1}...}}
  const std::string deep = repeat(R"({"a":)", 50) + "1" + repeat("}", 50);
  SECTION("compact JSON shows maxDepth levels, then {…}") {
    DisplayOptions options;
    options.max_depth = 3;
    auto rows = rows_of(R"({"context":{"deep":)" + deep + "}}", options);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].value == R"({"a":{"a":{"a":{)" + kEllipsis + "}}}}");
    CHECK(rows[0].truncated);
    CHECK(rows[0].kind == ValueKind::Object);
  }
  SECTION("with the default limit (10) a 50-level value is shown to level 10") {
    auto rows = rows_of(R"({"context":{"deep":)" + deep + "}}");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].value == repeat(R"({"a":)", 10) + "{" + kEllipsis + "}" + repeat("}", 10));
  }
  SECTION("flatten stops at maxDepth too") {
    DisplayOptions options;
    options.flatten = true;
    options.max_depth = 2;
    auto rows = rows_of(R"({"context":{"deep":)" + deep + "}}", options);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].key == "deep.a.a");
    CHECK(rows[0].value == "{" + kEllipsis + "}");
    CHECK(rows[0].truncated);
  }
  SECTION("arrays collapse to […]; empty containers stay as they are") {
    DisplayOptions options;
    options.max_depth = 1;
    CHECK(shown(R"([[1],[],{}])", options) == "[[" + kEllipsis + "],[],{}]");
  }
}

TEST_CASE("very deep nesting anywhere in the attributes does not crash", "[core][customer_context]") {
  const std::size_t depth = 100000;
  const std::string nested = repeat("[", depth) + repeat("]", depth);
  CHECK(rows_of(R"({"other":)" + nested + R"(,"context":{"x":)" + nested + "}}").size() == 1);
  auto unbalanced = context_rows(R"({"context":)" + repeat("[", depth));
  REQUIRE_FALSE(unbalanced.ok());
  CHECK(unbalanced.error().code == ErrorCode::InvalidArgument);
}

TEST_CASE("long keys and values are cut at a code point with an ellipsis", "[core][customer_context]") {
  DisplayOptions options;
  options.max_key_length = 4;
  options.max_value_length = 5;
  auto rows = rows_of(R"({"context":{"ключ-long":"ááááááá","ok":"12345","obj":{"k":"vvvv"},"n":123456.5}})", options);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0] == Row{"ключ" + kEllipsis, "ááááá" + kEllipsis, ValueKind::String, true});
  CHECK(rows[1] == Row{"ok", "12345", ValueKind::String, false});
  CHECK(rows[2] == Row{"obj", R"({"k":)" + kEllipsis, ValueKind::Object, true});
  CHECK(rows[3] == Row{"n", "123456.5", ValueKind::Number, false});  // numbers are never cut
  SECTION("a 1 MB string value is cut to the default 2000 code points") {
    auto big = rows_of(R"({"context":{"big":")" + std::string(1 << 20, 'x') + R"("}})");
    REQUIRE(big.size() == 1);
    CHECK(big[0].value == std::string(2000, 'x') + kEllipsis);
    CHECK(big[0].truncated);
  }
}

TEST_CASE("more than maxRows rows end with an omitted marker row", "[core][customer_context]") {
  std::string context;
  for (int i = 0; i < 10000; ++i) context += (i ? ",\"key" : "\"key") + std::to_string(i) + "\":" + std::to_string(i);
  const std::string attributes = R"({"context":{)" + context + "}}";
  auto all = rows_of(attributes);  // default maxRows 1000
  REQUIRE(all.size() == 1001);
  CHECK(all[999] == Row{"key999", "999", ValueKind::Number, false});
  CHECK(all[1000] == Row{kEllipsis, "9000 more not shown", ValueKind::Omitted, true});
  DisplayOptions options;
  options.max_rows = 10000;
  CHECK(rows_of(attributes, options).size() == 10000);
  SECTION("flattened rows are counted one by one") {
    DisplayOptions flat;
    flat.flatten = true;
    flat.max_rows = 2;
    auto rows = rows_of(R"({"context":{"a":{"x":1,"y":2,"z":3},"b":4}})", flat);
    REQUIRE(rows.size() == 3);
    CHECK(rows[1].key == "a.y");
    CHECK(rows[2].value == "2 more not shown");
  }
}

TEST_CASE("HTML stays plain text and control characters become visible pictures", "[core][customer_context]") {
  auto rows = rows_of(
      R"({"context":{"<script>alert(1)</script>":"<img src=x onerror=alert(1)>","c\u0000k":"a\u0007b\u001bc\u007fd","ws":"tab\there\nline\r","lone":"x\ud800y\udc00z","pair":"\ud83d\ude00"}})");
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].key == "<script>alert(1)</script>");
  CHECK(rows[0].value == "<img src=x onerror=alert(1)>");
  CHECK(rows[1].key == "c\xE2\x90\x80k");                                       // U+2400 ␀
  CHECK(rows[1].value == "a\xE2\x90\x87" "b\xE2\x90\x9B" "c\xE2\x90\xA1" "d");  // ␇ ␛ ␡
  CHECK(rows[2].value == "tab\there\nline\r");
  CHECK(rows[3].value == "x\xEF\xBF\xBDy\xEF\xBF\xBDz");  // lone surrogates → U+FFFD
  CHECK(rows[4].value == "\xF0\x9F\x98\x80");              // a surrogate pair is one code point (😀)
  CHECK(rows[1].truncated == false);
}

TEST_CASE("display options out of range are InvalidArgument naming the option", "[core][customer_context]") {
  struct Case {
    DisplayOptions options;
    std::string message;
  };
  DisplayOptions depth0, depth65, key0, value0, rows0;
  depth0.max_depth = 0;
  depth65.max_depth = 65;
  key0.max_key_length = 0;
  value0.max_value_length = 0;
  rows0.max_rows = 0;
  for (const Case& c : {Case{depth0, "maxDepth must be between 1 and 64, got 0"},
                        Case{depth65, "maxDepth must be between 1 and 64, got 65"},
                        Case{key0, "maxKeyLength must be between 1 and 1000000, got 0"},
                        Case{value0, "maxValueLength must be between 1 and 100000000, got 0"},
                        Case{rows0, "maxRows must be between 1 and 10000000, got 0"}}) {
    auto r = context_rows("{}", c.options);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::InvalidArgument);
    CHECK(r.error().message == c.message);
    CHECK_FALSE(trait_rows("{}", c.options).ok());
    CHECK_FALSE(event_rows("[]", c.options).ok());
  }
  CHECK(check_options(DisplayOptions{}).ok());
}

TEST_CASE("value kinds have stable wire names", "[core][customer_context]") {
  CHECK(to_string(ValueKind::String) == "string");
  CHECK(to_string(ValueKind::Number) == "number");
  CHECK(to_string(ValueKind::Boolean) == "boolean");
  CHECK(to_string(ValueKind::Null) == "null");
  CHECK(to_string(ValueKind::Object) == "object");
  CHECK(to_string(ValueKind::Array) == "array");
  CHECK(to_string(ValueKind::Omitted) == "omitted");
}

TEST_CASE("trait rows use the same value rules, and null means no traits", "[core][customer_context]") {
  auto r = trait_rows(R"({"first_name":"Bob","plan":{"tier":"gold"},"vip":true,"3":null})");
  REQUIRE(r.ok());
  CHECK(r.value() == std::vector<Row>{{"3", "", ValueKind::Null, false},
                                      {"first_name", "Bob", ValueKind::String, false},
                                      {"plan", R"({"tier":"gold"})", ValueKind::Object, false},
                                      {"vip", "true", ValueKind::Boolean, false}});
  CHECK(trait_rows("null").value().empty());
  CHECK(trait_rows("").value().empty());
  for (const std::string bad : {"[]", "\"x\"", "{", "{\"a\":}"}) {
    auto e = trait_rows(bad);
    INFO("traits: " << bad);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == ErrorCode::InvalidArgument);
    CHECK(e.error().message.rfind("traits: ", 0) == 0);
  }
  CHECK(trait_rows("[1]").error().message == "traits: expected a JSON object, got array");
  SECTION("1 MB of traits") {
    std::string traits = "{";
    for (int i = 0; i < 20000; ++i) traits += (i ? ",\"trait_" : "\"trait_") + std::to_string(i) + "\":\"" + std::string(40, 'v') + "\"";
    traits += "}";
    REQUIRE(traits.size() > 1000000);
    auto big = trait_rows(traits);
    REQUIRE(big.ok());
    CHECK(big.value().size() == 1001);
  }
}

TEST_CASE("event rows are newest first with name, timestamp, display time and property rows", "[core][customer_context]") {
  auto r = event_rows(R"([
    {"type":"track","event":"Order Completed","timestamp":"2018-01-05T00:16:35.663Z","properties":{"total":9.90,"sku":["a"]}},
    {"type":"page","event":"ignored","timestamp":"2018-01-05T02:16:35.700+02:00"},
    {"type":"identify","timestamp":"2018-01-06T00:00:00Z","properties":"not an object"},
    {"type":"track","event":"No time"},
    {"type":"track","event":"Same second A","timestamp":"2018-01-04T10:00:00Z"},
    {"type":"track","event":"Same second B","timestamp":"2018-01-04T10:00:00.000Z"},
    {"event":"Bad time","timestamp":"yesterday"},
    {}
  ])");
  REQUIRE(r.ok());
  const auto& events = r.value();
  REQUIRE(events.size() == 8);
  CHECK(events[0].name == "identify");
  CHECK(events[0].display_time == "2018-01-06 00:00:00 UTC");
  CHECK(events[0].properties.empty());
  CHECK(events[1].name == "page");  // 00:16:35.700Z: 37 ms after the track event
  CHECK(events[1].type == "page");
  CHECK(events[1].timestamp == "2018-01-05T02:16:35.700+02:00");
  CHECK(events[1].display_time == "2018-01-05 00:16:35 UTC");
  CHECK(events[2].name == "Order Completed");
  CHECK(events[2].properties == std::vector<Row>{{"total", "9.9", ValueKind::Number, false},
                                                 {"sku", R"(["a"])", ValueKind::Array, false}});
  CHECK(events[3].name == "Same second A");  // equal instants keep their order
  CHECK(events[4].name == "Same second B");
  CHECK(events[5].name == "No time");  // then events without a parseable timestamp, in input order
  CHECK(events[5].timestamp.empty());
  CHECK(events[6].name == "Bad time");
  CHECK(events[6].timestamp == "yesterday");
  CHECK(events[6].display_time.empty());
  CHECK(events[7] == EventRow{});
}

TEST_CASE("event rows reject what is not an array of objects", "[core][customer_context]") {
  CHECK(event_rows("null").value().empty());
  CHECK(event_rows("").value().empty());
  CHECK(event_rows("[]").value().empty());
  CHECK(event_rows("{}").error().message == "events: expected a JSON array, got object");
  CHECK(event_rows(R"([{},"x"])").error().message == "events[1]: expected an object, got string");
  CHECK(event_rows("[").error().code == ErrorCode::InvalidArgument);
}

TEST_CASE("timestamps: RFC 3339 parsed to a UTC instant and shown locale-free", "[core][customer_context]") {
  CHECK(display_timestamp("2026-11-21T17:52:20Z") == "2026-11-21 17:52:20 UTC");
  CHECK(display_timestamp("2026-11-21t17:52:20.123456789z") == "2026-11-21 17:52:20 UTC");
  CHECK(display_timestamp("2026-11-21 19:52:20+02:00") == "2026-11-21 17:52:20 UTC");
  CHECK(display_timestamp("2026-01-01T00:30:00+01:00") == "2025-12-31 23:30:00 UTC");
  CHECK(display_timestamp("2024-02-29T23:59:59-00:30") == "2024-03-01 00:29:59 UTC");
  CHECK(display_timestamp("2018-01-05") == "2018-01-05 00:00:00 UTC");
  CHECK(display_timestamp("1969-12-31T23:59:59Z") == "1969-12-31 23:59:59 UTC");
  for (const std::string bad : {"", "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-31T00:00:00Z",
                                "2026-11-21T24:00:00Z", "2026-11-21T23:60:00Z", "2026-11-21T23:00:60Z",
                                "2026-11-21T17:52:20", "2026-11-21T17:52:20.Z", "2026-11-21T17:52:20+2:00",
                                "2026-11-21T17:52:20+02", "2026-11-21T17:52:20Z ", "2026-11-21X17:52:20Z",
                                "26-11-21T17:52:20Z", "yesterday", "2026-11-21T17:52Z", "0000-01-01T00:00:00+01:00"}) {
    INFO("timestamp: " << bad);
    CHECK_FALSE(display_timestamp(bad).has_value());
  }
  // Instants compare to the nanosecond and honour offsets.
  auto a = parse_timestamp("2018-01-05T00:16:35.663Z");
  auto b = parse_timestamp("2018-01-05T02:16:35.6630001+02:00");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a < *b);
  CHECK(a->seconds == 1515111395);
  CHECK(a->nanos == 663000000);
  CHECK(*parse_timestamp("1970-01-01T00:00:00Z") == Instant{0, 0});
}

TEST_CASE("phone identifiers lose spaces and dashes but never a leading plus", "[core][customer_context]") {
  auto phone = [](const std::string& raw) {
    auto r = normalize_profile_identifier("phone", raw);
    INFO("identifier: '" << raw << "'");
    if (!r.ok()) FAIL("unexpected error: " << r.error().message);
    return r.value();
  };
  CHECK(phone("+55 11 9999-0000") == "+551199990000");       // the seed's example
  CHECK(phone("+5511999990000") == "+5511999990000");
  CHECK(phone(" 5511999990000") == "+5511999990000");        // '+' decoded as a space: restored
  CHECK(phone(" 55 11 9999-0000") == "+551199990000");
  CHECK(phone("  5511999990000") == "5511999990000");        // two spaces: not a lost '+'
  CHECK(phone(" 1234567") == "1234567");                     // 7 digits: too short for E.164
  CHECK(phone(" 1234567890123456") == "1234567890123456");   // 16 digits: too long for E.164
  CHECK(phone("\t5511999990000") == "5511999990000");        // only a space stands for a lost '+'
  CHECK(phone(" +5511999990000 ") == "+5511999990000");
  CHECK(phone("11 9999-0000") == "1199990000");
  CHECK(phone("%2B5511999990000") == "%2B5511999990000");   // no percent-decoding here
  CHECK(phone("٥٥١١") == "٥٥١١");                            // unicode kept as is
}

TEST_CASE("other identifier types are only trimmed, so user IDs keep their dashes", "[core][customer_context]") {
  CHECK(normalize_profile_identifier("user_id", "  3f2b-11ee-9a 01 ").value() == "3f2b-11ee-9a 01");
  CHECK(normalize_profile_identifier("email", " ana-maria@example.com\n").value() == "ana-maria@example.com");
  CHECK(normalize_profile_identifier("anonymous_id", "João").value() == "João");
  CHECK(normalize_profile_identifier("ios.idfa", "+1").value() == "+1");
}

TEST_CASE("bad identifiers and id types are InvalidArgument", "[core][customer_context]") {
  struct Case {
    std::string id_type, identifier, message;
  };
  for (const Case& c : {Case{"user_id", "", "identifier is required"}, Case{"phone", " - - ", "identifier is required"},
                        Case{"email", "   ", "identifier is required"},
                        Case{"user_id", std::string("a\0b", 3), "identifier must not contain control characters"},
                        Case{"user_id", "a\x7f", "identifier must not contain control characters"},
                        Case{"user_id", "\xC3\x28", "identifier must be valid UTF-8"},
                        Case{"user_id", std::string(1025, 'a'), "identifier must be at most 1024 bytes"},
                        Case{"", "u1", "idType must be 1-64 characters from A-Z, a-z, 0-9, '_' and '.'"},
                        Case{"user/id", "u1", "idType must be 1-64 characters from A-Z, a-z, 0-9, '_' and '.'"},
                        Case{"user_id:x", "u1", "idType must be 1-64 characters from A-Z, a-z, 0-9, '_' and '.'"},
                        Case{std::string(65, 'a'), "u1", "idType must be 1-64 characters from A-Z, a-z, 0-9, '_' and '.'"}}) {
    INFO("idType '" << c.id_type << "' identifier '" << c.identifier << "'");
    auto r = normalize_profile_identifier(c.id_type, c.identifier);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::InvalidArgument);
    CHECK(r.error().message == c.message);
  }
  CHECK(check_id_type("user_id").ok());
  CHECK(check_id_type("android.id").ok());
}

TEST_CASE("profile paths percent-encode the identifier like encodeURIComponent", "[core][customer_context]") {
  CHECK(profile_path("spa_1", "phone", " 55 11 9999-0000").value() ==
        "/v1/spaces/spa_1/collections/users/profiles/phone:%2B551199990000");
  CHECK(profile_path("spa_1", "email", "a+b@x.com").value() == "/v1/spaces/spa_1/collections/users/profiles/email:a%2Bb%40x.com");
  CHECK(profile_path("s", "user_id", "José 1/2?").value() == "/v1/spaces/s/collections/users/profiles/user_id:Jos%C3%A9%201%2F2%3F");
  CHECK(encode_uri_component("AZaz09-_.!~*'()") == "AZaz09-_.!~*'()");
  CHECK(encode_uri_component("%2B :#&=") == "%252B%20%3A%23%26%3D");
  CHECK(profile_path("", "user_id", "u").error().message == "spaceId must be 1-128 characters from A-Z, a-z, 0-9, '_' and '-'");
  CHECK(profile_path("a/b", "user_id", "u").error().code == ErrorCode::InvalidArgument);
  CHECK(profile_path("s", "user_id", " ").error().message == "identifier is required");
}
