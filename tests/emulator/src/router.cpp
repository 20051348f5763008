#include "router.h"

#include "twilio_error.h"

#include <algorithm>
#include <stdexcept>

namespace flexcore::emulator {
namespace {

constexpr std::string_view kControlPrefix = "/__emulator";

bool more_specific(const std::vector<int>& a, const std::vector<int>& b) {
  return std::lexicographical_compare(b.begin(), b.end(), a.begin(), a.end());
}

std::string raw_path_of(const httplib::Request& req) {
  const std::string& target = req.target.empty() ? req.path : req.target;
  return target.substr(0, target.find_first_of("?#"));
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// Finds the most specific template among `routes` matching `segments`.
template <typename RouteT>
const RouteT* best_route(const std::vector<RouteT>& routes, const std::vector<std::string>& segments,
                         PathParams* params) {
  const RouteT* best = nullptr;
  for (const auto& route : routes) {
    if (!route.path_template.match(segments, nullptr)) continue;
    if (best == nullptr || more_specific(route.path_template.specificity(), best->path_template.specificity())) {
      best = &route;
    }
  }
  if (best != nullptr && params != nullptr) best->path_template.match(segments, params);
  return best;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
Contracts::Contracts(std::string directory) : directory_(std::move(directory)) {}

const OpenApiChecker& Contracts::checker() {
  if (const OpenApiChecker* ready = ready_.load(std::memory_order_acquire)) return *ready;
  std::lock_guard lock(mutex_);
  if (!checker_ && error_.empty()) {
    try {
      checker_ = OpenApiChecker::load_directory(directory_);
      ready_.store(&*checker_, std::memory_order_release);
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  }
  if (!checker_) throw std::runtime_error("OpenAPI contracts could not be loaded: " + error_);
  return *checker_;
}

std::optional<std::string> UpstreamRequest::param(const std::string& name) const {
  for (const auto& [key, value] : form) {
    if (key == name) return value;
  }
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
Router::Router(Contracts& contracts) : contracts_(contracts) {}

void Router::add_family(const std::string& id, const std::vector<std::string>& prefixes,
                        const std::string& openapi_family) {
  if (id.empty()) throw std::invalid_argument("family id must not be empty");
  for (const auto& family : families_) {
    if (family.id == id) throw std::invalid_argument("family '" + id + "' is already mounted");
    for (const auto& prefix : prefixes) {
      if (std::find(family.prefixes.begin(), family.prefixes.end(), prefix) != family.prefixes.end()) {
        throw std::invalid_argument("prefix '" + prefix + "' is already used by family '" + family.id + "'");
      }
    }
  }
  for (const auto& prefix : prefixes) {
    if (!prefix.empty() && (prefix.front() != '/' || prefix.back() == '/')) {
      throw std::invalid_argument("prefix '" + prefix + "' must be empty or start (and not end) with '/'");
    }
    if (prefix == kControlPrefix) throw std::invalid_argument("prefix /__emulator is reserved for the control API");
  }
  families_.push_back(Family{id, prefixes, openapi_family, {}});
}

void Router::add_route(const std::string& family, const std::string& method, const std::string& path_template,
                       UpstreamHandler handler, RouteOptions options) {
  const auto family_it = std::find_if(families_.begin(), families_.end(), [&](const Family& f) { return f.id == family; });
  if (family_it == families_.end()) throw std::invalid_argument("unknown family '" + family + "'");
  auto& routes = family_it->routes;
  auto route_it = std::find_if(routes.begin(), routes.end(),
                               [&](const Route& r) { return r.path_template.text() == path_template; });
  if (route_it == routes.end()) {
    routes.push_back(Route{PathTemplate(path_template), {}, {}});
    route_it = std::prev(routes.end());
  }
  if (route_it->handlers.count(method) != 0) {
    throw std::invalid_argument("route " + method + " " + path_template + " of family '" + family + "' already exists");
  }
  route_it->handlers.emplace(method, std::move(handler));
  route_it->options.emplace(method, options);
}

Resolution Router::resolve(std::string_view raw_path) const {
  Resolution best;
  bool found = false;
  for (const auto& family : families_) {
    for (const auto& prefix : family.prefixes) {
      const bool matches = prefix.empty() || raw_path == prefix ||
                           (raw_path.size() > prefix.size() && raw_path.compare(0, prefix.size(), prefix) == 0 &&
                            raw_path[prefix.size()] == '/');
      if (!matches) continue;
      if (!found || prefix.size() > best.prefix.size()) {
        best.family = family.id;
        best.prefix = prefix;
        found = true;
      }
    }
  }
  if (found) {
    best.relative_path = std::string(raw_path.substr(best.prefix.size()));
    if (best.relative_path.empty()) best.relative_path = "/";
  } else {
    best.relative_path = std::string(raw_path);
  }
  return best;
}

void Router::dispatch(const httplib::Request& req, httplib::Response& res, const Resolution& where) const {
  const auto family_it =
      std::find_if(families_.begin(), families_.end(), [&](const Family& f) { return f.id == where.family; });
  const std::string decoded_path = url_decode(where.relative_path, false);
  if (family_it == families_.end()) {
    send_json(res, 404, twilio_error_body(404, 20404, not_found_message(decoded_path)));
    return;
  }
  const Family& family = *family_it;
  const std::string method = req.method == "HEAD" ? std::string("GET") : req.method;

  UpstreamRequest upstream{req, family.id, where.relative_path, {}, {}, {}, {}, nullptr};
  upstream.query = parse_form(raw_query(req.target));
  upstream.content_type = media_type(req.get_header_value("Content-Type"));
  if (upstream.content_type == "application/x-www-form-urlencoded") upstream.form = parse_form(req.body);

  const auto segments = split_path(where.relative_path, true);
  const Route* route = best_route(family.routes, segments, &upstream.params);

  const auto send_check_error = [&](const CheckResult& result) {
    send_json(res, result.status, result.error);
    if (result.status == 405) res.set_header("Allow", join(result.allowed_methods, ", "));
  };

  const bool has_handler = route != nullptr && route->handlers.count(method) != 0;
  const bool check = !family.openapi_family.empty() && (!has_handler || route->options.at(method).openapi_check);
  if (check) {
    CheckResult result;
    try {
      const OpenApiChecker& checker = contracts_.checker();
      CheckRequest request{method, where.relative_path, &upstream.query, &upstream.form, upstream.content_type,
                           !req.body.empty()};
      result = checker.check(family.openapi_family, request);
    } catch (const std::exception& e) {
      send_json(res, 500, twilio_error_body(500, 20500, e.what()));
      return;
    }
    if (!result.ok()) {
      send_check_error(result);
      return;
    }
    // The spec accepts the request; the emulator must also serve exactly that spec path.
    if (!has_handler || result.path->path_template.text() != route->path_template.text()) {
      send_json(res, 501,
                twilio_error_body(501, 501,
                                  "flexcore-emulator does not emulate " + result.operation->operation_id + " (" + method +
                                      " " + result.path->path_template.text() + ")"));
      return;
    }
    upstream.operation = result.operation;
  }

  if (route == nullptr) {
    send_json(res, 404, twilio_error_body(404, 20404, not_found_message(decoded_path)));
    return;
  }
  const auto handler = route->handlers.find(method);
  if (handler == route->handlers.end()) {
    std::vector<std::string> allowed;
    for (const auto& [name, fn] : route->handlers) {
      (void)fn;
      allowed.push_back(name);
    }
    send_json(res, 405, twilio_error_body(405, 20004, "Method not allowed"));
    res.set_header("Allow", join(allowed, ", "));
    return;
  }
  handler->second(upstream, res);
}

nlohmann::json Router::describe() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& family : families_) {
    nlohmann::json routes = nlohmann::json::array();
    for (const auto& route : family.routes) {
      for (const auto& [method, fn] : route.handlers) {
        (void)fn;
        routes.push_back(method + " " + route.path_template.text());
      }
    }
    out.push_back({{"id", family.id},
                   {"prefixes", family.prefixes},
                   {"openapi", family.openapi_family.empty() ? nlohmann::json(nullptr) : nlohmann::json(family.openapi_family)},
                   {"routes", routes}});
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
void ControlApi::add(const std::string& method, const std::string& path_template, ControlHandler handler) {
  auto it = std::find_if(routes_.begin(), routes_.end(),
                         [&](const Route& r) { return r.path_template.text() == path_template; });
  if (it == routes_.end()) {
    routes_.push_back(Route{PathTemplate(path_template), {}});
    it = std::prev(routes_.end());
  }
  if (it->handlers.count(method) != 0) {
    throw std::invalid_argument("control route " + method + " " + path_template + " already exists");
  }
  it->handlers.emplace(method, std::move(handler));
}

void ControlApi::dispatch(const httplib::Request& req, httplib::Response& res) const {
  std::string path = raw_path_of(req).substr(kControlPrefix.size());
  if (path.empty()) path = "/";
  PathParams params;
  const Route* route = best_route(routes_, split_path(path, true), &params);
  if (route == nullptr) {
    send_control_error(res, 404, "no control route " + req.method + " " + req.path + " (see tests/emulator/README.md)");
    return;
  }
  const auto handler = route->handlers.find(req.method);
  if (handler == route->handlers.end()) {
    std::vector<std::string> allowed;
    for (const auto& [name, fn] : route->handlers) {
      (void)fn;
      allowed.push_back(name);
    }
    send_control_error(res, 405, "method " + req.method + " not allowed on " + req.path + " (allowed: " + join(allowed, ", ") + ")");
    res.set_header("Allow", join(allowed, ", "));
    return;
  }
  try {
    handler->second(req, res, params);
  } catch (const std::exception& e) {
    send_control_error(res, 500, std::string("control handler failed: ") + e.what());
  }
}

std::vector<std::string> ControlApi::describe() const {
  std::vector<std::string> out;
  for (const auto& route : routes_) {
    for (const auto& [method, fn] : route.handlers) {
      (void)fn;
      out.push_back(method + " " + std::string(kControlPrefix) + route.path_template.text());
    }
  }
  return out;
}

std::optional<nlohmann::json> control_json_body(const httplib::Request& req, httplib::Response& res) {
  if (req.body.empty()) return nlohmann::json::object();
  auto parsed = nlohmann::json::parse(req.body, nullptr, false);
  if (parsed.is_discarded()) {
    send_control_error(res, 400, "body is not valid JSON");
    return std::nullopt;
  }
  if (!parsed.is_object()) {
    send_control_error(res, 400, "body must be a JSON object");
    return std::nullopt;
  }
  return parsed;
}

}  // namespace flexcore::emulator
