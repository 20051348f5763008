#pragma once
/// @file openapi_checker.h
/// Checks requests to a Twilio host against the twilio-oai OpenAPI 3 files vendored in
/// ../shared/contracts/twilio-oai (upstream-contracts.md 0.5): method, path template, path
/// parameter patterns, query parameter names, form-body parameter names and required form
/// parameters. Rejections use the Twilio error bodies the real API answers (section 0.2).
///
/// Each file declares its server (`servers[0].url`); the file's API family is named after that host:
///   https://taskrouter.twilio.com → "taskrouter", https://sync.twilio.com → "sync",
///   https://serverless.twilio.com → "serverless", https://api.twilio.com → "voice" (API 2010),
///   https://flex-api.twilio.com → "flex"; any other host → its first DNS label.

#include "http_util.h"
#include "path_template.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace flexcore::emulator {

/// The family name for a spec's server URL (see the file comment), e.g. "voice" for https://api.twilio.com.
std::string family_for_server_url(std::string_view server_url);

/// One operation (method of a path) as far as the checker needs it.
struct OpenApiOperation {
  /// What an operation's request body is.
  enum class Body { None, Form, Json };

  std::string method;        ///< upper case: GET, POST, DELETE, …
  std::string operation_id;  ///< e.g. "UpdateTask"
  /// Path parameter name → compiled `schema.pattern` (null when the spec gives no pattern).
  std::map<std::string, std::shared_ptr<const std::regex>> path_patterns;
  std::map<std::string, std::string> path_pattern_texts;  ///< the same patterns as written
  std::set<std::string> query_params;                     ///< declared `in: query` names
  Body body = Body::None;
  std::set<std::string> body_params;                      ///< form (or JSON) body property names
  std::vector<std::string> required_body_params;          ///< `required` of the body schema
};

/// One path of a spec with its operations by method.
struct OpenApiPath {
  PathTemplate path_template;
  std::map<std::string, OpenApiOperation> operations;  ///< key: upper-case method
};

/// What the checker is asked about. Parameters are decoded; `form` holds the parsed body when
/// `content_type` is application/x-www-form-urlencoded.
struct CheckRequest {
  std::string_view method;        ///< "GET", "POST", … (case-sensitive, upper case)
  std::string_view path;          ///< path relative to the family (e.g. "/v1/Workspaces/WS…/Tasks"), raw (percent-encoded)
  const Params* query = nullptr;  ///< decoded query parameters (may be null: none)
  const Params* form = nullptr;   ///< decoded form body parameters (may be null: none)
  std::string_view content_type;  ///< the request's media type (lower case, no parameters), empty if no body
  bool has_body = false;          ///< the request carried a non-empty body
};

/// The verdict. `ok()` means the real API would accept the request's shape.
struct CheckResult {
  int status = 0;              ///< 0 when ok, else 400, 404 or 405
  nlohmann::json error;        ///< Twilio error body when !ok()
  const OpenApiPath* path = nullptr;            ///< the matched path (also set for 405 and 400)
  const OpenApiOperation* operation = nullptr;  ///< the matched operation (ok and 400)
  PathParams path_params;                       ///< decoded path parameters of the match
  std::vector<std::string> allowed_methods;     ///< the path's methods (for the Allow header of a 405)

  bool ok() const noexcept { return status == 0; }
};

/// One loaded spec file.
struct ApiSpec {
  std::string family;      ///< e.g. "taskrouter"
  std::string server_url;  ///< e.g. "https://taskrouter.twilio.com"
  std::string file;        ///< file it was loaded from
  std::vector<OpenApiPath> paths;
};

/// The index of every loaded spec, by family. Immutable after loading, so concurrent check() calls
/// are safe.
class OpenApiChecker {
 public:
  /// Loads one spec file. Throws std::runtime_error naming the file and what is wrong with it
  /// (unreadable, not JSON, no servers[0].url, no paths, a family loaded twice, a bad path template).
  void load_file(const std::filesystem::path& file);

  /// Loads every `*.json` file of `directory` in name order. Throws std::runtime_error when the
  /// directory does not exist, holds no `*.json`, or a file fails to load.
  static OpenApiChecker load_directory(const std::filesystem::path& directory);

  /// True when a spec for `family` is loaded.
  bool has_family(std::string_view family) const;
  /// Loaded family names, sorted.
  std::vector<std::string> families() const;
  /// The spec of `family`, or null.
  const ApiSpec* spec(std::string_view family) const;

  /// Checks a request against `family`'s spec:
  /// - no spec for the family, or no template matches the path → 404 code 20404
  ///   ("The requested resource <path> was not found");
  /// - the most specific matching template lacks the method → 405 code 20004 "Method not allowed";
  /// - a path parameter violates its `pattern` → 404 code 20404;
  /// - a form body where the operation takes none of that type → 400 code 20001 naming the content type;
  /// - a query parameter the operation does not declare → 400 code 20001 "Invalid parameter: <Name>";
  /// - a form parameter the operation does not declare → 400 code 20001 "Invalid parameter: <Name>";
  /// - a required form parameter absent → 400 code 20001 "Missing required parameter <Name> in the post body".
  /// 400 bodies carry `details` {"parameter", "in", "operation"}.
  CheckResult check(std::string_view family, const CheckRequest& request) const;

 private:
  std::map<std::string, ApiSpec, std::less<>> specs_;
};

}  // namespace flexcore::emulator
