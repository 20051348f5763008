#include "insights/insights_client.h"

#include <algorithm>

#include "flexcore/segment_lookup.h"

namespace flexcore::server::insights {
namespace sl = flexcore::segment_lookup;
using upstream::Request;
using upstream::Response;

struct InsightsClient::Session {
  std::mutex refresh;  ///< held during a refresh: callers queue on it (single-flight)
  std::string sst, tt;
  std::chrono::system_clock::time_point sst_expiry{}, tt_expiry{};
};

namespace {

const upstream::Header kJson{"Content-Type", "application/json"};
const upstream::Header kAccept{"Accept", "application/json"};

Error failed(std::string_view step, const Response& response) {
  std::string message = "Flex Insights ";
  message += step;
  if (!response.answered()) {
    message += " failed: ";
    message += upstream::to_string(response.transport);
    if (!response.transport_message.empty()) message += " (" + response.transport_message + ")";
  } else {
    message += " failed with HTTP " + std::to_string(response.status);
  }
  return Error{ErrorCode::UpstreamError, std::move(message)};
}

/// A core reader's error with the HTTP context of the reply it could not read.
Error unreadable(const Error& error, const Response& response) {
  std::string message = error.message;
  std::string type = response.header("Content-Type");
  message += " (Flex Insights answered HTTP " + std::to_string(response.status);
  if (!type.empty()) message += ", Content-Type " + type;
  message += ")";
  return Error{error.code, std::move(message)};
}

bool ok_2xx(const Response& response) { return response.answered() && response.status >= 200 && response.status < 300; }

}  // namespace

std::chrono::milliseconds poll_wait(int attempt) noexcept {
  if (attempt < 0) attempt = 0;
  if (attempt >= 4) return std::chrono::milliseconds(1000);
  return std::chrono::milliseconds(100LL << attempt);
}

InsightsClient::InsightsClient(upstream::HttpClient& http, const Clock& clock, Sleeper& sleeper)
    : http_(http), clock_(clock), sleeper_(sleeper) {}

InsightsClient::~InsightsClient() = default;

InsightsClient::Session& InsightsClient::session_for(const InsightsSettings& settings) {
  std::lock_guard lock(mutex_);
  auto& slot = sessions_[settings.base_url + "\n" + settings.username];
  if (!slot) slot = std::make_unique<Session>();
  return *slot;
}

Result<std::string> InsightsClient::temporary_token(const InsightsSettings& settings) {
  Session& session = session_for(settings);
  std::lock_guard lock(session.refresh);
  const auto now = clock_.now();
  if (!session.tt.empty() && now < session.tt_expiry - kRenewMargin) return session.tt;
  return refresh_locked(session, settings);
}

Result<std::string> InsightsClient::refresh_locked(Session& session, const InsightsSettings& settings) {
  const auto login = [&]() -> Status {
    Request request;
    request.method = "POST";
    request.url = settings.base_url + "/gdc/account/login";
    request.headers = {kAccept, kJson};
    request.body = sl::login_body(settings.username, settings.password);
    const Response response = http_.send(request);
    if (!ok_2xx(response)) {
      Error error = failed("login", response);
      if (response.status == 401) error.message += " (check INSIGHTS_USERNAME and INSIGHTS_PASSWORD)";
      return error;
    }
    auto sst = sl::read_login_token(response.body);
    if (!sst) return unreadable(sst.error(), response);
    session.sst = std::move(sst).value();
    session.sst_expiry = clock_.now() + kSstLifetime;
    return ok_status();
  };
  const auto fetch_tt = [&](bool& sst_rejected) -> Status {
    Request request;
    request.url = settings.base_url + "/gdc/account/token";
    request.headers = {kAccept, {"X-GDC-AuthSST", session.sst}};
    const Response response = http_.send(request);
    if (response.answered() && response.status == 401) {
      sst_rejected = true;
      return failed("temporary token", response);
    }
    if (!ok_2xx(response)) return failed("temporary token", response);
    auto tt = sl::read_temporary_token(response.body);
    if (!tt) return unreadable(tt.error(), response);
    session.tt = std::move(tt).value();
    session.tt_expiry = clock_.now() + kTtLifetime;
    return ok_status();
  };

  session.tt.clear();
  bool fresh_login = false;
  if (session.sst.empty() || clock_.now() >= session.sst_expiry - kRenewMargin) {
    session.sst.clear();
    if (Status status = login(); !status) return status.error();
    fresh_login = true;
  }
  bool sst_rejected = false;
  Status status = fetch_tt(sst_rejected);
  if (!status && sst_rejected && !fresh_login) {
    // The SST was revoked or expired early: log in again, once.
    session.sst.clear();
    if (Status again = login(); !again) return again.error();
    sst_rejected = false;
    status = fetch_tt(sst_rejected);
  }
  if (!status) {
    if (sst_rejected) session.sst.clear();
    return status.error();
  }
  return session.tt;
}

void InsightsClient::drop_tt(Session& session, const std::string& tt) {
  std::lock_guard lock(session.refresh);
  if (session.tt == tt) session.tt.clear();  // another caller may already have refreshed it
}

Result<Response> InsightsClient::authorized(const InsightsSettings& settings, Request request) {
  const std::size_t base_headers = request.headers.size();
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto tt = temporary_token(settings);
    if (!tt) return tt.error();
    request.headers.resize(base_headers);
    request.headers.emplace_back("Cookie", "GDCAuthTT=" + tt.value());
    Response response = http_.send(request);
    if (attempt == 0 && response.answered() && response.status == 401) {
      drop_tt(session_for(settings), tt.value());
      continue;
    }
    return response;
  }
  return Error{ErrorCode::Internal, "unreachable"};  // the loop always returns on its second pass
}

Result<std::vector<std::string>> InsightsClient::segment_ids(const InsightsSettings& settings, std::string_view task_sid) {
  const std::string ws_key = settings.base_url + "\n" + settings.workspace;

  // 1. Display form of label.conversations.external_id (cached per workspace).
  std::string display_form;
  {
    std::lock_guard lock(mutex_);
    if (const auto it = display_forms_.find(ws_key); it != display_forms_.end()) display_form = it->second;
  }
  if (display_form.empty()) {
    Request request;
    request.method = "POST";
    request.url = settings.base_url + "/gdc/md/" + upstream::url_encode(settings.workspace) + "/identifiers";
    request.headers = {kAccept, kJson};
    request.body = sl::identifiers_body();
    auto response = authorized(settings, request);
    if (!response) return response.error();
    if (!ok_2xx(response.value())) {
      std::string message = "Failed to resolve GoodData identifier '" + std::string(sl::kExternalIdIdentifier) +
                            "' in workspace '" + settings.workspace + "': ";
      message += failed("identifiers", response.value()).message;
      return Error{ErrorCode::UpstreamError, std::move(message)};
    }
    auto uri = sl::read_display_form_uri(response.value().body, settings.workspace);
    if (!uri) return unreadable(uri.error(), response.value());
    display_form = std::move(uri).value();
    std::lock_guard lock(mutex_);
    display_forms_[ws_key] = display_form;
  }

  // 2. The External Id element(s) of the Task SID.
  Request elements_request;
  elements_request.method = "POST";
  elements_request.url = settings.base_url + display_form + "/validElements";
  elements_request.headers = {kAccept, kJson};
  elements_request.body = sl::valid_elements_body(task_sid);
  auto elements_response = authorized(settings, elements_request);
  if (!elements_response) return elements_response.error();
  if (!ok_2xx(elements_response.value())) {
    if (elements_response.value().status == 404) {
      std::lock_guard lock(mutex_);
      display_forms_.erase(ws_key);  // the display form moved: resolve it again next time
    }
    return failed("validElements", elements_response.value());
  }
  auto elements = sl::read_element_uris(elements_response.value().body, task_sid);
  if (!elements) {
    if (elements.error().code == ErrorCode::NotFound) return elements.error();
    return unreadable(elements.error(), elements_response.value());
  }

  // 3. Run the report filtered to those elements.
  Request execute;
  execute.method = "POST";
  execute.url = settings.base_url + "/gdc/app/projects/" + upstream::url_encode(settings.workspace) + "/execute/raw";
  execute.headers = {kAccept, kJson};
  execute.body = sl::execute_raw_body(settings.workspace, settings.report, display_form, elements.value());
  auto executed = authorized(settings, execute);
  if (!executed) return executed.error();
  if (!ok_2xx(executed.value())) return failed("report execution", executed.value());
  auto export_uri = sl::read_export_uri(executed.value().body);
  if (!export_uri) return unreadable(export_uri.error(), executed.value());

  // 4. Poll the raw export within the budget.
  const auto start = clock_.steady_now();
  std::chrono::milliseconds waited{0};
  const auto spent = [&] {
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.steady_now() - start);
    return std::max(elapsed, waited);
  };
  for (int attempt = 0;; ++attempt) {
    Request poll;
    poll.url = settings.base_url + export_uri.value();
    poll.headers = {{"Accept", "text/csv"}};
    // At least 1 s so the last poll after the final wait can still answer.
    poll.timeout = std::max(std::chrono::milliseconds(1000), settings.poll_budget - spent());
    auto response = authorized(settings, poll);
    if (!response) return response.error();
    const Response& answer = response.value();
    if (answer.answered() && answer.status == 204) return std::vector<std::string>{};
    if (answer.answered() && answer.status == 200) {
      auto ids = sl::parse_segment_csv(answer.body);
      if (!ids) return Error{ErrorCode::UpstreamError, "Flex Insights report export is not valid CSV: " + ids.error().message};
      return ids;
    }
    if (!(answer.answered() && (answer.status == 202 || answer.status == 201))) {
      if (!answer.answered() && answer.transport == upstream::TransportError::Timeout && spent() >= settings.poll_budget) break;
      return failed("report download", answer);
    }
    const auto left = settings.poll_budget - spent();
    if (left <= std::chrono::milliseconds(0)) break;
    const auto wait = std::min(poll_wait(attempt), left);
    sleeper_.sleep_for(wait);
    waited += wait;
    if (spent() >= settings.poll_budget) {
      // One last look at the deadline: the export may have become ready during the final wait.
      continue;
    }
  }
  return Error{ErrorCode::DeadlineExceeded,
               "Flex Insights report was not ready within " + std::to_string(settings.poll_budget.count()) +
                   " ms (INSIGHTS_POLL_BUDGET_MS); try again shortly"};
}

}  // namespace flexcore::server::insights
