#include "webhook_sender.h"

#include "auth/twilio_signature.h"

#include <httplib.h>

#include <set>

namespace flexcore::emulator {
namespace {

struct ParsedUrl {
  std::string origin;       // http://host:port
  std::string path_query;   // /path?query (as given)
};

// Accepts only http URLs on loopback (the project never talks to any other address).
ParsedUrl parse_loopback_url(const std::string& url, const char* field) {
  const std::string lower = to_lower(url);
  if (lower.rfind("http://", 0) != 0) {
    throw WebhookSpecError(std::string("'") + field + "' must be an http:// URL on 127.0.0.1, localhost or [::1]");
  }
  const std::size_t authority_begin = 7;
  std::size_t authority_end = url.find_first_of("/?#", authority_begin);
  if (authority_end == std::string::npos) authority_end = url.size();
  const std::string authority = url.substr(authority_begin, authority_end - authority_begin);
  std::string host = authority;
  std::string port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) throw WebhookSpecError(std::string("'") + field + "': malformed IPv6 host");
    host = authority.substr(0, close + 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') throw WebhookSpecError(std::string("'") + field + "': malformed authority");
      port = authority.substr(close + 2);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  const std::string host_lower = to_lower(host);
  const bool loopback = host_lower == "localhost" || host_lower == "[::1]" || host_lower.rfind("127.", 0) == 0;
  if (!loopback) {
    throw WebhookSpecError(std::string("'") + field + "' must point at 127.0.0.1, localhost or [::1] (got host '" + host + "')");
  }
  if (!port.empty()) {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) < 1 ||
        std::stoi(port) > 65535) {
      throw WebhookSpecError(std::string("'") + field + "': port must be 1-65535");
    }
  }
  std::string rest = url.substr(authority_end);
  if (const auto hash = rest.find('#'); hash != std::string::npos) rest.resize(hash);
  if (rest.empty() || rest.front() == '?') rest = "/" + rest;
  return ParsedUrl{"http://" + host + (port.empty() ? "" : ":" + port), rest};
}

std::string scalar_to_string(const nlohmann::json& value, const std::string& name) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean() || value.is_number()) return value.dump();
  throw WebhookSpecError("'params." + name + "' must be a string, number, boolean or an array of them");
}

std::string append_query(const std::string& url, const std::string& query) {
  if (query.empty()) return url;
  const auto hash = url.find('#');
  const std::string base = hash == std::string::npos ? url : url.substr(0, hash);
  const char separator = base.find('?') == std::string::npos ? '?' : (base.back() == '?' || base.back() == '&' ? '\0' : '&');
  std::string out = base;
  if (separator != '\0') out += separator;
  out += query;
  return out;
}

}  // namespace

WebhookSpec parse_webhook_spec(const nlohmann::json& spec, const std::string& default_auth_token) {
  static const std::set<std::string> kKnown = {"url",          "method",        "params",  "json",     "authToken",
                                               "signatureUrl", "badSignature",  "omitSignature", "headers", "timeoutMs"};
  if (!spec.is_object()) throw WebhookSpecError("the webhook spec must be a JSON object");
  for (const auto& [key, value] : spec.items()) {
    (void)value;
    if (kKnown.count(key) == 0) {
      throw WebhookSpecError("unknown field '" + key +
                             "' (expected url, method, params, json, authToken, signatureUrl, badSignature, "
                             "omitSignature, headers, timeoutMs)");
    }
  }
  WebhookSpec out;
  if (!spec.contains("url") || !spec["url"].is_string()) {
    throw WebhookSpecError("'url' is required: the http://127.0.0.1:<port>/… URL to send the webhook to");
  }
  out.url = spec["url"].get<std::string>();
  (void)parse_loopback_url(out.url, "url");
  if (spec.contains("method")) {
    if (!spec["method"].is_string()) throw WebhookSpecError("'method' must be \"POST\" or \"GET\"");
    out.method = spec["method"].get<std::string>();
    for (char& c : out.method) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    if (out.method != "POST" && out.method != "GET") throw WebhookSpecError("'method' must be \"POST\" or \"GET\"");
  }
  if (spec.contains("params") && !spec["params"].is_null()) {
    if (!spec["params"].is_object()) throw WebhookSpecError("'params' must be an object of parameter name to value");
    for (const auto& [name, value] : spec["params"].items()) {
      if (value.is_array()) {
        for (const auto& item : value) out.params.emplace_back(name, scalar_to_string(item, name));
      } else {
        out.params.emplace_back(name, scalar_to_string(value, name));
      }
    }
  }
  if (spec.contains("json") && !spec["json"].is_null()) {
    if (spec.contains("params") && !spec["params"].is_null()) {
      throw WebhookSpecError("give either 'params' (form body) or 'json' (JSON body), not both");
    }
    if (out.method != "POST") throw WebhookSpecError("'json' needs method POST");
    out.json_body = spec["json"].dump();
  }
  out.auth_token = default_auth_token;
  if (spec.contains("authToken")) {
    if (!spec["authToken"].is_string()) throw WebhookSpecError("'authToken' must be a string");
    out.auth_token = spec["authToken"].get<std::string>();
  }
  out.signature_url = out.url;
  if (spec.contains("signatureUrl") && !spec["signatureUrl"].is_null()) {
    if (!spec["signatureUrl"].is_string() || spec["signatureUrl"].get<std::string>().empty()) {
      throw WebhookSpecError("'signatureUrl' must be the full URL to sign, e.g. https://public.example.com/taskrouter/events");
    }
    out.signature_url = spec["signatureUrl"].get<std::string>();
  }
  for (const char* flag : {"badSignature", "omitSignature"}) {
    if (spec.contains(flag) && !spec[flag].is_boolean()) throw WebhookSpecError(std::string("'") + flag + "' must be true or false");
  }
  out.bad_signature = spec.value("badSignature", false);
  out.omit_signature = spec.value("omitSignature", false);
  if (spec.contains("headers") && !spec["headers"].is_null()) {
    if (!spec["headers"].is_object()) throw WebhookSpecError("'headers' must be an object of header name to string value");
    for (const auto& [name, value] : spec["headers"].items()) {
      if (!value.is_string() || value.get<std::string>().find_first_of("\r\n") != std::string::npos) {
        throw WebhookSpecError("'headers." + name + "' must be a string without CR/LF");
      }
      out.headers.emplace_back(name, value.get<std::string>());
    }
  }
  if (spec.contains("timeoutMs")) {
    const auto& value = spec["timeoutMs"];
    if (!value.is_number_integer() || value.get<long long>() < 1 || value.get<long long>() > 120000) {
      throw WebhookSpecError("'timeoutMs' must be an integer between 1 and 120000");
    }
    out.timeout_ms = value.get<int>();
  }
  return out;
}

SignedWebhook sign_webhook(const WebhookSpec& spec) {
  SignedWebhook out;
  out.url = spec.url;
  out.signed_url = spec.signature_url;
  std::vector<server::FormParam> signed_params;
  if (spec.json_body) {
    out.body = *spec.json_body;
    out.content_type = "application/json";
    const std::string digest = "bodySHA256=" + server::sha256_hex(out.body);
    out.url = append_query(out.url, digest);
    out.signed_url = append_query(out.signed_url, digest);
  } else if (spec.method == "GET") {
    const std::string query = encode_form(spec.params);
    out.url = append_query(out.url, query);
    out.signed_url = append_query(out.signed_url, query);
  } else {
    out.body = encode_form(spec.params);
    out.content_type = "application/x-www-form-urlencoded";
    signed_params.assign(spec.params.begin(), spec.params.end());
  }
  // A wrong key still yields a well-formed base64 signature, which must fail verification.
  const std::string key = spec.bad_signature ? spec.auth_token + "-not-the-auth-token" : spec.auth_token;
  out.signature = server::compute_signature(key, out.signed_url, signed_params);
  return out;
}

nlohmann::json send_webhook(const WebhookSpec& spec) {
  const SignedWebhook signed_webhook = sign_webhook(spec);
  const ParsedUrl target = parse_loopback_url(signed_webhook.url, "url");

  httplib::Client client(target.origin);
  client.set_url_encode(false);  // send the path exactly as signed
  const time_t seconds = spec.timeout_ms / 1000;
  const time_t micros = static_cast<time_t>(spec.timeout_ms % 1000) * 1000;
  client.set_connection_timeout(seconds, micros);
  client.set_read_timeout(seconds, micros);
  client.set_write_timeout(seconds, micros);

  httplib::Headers headers{{"User-Agent", "TwilioProxy/1.1"}, {"I-Twilio-Idempotency-Token", random_hex(16)}};
  bool signature_overridden = false;
  for (const auto& [name, value] : spec.headers) {
    if (to_lower(name) == "x-twilio-signature") signature_overridden = true;
    headers.erase(name);
    headers.emplace(name, value);
  }
  if (!spec.omit_signature && !signature_overridden) headers.emplace("X-Twilio-Signature", signed_webhook.signature);

  httplib::Result result = spec.method == "GET"
                               ? client.Get(target.path_query, headers)
                               : client.Post(target.path_query, headers, signed_webhook.body, signed_webhook.content_type.c_str());
  if (!result) {
    throw WebhookDeliveryError("no answer from " + signed_webhook.url + ": " + httplib::to_string(result.error()));
  }
  nlohmann::json response_headers = nlohmann::json::object();
  for (const auto& [name, value] : result->headers) {
    const std::string lower = to_lower(name);
    auto& slot = response_headers[lower];
    slot = slot.is_string() ? nlohmann::json(slot.get<std::string>() + ", " + value) : nlohmann::json(value);
  }
  return nlohmann::json{{"status", result->status},
                        {"body", result->body},
                        {"headers", response_headers},
                        {"url", signed_webhook.url},
                        {"signedUrl", signed_webhook.signed_url},
                        {"signature", spec.omit_signature ? nlohmann::json(nullptr) : nlohmann::json(signed_webhook.signature)}};
}

}  // namespace flexcore::emulator
