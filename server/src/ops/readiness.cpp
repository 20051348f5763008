#include "ops/readiness.h"

#include <algorithm>

namespace flexcore::server {

ReadinessProbe::ReadinessProbe(const Config& config, upstream::HttpClient& transport, const Clock& clock,
                               std::chrono::milliseconds ttl)
    : config_(config), transport_(transport), clock_(clock), ttl_(ttl) {}

Readiness ReadinessProbe::check() {
  std::lock_guard lock(mutex_);
  const auto now = clock_.steady_now();
  if (cached_ && now - cached_->first < ttl_) return cached_->second;

  Readiness report;
  report.ready = true;
  std::vector<std::string> problems;

  nlohmann::json missing = nlohmann::json::array();
  if (config_.account_sid.empty()) missing.push_back("ACCOUNT_SID");
  if (config_.auth_token.empty() && (config_.api_key.empty() || config_.api_secret.empty())) {
    missing.push_back("AUTH_TOKEN");
  }
  report.checks["config"] = {{"ok", missing.empty()}, {"missing", missing}};
  if (!missing.empty()) {
    report.ready = false;
    std::string names;
    for (const auto& name : missing) names += (names.empty() ? "" : ", ") + name.get<std::string>();
    problems.push_back("not configured: set " + names + " (or API_KEY and API_SECRET)");
  }

  const std::vector<std::pair<std::string, std::string>> upstreams = {{"iam", config_.urls.iam}};
  for (const auto& [name, url] : upstreams) {
    upstream::Request request;
    request.method = "GET";
    request.url = url + "/";
    request.timeout = std::min(config_.upstream_timeout, std::chrono::milliseconds(2000));
    const auto response = transport_.send(request);
    nlohmann::json entry = {{"ok", response.answered()}, {"url", url}};
    if (!response.answered()) {
      report.ready = false;
      entry["error"] = std::string(upstream::to_string(response.transport));
      problems.push_back(name + " (" + url + ") is unreachable: " + response.transport_message);
    } else {
      entry["status"] = response.status;
    }
    report.checks[name] = entry;
  }

  if (report.ready) {
    report.summary = "ready";
  } else {
    report.summary = "not ready: ";
    for (std::size_t i = 0; i < problems.size(); ++i) report.summary += (i ? "; " : "") + problems[i];
  }
  cached_.emplace(now, report);
  return report;
}

}  // namespace flexcore::server
