#include "iam_module.h"

#include "http_util.h"
#include "twilio_error.h"

#include <algorithm>
#include <mutex>
#include <set>

namespace flexcore::emulator {
namespace {

constexpr long long kMaxTtlSeconds = 10LL * 366 * 24 * 3600;  // ±10 years

bool printable(const std::string& text, bool allow_space) {
  return std::all_of(text.begin(), text.end(), [&](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || (u > 0x20 && u < 0x7f) || (allow_space && u == 0x20);
  });
}

}  // namespace

std::string make_flex_like_token() {
  // The protected header Flex tokens carry (JWE, direct AES-256-GCM); the rest is random.
  static const std::string kHeader = base64url_encode(
      R"({"zip":"DEF","kid":"SAS_S3___KMS_v1","cty":"twilio-fpa;v=1","enc":"A256GCM","alg":"dir"})");
  return kHeader + ".." + random_base64url(12) + "." + random_base64url(192) + "." + random_base64url(16);
}

nlohmann::json IamModule::IssuedToken::to_json() const {
  return nlohmann::json{{"token", token},
                        {"identity", identity},
                        {"roles", roles},
                        {"expiration", iso8601_utc(expiration)},
                        {"workerSid", worker_sid}};
}

IamModule::IamModule(ModuleContext context) : context_(context) {}

void IamModule::register_routes(Router& upstream, ControlApi& control) {
  upstream.add_family("iam", {"", "/iam"});
  upstream.add_route("iam", "POST", "/v1/Accounts/{AccountSid}/Tokens/validate",
                     [this](const UpstreamRequest& request, httplib::Response& res) { validate(request, res); });
  control.add("POST", "/iam/tokens",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams&) { issue(req, res); });
  control.add("GET", "/iam/tokens", [this](const httplib::Request&, httplib::Response& res, const PathParams&) { list(res); });
}

void IamModule::reset() {
  std::unique_lock lock(mutex_);
  tokens_.clear();
  next_order_ = 1;
}

void IamModule::validate(const UpstreamRequest& request, httplib::Response& res) const {
  const Credentials& credentials = context_.config.credentials;
  if (!require_twilio_basic_auth(request.http, res, credentials)) return;
  if (request.params.at("AccountSid") != credentials.account_sid) {
    // Credentials of one account cannot act on another account's URL.
    send_twilio_error(res, 401, 20003, "Authenticate");
    res.set_header("WWW-Authenticate", "Basic realm=\"Twilio API\"");
    return;
  }
  const auto body = nlohmann::json::parse(request.http.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    send_twilio_error(res, 400, 20001, "Invalid JSON body: expected {\"token\": \"<Flex token>\"}",
                      nlohmann::json{{"parameter", "token"}, {"in", "body"}});
    return;
  }
  if (!body.contains("token") || body["token"].is_null() || (body["token"].is_string() && body["token"].get<std::string>().empty())) {
    send_twilio_error(res, 400, 20001, "Missing required parameter token in the post body",
                      nlohmann::json{{"parameter", "token"}, {"in", "body"}});
    return;
  }
  if (!body["token"].is_string()) {
    send_twilio_error(res, 400, 20001, "Invalid parameter: token must be a string",
                      nlohmann::json{{"parameter", "token"}, {"in", "body"}});
    return;
  }
  const std::string token = body["token"].get<std::string>();

  IssuedToken found;
  {
    std::shared_lock lock(mutex_);
    const auto it = tokens_.find(token);
    if (it == tokens_.end()) {
      send_json(res, 200, nlohmann::json{{"valid", false}, {"code", 20101}, {"message", "Invalid Access Token"}});
      return;
    }
    found = it->second;
  }
  if (std::chrono::system_clock::now() >= found.expiration) {
    send_json(res, 200, nlohmann::json{{"valid", false},
                                       {"code", 20104},
                                       {"message", "Access Token expired or expiration date invalid"}});
    return;
  }
  send_json(res, 200, nlohmann::json{{"valid", true},
                                     {"code", 0},
                                     {"message", nullptr},
                                     {"expiration", iso8601_utc(found.expiration)},
                                     {"realm_user_id", found.identity + "@example.com"},
                                     {"identity", found.identity},
                                     {"roles", found.roles},
                                     {"worker_sid", found.worker_sid}});
}

void IamModule::issue(const httplib::Request& req, httplib::Response& res) {
  const auto spec = control_json_body(req, res);
  if (!spec) return;
  static const std::set<std::string> kKnown = {"identity", "roles", "ttlSeconds", "workerSid", "token"};
  for (const auto& [key, value] : spec->items()) {
    (void)value;
    if (kKnown.count(key) == 0) {
      send_control_error(res, 400, "unknown field '" + key + "' (expected identity, roles, ttlSeconds, workerSid, token)");
      return;
    }
  }
  IssuedToken issued;
  const nlohmann::json identity = spec->value("identity", nlohmann::json());
  if (!identity.is_string() || identity.get<std::string>().empty() || identity.get<std::string>().size() > 256 ||
      !printable(identity.get<std::string>(), true)) {
    send_control_error(res, 400, "'identity' is required: a non-empty string of at most 256 printable characters");
    return;
  }
  issued.identity = identity.get<std::string>();
  issued.roles = {"agent"};
  if (spec->contains("roles")) {
    const auto& roles = (*spec)["roles"];
    if (!roles.is_array()) {
      send_control_error(res, 400, "'roles' must be an array of strings such as [\"agent\",\"supervisor\",\"admin\"]");
      return;
    }
    issued.roles.clear();
    for (const auto& role : roles) {
      if (!role.is_string() || role.get<std::string>().empty() || role.get<std::string>().size() > 64) {
        send_control_error(res, 400, "'roles' must hold non-empty strings of at most 64 characters");
        return;
      }
      issued.roles.push_back(role.get<std::string>());
    }
  }
  long long ttl = 3600;
  if (spec->contains("ttlSeconds")) {
    const auto& value = (*spec)["ttlSeconds"];
    if (!value.is_number_integer() || value.get<long long>() < -kMaxTtlSeconds || value.get<long long>() > kMaxTtlSeconds) {
      send_control_error(res, 400, "'ttlSeconds' must be an integer number of seconds within ±10 years (<= 0 issues an expired token)");
      return;
    }
    ttl = value.get<long long>();
  }
  // Whole milliseconds, so the expiration reported later is exactly the one stored.
  const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  issued.expiration = now + std::chrono::seconds(ttl);
  if (spec->contains("workerSid")) {
    const auto& value = (*spec)["workerSid"];
    if (!value.is_string() || !is_sid(value.get<std::string>(), "WK")) {
      send_control_error(res, 400, "'workerSid' must be a Worker SID: WK followed by 32 hex digits");
      return;
    }
    issued.worker_sid = value.get<std::string>();
  } else {
    issued.worker_sid = random_sid("WK");
  }
  if (spec->contains("token")) {
    const auto& value = (*spec)["token"];
    if (!value.is_string() || value.get<std::string>().empty() || value.get<std::string>().size() > 8192 ||
        !printable(value.get<std::string>(), false)) {
      send_control_error(res, 400, "'token' must be a non-empty string of at most 8192 characters without spaces or control characters");
      return;
    }
    issued.token = value.get<std::string>();
  } else {
    issued.token = make_flex_like_token();
  }
  {
    std::unique_lock lock(mutex_);
    if (tokens_.count(issued.token) != 0) {
      send_control_error(res, 409, "that token value was already issued");
      return;
    }
    issued.order = next_order_++;
    tokens_.emplace(issued.token, issued);
  }
  send_json(res, 201, issued.to_json());
}

void IamModule::list(httplib::Response& res) const {
  std::vector<IssuedToken> all;
  {
    std::shared_lock lock(mutex_);
    for (const auto& [token, issued] : tokens_) {
      (void)token;
      all.push_back(issued);
    }
  }
  std::sort(all.begin(), all.end(), [](const IssuedToken& a, const IssuedToken& b) { return a.order < b.order; });
  nlohmann::json tokens = nlohmann::json::array();
  for (const auto& issued : all) tokens.push_back(issued.to_json());
  send_json(res, 200, nlohmann::json{{"tokens", tokens}});
}

}  // namespace flexcore::emulator
