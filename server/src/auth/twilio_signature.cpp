#include "auth/twilio_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <map>
#include <set>

namespace flexcore::server {
namespace {

std::string base64(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

// Splits "scheme://authority/rest" and returns the URL with the default port added (if absent) or
// removed (if present), so both spellings can be tried. Returns an empty string when not applicable.
std::string toggle_default_port(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const std::string_view scheme = url.substr(0, scheme_end);
  std::string_view default_port;
  if (scheme == "https") default_port = "443";
  else if (scheme == "http") default_port = "80";
  else return {};
  const auto authority_begin = scheme_end + 3;
  auto authority_end = url.find_first_of("/?#", authority_begin);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  const std::string_view authority = url.substr(authority_begin, authority_end - authority_begin);
  const auto at = authority.rfind('@');
  const std::string_view hostport = at == std::string_view::npos ? authority : authority.substr(at + 1);
  const auto colon = hostport.rfind(':');
  const bool has_port = colon != std::string_view::npos && hostport.find(']', colon) == std::string_view::npos;
  std::string out(url.substr(0, authority_end));
  if (has_port) {
    if (hostport.substr(colon + 1) != default_port) return {};
    out.resize(out.size() - (hostport.size() - colon));
  } else {
    out += ':';
    out += default_port;
  }
  out += url.substr(authority_end);
  return out;
}

// The value of query parameter `name` in `url` (not percent-decoded: a hex digest needs none).
std::string query_value(std::string_view url, std::string_view name) {
  const auto q = url.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view query = url.substr(q + 1);
  const auto hash = query.find('#');
  if (hash != std::string_view::npos) query = query.substr(0, hash);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) return eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

}  // namespace

std::string signature_payload(std::string_view url, const std::vector<FormParam>& params) {
  std::map<std::string, std::set<std::string>> sorted;  // std::less<std::string>: byte-wise order
  for (const auto& [name, value] : params) sorted[name].insert(value);
  std::string payload(url);
  for (const auto& [name, values] : sorted) {
    for (const auto& value : values) {
      payload += name;
      payload += value;
    }
  }
  return payload;
}

std::string compute_signature(std::string_view auth_token, std::string_view url,
                              const std::vector<FormParam>& params) {
  const std::string payload = signature_payload(url, params);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  HMAC(EVP_sha1(), auth_token.data(), static_cast<int>(auth_token.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), digest, &digest_len);
  return base64(digest, digest_len);
}

std::string sha256_hex(std::string_view body) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * SHA256_DIGEST_LENGTH);
  for (unsigned char byte : digest) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0f];
  }
  return out;
}

bool constant_time_equals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

bool verify_signature(std::string_view auth_token, const SignedRequest& request) {
  if (auth_token.empty() || request.signature.empty()) return false;
  static const std::vector<FormParam> kNoParams;
  const std::vector<FormParam>& params = request.json_body ? kNoParams : request.params;
  if (request.json_body) {
    const std::string claimed = query_value(request.url, "bodySHA256");
    if (claimed.empty() || !constant_time_equals(claimed, sha256_hex(request.raw_body))) return false;
  }
  bool match = constant_time_equals(compute_signature(auth_token, request.url, params), request.signature);
  const std::string alternate = toggle_default_port(request.url);
  if (!alternate.empty()) {
    // Always compute both, so timing does not reveal which spelling matched.
    match = constant_time_equals(compute_signature(auth_token, alternate, params), request.signature) || match;
  }
  return match;
}

}  // namespace flexcore::server
