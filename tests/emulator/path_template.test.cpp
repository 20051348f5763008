// Path templates (router + OpenAPI checker) and control-API globs.
#include "path_template.h"

#include <catch2/catch.hpp>

using flexcore::emulator::glob_match;
using flexcore::emulator::PathParams;
using flexcore::emulator::PathTemplate;
using flexcore::emulator::split_path;

TEST_CASE("paths split into decoded segments", "[emulator][path]") {
  CHECK(split_path("/v1/Workspaces", false) == std::vector<std::string>{"v1", "Workspaces"});
  CHECK(split_path("/", false) == std::vector<std::string>{""});
  CHECK(split_path("", false).empty());
  CHECK(split_path("/a%2Fb/c%20d", true) == std::vector<std::string>{"a/b", "c d"});
  CHECK(split_path("/a%2Fb", false) == std::vector<std::string>{"a%2Fb"});
  CHECK(split_path("/a/", false) == std::vector<std::string>{"a", ""});
}

TEST_CASE("a template captures its parameters, including ones with a literal suffix", "[emulator][path]") {
  const PathTemplate tasks("/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}");
  PathParams params;
  REQUIRE(tasks.match(split_path("/v1/Workspaces/WS1/Tasks/WT2", true), &params));
  CHECK(params == PathParams{{"WorkspaceSid", "WS1"}, {"Sid", "WT2"}});
  CHECK(tasks.parameter_names() == std::vector<std::string>{"WorkspaceSid", "Sid"});
  CHECK_FALSE(tasks.match(split_path("/v1/Workspaces/WS1/Tasks", true), nullptr));
  CHECK_FALSE(tasks.match(split_path("/v1/Workspaces//Tasks/WT2", true), nullptr));  // empty parameter
  CHECK_FALSE(tasks.match(split_path("/v1/workspaces/WS1/Tasks/WT2", true), nullptr));  // case-sensitive

  const PathTemplate call("/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json");
  PathParams call_params;
  REQUIRE(call.match(split_path("/2010-04-01/Accounts/AC1/Calls/CA9.json", true), &call_params));
  CHECK(call_params.at("Sid") == "CA9");
  CHECK_FALSE(call.match(split_path("/2010-04-01/Accounts/AC1/Calls/CA9.xml", true), nullptr));
  CHECK_FALSE(call.match(split_path("/2010-04-01/Accounts/AC1/Calls/.json", true), nullptr));
}

TEST_CASE("specificity prefers literals, then affixed parameters, then bare parameters", "[emulator][path]") {
  const PathTemplate literal("/v1/TaskQueues/Statistics");
  const PathTemplate param("/v1/TaskQueues/{Sid}");
  const PathTemplate suffixed("/v1/TaskQueues/{Sid}.json");
  CHECK(literal.specificity() > param.specificity());
  CHECK(suffixed.specificity() > param.specificity());
  CHECK(literal.specificity() > suffixed.specificity());
}

TEST_CASE("malformed templates are rejected with the reason", "[emulator][path]") {
  CHECK_THROWS_WITH(PathTemplate("v1/x"), Catch::Contains("must start with '/'"));
  CHECK_THROWS_WITH(PathTemplate("/v1/{Sid"), Catch::Contains("unbalanced braces"));
  CHECK_THROWS_WITH(PathTemplate("/v1/{}"), Catch::Contains("empty parameter name"));
  CHECK_THROWS_WITH(PathTemplate("/v1/{A}{B}"), Catch::Contains("more than one parameter"));
}

TEST_CASE("globs match one segment with * and any number with **", "[emulator][path]") {
  CHECK(glob_match("/v1/Accounts/*/Tokens/validate", "/v1/Accounts/AC123/Tokens/validate"));
  CHECK_FALSE(glob_match("/v1/Accounts/*/Tokens/validate", "/v1/Accounts/AC1/x/Tokens/validate"));
  CHECK_FALSE(glob_match("/v1/Accounts/*/Tokens/validate", "/iam/v1/Accounts/AC1/Tokens/validate"));
  CHECK(glob_match("/taskrouter/**", "/taskrouter/v1/Workspaces/WS1/Tasks"));
  CHECK(glob_match("/taskrouter/**", "/taskrouter"));
  CHECK(glob_match("/**/Tasks/*", "/taskrouter/v1/Workspaces/WS1/Tasks/WT1"));
  CHECK_FALSE(glob_match("/**/Tasks/*", "/taskrouter/v1/Workspaces/WS1/Tasks"));
  CHECK(glob_match("/v1/Workspaces/WS*/Tasks", "/v1/Workspaces/WS42/Tasks"));
  CHECK_FALSE(glob_match("/v1/Workspaces/WS*/Tasks", "/v1/Workspaces/XX42/Tasks"));
  CHECK(glob_match("/**", "/anything/at/all"));
  CHECK(glob_match("/exact", "/exact"));
  CHECK_FALSE(glob_match("/exact", "/exact/more"));
  CHECK_FALSE(glob_match("", "/x"));
}
