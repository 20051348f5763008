#pragma once
/// @file router.h
/// The route table of flexcore-server. Each route names its methods, its path pattern, how it is
/// authenticated and its handler; http/pipeline.h turns the table into httplib handlers with one
/// request pipeline (body limits, strict decoding, CORS, auth, error table, metrics, logs).
/// Feature issues add routes here from their own `register_<feature>_routes(Router&, App&)`.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/flex_token.h"
#include "flexcore/result.h"
#include "http/params.h"
#include "http/reply.h"

namespace httplib {
struct Request;
}

namespace flexcore::server {

/// How a route authenticates its callers (architecture.md "Server: Auth").
enum class AuthMode {
  None,             ///< operations endpoints (/healthz, /readyz, /metrics)
  FlexToken,        ///< browser-facing: `Token` validated against IAM (403 text body on failure)
  TwilioSignature,  ///< Studio / TaskRouter-facing: valid X-Twilio-Signature (403 JSON on failure)
  /// Either: a request carrying an X-Twilio-Signature header is checked as TwilioSignature, any other
  /// as FlexToken (e.g. /identify-user, called by Studio and by the plugin).
  TwilioSignatureOrFlexToken,
};

/// What kind of body a request carried.
enum class BodyKind { None, Form, Json };

/// Everything a handler may read about its request, already decoded and validated.
struct RequestContext {
  const httplib::Request& http;      ///< the raw request (headers, path matches)
  std::string request_id;            ///< X-Request-Id (accepted or generated)
  std::string route;                 ///< the route's name (its documented path)
  std::string method;                ///< GET, POST... (HEAD is served as GET)
  Params query;                      ///< decoded query string parameters
  Params form;                       ///< decoded form body parameters (BodyKind::Form)
  nlohmann::json json;               ///< parsed JSON body (BodyKind::Json), else null
  BodyKind body_kind = BodyKind::None;
  std::string body;                  ///< the raw body bytes
  auth::TokenResultPtr token;        ///< the validated Flex token (AuthMode::FlexToken)

  /// The first value of parameter `name` as Twilio Functions merge them into `event`: the query
  /// string, then the form body, then a top-level JSON body key (strings as is; numbers and
  /// booleans as their JSON text). nullopt when absent or a JSON null/array/object.
  std::optional<std::string> param(std::string_view name) const;
};

/// A route handler: a Reply or an Error (mapped through the one error table).
using Handler = std::function<Result<Reply>(RequestContext&)>;

/// One route.
struct Route {
  std::vector<std::string> methods;  ///< "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string pattern;               ///< path as a std::regex (ECMAScript), matched in full
  std::string name;                  ///< metrics/log label: the documented path (e.g. "/session")
  AuthMode auth = AuthMode::None;
  std::vector<std::string> roles;    ///< FlexToken: at least one of these roles (empty = any user)
  Handler handler;
};

/// The route table. Not thread-safe: fill it before configure_server().
class Router {
 public:
  /// Adds a route. Routes with the same pattern form one path (405 lists their methods).
  void add(Route route);
  /// Shorthand for a path served with one handler for several methods.
  void add(std::vector<std::string> methods, std::string path, AuthMode auth, Handler handler,
           std::vector<std::string> roles = {});
  const std::vector<Route>& routes() const noexcept { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace flexcore::server
