#pragma once
/// @file webhook_sender.h
/// Acts as Studio / TaskRouter / a conference status callback: sends a webhook signed with
/// X-Twilio-Signature (upstream-contracts.md 2.1) to a loopback URL and reports the answer.
/// Signing uses flexcore::server::compute_signature, the implementation flexcore-server verifies with.

#include "http_util.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace flexcore::emulator {

/// A parsed `POST /__emulator/webhooks/send` request.
struct WebhookSpec {
  std::string url;            ///< where to send: http://127.0.0.1|localhost|[::1]:<port>/path[?query]
  std::string method = "POST";  ///< POST or GET (GET: params go to the query string)
  Params params;              ///< form parameters (in the given order; arrays repeat the name)
  std::optional<std::string> json_body;  ///< serialised JSON body (then `params` is empty)
  std::string auth_token;     ///< HMAC key
  std::string signature_url;  ///< URL to sign (defaults to url)
  bool bad_signature = false;   ///< sign with a wrong key so verification fails
  bool omit_signature = false;  ///< send no X-Twilio-Signature at all
  std::vector<std::pair<std::string, std::string>> headers;  ///< extra request headers
  int timeout_ms = 15000;     ///< connect + read timeout
};

/// Thrown when the spec is invalid (the message names the field).
class WebhookSpecError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Thrown when the target cannot be reached or does not answer in time.
class WebhookDeliveryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Parses and validates the JSON spec (README.md "Webhooks"); `default_auth_token` is used when the
/// spec has no "authToken". Throws WebhookSpecError.
WebhookSpec parse_webhook_spec(const nlohmann::json& spec, const std::string& default_auth_token);

/// The URL actually requested and the URL signed (both with `bodySHA256=<hex>` appended for JSON
/// bodies, and with the form params in the query for GET), and the signature sent.
struct SignedWebhook {
  std::string url;
  std::string signed_url;
  std::string signature;
  std::string body;
  std::string content_type;
};

/// Computes what send_webhook() sends, without sending it.
SignedWebhook sign_webhook(const WebhookSpec& spec);

/// Sends the webhook and returns `{"status","body","headers","url","signedUrl","signature"}`
/// (`headers`: lower-case names). Throws WebhookDeliveryError when there is no answer.
nlohmann::json send_webhook(const WebhookSpec& spec);

}  // namespace flexcore::emulator
