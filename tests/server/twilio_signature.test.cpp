#include <catch2/catch.hpp>

#include "auth/twilio_signature.h"

using namespace flexcore::server;

namespace {
const std::vector<FormParam> kParams = {
    {"CallSid", "CA1234567890ABCDE"}, {"Caller", "+14158675309"}, {"Digits", "1234"},
    {"From", "+14158675309"},         {"To", "+18005551212"}};
const std::vector<FormParam> kParams2 = {
    {"To", "+18005551212"},           {"From", "+12349013030"}, {"Digits", "1234"},
    {"Caller", "+12349013030"},       {"CallSid", "CA1234567890ABCDE"}};
const std::string kUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
}  // namespace

TEST_CASE("signatures match the upstream-contracts 2.2 test vectors", "[server][signature]") {
  CHECK(compute_signature("12345", kUrl, kParams) == "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
  CHECK(compute_signature("12345", "http://mycompany.com/myapp.php?foo=1&bar=2", kParams) ==
        "OyGYPqTF6ztdbRNCvuQO/oPvqQ4=");
  CHECK(compute_signature("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", kParams) ==
        "kvajT1Ptam85bY51eRf/AJRuM3w=");
  CHECK(compute_signature("12345", kUrl, kParams2) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
}

TEST_CASE("the JSON body vector: bodySHA256 in the URL, no params signed", "[server][signature]") {
  const std::string body = R"({"property": "value", "boolean": true})";
  REQUIRE(sha256_hex(body) == "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620");
  const std::string url = kUrl + "&bodySHA256=" + sha256_hex(body);
  CHECK(compute_signature("12345", url, {}) == "a9nBmqA0ju/hNViExpshrM61xv4=");

  SignedRequest request{url, "a9nBmqA0ju/hNViExpshrM61xv4=", {}, true, body};
  CHECK(verify_signature("12345", request));
  request.raw_body += " ";
  CHECK_FALSE(verify_signature("12345", request));
}

TEST_CASE("verification accepts the URL with or without the default port", "[server][signature]") {
  SignedRequest signed_without{kUrl, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", kParams, false, {}};
  CHECK(verify_signature("12345", signed_without));
  SignedRequest seen_with_port = signed_without;
  seen_with_port.url = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
  CHECK(verify_signature("12345", seen_with_port));
  SignedRequest signed_with_port{kUrl, "kvajT1Ptam85bY51eRf/AJRuM3w=", kParams, false, {}};
  CHECK(verify_signature("12345", signed_with_port));
}

TEST_CASE("verification rejects tampering, wrong tokens and empty inputs", "[server][signature]") {
  SignedRequest request{kUrl, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", kParams, false, {}};
  CHECK_FALSE(verify_signature("54321", request));
  CHECK_FALSE(verify_signature("", request));
  SignedRequest tampered = request;
  tampered.params[2].second = "9999";
  CHECK_FALSE(verify_signature("12345", tampered));
  SignedRequest other_url = request;
  other_url.url = "https://evil.example/myapp.php?foo=1&bar=2";
  CHECK_FALSE(verify_signature("12345", other_url));
  SignedRequest no_signature = request;
  no_signature.signature.clear();
  CHECK_FALSE(verify_signature("12345", no_signature));
  SignedRequest json_without_hash{kUrl, "whatever", {}, true, "{}"};
  CHECK_FALSE(verify_signature("12345", json_without_hash));
}

TEST_CASE("repeated parameter names sign each distinct value once, sorted", "[server][signature]") {
  const std::vector<FormParam> a = {{"B", "2"}, {"A", "z"}, {"A", "y"}, {"A", "z"}};
  CHECK(signature_payload("u", a) == "uAyAzB2");
}

TEST_CASE("constant_time_equals compares whole strings", "[server][signature]") {
  CHECK(constant_time_equals("abc", "abc"));
  CHECK_FALSE(constant_time_equals("abc", "abd"));
  CHECK_FALSE(constant_time_equals("abc", "ab"));
  CHECK(constant_time_equals("", ""));
}
