#pragma once
/// @file router.h
/// Routing of the emulator: API families mounted under path prefixes, upstream routes written as
/// OpenAPI path templates (checked against twilio-oai when the family has a spec), and the control
/// API under /__emulator.

#include "http_util.h"
#include "openapi_checker.h"
#include "path_template.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace flexcore::emulator {

/// The twilio-oai specs, loaded once on first use (or up front with preload()). Thread-safe.
class Contracts {
 public:
  /// `directory` holds the twilio-oai `*.json` files.
  explicit Contracts(std::string directory);

  /// The loaded checker. Loads on the first call; throws std::runtime_error (naming the file and the
  /// problem) if loading failed, now or on an earlier call.
  const OpenApiChecker& checker();

  /// Loads now (same errors as checker()).
  void preload() { (void)checker(); }

  /// The directory given at construction.
  const std::string& directory() const noexcept { return directory_; }

 private:
  std::string directory_;
  std::mutex mutex_;
  std::optional<OpenApiChecker> checker_;
  std::atomic<const OpenApiChecker*> ready_{nullptr};  // lock-free fast path once loaded
  std::string error_;
};

/// What an upstream route handler receives.
struct UpstreamRequest {
  const httplib::Request& http;      ///< the raw request (headers, body, method)
  std::string family;                ///< API family id ("iam", "taskrouter", …)
  std::string path;                  ///< path relative to the family prefix, raw (still percent-encoded)
  PathParams params;                 ///< decoded path parameters of the route template
  Params query;                      ///< decoded query parameters in order
  Params form;                       ///< decoded body parameters when the body is form-encoded
  std::string content_type;          ///< media type of the body (lower case, no parameters)
  const OpenApiOperation* operation = nullptr;  ///< the spec operation when the request was checked

  /// First value of query or form parameter `name` (form wins), or nullopt.
  std::optional<std::string> param(const std::string& name) const;
};

/// Handler of an upstream route. Sets the response (status, body, headers).
using UpstreamHandler = std::function<void(const UpstreamRequest&, httplib::Response&)>;

/// Where a request path lands: the family whose prefix is the longest match.
struct Resolution {
  std::string family;         ///< family id, empty when no family matched
  std::string prefix;         ///< the matched prefix ("/iam", or "" for a family mounted at the root)
  std::string relative_path;  ///< raw path with the prefix removed ("/" if nothing is left)
};

/// Upstream routing table. Register everything before the server starts; dispatch is then read-only
/// and safe from many threads.
class Router {
 public:
  /// Options of one route.
  struct RouteOptions {
    /// Check the request against the family's OpenAPI spec before the handler runs (only for
    /// families registered with a spec). Turn off for paths the spec does not describe
    /// (e.g. a Recording's `.mp3` media URL).
    bool openapi_check = true;
  };

  /// `contracts` must outlive the router.
  explicit Router(Contracts& contracts);

  /// Mounts family `id` under every prefix in `prefixes` ("" = the root, so `/v1/…` reaches it).
  /// With `openapi_family` non-empty, requests are checked against that family of the specs
  /// (e.g. "taskrouter"), and unknown paths/methods/parameters are rejected as Twilio does.
  /// Throws std::invalid_argument for a duplicate id or prefix.
  void add_family(const std::string& id, const std::vector<std::string>& prefixes, const std::string& openapi_family = "");

  /// Adds `method` (upper case) on `path_template` (relative to the family's prefixes, OpenAPI syntax)
  /// to family `family`. Throws std::invalid_argument for an unknown family, a bad template or a duplicate.
  void add_route(const std::string& family, const std::string& method, const std::string& path_template,
                 UpstreamHandler handler, RouteOptions options);
  /// Same with default options.
  void add_route(const std::string& family, const std::string& method, const std::string& path_template,
                 UpstreamHandler handler) {
    add_route(family, method, path_template, std::move(handler), RouteOptions{});
  }

  /// The family of a raw request path.
  Resolution resolve(std::string_view raw_path) const;

  /// Answers `req` in its family: the route's handler, or a Twilio error (404 20404 unknown path,
  /// 405 20004 wrong method, 400 20001 spec violations, 501 for a spec operation not emulated,
  /// 500 20500 if the specs cannot be loaded).
  void dispatch(const httplib::Request& req, httplib::Response& res, const Resolution& where) const;

  /// Families and their routes, for GET /__emulator/info.
  nlohmann::json describe() const;

 private:
  struct Route {
    PathTemplate path_template;
    std::map<std::string, UpstreamHandler> handlers;  // by method
    std::map<std::string, RouteOptions> options;      // by method
  };
  struct Family {
    std::string id;
    std::vector<std::string> prefixes;
    std::string openapi_family;
    std::vector<Route> routes;
  };

  Contracts& contracts_;
  std::vector<Family> families_;
};

/// Handler of a control route: the request, the response and the template's path parameters.
using ControlHandler = std::function<void(const httplib::Request&, httplib::Response&, const PathParams&)>;

/// The control API under /__emulator (JSON in, JSON out; errors `{"error": message}`).
class ControlApi {
 public:
  /// Adds `method` on `path_template` relative to /__emulator (e.g. "/faults/{id}").
  /// Throws std::invalid_argument for a bad template or a duplicate.
  void add(const std::string& method, const std::string& path_template, ControlHandler handler);

  /// Answers a request whose path starts with /__emulator: 404/405 `{"error"}` when no route fits,
  /// 500 `{"error"}` when a handler throws.
  void dispatch(const httplib::Request& req, httplib::Response& res) const;

  /// Routes as "METHOD /__emulator/…" strings, for GET /__emulator/info.
  std::vector<std::string> describe() const;

 private:
  struct Route {
    PathTemplate path_template;
    std::map<std::string, ControlHandler> handlers;
  };
  std::vector<Route> routes_;
};

/// Parses the request body as a JSON object for a control route. On failure answers 400
/// `{"error": …}` and returns nullopt. An empty body counts as `{}`.
std::optional<nlohmann::json> control_json_body(const httplib::Request& req, httplib::Response& res);

}  // namespace flexcore::emulator
