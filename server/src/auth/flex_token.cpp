#include "auth/flex_token.h"

#include <algorithm>
#include <charconv>
#include <ctime>

#include <openssl/evp.h>

#include "metrics.h"
#include "upstream/twilio_error.h"

namespace flexcore::server::auth {
namespace {

std::string sha256_key(std::string_view token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(token.data(), token.size(), digest, &length, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

}  // namespace

bool TokenResult::has_role(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

std::optional<std::chrono::system_clock::time_point> parse_iso8601_utc(std::string_view text) {
  // YYYY-MM-DDThh:mm:ss
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') ||
      text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  auto number = [&](std::size_t pos, std::size_t len, int& out) {
    auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, out);
    return ec == std::errc() && ptr == text.data() + pos + len;
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!number(0, 4, year) || !number(5, 2, month) || !number(8, 2, day) || !number(11, 2, hour) ||
      !number(14, 2, minute) || !number(17, 2, second)) {
    return std::nullopt;
  }
  if (year < 1970 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 ||
      minute > 59 || second > 60) {
    return std::nullopt;  // (system_clock's nanoseconds end in 2262)
  }
  std::size_t pos = 19;
  long long micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    long long scale = 100000;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (scale > 0) micros += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  const std::string_view zone = text.substr(pos);
  if (zone != "Z" && zone != "z" && zone != "+00:00") return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const std::time_t seconds = timegm(&tm);
  if (seconds == static_cast<std::time_t>(-1)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(seconds) + std::chrono::microseconds(micros);
}

Result<std::optional<std::string>> extract_token(const Params& query, const Params& form,
                                                 const nlohmann::json* json_body) {
  struct Found {
    std::string_view where;
    std::string value;
  };
  std::vector<Found> found;
  auto from_params = [&](const Params& params, std::string_view where) -> Status {
    int count = 0;
    for (const auto& [name, value] : params) {
      if (name != "Token") continue;
      if (++count > 1) {
        return Error{ErrorCode::InvalidArgument,
                     "Token appears more than once in the " + std::string(where) + "; send it once"};
      }
      found.push_back({where, value});
    }
    return ok_status();
  };
  if (auto status = from_params(query, "query string"); !status) return status.error();
  if (auto status = from_params(form, "form body"); !status) return status.error();
  if (json_body != nullptr && json_body->is_object()) {
    const auto it = json_body->find("Token");
    if (it != json_body->end()) {
      if (!it->is_string()) {
        return Error{ErrorCode::InvalidArgument, "Token in the JSON body must be a string"};
      }
      found.push_back({"JSON body", it->get<std::string>()});
    }
  }
  if (found.empty()) return std::optional<std::string>{};
  for (std::size_t i = 1; i < found.size(); ++i) {
    if (found[i].value != found[0].value) {
      return Error{ErrorCode::InvalidArgument, "Token is sent in the " + std::string(found[0].where) +
                                                   " and the " + std::string(found[i].where) +
                                                   " with different values; send one Token"};
    }
  }
  return std::optional<std::string>(found[0].value);
}

Status require_role(const TokenResult& token, const std::vector<std::string>& roles) {
  if (roles.empty()) return ok_status();
  std::string names;
  for (const auto& role : roles) {
    if (token.has_role(role)) return ok_status();
    if (!names.empty()) names += " or ";
    names += role;
  }
  return Error{ErrorCode::PermissionDenied, "this operation requires the " + names + " role"};
}

Status require_role(const TokenResult& token, std::initializer_list<std::string_view> roles) {
  return require_role(token, std::vector<std::string>(roles.begin(), roles.end()));
}

struct TokenValidator::Flight {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  std::optional<Result<TokenResultPtr>> result;
};

TokenValidator::TokenValidator(const Config& config, upstream::HttpClient& http, const Clock& clock,
                               ServerMetrics* metrics)
    : http_(http), clock_(clock), metrics_(metrics), capacity_(std::max<std::size_t>(1, config.token_cache_size)) {
  if (config.has_account_credentials()) {
    validate_url_ = config.urls.iam + "/v1/Accounts/" + config.account_sid + "/Tokens/validate";
    if (!config.auth_token.empty()) {
      credentials_ = upstream::BasicAuth{config.account_sid, config.auth_token};
    } else {
      credentials_ = upstream::BasicAuth{config.api_key, config.api_secret};
    }
  }
}

std::size_t TokenValidator::cached() const {
  std::lock_guard lock(mutex_);
  return lru_.size();
}

Result<TokenResultPtr> TokenValidator::call_iam(std::string_view token) {
  upstream::Request request;
  request.method = "POST";
  request.url = validate_url_;
  request.headers = {{"Content-Type", "application/json"}, {"Cache-Control", "no-cache"}};
  request.body = nlohmann::json{{"token", std::string(token)}}.dump();
  request.basic_auth = credentials_;
  const upstream::Response response = http_.send(request);
  if (!response.answered() || response.status == 401 || response.status == 403 ||
      response.status == 429 || response.status >= 500) {
    return upstream::upstream_error(response, "Twilio IAM");
  }
  const auto json = nlohmann::json::parse(response.body, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("valid")) {
    if (response.status >= 400) return upstream::upstream_error(response, "Twilio IAM");
    return Error{ErrorCode::UpstreamError, "Twilio IAM answered HTTP " + std::to_string(response.status) +
                                               " without a JSON \"valid\" field"};
  }
  const auto& valid = json["valid"];
  if (!(valid.is_boolean() && valid.get<bool>())) {
    std::string message = "Unauthorized: the Flex token is not valid";
    if (const auto it = json.find("message"); it != json.end() && it->is_string() && !it->get<std::string>().empty()) {
      message = it->get<std::string>();
    }
    return Error{ErrorCode::Unauthenticated, message};
  }
  auto result = std::make_shared<TokenResult>();
  auto text = [&](const char* key) {
    const auto it = json.find(key);
    return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  result->identity = text("identity");
  result->realm_user_id = text("realm_user_id");
  result->worker_sid = text("worker_sid");
  result->expiration = text("expiration");
  result->expires_at = parse_iso8601_utc(result->expiration);
  if (const auto it = json.find("roles"); it != json.end() && it->is_array()) {
    for (const auto& role : *it) {
      if (role.is_string()) result->roles.push_back(role.get<std::string>());
    }
  }
  result->raw = json;
  return TokenResultPtr(std::move(result));
}

Result<TokenResultPtr> TokenValidator::validate(std::string_view token) {
  if (!credentials_) return Error{ErrorCode::Unauthenticated, std::string(kMissingCredentialsMessage)};
  if (token.empty()) return Error{ErrorCode::Unauthenticated, std::string(kMissingTokenMessage)};

  const std::string key = sha256_key(token);
  std::shared_ptr<Flight> flight;
  bool leader = false;
  {
    std::lock_guard lock(mutex_);
    if (const auto hit = index_.find(key); hit != index_.end()) {
      if (hit->second->expires_at > clock_.now()) {
        lru_.splice(lru_.begin(), lru_, hit->second);
        if (metrics_ != nullptr) metrics_->token_cache_hits.inc();
        return hit->second->result;
      }
      lru_.erase(hit->second);
      index_.erase(hit);
      if (metrics_ != nullptr) metrics_->token_cache_entries.set(static_cast<std::int64_t>(lru_.size()));
    }
    if (const auto running = in_flight_.find(key); running != in_flight_.end()) {
      flight = running->second;
      if (metrics_ != nullptr) metrics_->token_validations_coalesced.inc();
    } else {
      flight = std::make_shared<Flight>();
      in_flight_.emplace(key, flight);
      leader = true;
      if (metrics_ != nullptr) metrics_->token_cache_misses.inc();
    }
  }

  if (!leader) {
    std::unique_lock wait(flight->mutex);
    flight->done_cv.wait(wait, [&] { return flight->done; });
    return *flight->result;
  }

  std::optional<Result<TokenResultPtr>> outcome;
  try {
    outcome.emplace(call_iam(token));
  } catch (const std::exception& error) {
    outcome.emplace(Error{ErrorCode::Internal, std::string("token validation failed: ") + error.what()});
  }
  {
    std::lock_guard lock(mutex_);
    in_flight_.erase(key);
    if (outcome->ok()) {
      const TokenResultPtr& result = outcome->value();
      if (result->expires_at && *result->expires_at > clock_.now()) {
        if (const auto old = index_.find(key); old != index_.end()) {
          lru_.erase(old->second);
          index_.erase(old);
        }
        lru_.push_front(Entry{key, result, *result->expires_at});
        index_[key] = lru_.begin();
        while (lru_.size() > capacity_) {
          index_.erase(lru_.back().key);
          lru_.pop_back();
        }
        if (metrics_ != nullptr) metrics_->token_cache_entries.set(static_cast<std::int64_t>(lru_.size()));
      }
    }
  }
  {
    std::lock_guard lock(flight->mutex);
    flight->result = outcome;
    flight->done = true;
  }
  flight->done_cv.notify_all();
  return std::move(*outcome);
}

}  // namespace flexcore::server::auth
