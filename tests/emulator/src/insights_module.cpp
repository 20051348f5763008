#include "insights_module.h"

#include "http_util.h"

#include <algorithm>
#include <set>

namespace flexcore::emulator {
namespace {

constexpr long long kMaxTtlSeconds = 10LL * 366 * 24 * 3600;

void send_gd_error(httplib::Response& res, int status, const std::string& error_class, const std::string& message) {
  send_json(res, status, gooddata_error(error_class, message));
}

void send_unauthorized(httplib::Response& res, const std::string& cookie, const std::string& message) {
  send_gd_error(res, 401, "com.gooddata.security.authentication.UnauthorizedException", message);
  res.set_header("WWW-Authenticate", "GoodData realm=\"GoodData API\", cookie=" + cookie);
}

/// Value of cookie `name` in a Cookie header ("a=1; GDCAuthTT=x"), or "".
std::string cookie_value(const httplib::Request& req, const std::string& name) {
  const auto count = req.get_header_value_count("Cookie");
  for (std::size_t i = 0; i < count; ++i) {
    const std::string header = req.get_header_value("Cookie", i);
    std::size_t pos = 0;
    while (pos <= header.size()) {
      auto end = header.find(';', pos);
      if (end == std::string::npos) end = header.size();
      std::string piece = header.substr(pos, end - pos);
      const auto first = piece.find_first_not_of(' ');
      piece = first == std::string::npos ? std::string() : piece.substr(first);
      const auto eq = piece.find('=');
      if (eq != std::string::npos && piece.compare(0, eq, name) == 0 && eq == name.size()) return piece.substr(eq + 1);
      pos = end + 1;
    }
  }
  return {};
}

std::string csv_quote(const std::string& value) {
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::optional<nlohmann::json> json_body(const UpstreamRequest& request, httplib::Response& res) {
  auto body = nlohmann::json::parse(request.http.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    send_gd_error(res, 400, "com.gooddata.webapp.InvalidRequestException", "The request body must be a JSON object");
    return std::nullopt;
  }
  return body;
}

bool check_fields(const nlohmann::json& spec, const std::set<std::string>& known, httplib::Response& res) {
  for (const auto& [key, value] : spec.items()) {
    (void)value;
    if (known.count(key) == 0) {
      std::string list;
      for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
      send_control_error(res, 400, "unknown field '" + key + "' (expected " + list + ")");
      return false;
    }
  }
  return true;
}

bool is_identifier(const std::string& text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

}  // namespace

nlohmann::json gooddata_error(const std::string& error_class, const std::string& message) {
  return nlohmann::json{{"error",
                         {{"errorClass", error_class},
                          {"message", message},
                          {"parameters", nlohmann::json::array()},
                          {"component", "flexcore-emulator"},
                          {"requestId", random_hex(8)}}}};
}

nlohmann::json InsightsModule::Settings::to_json() const {
  return nlohmann::json{{"pendingPolls", pending_polls},
                        {"ttTtlSeconds", tt_ttl_seconds},
                        {"sstTtlSeconds", sst_ttl_seconds},
                        {"maxBadLogins", max_bad_logins},
                        {"retryAfterSeconds", retry_after_seconds}};
}

InsightsModule::InsightsModule(ModuleContext context) : context_(context) {}

void InsightsModule::register_routes(Router& upstream, ControlApi& control) {
  upstream.add_family("insights", {"/insights"});
  const auto bind = [this](void (InsightsModule::*handler)(const UpstreamRequest&, httplib::Response&)) {
    return [this, handler](const UpstreamRequest& request, httplib::Response& res) { (this->*handler)(request, res); };
  };
  upstream.add_route("insights", "POST", "/gdc/account/login", bind(&InsightsModule::login));
  upstream.add_route("insights", "DELETE", "/gdc/account/login/{profileId}", bind(&InsightsModule::logout));
  upstream.add_route("insights", "GET", "/gdc/account/token", bind(&InsightsModule::token));
  upstream.add_route("insights", "POST", "/gdc/md/{workspace}/identifiers", bind(&InsightsModule::identifiers));
  upstream.add_route("insights", "POST", "/gdc/md/{workspace}/obj/{objectId}/validElements",
                     bind(&InsightsModule::valid_elements));
  upstream.add_route("insights", "POST", "/gdc/app/projects/{workspace}/execute/raw", bind(&InsightsModule::execute_raw));
  upstream.add_route("insights", "GET", "/gdc/projects/{workspace}/execute/raw/{exportId}",
                     bind(&InsightsModule::poll_export));

  control.add("POST", "/insights/users",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams&) { add_user(req, res); });
  control.add("POST", "/insights/workspaces",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams&) { add_workspace(req, res); });
  control.add("POST", "/insights/segments",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams&) { put_segments(req, res); });
  control.add("POST", "/insights/settings",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams&) { put_settings(req, res); });
  control.add("POST", "/insights/expire",
              [this](const httplib::Request& req, httplib::Response& res, const PathParams&) { expire(req, res); });
  control.add("GET", "/insights/state",
              [this](const httplib::Request&, httplib::Response& res, const PathParams&) { state(res); });
}

void InsightsModule::reset() {
  std::lock_guard lock(mutex_);
  settings_ = Settings{};
  users_.clear();
  workspaces_.clear();
  ssts_.clear();
  tts_.clear();
  exports_.clear();
  bad_logins_ = 0;
  next_element_id_ = 1000;
  logins_ = tokens_issued_ = 0;
}

// ---------------------------------------------------------------- upstream

void InsightsModule::login(const UpstreamRequest& request, httplib::Response& res) {
  const auto body = json_body(request, res);
  if (!body) return;
  const auto& post = body->value("postUserLogin", nlohmann::json());
  if (!post.is_object() || !post.value("login", nlohmann::json()).is_string() ||
      !post.value("password", nlohmann::json()).is_string()) {
    send_gd_error(res, 400, "com.gooddata.webapp.InvalidRequestException",
                  "postUserLogin.login and postUserLogin.password are required strings");
    return;
  }
  const std::string login = post["login"].get<std::string>();
  const std::string password = post["password"].get<std::string>();
  std::lock_guard lock(mutex_);
  if (bad_logins_ >= settings_.max_bad_logins) {
    send_gd_error(res, 429, "com.gooddata.security.TooManyRequestsException", "Too many invalid login attempts");
    res.set_header("Retry-After", std::to_string(settings_.retry_after_seconds));
    return;
  }
  const auto user = users_.find(login);
  if (user == users_.end() || user->second != password) {
    ++bad_logins_;
    send_gd_error(res, 401, "com.gooddata.security.authentication.BadCredentialsException", "Bad Login or Password!");
    return;
  }
  bad_logins_ = 0;
  ++logins_;
  const std::string sst = random_base64url(24);
  ssts_[sst] = Session{login, Clock::now() + std::chrono::seconds(settings_.sst_ttl_seconds)};
  const std::string profile = random_hex(16);
  send_json(res, 200,
            nlohmann::json{{"userLogin",
                            {{"profile", "/gdc/account/profile/" + profile},
                             {"state", "/gdc/account/login/" + profile},
                             {"token", sst}}}});
}

void InsightsModule::logout(const UpstreamRequest& request, httplib::Response& res) {
  const std::string sst = request.http.get_header_value("X-GDC-AuthSST");
  std::lock_guard lock(mutex_);
  const auto it = ssts_.find(sst);
  if (it == ssts_.end()) {
    send_unauthorized(res, "GDCAuthSST", "Invalid or expired super-secured token");
    return;
  }
  ssts_.erase(it);
  res.status = 204;
}

void InsightsModule::token(const UpstreamRequest& request, httplib::Response& res) {
  const std::string sst = request.http.get_header_value("X-GDC-AuthSST");
  std::lock_guard lock(mutex_);
  const auto it = ssts_.find(sst);
  if (sst.empty() || it == ssts_.end() || Clock::now() >= it->second.expiration) {
    send_unauthorized(res, "GDCAuthSST", "Invalid or expired super-secured token (X-GDC-AuthSST)");
    return;
  }
  ++tokens_issued_;
  const std::string tt = random_base64url(24);
  tts_[tt] = Session{it->second.login, Clock::now() + std::chrono::seconds(settings_.tt_ttl_seconds)};
  send_json(res, 200, nlohmann::json{{"userToken", {{"token", tt}}}});
}

bool InsightsModule::require_tt(const UpstreamRequest& request, httplib::Response& res) const {
  std::string tt = cookie_value(request.http, "GDCAuthTT");
  if (tt.empty()) tt = request.http.get_header_value("X-GDC-AuthTT");
  const auto it = tts_.find(tt);
  if (tt.empty() || it == tts_.end() || Clock::now() >= it->second.expiration) {
    send_unauthorized(res, "GDCAuthTT", "Invalid or expired temporary token (GDCAuthTT)");
    return false;
  }
  return true;
}

void InsightsModule::identifiers(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  if (!require_tt(request, res)) return;
  const std::string& ws = request.params.at("workspace");
  if (workspaces_.count(ws) == 0) {
    send_gd_error(res, 404, "com.gooddata.webapp.NotFoundException", "Project '" + ws + "' not found");
    return;
  }
  const auto body = json_body(request, res);
  if (!body) return;
  const auto& wanted = body->value("identifierToUri", nlohmann::json());
  if (!wanted.is_array()) {
    send_gd_error(res, 400, "com.gooddata.webapp.InvalidRequestException", "identifierToUri must be an array of strings");
    return;
  }
  nlohmann::json found = nlohmann::json::array();
  for (const auto& identifier : wanted) {
    if (identifier.is_string() && identifier.get<std::string>() == "label.conversations.external_id") {
      found.push_back({{"identifier", identifier},
                       {"uri", "/gdc/md/" + ws + "/obj/" + std::to_string(kExternalIdDisplayForm)}});
    }
  }
  send_json(res, 200, nlohmann::json{{"identifiers", found}});
}

void InsightsModule::valid_elements(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  if (!require_tt(request, res)) return;
  const std::string& ws = request.params.at("workspace");
  const auto workspace = workspaces_.find(ws);
  if (workspace == workspaces_.end() || request.params.at("objectId") != std::to_string(kExternalIdDisplayForm)) {
    send_gd_error(res, 404, "com.gooddata.webapp.NotFoundException",
                  "Display form /gdc/md/" + ws + "/obj/" + request.params.at("objectId") + " not found");
    return;
  }
  const auto body = json_body(request, res);
  if (!body) return;
  const auto& req = body->value("validElementsRequest", nlohmann::json());
  if (!req.is_object()) {
    send_gd_error(res, 400, "com.gooddata.webapp.InvalidRequestException", "validElementsRequest object is required");
    return;
  }
  nlohmann::json items = nlohmann::json::array();
  const auto& titles = req.value("titles", nlohmann::json::array());
  if (!titles.is_array()) {
    send_gd_error(res, 400, "com.gooddata.webapp.InvalidRequestException", "validElementsRequest.titles must be an array");
    return;
  }
  for (const auto& title : titles) {
    if (!title.is_string()) continue;
    const auto element = workspace->second.elements.find(title.get<std::string>());
    if (element == workspace->second.elements.end()) continue;
    items.push_back({{"element",
                      {{"title", element->first},
                       {"uri", "/gdc/md/" + ws + "/obj/" + std::to_string(kExternalIdAttribute) +
                                   "/elements?id=" + std::to_string(element->second.id)}}}});
  }
  const auto count = items.size();
  send_json(res, 200,
            nlohmann::json{{"validElements",
                            {{"items", items},
                             {"paging", {{"total", count}, {"count", count}, {"offset", 0}}},
                             {"elementsMeta",
                              {{"attribute", "/gdc/md/" + ws + "/obj/" + std::to_string(kExternalIdAttribute)},
                               {"attributeDisplayForm", "/gdc/md/" + ws + "/obj/" + std::to_string(kExternalIdDisplayForm)},
                               {"filter", ""},
                               {"order", "asc"}}}}}});
}

void InsightsModule::execute_raw(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  if (!require_tt(request, res)) return;
  const std::string& ws = request.params.at("workspace");
  const auto workspace = workspaces_.find(ws);
  if (workspace == workspaces_.end()) {
    send_gd_error(res, 404, "com.gooddata.webapp.NotFoundException", "Project '" + ws + "' not found");
    return;
  }
  const auto body = json_body(request, res);
  if (!body) return;
  const auto bad = [&](const std::string& message) {
    send_gd_error(res, 400, "com.gooddata.webapp.InvalidRequestException", message);
  };
  const auto& report_req = body->value("report_req", nlohmann::json());
  if (!report_req.is_object() || !report_req.value("report", nlohmann::json()).is_string()) {
    bad("report_req.report (the report URI) is required");
    return;
  }
  const std::string report = report_req["report"].get<std::string>();
  const std::string report_prefix = "/gdc/md/" + ws + "/obj/";
  if (report.compare(0, report_prefix.size(), report_prefix) != 0 ||
      std::find(workspace->second.reports.begin(), workspace->second.reports.end(),
                report.substr(report_prefix.size())) == workspace->second.reports.end()) {
    send_gd_error(res, 404, "com.gooddata.webapp.NotFoundException", "Report '" + report + "' not found");
    return;
  }
  // Element URIs of list filters on the External Id display form.
  std::set<std::string> wanted;
  bool filtered = false;
  const auto& context = report_req.value("context", nlohmann::json::object());
  const auto& filters = context.is_object() ? context.value("filters", nlohmann::json::array()) : nlohmann::json::array();
  if (!filters.is_array()) {
    bad("report_req.context.filters must be an array");
    return;
  }
  const std::string display_form = "/gdc/md/" + ws + "/obj/" + std::to_string(kExternalIdDisplayForm);
  for (const auto& filter : filters) {
    if (!filter.is_object() || !filter.value("uri", nlohmann::json()).is_string() ||
        !filter.value("constraint", nlohmann::json()).is_object()) {
      bad("each filter needs a uri and a constraint");
      return;
    }
    const auto& constraint = filter["constraint"];
    if (filter["uri"] != display_form || constraint.value("type", "") != "list") continue;
    if (!constraint.value("elements", nlohmann::json()).is_array()) {
      bad("a list constraint needs an elements array");
      return;
    }
    filtered = true;
    for (const auto& element : constraint["elements"])
      if (element.is_string()) wanted.insert(element.get<std::string>());
  }
  Export export_;
  export_.workspace = ws;
  export_.pending = settings_.pending_polls;
  for (const auto& [external_id, element] : workspace->second.elements) {
    const std::string uri = "/gdc/md/" + ws + "/obj/" + std::to_string(kExternalIdAttribute) +
                            "/elements?id=" + std::to_string(element.id);
    if (filtered && wanted.count(uri) == 0) continue;
    for (const auto& segment : element.segment_ids) {
      export_.segment_ids.push_back(segment);
      export_.external_ids.push_back(external_id);
    }
    if (element.empty_rows > 0) export_.empty_rows.emplace_back(external_id, element.empty_rows);
  }
  const std::string id = random_hex(12);
  exports_[id] = std::move(export_);
  send_json(res, 201, nlohmann::json{{"uri", "/gdc/projects/" + ws + "/execute/raw/" + id}});
}

void InsightsModule::poll_export(const UpstreamRequest& request, httplib::Response& res) {
  std::lock_guard lock(mutex_);
  if (!require_tt(request, res)) return;
  const auto it = exports_.find(request.params.at("exportId"));
  if (it == exports_.end() || it->second.workspace != request.params.at("workspace")) {
    send_gd_error(res, 404, "com.gooddata.webapp.NotFoundException", "Raw export not found");
    return;
  }
  Export& export_ = it->second;
  if (export_.pending > 0) {
    --export_.pending;
    res.status = 202;
    res.set_content("", "text/plain");
    return;
  }
  if (export_.segment_ids.empty() && export_.empty_rows.empty()) {
    res.status = 204;
    return;
  }
  std::string csv = "\"Segment Id\",\"External Id\"\r\n";
  for (std::size_t i = 0; i < export_.segment_ids.size(); ++i)
    csv += csv_quote(export_.segment_ids[i]) + "," + csv_quote(export_.external_ids[i]) + "\r\n";
  for (const auto& [external_id, rows] : export_.empty_rows) {
    const std::string row = "\"\"," + csv_quote(external_id) + "\r\n";
    csv.reserve(csv.size() + rows * row.size());
    for (std::size_t i = 0; i < rows; ++i) csv += row;
  }
  res.status = 200;
  res.set_content(csv, "text/csv; charset=utf-8");
}

// ---------------------------------------------------------------- control

void InsightsModule::add_user(const httplib::Request& req, httplib::Response& res) {
  const auto spec = control_json_body(req, res);
  if (!spec || !check_fields(*spec, {"login", "password"}, res)) return;
  const auto& login = spec->value("login", nlohmann::json());
  const auto& password = spec->value("password", nlohmann::json());
  if (!login.is_string() || login.get<std::string>().empty() || !password.is_string() ||
      password.get<std::string>().empty()) {
    send_control_error(res, 400, "'login' and 'password' are required non-empty strings");
    return;
  }
  std::lock_guard lock(mutex_);
  users_[login.get<std::string>()] = password.get<std::string>();
  send_json(res, 201, nlohmann::json{{"login", login}});
}

void InsightsModule::add_workspace(const httplib::Request& req, httplib::Response& res) {
  const auto spec = control_json_body(req, res);
  if (!spec || !check_fields(*spec, {"workspace", "reports"}, res)) return;
  const auto& ws = spec->value("workspace", nlohmann::json());
  if (!ws.is_string() || !is_identifier(ws.get<std::string>())) {
    send_control_error(res, 400, "'workspace' is required: 1-64 characters of letters, digits, '_' or '-'");
    return;
  }
  std::vector<std::string> reports;
  for (const auto& report : spec->value("reports", nlohmann::json::array())) {
    if (!report.is_string() || !is_identifier(report.get<std::string>())) {
      send_control_error(res, 400, "'reports' must be an array of report object ids such as \"12345\"");
      return;
    }
    reports.push_back(report.get<std::string>());
  }
  std::lock_guard lock(mutex_);
  auto& workspace = workspaces_[ws.get<std::string>()];
  for (auto& report : reports)
    if (std::find(workspace.reports.begin(), workspace.reports.end(), report) == workspace.reports.end())
      workspace.reports.push_back(std::move(report));
  send_json(res, 201, nlohmann::json{{"workspace", ws}, {"reports", workspace.reports}});
}

void InsightsModule::put_segments(const httplib::Request& req, httplib::Response& res) {
  const auto spec = control_json_body(req, res);
  if (!spec || !check_fields(*spec, {"workspace", "externalId", "segmentIds", "emptyRows"}, res)) return;
  const auto& ws = spec->value("workspace", nlohmann::json());
  const auto& external_id = spec->value("externalId", nlohmann::json());
  const auto& segments = spec->value("segmentIds", nlohmann::json());
  if (!ws.is_string() || !external_id.is_string() || external_id.get<std::string>().empty()) {
    send_control_error(res, 400, "'workspace' and 'externalId' (the Task SID) are required strings");
    return;
  }
  if (!segments.is_array() || !std::all_of(segments.begin(), segments.end(), [](const auto& s) { return s.is_string(); })) {
    send_control_error(res, 400, "'segmentIds' must be an array of strings (may be empty: the report then answers 204)");
    return;
  }
  const auto& empty_rows = spec->value("emptyRows", nlohmann::json(0));
  if (!empty_rows.is_number_integer() || empty_rows.get<long long>() < 0 || empty_rows.get<long long>() > 5000000) {
    send_control_error(res, 400, "'emptyRows' must be an integer from 0 to 5000000 (report rows with an empty Segment Id)");
    return;
  }
  std::lock_guard lock(mutex_);
  const auto workspace = workspaces_.find(ws.get<std::string>());
  if (workspace == workspaces_.end()) {
    send_control_error(res, 404, "unknown workspace '" + ws.get<std::string>() + "' (POST /__emulator/insights/workspaces first)");
    return;
  }
  auto& element = workspace->second.elements[external_id.get<std::string>()];
  if (element.id == 0) element.id = next_element_id_++;
  element.external_id = external_id.get<std::string>();
  element.segment_ids = segments.get<std::vector<std::string>>();
  element.empty_rows = static_cast<std::size_t>(empty_rows.get<long long>());
  send_json(res, 201, nlohmann::json{{"workspace", ws}, {"externalId", external_id}, {"segmentIds", segments},
                                     {"elementId", element.id}});
}

void InsightsModule::put_settings(const httplib::Request& req, httplib::Response& res) {
  const auto spec = control_json_body(req, res);
  if (!spec || !check_fields(*spec, {"pendingPolls", "ttTtlSeconds", "sstTtlSeconds", "maxBadLogins", "retryAfterSeconds"}, res))
    return;
  std::lock_guard lock(mutex_);
  Settings next = settings_;
  const auto integer = [&](const char* name, long long low, long long high, auto& target) {
    if (!spec->contains(name)) return true;
    const auto& value = (*spec)[name];
    if (!value.is_number_integer() || value.template get<long long>() < low || value.template get<long long>() > high) {
      send_control_error(res, 400, std::string("'") + name + "' must be an integer from " + std::to_string(low) + " to " +
                                       std::to_string(high));
      return false;
    }
    target = static_cast<std::decay_t<decltype(target)>>(value.template get<long long>());
    return true;
  };
  if (!integer("pendingPolls", 0, 1000, next.pending_polls) ||
      !integer("ttTtlSeconds", -kMaxTtlSeconds, kMaxTtlSeconds, next.tt_ttl_seconds) ||
      !integer("sstTtlSeconds", -kMaxTtlSeconds, kMaxTtlSeconds, next.sst_ttl_seconds) ||
      !integer("maxBadLogins", 0, 1000000, next.max_bad_logins) ||
      !integer("retryAfterSeconds", 0, 86400, next.retry_after_seconds))
    return;
  settings_ = next;
  send_json(res, 200, settings_.to_json());
}

void InsightsModule::expire(const httplib::Request& req, httplib::Response& res) {
  const auto spec = control_json_body(req, res);
  if (!spec || !check_fields(*spec, {"tokens"}, res)) return;
  const std::string which = spec->value("tokens", nlohmann::json("all")).is_string()
                                ? spec->value("tokens", std::string("all"))
                                : std::string();
  if (which != "tt" && which != "sst" && which != "all") {
    send_control_error(res, 400, "'tokens' must be \"tt\", \"sst\" or \"all\"");
    return;
  }
  std::lock_guard lock(mutex_);
  const auto past = Clock::now() - std::chrono::seconds(1);
  std::size_t expired = 0;
  const auto expire_all = [&](std::map<std::string, Session>& sessions) {
    for (auto& entry : sessions) {
      entry.second.expiration = past;
      ++expired;
    }
  };
  if (which != "sst") expire_all(tts_);
  if (which != "tt") expire_all(ssts_);
  send_json(res, 200, nlohmann::json{{"expired", expired}});
}

void InsightsModule::state(httplib::Response& res) const {
  std::lock_guard lock(mutex_);
  nlohmann::json users = nlohmann::json::array();
  for (const auto& entry : users_) users.push_back(entry.first);
  nlohmann::json workspaces = nlohmann::json::object();
  for (const auto& [id, ws] : workspaces_) {
    nlohmann::json segments = nlohmann::json::object();
    for (const auto& [external_id, element] : ws.elements) segments[external_id] = element.segment_ids;
    workspaces[id] = {{"reports", ws.reports}, {"segments", segments}};
  }
  send_json(res, 200, nlohmann::json{{"settings", settings_.to_json()},
                                     {"users", users},
                                     {"workspaces", workspaces},
                                     {"logins", logins_},
                                     {"temporaryTokens", tokens_issued_},
                                     {"liveSsts", ssts_.size()},
                                     {"liveTts", tts_.size()},
                                     {"exports", exports_.size()}});
}

}  // namespace flexcore::emulator
