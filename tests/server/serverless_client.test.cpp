// ServerlessClient pieces that need no upstream (issue 10): the multipart body of an asset version upload
// (upstream-contracts 3.4 step 2) and parsing builds as Serverless returns them (3.4 step 3), plus the mirror's
// mapping of Serverless failures onto the server's error vocabulary.

#include <catch2/catch.hpp>

#include "agent_extensions/serverless_mirror.h"
#include "upstream/serverless_client.h"

using namespace flexcore;
using namespace flexcore::server;
using nlohmann::json;

TEST_CASE("an asset version upload body is multipart with Path, Visibility and a Content file part", "[server][serverless]") {
  const std::string body = upstream::multipart_body({{"Path", "/extensions.json"}, {"Visibility", "private"}}, "Content",
                                                    "extensions.json", "application/json", R"([{"a":1}])", "XyZ");
  CHECK(body ==
        "--XyZ\r\nContent-Disposition: form-data; name=\"Path\"\r\n\r\n/extensions.json\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"Visibility\"\r\n\r\nprivate\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"Content\"; filename=\"extensions.json\"\r\n"
        "Content-Type: application/json\r\n\r\n[{\"a\":1}]\r\n--XyZ--\r\n");
}

TEST_CASE("builds are parsed with their versions as objects or bare SIDs, and refused without a sid", "[server][serverless]") {
  const auto build = upstream::parse_serverless_build(json::parse(R"({
    "sid":"ZB1","status":"building","runtime":"node18",
    "asset_versions":[{"sid":"ZN1","asset_sid":"ZH1","path":"/extensions.json","visibility":"private"},"ZN2"],
    "function_versions":[{"sid":"ZN3","function_sid":"ZH3","path":"/agentExtensions","visibility":"protected"}],
    "dependencies":[{"name":"twilio","version":"^3.56"}]})"));
  REQUIRE(build);
  CHECK(build.value().sid == "ZB1");
  CHECK(build.value().status == "building");
  REQUIRE(build.value().asset_versions.size() == 2);
  CHECK(build.value().asset_versions[0].owner_sid == "ZH1");
  CHECK(build.value().asset_versions[0].path == "/extensions.json");
  CHECK(build.value().asset_versions[1].sid == "ZN2");
  CHECK(build.value().function_versions.at(0).owner_sid == "ZH3");
  CHECK(build.value().dependencies.at(0)["name"] == "twilio");

  for (const char* bad : {R"([])", R"({"status":"completed"})", R"({"sid":"ZB1","asset_versions":{}})",
                          R"({"sid":"ZB1","function_versions":[{"path":"/x"}]})"}) {
    INFO(bad);
    const auto refused = upstream::parse_serverless_build(json::parse(bad));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::UpstreamError);
  }
}

TEST_CASE("Serverless's own 4xx answers reach a supervisor as 502, throttling and outages keep their codes",
          "[server][serverless]") {
  using flexcore::server::agent_extensions::mirror_error;
  CHECK(mirror_error(Error{ErrorCode::InvalidArgument, "x"}, "build").code == ErrorCode::UpstreamError);
  CHECK(mirror_error(Error{ErrorCode::NotFound, "x"}, "deployment").code == ErrorCode::UpstreamError);
  CHECK(mirror_error(Error{ErrorCode::Conflict, "x"}, "build").code == ErrorCode::UpstreamError);
  CHECK(mirror_error(Error{ErrorCode::ResourceExhausted, "x"}, "build").code == ErrorCode::ResourceExhausted);
  CHECK(mirror_error(Error{ErrorCode::Unavailable, "x"}, "build").code == ErrorCode::Unavailable);
  CHECK(mirror_error(Error{ErrorCode::DeadlineExceeded, "x"}, "build").code == ErrorCode::DeadlineExceeded);
  CHECK(mirror_error(Error{ErrorCode::Unavailable, "down"}, "asset version upload").message ==
        "Serverless mirror (asset version upload): down");
}
