#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "flexcore/segment_lookup.h"

using namespace flexcore::segment_lookup;
using flexcore::ErrorCode;
using Ids = std::vector<std::string>;

namespace {
Ids parse_ok(const std::string& text) {
  auto result = parse_segment_csv(text);
  INFO("input: " << text);
  if (!result.ok()) FAIL("unexpected error: " << result.error().message);
  return result.value();
}
const std::string kSid = "WT0123456789abcdef0123456789abcdef";
}  // namespace

TEST_CASE("segment CSV: the header row is skipped and the first column kept", "[core][segment_lookup][csv]") {
  CHECK(parse_ok("Segment,Agent\n123,Jack\n456,Jill\n") == Ids{"123", "456"});
  CHECK(parse_ok("Segment\n123") == Ids{"123"});  // no trailing newline
}

TEST_CASE("segment CSV: RFC 4180 quoting is honoured where the seed was wrong", "[core][segment_lookup][csv]") {
  SECTION("quoted value") { CHECK(parse_ok("h\n\"123456\"\n") == Ids{"123456"}); }
  SECTION("comma inside quotes (seed gave 12)") { CHECK(parse_ok("h\n\"12,34\",x\n") == Ids{"12,34"}); }
  SECTION("escaped quote (seed gave ab)") { CHECK(parse_ok("h\n\"ab\"\"c\",x\n") == Ids{"ab\"c"}); }
  SECTION("newline inside quotes (seed split it)") { CHECK(parse_ok("h\n\"a\nb\",x\n\"c\r\nd\"\n") == Ids{"a\nb", "c\r\nd"}); }
  SECTION("quoted header with embedded comma and newline") { CHECK(parse_ok("\"Seg,ment\n id\",b\n7,8\n") == Ids{"7"}); }
  SECTION("quote inside an unquoted field is a character") { CHECK(parse_ok("h\nab\"c,x\n") == Ids{"ab\"c"}); }
  SECTION("blanks around a quoted field") { CHECK(parse_ok("h\n  \"99\"  ,x\n") == Ids{"99"}); }
}

TEST_CASE("segment CSV: line endings, BOM, blanks and trimming", "[core][segment_lookup][csv]") {
  CHECK(parse_ok("h\r\n1\r\n2\r\n") == Ids{"1", "2"});
  CHECK(parse_ok("h\r1\r2") == Ids{"1", "2"});
  CHECK(parse_ok("\xEF\xBB\xBFh\n1\n") == Ids{"1"});
  CHECK(parse_ok("\xEF\xBB\xBF" "1\n2\n") == Ids{"2"});  // the BOM-prefixed first line is still the header
  CHECK(parse_ok("\n\n  \nh\n\n1\n   \n2\n\n") == Ids{"1", "2"});  // blank lines never count, not even as header
  CHECK(parse_ok("h\n  12 \t,x\n") == Ids{"12"});
}

TEST_CASE("segment CSV: empty values are dropped, order and duplicates kept", "[core][segment_lookup][csv]") {
  CHECK(parse_ok("h\n,x\n\"\",y\n3\n1\n3\n") == Ids{"3", "1", "3"});
  CHECK(parse_ok("h\n\" \",x\n") == Ids{});
}

TEST_CASE("segment CSV: nothing but a header, or nothing at all, gives no IDs", "[core][segment_lookup][csv]") {
  CHECK(parse_ok("").empty());
  CHECK(parse_ok("Segment\n").empty());
  CHECK(parse_ok("Segment").empty());
  CHECK(parse_ok("\xEF\xBB\xBF").empty());
  CHECK(parse_ok("\r\n\r\n").empty());
}

TEST_CASE("segment CSV: malformed quoting is an InvalidArgument with the line number", "[core][segment_lookup][csv]") {
  SECTION("unterminated quote") {
    auto r = parse_segment_csv("h\n1\n\"abc,x\nmore\n");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::InvalidArgument);
    CHECK(r.error().message == "CSV: unterminated quoted field starting on line 3");
  }
  SECTION("unterminated quote after a CRLF quoted newline counts physical lines") {
    auto r = parse_segment_csv("h\r\n\"a\r\nb\"\r\n\"oops");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("line 4") != std::string::npos);
  }
  SECTION("text after a closing quote") {
    auto r = parse_segment_csv("h\n\"ab\"c,x\n");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::InvalidArgument);
    CHECK(r.error().message == "CSV: unexpected character after the closing quote on line 2");
  }
}

TEST_CASE("segment CSV: a large export parses in one pass", "[core][segment_lookup][csv]") {
  std::string text = "Segment,Agent,Notes\r\n";
  const int rows = 200000;
  text.reserve(static_cast<std::size_t>(rows) * 40);
  for (int i = 0; i < rows; ++i) {
    text += '"';
    text += std::to_string(1000000 + i);
    text += "\",agent ";
    text += std::to_string(i % 20);
    text += ",\"note, with comma\"\r\n";
  }
  auto r = parse_segment_csv(text);
  REQUIRE(r.ok());
  REQUIRE(r.value().size() == static_cast<std::size_t>(rows));
  CHECK(r.value().front() == "1000000");
  CHECK(r.value().back() == std::to_string(1000000 + rows - 1));
}

TEST_CASE("Task SIDs are checked after trimming, with the seed's required message", "[core][segment_lookup]") {
  CHECK(is_valid_task_sid(kSid));
  CHECK_FALSE(is_valid_task_sid(" " + kSid));
  CHECK_FALSE(is_valid_task_sid("WK" + kSid.substr(2)));

  auto trimmed = check_task_sid("  " + kSid + "\n");
  REQUIRE(trimmed.ok());
  CHECK(trimmed.value() == kSid);

  for (const std::string& empty : {std::string(), std::string("   "), std::string("\t\r\n")}) {
    auto r = check_task_sid(empty);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::InvalidArgument);
    CHECK(r.error().message == "TaskSid is required");
  }
  for (const std::string& bad : {kSid + "0", std::string("WT'; DROP TABLE tasks;--"), std::string("<b>WT</b>"),
                                 "WK" + kSid.substr(2)}) {
    auto r = check_task_sid(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::InvalidArgument);
    CHECK(r.error().message.find("32 hex digits") != std::string::npos);
  }
}

TEST_CASE("GoodData request bodies have the seed's exact shapes", "[core][segment_lookup][insights]") {
  using nlohmann::json;
  CHECK(json::parse(login_body("a@b.c", "p\"w")) ==
        json::parse(R"({"postUserLogin":{"login":"a@b.c","password":"p\"w","remember":0,"verify_level":2}})"));
  CHECK(json::parse(identifiers_body()) == json::parse(R"({"identifierToUri":["label.conversations.external_id"]})"));
  CHECK(json::parse(valid_elements_body(kSid)) ==
        json::parse(R"({"validElementsRequest":{"titles":[")" + kSid + R"("]}})"));
  CHECK(json::parse(execute_raw_body("ws1", "42", "/gdc/md/ws1/obj/5193",
                                     {"/gdc/md/ws1/obj/5192/elements?id=1", "/gdc/md/ws1/obj/5192/elements?id=2"})) ==
        json::parse(R"({"report_req":{"report":"/gdc/md/ws1/obj/42","context":{"filters":[{"uri":"/gdc/md/ws1/obj/5193",
          "constraint":{"type":"list","elements":["/gdc/md/ws1/obj/5192/elements?id=1","/gdc/md/ws1/obj/5192/elements?id=2"]}}]}}})"));
}

TEST_CASE("GoodData replies are read, and bad replies give the seed's messages", "[core][segment_lookup][insights]") {
  CHECK(read_login_token(R"({"userLogin":{"profile":"/p","token":"SST1"}})").value() == "SST1");
  CHECK(read_login_token(R"({"userLogin":{}})").error().message == "Authentication failed");
  CHECK(read_login_token("<html>oops</html>").error().code == ErrorCode::UpstreamError);
  CHECK(read_temporary_token(R"({"userToken":{"token":"TT1"}})").value() == "TT1");
  CHECK(read_temporary_token(R"({"userToken":{"token":5}})").error().message == "Failed to get temporary token");

  CHECK(read_display_form_uri(R"({"identifiers":[{"identifier":"x","uri":"/gdc/md/ws/obj/1"}]})", "ws").value() ==
        "/gdc/md/ws/obj/1");
  auto missing = read_display_form_uri(R"({"identifiers":[]})", "ws9");
  CHECK(missing.error().code == ErrorCode::UpstreamError);
  CHECK(missing.error().message ==
        "Could not resolve GoodData identifier 'label.conversations.external_id' in workspace 'ws9'. Verify "
        "ANALYTICS_WORKSPACE is correct.");

  auto uris = read_element_uris(R"({"validElements":{"items":[{"element":{"title":"t","uri":"/e?id=1"}},
                                   {"element":{"title":"t","uri":"/e?id=2"}}],"paging":{"total":2}}})", kSid);
  CHECK(uris.value() == Ids{"/e?id=1", "/e?id=2"});
  auto none = read_element_uris(R"({"validElements":{"items":[]}})", kSid);
  CHECK(none.error().code == ErrorCode::NotFound);
  CHECK(none.error().message == "External ID '" + kSid +
                                    "' not found in Flex Insights. The task may not be indexed yet (default 1 hour "
                                    "delay after a conversation ends).");
  CHECK(read_element_uris("[]", kSid).error().code == ErrorCode::UpstreamError);

  CHECK(read_export_uri(R"({"uri":"/gdc/projects/ws/execute/raw/9"})").value() == "/gdc/projects/ws/execute/raw/9");
  CHECK(read_export_uri("{}").error().message == "Report execution failed");
}
