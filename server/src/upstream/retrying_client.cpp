#include "upstream/retrying_client.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>
#include <string>

#include "metrics.h"

namespace flexcore::server::upstream {

std::optional<std::string_view> retry_reason(const Response& response) noexcept {
  if (!response.answered()) {
    switch (response.transport) {
      case TransportError::ConnectFailed:
      case TransportError::ConnectionLost:
      case TransportError::Timeout:
        return std::string_view("network");
      default:
        return std::nullopt;
    }
  }
  switch (response.status) {
    case 412: return std::string_view("412");
    case 429: return std::string_view("429");
    case 503: return std::string_view("503");
    default: return std::nullopt;
  }
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    long long seconds = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc::result_out_of_range) return std::chrono::milliseconds(std::chrono::hours(24 * 365));
    if (ec != std::errc() || ptr != value.data() + value.size()) return std::nullopt;
    if (seconds > 365LL * 24 * 3600) seconds = 365LL * 24 * 3600;
    return std::chrono::milliseconds(seconds * 1000);
  }
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 5.6.7).
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (value.size() != 29 || value.substr(3, 2) != ", " || value.substr(25) != " GMT") return std::nullopt;
  auto number = [&](std::size_t pos, std::size_t len, int& out) {
    auto [ptr, ec] = std::from_chars(value.data() + pos, value.data() + pos + len, out);
    return ec == std::errc() && ptr == value.data() + pos + len;
  };
  std::tm tm{};
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  if (!number(5, 2, day) || value[7] != ' ' || value[11] != ' ' || !number(12, 4, year) ||
      value[16] != ' ' || !number(17, 2, hour) || value[19] != ':' || !number(20, 2, minute) ||
      value[22] != ':' || !number(23, 2, second)) {
    return std::nullopt;
  }
  int month = -1;
  for (int i = 0; i < 12; ++i) {
    if (value.substr(8, 3) == kMonths[i]) month = i;
  }
  if (month < 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  tm.tm_year = year - 1900;
  tm.tm_mon = month;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const std::time_t when = timegm(&tm);
  if (when == static_cast<std::time_t>(-1)) return std::nullopt;
  const auto target = std::chrono::system_clock::from_time_t(when);
  if (target <= now) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(target - now);
}

namespace {
bool has_if_match(const Request& request) {
  for (const auto& [name, value] : request.headers) {
    if (name.size() == 8) {
      std::string lower(name);
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (lower == "if-match") return true;
    }
  }
  return false;
}
}  // namespace

RetryingClient::RetryingClient(HttpClient& inner, RetryPolicy policy, const Clock& clock, Sleeper& sleeper,
                               Random& random, ServerMetrics* metrics)
    : inner_(inner), policy_(policy), clock_(clock), sleeper_(sleeper), random_(random), metrics_(metrics) {}

Response RetryingClient::send(const Request& request) {
  int attempts = 0;
  for (;;) {
    Response response = inner_.send(request);
    ++attempts;
    response.attempts = attempts;
    const auto reason = retry_reason(response);
    if (!reason || attempts > policy_.retry_limit) return response;
    // A 412 answering a conditional request (If-Match) is final: sending the same stale version
    // again cannot succeed; the caller re-reads and retries (TaskRouterClient::update_attributes_safely).
    if (*reason == "412" && has_if_match(request)) return response;

    std::chrono::milliseconds delay{0};
    if (*reason != "412") {
      std::optional<std::chrono::milliseconds> asked;
      if (response.answered()) asked = parse_retry_after(response.header("Retry-After"), clock_.now());
      if (asked) {
        delay = std::min(*asked, policy_.max_retry_after);
      } else {
        delay = std::chrono::milliseconds(
            random_.uniform_int(policy_.min_backoff.count(), policy_.max_backoff.count()));
      }
    }
    if (metrics_ != nullptr) {
      metrics_->upstream_retries.labels({url_host(request.url), std::string(*reason)}).inc();
    }
    if (delay.count() > 0) sleeper_.sleep_for(delay);
  }
}

}  // namespace flexcore::server::upstream
