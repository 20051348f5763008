#include "http/router.h"

#include <regex>
#include <stdexcept>

namespace flexcore::server {

std::optional<std::string> RequestContext::param(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  for (const auto& [key, value] : form) {
    if (key == name) return value;
  }
  if (json.is_object()) {
    const auto it = json.find(std::string(name));
    if (it != json.end()) {
      if (it->is_string()) return it->get<std::string>();
      if (it->is_number() || it->is_boolean()) return it->dump();
    }
  }
  return std::nullopt;
}

void Router::add(Route route) {
  if (route.methods.empty()) throw std::invalid_argument("route " + route.pattern + " has no methods");
  if (!route.handler) throw std::invalid_argument("route " + route.pattern + " has no handler");
  for (const auto& method : route.methods) {
    if (method != "GET" && method != "POST" && method != "PUT" && method != "PATCH" && method != "DELETE") {
      throw std::invalid_argument("route " + route.pattern + ": unsupported method " + method);
    }
  }
  (void)std::regex(route.pattern);  // throws std::regex_error for a bad pattern, at start-up
  if (route.name.empty()) route.name = route.pattern;
  routes_.push_back(std::move(route));
}

void Router::add(std::vector<std::string> methods, std::string path, AuthMode auth, Handler handler,
                 std::vector<std::string> roles) {
  Route route;
  route.methods = std::move(methods);
  route.name = path;
  route.pattern = std::move(path);
  route.auth = auth;
  route.handler = std::move(handler);
  route.roles = std::move(roles);
  add(std::move(route));
}

}  // namespace flexcore::server
