// Flex Insights (GoodData) module (upstream-contracts.md section 4), against the real emulator process.
#include "test_support.h"

#include <catch2/catch.hpp>

using flexcore::emulator::EmulatorProcess;
using namespace flexcore::emulator::testing;
using json = nlohmann::json;

namespace {

const std::string kSid = "WT0123456789abcdef0123456789abcdef";
const std::string kOtherSid = "WTffffffffffffffffffffffffffffffff";

/// Seeds user insights@example.com / pw, workspace "ws1" with report "777" and kSid → two segments.
void seed(EmulatorProcess& emulator) {
  emulator.control("POST", "/insights/users", {{"login", "insights@example.com"}, {"password", "pw"}}, 201);
  emulator.control("POST", "/insights/workspaces", {{"workspace", "ws1"}, {"reports", {"777"}}}, 201);
  emulator.control("POST", "/insights/segments",
                   {{"workspace", "ws1"}, {"externalId", kSid}, {"segmentIds", {"12,34", "ab\"c"}}}, 201);
}

httplib::Result post_json(httplib::Client& client, const std::string& path, const json& body, httplib::Headers headers = {}) {
  headers.emplace("Accept", "application/json");
  return client.Post(path.c_str(), headers, body.dump(), "application/json");
}

std::string login(httplib::Client& client, const std::string& password = "pw") {
  const auto result = post_json(client, "/insights/gdc/account/login",
                                {{"postUserLogin",
                                  {{"login", "insights@example.com"}, {"password", password}, {"remember", 0}, {"verify_level", 2}}}});
  REQUIRE(result);
  REQUIRE(result->status == 200);
  return json_of(result)["userLogin"]["token"].get<std::string>();
}

std::string temporary_token(httplib::Client& client, const std::string& sst) {
  const auto result = client.Get("/insights/gdc/account/token", httplib::Headers{{"X-GDC-AuthSST", sst}});
  REQUIRE(result);
  REQUIRE(result->status == 200);
  return json_of(result)["userToken"]["token"].get<std::string>();
}

httplib::Headers tt_cookie(const std::string& tt) { return {{"Cookie", "GDCAuthTT=" + tt}}; }

}  // namespace

TEST_CASE("Insights login returns an SST and the token call turns it into a TT", "[emulator][insights]") {
  EmulatorProcess emulator;
  seed(emulator);
  auto client = client_for(emulator);
  const auto result = post_json(client, "/insights/gdc/account/login",
                                {{"postUserLogin", {{"login", "insights@example.com"}, {"password", "pw"}, {"remember", 0}, {"verify_level", 2}}}});
  REQUIRE(result);
  CHECK(result->status == 200);
  const auto body = json_of(result);
  CHECK(body["userLogin"]["profile"].get<std::string>().rfind("/gdc/account/profile/", 0) == 0);
  CHECK(body["userLogin"]["state"].get<std::string>().rfind("/gdc/account/login/", 0) == 0);
  const auto sst = body["userLogin"]["token"].get<std::string>();
  CHECK_FALSE(sst.empty());
  const auto tt = temporary_token(client, sst);
  CHECK_FALSE(tt.empty());
  CHECK(tt != sst);

  const auto state = emulator.control("GET", "/insights/state");
  CHECK(state["logins"] == 1);
  CHECK(state["temporaryTokens"] == 1);
}

TEST_CASE("Insights refuses bad credentials with 401 and then 429 with Retry-After", "[emulator][insights]") {
  EmulatorProcess emulator;
  seed(emulator);
  emulator.control("POST", "/insights/settings", {{"maxBadLogins", 2}, {"retryAfterSeconds", 7}});
  auto client = client_for(emulator);
  for (int i = 0; i < 2; ++i) {
    const auto result = post_json(client, "/insights/gdc/account/login",
                                  {{"postUserLogin", {{"login", "insights@example.com"}, {"password", "wrong"}}}});
    REQUIRE(result);
    CHECK(result->status == 401);
    CHECK(json_of(result)["error"]["message"] == "Bad Login or Password!");
  }
  const auto limited = post_json(client, "/insights/gdc/account/login",
                                 {{"postUserLogin", {{"login", "insights@example.com"}, {"password", "pw"}}}});
  REQUIRE(limited);
  CHECK(limited->status == 429);
  CHECK(limited->get_header_value("Retry-After") == "7");
  const auto malformed = client.Post("/insights/gdc/account/login", "not json", "application/json");
  REQUIRE(malformed);
  CHECK(malformed->status == 400);
}

TEST_CASE("Insights token call answers 401 cookie=GDCAuthSST for a missing, unknown or expired SST", "[emulator][insights]") {
  EmulatorProcess emulator;
  seed(emulator);
  auto client = client_for(emulator);
  const auto sst = login(client);
  for (const httplib::Headers& headers : {httplib::Headers{}, httplib::Headers{{"X-GDC-AuthSST", "nope"}}}) {
    const auto result = client.Get("/insights/gdc/account/token", headers);
    REQUIRE(result);
    CHECK(result->status == 401);
    CHECK(result->get_header_value("WWW-Authenticate") == "GoodData realm=\"GoodData API\", cookie=GDCAuthSST");
  }
  emulator.control("POST", "/insights/expire", {{"tokens", "sst"}});
  const auto expired = client.Get("/insights/gdc/account/token", httplib::Headers{{"X-GDC-AuthSST", sst}});
  REQUIRE(expired);
  CHECK(expired->status == 401);
}

TEST_CASE("Insights accepts the TT as cookie or header and answers 401 cookie=GDCAuthTT once it expired", "[emulator][insights]") {
  EmulatorProcess emulator;
  seed(emulator);
  auto client = client_for(emulator);
  const auto tt = temporary_token(client, login(client));
  const json body = {{"identifierToUri", {"label.conversations.external_id"}}};
  for (const auto& headers : {tt_cookie(tt), httplib::Headers{{"Cookie", "a=b; GDCAuthTT=" + tt}},
                              httplib::Headers{{"X-GDC-AuthTT", tt}}}) {
    const auto result = post_json(client, "/insights/gdc/md/ws1/identifiers", body, headers);
    REQUIRE(result);
    CHECK(result->status == 200);
  }
  const auto none = post_json(client, "/insights/gdc/md/ws1/identifiers", body);
  REQUIRE(none);
  CHECK(none->status == 401);
  CHECK(none->get_header_value("WWW-Authenticate") == "GoodData realm=\"GoodData API\", cookie=GDCAuthTT");

  emulator.control("POST", "/insights/expire", {{"tokens", "tt"}});
  const auto expired = post_json(client, "/insights/gdc/md/ws1/identifiers", body, tt_cookie(tt));
  REQUIRE(expired);
  CHECK(expired->status == 401);
  CHECK(expired->get_header_value("WWW-Authenticate") == "GoodData realm=\"GoodData API\", cookie=GDCAuthTT");

  // TTs issued with a non-positive lifetime are expired at once.
  emulator.control("POST", "/insights/settings", {{"ttTtlSeconds", 0}});
  const auto short_lived = temporary_token(client, login(client));
  const auto refused = post_json(client, "/insights/gdc/md/ws1/identifiers", body, tt_cookie(short_lived));
  REQUIRE(refused);
  CHECK(refused->status == 401);
}

TEST_CASE("Insights resolves the External Id identifier and finds elements by title", "[emulator][insights]") {
  EmulatorProcess emulator;
  seed(emulator);
  auto client = client_for(emulator);
  const auto tt = temporary_token(client, login(client));

  const auto ids = post_json(client, "/insights/gdc/md/ws1/identifiers",
                             {{"identifierToUri", {"label.conversations.external_id"}}}, tt_cookie(tt));
  REQUIRE(ids);
  CHECK(ids->status == 200);
  CHECK(json_of(ids) == json{{"identifiers", {{{"identifier", "label.conversations.external_id"}, {"uri", "/gdc/md/ws1/obj/5193"}}}}});

  const auto unknown_ws = post_json(client, "/insights/gdc/md/nope/identifiers",
                                    {{"identifierToUri", {"label.conversations.external_id"}}}, tt_cookie(tt));
  REQUIRE(unknown_ws);
  CHECK(unknown_ws->status == 404);
  CHECK(json_of(unknown_ws)["error"]["message"] == "Project 'nope' not found");

  const auto found = post_json(client, "/insights/gdc/md/ws1/obj/5193/validElements",
                               {{"validElementsRequest", {{"titles", {kSid}}}}}, tt_cookie(tt));
  REQUIRE(found);
  CHECK(found->status == 200);
  const auto items = json_of(found)["validElements"]["items"];
  REQUIRE(items.size() == 1);
  CHECK(items[0]["element"]["title"] == kSid);
  CHECK(items[0]["element"]["uri"].get<std::string>().rfind("/gdc/md/ws1/obj/5192/elements?id=", 0) == 0);
  CHECK(json_of(found)["validElements"]["paging"]["total"] == 1);

  const auto missing = post_json(client, "/insights/gdc/md/ws1/obj/5193/validElements",
                                 {{"validElementsRequest", {{"titles", {kOtherSid}}}}}, tt_cookie(tt));
  REQUIRE(missing);
  CHECK(missing->status == 200);
  CHECK(json_of(missing)["validElements"]["items"].empty());

  const auto wrong_object = post_json(client, "/insights/gdc/md/ws1/obj/1/validElements",
                                      {{"validElementsRequest", {{"titles", {kSid}}}}}, tt_cookie(tt));
  REQUIRE(wrong_object);
  CHECK(wrong_object->status == 404);
}

TEST_CASE("Insights raw export answers 202 the configured number of times, then the CSV", "[emulator][insights]") {
  EmulatorProcess emulator;
  seed(emulator);
  emulator.control("POST", "/insights/segments", {{"workspace", "ws1"}, {"externalId", kOtherSid}, {"segmentIds", {"999"}}}, 201);
  emulator.control("POST", "/insights/settings", {{"pendingPolls", 2}});
  auto client = client_for(emulator);
  const auto tt = temporary_token(client, login(client));
  const auto element = json_of(post_json(client, "/insights/gdc/md/ws1/obj/5193/validElements",
                                         {{"validElementsRequest", {{"titles", {kSid}}}}}, tt_cookie(tt)))["validElements"]["items"][0]["element"]["uri"];
  const json request = {{"report_req",
                         {{"report", "/gdc/md/ws1/obj/777"},
                          {"context", {{"filters", {{{"uri", "/gdc/md/ws1/obj/5193"}, {"constraint", {{"type", "list"}, {"elements", {element}}}}}}}}}}}};
  const auto executed = post_json(client, "/insights/gdc/app/projects/ws1/execute/raw", request, tt_cookie(tt));
  REQUIRE(executed);
  CHECK(executed->status == 201);
  const auto uri = json_of(executed)["uri"].get<std::string>();
  CHECK(uri.rfind("/gdc/projects/ws1/execute/raw/", 0) == 0);

  for (int i = 0; i < 2; ++i) {
    const auto pending = client.Get(("/insights" + uri).c_str(), tt_cookie(tt));
    REQUIRE(pending);
    CHECK(pending->status == 202);
  }
  const auto ready = client.Get(("/insights" + uri).c_str(), tt_cookie(tt));
  REQUIRE(ready);
  CHECK(ready->status == 200);
  CHECK(ready->get_header_value("Content-Type").rfind("text/csv", 0) == 0);
  CHECK(ready->body == "\"Segment Id\",\"External Id\"\r\n\"12,34\",\"" + kSid + "\"\r\n\"ab\"\"c\",\"" + kSid + "\"\r\n");

  const auto unknown_report = post_json(client, "/insights/gdc/app/projects/ws1/execute/raw",
                                        {{"report_req", {{"report", "/gdc/md/ws1/obj/1"}}}}, tt_cookie(tt));
  REQUIRE(unknown_report);
  CHECK(unknown_report->status == 404);
  const auto unknown_export = client.Get("/insights/gdc/projects/ws1/execute/raw/deadbeef", tt_cookie(tt));
  REQUIRE(unknown_export);
  CHECK(unknown_export->status == 404);
}

TEST_CASE("Insights raw export answers 204 when the filtered report has no rows", "[emulator][insights]") {
  EmulatorProcess emulator;
  seed(emulator);
  emulator.control("POST", "/insights/segments", {{"workspace", "ws1"}, {"externalId", kOtherSid}, {"segmentIds", json::array()}}, 201);
  auto client = client_for(emulator);
  const auto tt = temporary_token(client, login(client));
  const auto element = json_of(post_json(client, "/insights/gdc/md/ws1/obj/5193/validElements",
                                         {{"validElementsRequest", {{"titles", {kOtherSid}}}}}, tt_cookie(tt)))["validElements"]["items"][0]["element"]["uri"];
  const json request = {{"report_req",
                         {{"report", "/gdc/md/ws1/obj/777"},
                          {"context", {{"filters", {{{"uri", "/gdc/md/ws1/obj/5193"}, {"constraint", {{"type", "list"}, {"elements", {element}}}}}}}}}}}};
  const auto uri = json_of(post_json(client, "/insights/gdc/app/projects/ws1/execute/raw", request, tt_cookie(tt)))["uri"].get<std::string>();
  const auto empty = client.Get(("/insights" + uri).c_str(), tt_cookie(tt));
  REQUIRE(empty);
  CHECK(empty->status == 204);
  CHECK(empty->body.empty());
}

TEST_CASE("Insights calls are recorded, faultable and reset", "[emulator][insights]") {
  EmulatorProcess emulator;
  seed(emulator);
  emulator.add_fault({{"path", "/gdc/account/login"}, {"status", 200}, {"body", "<html>maintenance</html>"}});
  auto client = client_for(emulator);
  const auto html = post_json(client, "/insights/gdc/account/login", {{"postUserLogin", {{"login", "insights@example.com"}, {"password", "pw"}}}});
  REQUIRE(html);
  CHECK(html->status == 200);
  CHECK(html->body == "<html>maintenance</html>");
  login(client);
  const auto calls = emulator.requests("POST", "/insights/gdc/account/login");
  REQUIRE(calls.size() == 2);
  CHECK(calls[0]["faulted"] == true);
  CHECK(calls[1]["status"] == 200);

  emulator.reset();
  const auto state = emulator.control("GET", "/insights/state");
  CHECK(state["users"].empty());
  CHECK(state["workspaces"].empty());
  CHECK(state["settings"]["pendingPolls"] == 0);
  const auto after = post_json(client, "/insights/gdc/account/login", {{"postUserLogin", {{"login", "insights@example.com"}, {"password", "pw"}}}});
  REQUIRE(after);
  CHECK(after->status == 401);
}

TEST_CASE("Insights control routes refuse bad input naming the field", "[emulator][insights]") {
  EmulatorProcess emulator;
  CHECK_THROWS_WITH(emulator.control("POST", "/insights/users", {{"login", "x"}}, 201), Catch::Contains("password"));
  CHECK_THROWS_WITH(emulator.control("POST", "/insights/workspaces", {{"workspace", "a b"}}, 201), Catch::Contains("workspace"));
  CHECK_THROWS_WITH(emulator.control("POST", "/insights/segments", {{"workspace", "none"}, {"externalId", kSid}, {"segmentIds", json::array()}}, 201),
                    Catch::Contains("unknown workspace"));
  CHECK_THROWS_WITH(emulator.control("POST", "/insights/settings", {{"pendingPolls", -1}}), Catch::Contains("pendingPolls"));
  CHECK_THROWS_WITH(emulator.control("POST", "/insights/settings", {{"bogus", 1}}), Catch::Contains("bogus"));
  CHECK_THROWS_WITH(emulator.control("POST", "/insights/expire", {{"tokens", "x"}}), Catch::Contains("tokens"));
}

TEST_CASE("Insights raw export appends the requested rows with an empty Segment Id", "[emulator][insights]") {
  EmulatorProcess emulator;
  seed(emulator);
  emulator.control("POST", "/insights/segments",
                   {{"workspace", "ws1"}, {"externalId", kOtherSid}, {"segmentIds", json::array()}, {"emptyRows", 3}}, 201);
  auto client = client_for(emulator);
  const auto tt = temporary_token(client, login(client));
  const json request = {{"report_req", {{"report", "/gdc/md/ws1/obj/777"}}}};  // no filter: every element
  const auto uri = json_of(post_json(client, "/insights/gdc/app/projects/ws1/execute/raw", request, tt_cookie(tt)))["uri"].get<std::string>();
  const auto ready = client.Get(("/insights" + uri).c_str(), tt_cookie(tt));
  REQUIRE(ready);
  CHECK(ready->status == 200);
  const std::string empty_row = "\"\",\"" + kOtherSid + "\"\r\n";
  CHECK(ready->body == "\"Segment Id\",\"External Id\"\r\n\"12,34\",\"" + kSid + "\"\r\n\"ab\"\"c\",\"" + kSid + "\"\r\n" +
                           empty_row + empty_row + empty_row);
  CHECK_THROWS_WITH(emulator.control("POST", "/insights/segments",
                                     {{"workspace", "ws1"}, {"externalId", kSid}, {"segmentIds", json::array()}, {"emptyRows", -1}}, 201),
                    Catch::Contains("emptyRows"));
}
