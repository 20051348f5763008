#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "http/http_error.h"

using namespace flexcore;
using namespace flexcore::server;

TEST_CASE("every ErrorCode has exactly the documented HTTP status", "[server][errors]") {
  const std::map<ErrorCode, int> expected = {
      {ErrorCode::InvalidArgument, 400}, {ErrorCode::NotFound, 404},         {ErrorCode::AlreadyExists, 409},
      {ErrorCode::Conflict, 409},        {ErrorCode::PermissionDenied, 403}, {ErrorCode::Unauthenticated, 403},
      {ErrorCode::PayloadTooLarge, 413}, {ErrorCode::ResourceExhausted, 429}, {ErrorCode::NotConfigured, 503},
      {ErrorCode::Unavailable, 503},     {ErrorCode::UpstreamError, 502},    {ErrorCode::DeadlineExceeded, 504},
      {ErrorCode::Internal, 500}};
  REQUIRE(expected.size() == kAllErrorCodes.size());
  for (const auto code : kAllErrorCodes) {
    INFO(to_string(code));
    CHECK(http_status(code) == expected.at(code));
  }
}

TEST_CASE("error bodies are {error, code}, Internal adds the request id", "[server][errors]") {
  for (const auto code : kAllErrorCodes) {
    const Reply reply = error_reply(Error{code, "what went wrong"}, "req-1");
    INFO(to_string(code));
    CHECK(reply.status == http_status(code));
    CHECK(reply.content_type == "application/json");
    const auto body = nlohmann::json::parse(reply.body);
    CHECK(body["error"] == "what went wrong");
    CHECK(body["code"] == std::string(to_string(code)));
    CHECK(body.contains("requestId") == (code == ErrorCode::Internal));
    if (code == ErrorCode::Internal) CHECK(body["requestId"] == "req-1");
  }
}

TEST_CASE("extra fields are added but never override error, code or requestId", "[server][errors]") {
  const Reply reply = error_reply(Error{ErrorCode::Unavailable, "not ready"}, "id",
                                  {{"checks", {{"iam", false}}}, {"code", "Spoofed"}, {"requestId", "x"}});
  const auto body = nlohmann::json::parse(reply.body);
  CHECK(body["code"] == "Unavailable");
  CHECK(body["checks"]["iam"] == false);
  CHECK_FALSE(body.contains("requestId"));
}

TEST_CASE("405 lists the allowed methods in Allow and in the same JSON form", "[server][errors]") {
  const Reply reply = method_not_allowed_reply("DELETE", "/session", {"GET", "POST", "OPTIONS"});
  CHECK(reply.status == 405);
  const auto body = nlohmann::json::parse(reply.body);
  CHECK(body["code"] == "InvalidArgument");
  CHECK_THAT(body["error"].get<std::string>(), Catch::Contains("DELETE") && Catch::Contains("/session"));
  REQUIRE(reply.headers.size() == 1);
  CHECK(reply.headers[0] == std::pair<std::string, std::string>{"Allow", "GET, POST, OPTIONS"});
}

TEST_CASE("HTTP-library statuses map back to codes", "[server][errors]") {
  CHECK(error_code_for_http_status(400) == ErrorCode::InvalidArgument);
  CHECK(error_code_for_http_status(414) == ErrorCode::InvalidArgument);
  CHECK(error_code_for_http_status(404) == ErrorCode::NotFound);
  CHECK(error_code_for_http_status(413) == ErrorCode::PayloadTooLarge);
  CHECK(error_code_for_http_status(429) == ErrorCode::ResourceExhausted);
  CHECK(error_code_for_http_status(500) == ErrorCode::Internal);
  CHECK(error_code_for_http_status(503) == ErrorCode::Unavailable);
}

TEST_CASE("the token failure reply is the seed's plain-text 403", "[server][errors]") {
  const Reply reply = token_failure_reply("Unauthorized: Token was not provided");
  CHECK(reply.status == 403);
  CHECK(reply.body == "Unauthorized: Token was not provided");
  CHECK_THAT(reply.content_type, Catch::StartsWith("text/plain"));
}

TEST_CASE("invalid UTF-8 in a message cannot break the JSON body", "[server][errors]") {
  const Reply reply = error_reply(Error{ErrorCode::NotFound, std::string("no route for GET /\xff\xfe")}, "id");
  const auto body = nlohmann::json::parse(reply.body);  // throws if not valid JSON/UTF-8
  CHECK_THAT(body["error"].get<std::string>(), Catch::StartsWith("no route for GET /"));
}
