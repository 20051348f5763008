#pragma once
/// @file twilio_signature.h
/// Twilio request signatures (`X-Twilio-Signature`), upstream-contracts.md section 2.
///
/// signature = base64(HMAC-SHA1(key = auth token, message = URL + sorted form parameters)).
/// Used by flexcore-server to verify Studio / TaskRouter webhooks and by the upstream emulator to
/// sign the webhooks it sends, so both sides share this one implementation.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flexcore::server {

/// One decoded form parameter (name, value), in the order received. Names may repeat.
using FormParam = std::pair<std::string, std::string>;

/// The string Twilio signs (section 2.1 steps 1-2): `url` followed, for each parameter name in
/// byte-wise ascending order, by name+value for each of that name's distinct values, sorted.
/// `url` is the full public URL including scheme, host, path and raw query string.
std::string signature_payload(std::string_view url, const std::vector<FormParam>& params);

/// base64 (standard alphabet, padded) of HMAC-SHA1(auth_token, signature_payload(url, params)).
/// `auth_token` is the Twilio Account's Auth Token (never logged).
std::string compute_signature(std::string_view auth_token, std::string_view url,
                              const std::vector<FormParam>& params);

/// Lower-case hex SHA-256 of `body` (the `bodySHA256` query value Twilio adds for JSON bodies).
std::string sha256_hex(std::string_view body);

/// The request facts a signature check needs.
struct SignedRequest {
  std::string url;                ///< full public URL as Twilio requested it (scheme://host[:port]/path?query)
  std::string signature;          ///< the X-Twilio-Signature header value
  std::vector<FormParam> params;  ///< decoded form body parameters (empty for GET and JSON bodies)
  bool json_body = false;         ///< Content-Type application/json: verify bodySHA256 instead of params
  std::string raw_body;           ///< the raw body bytes (used when json_body)
};

/// Verifies a request signature the way twilio-node's validateRequest does (section 2.1 step 5-6):
/// accepts the URL with and without the scheme's default port (:443 / :80), and, for JSON bodies,
/// requires the URL's `bodySHA256` query value to equal sha256_hex(raw_body). Comparison is constant
/// time. Returns false for an empty signature or an empty auth token.
bool verify_signature(std::string_view auth_token, const SignedRequest& request);

/// Compares two strings in time independent of where they differ (only of their lengths).
bool constant_time_equals(std::string_view a, std::string_view b) noexcept;

}  // namespace flexcore::server
