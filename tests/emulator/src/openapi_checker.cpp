#include "openapi_checker.h"

#include "twilio_error.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace flexcore::emulator {
namespace {

constexpr std::string_view kFormType = "application/x-www-form-urlencoded";

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// Resolves a local `$ref` ("#/components/schemas/x") against the document; returns the node itself
// when it has no $ref. Throws std::runtime_error for refs it cannot follow.
const nlohmann::json& resolve(const nlohmann::json& document, const nlohmann::json& node) {
  const nlohmann::json* current = &node;
  for (int depth = 0; depth < 16; ++depth) {
    if (!current->is_object() || !current->contains("$ref")) return *current;
    const auto& ref = (*current)["$ref"];
    if (!ref.is_string() || ref.get<std::string>().rfind("#/", 0) != 0) {
      throw std::runtime_error("unsupported $ref " + ref.dump());
    }
    try {
      current = &document.at(nlohmann::json::json_pointer(ref.get<std::string>().substr(1)));
    } catch (const nlohmann::json::exception&) {
      throw std::runtime_error("dangling $ref " + ref.get<std::string>());
    }
  }
  throw std::runtime_error("$ref chain too deep");
}

class RegexCache {
 public:
  std::shared_ptr<const std::regex> get(const std::string& pattern) {
    auto it = cache_.find(pattern);
    if (it != cache_.end()) return it->second;
    std::shared_ptr<const std::regex> compiled;
    try {
      compiled = std::make_shared<const std::regex>(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      throw std::runtime_error("pattern '" + pattern + "' does not compile: " + e.what());
    }
    cache_.emplace(pattern, compiled);
    return compiled;
  }

 private:
  std::map<std::string, std::shared_ptr<const std::regex>> cache_;
};

void add_parameter(const nlohmann::json& document, const nlohmann::json& raw, OpenApiOperation& op, RegexCache& regexes) {
  const auto& parameter = resolve(document, raw);
  const std::string name = parameter.at("name").get<std::string>();
  const std::string in = parameter.at("in").get<std::string>();
  if (in == "path") {
    std::shared_ptr<const std::regex> pattern;
    if (parameter.contains("schema")) {
      const auto& schema = resolve(document, parameter["schema"]);
      if (schema.contains("pattern") && schema["pattern"].is_string()) {
        const std::string text = schema["pattern"].get<std::string>();
        pattern = regexes.get(text);
        op.path_pattern_texts[name] = text;
      }
    }
    op.path_patterns[name] = pattern;
  } else if (in == "query") {
    op.query_params.insert(name);
  }
  // header and cookie parameters (If-Match, …) are not checked.
}

OpenApiOperation parse_operation(const nlohmann::json& document, std::string_view method, const nlohmann::json& raw_op,
                                 const nlohmann::json* path_parameters, RegexCache& regexes) {
  OpenApiOperation op;
  op.method = upper(method);
  op.operation_id = raw_op.value("operationId", "");
  if (path_parameters != nullptr && path_parameters->is_array()) {
    for (const auto& parameter : *path_parameters) add_parameter(document, parameter, op, regexes);
  }
  if (raw_op.contains("parameters")) {
    for (const auto& parameter : raw_op["parameters"]) add_parameter(document, parameter, op, regexes);
  }
  if (raw_op.contains("requestBody")) {
    const auto& body = resolve(document, raw_op["requestBody"]);
    const auto& content = body.at("content");
    const nlohmann::json* schema = nullptr;
    if (content.contains(std::string(kFormType))) {
      op.body = OpenApiOperation::Body::Form;
      schema = &content[std::string(kFormType)].at("schema");
    } else if (content.contains("application/json")) {
      op.body = OpenApiOperation::Body::Json;
      schema = &content["application/json"].at("schema");
    }
    if (schema != nullptr) {
      const auto& resolved = resolve(document, *schema);
      if (resolved.contains("properties")) {
        for (const auto& [name, value] : resolved["properties"].items()) {
          (void)value;
          op.body_params.insert(name);
        }
      }
      if (resolved.contains("required")) {
        for (const auto& name : resolved["required"]) op.required_body_params.push_back(name.get<std::string>());
      }
    }
  }
  return op;
}

bool more_specific(const std::vector<int>& a, const std::vector<int>& b) {
  return std::lexicographical_compare(b.begin(), b.end(), a.begin(), a.end());
}

nlohmann::json parameter_details(std::string_view name, std::string_view in, const OpenApiOperation& op) {
  return nlohmann::json{{"parameter", std::string(name)}, {"in", std::string(in)}, {"operation", op.operation_id}};
}

}  // namespace

std::string family_for_server_url(std::string_view server_url) {
  std::string_view host = server_url;
  const auto scheme = host.find("://");
  if (scheme != std::string_view::npos) host.remove_prefix(scheme + 3);
  host = host.substr(0, host.find_first_of("/:?#"));
  const std::string lowered = to_lower(host);
  if (lowered == "taskrouter.twilio.com") return "taskrouter";
  if (lowered == "sync.twilio.com") return "sync";
  if (lowered == "serverless.twilio.com") return "serverless";
  if (lowered == "api.twilio.com") return "voice";
  if (lowered == "flex-api.twilio.com") return "flex";
  return lowered.substr(0, lowered.find('.'));
}

void OpenApiChecker::load_file(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(name + ": cannot be read");
  std::stringstream buffer;
  buffer << in.rdbuf();
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(buffer.str());
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(name + ": not JSON: " + e.what());
  }
  try {
    if (!document.is_object() || !document.contains("servers") || !document["servers"].is_array() ||
        document["servers"].empty() || !document["servers"][0].contains("url")) {
      throw std::runtime_error("no servers[0].url");
    }
    if (!document.contains("paths") || !document["paths"].is_object() || document["paths"].empty()) {
      throw std::runtime_error("no paths");
    }
    ApiSpec spec;
    spec.server_url = document["servers"][0]["url"].get<std::string>();
    spec.family = family_for_server_url(spec.server_url);
    spec.file = name;
    if (specs_.count(spec.family) != 0) {
      throw std::runtime_error("family '" + spec.family + "' already loaded from " + specs_.find(spec.family)->second.file);
    }
    RegexCache regexes;
    static constexpr std::string_view kMethods[] = {"get", "post", "put", "delete", "patch", "head", "options"};
    for (const auto& [path_text, item] : document["paths"].items()) {
      OpenApiPath path{PathTemplate(path_text), {}};
      const nlohmann::json* path_parameters = item.contains("parameters") ? &item["parameters"] : nullptr;
      for (const auto method : kMethods) {
        const std::string key(method);
        if (!item.contains(key)) continue;
        path.operations.emplace(upper(method), parse_operation(document, method, item[key], path_parameters, regexes));
      }
      spec.paths.push_back(std::move(path));
    }
    specs_.emplace(spec.family, std::move(spec));
  } catch (const std::exception& e) {
    throw std::runtime_error(name + ": " + e.what());
  }
}

OpenApiChecker OpenApiChecker::load_directory(const std::filesystem::path& directory) {
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec)) {
    throw std::runtime_error(directory.string() + ": not a directory");
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  if (ec) throw std::runtime_error(directory.string() + ": " + ec.message());
  if (files.empty()) throw std::runtime_error(directory.string() + ": holds no *.json OpenAPI file");
  std::sort(files.begin(), files.end());
  OpenApiChecker checker;
  for (const auto& file : files) checker.load_file(file);
  return checker;
}

bool OpenApiChecker::has_family(std::string_view family) const { return specs_.find(family) != specs_.end(); }

std::vector<std::string> OpenApiChecker::families() const {
  std::vector<std::string> out;
  for (const auto& [family, spec] : specs_) {
    (void)spec;
    out.push_back(family);
  }
  return out;
}

const ApiSpec* OpenApiChecker::spec(std::string_view family) const {
  const auto it = specs_.find(family);
  return it == specs_.end() ? nullptr : &it->second;
}

CheckResult OpenApiChecker::check(std::string_view family, const CheckRequest& request) const {
  CheckResult result;
  const auto not_found = [&]() {
    result.status = 404;
    result.error = twilio_error_body(404, 20404, not_found_message(url_decode(request.path, false)));
    return result;
  };
  const ApiSpec* api = spec(family);
  if (api == nullptr) return not_found();

  const auto segments = split_path(request.path, true);
  const OpenApiPath* best = nullptr;
  for (const auto& candidate : api->paths) {
    if (candidate.path_template.segment_count() != segments.size()) continue;
    if (!candidate.path_template.match(segments, nullptr)) continue;
    if (best == nullptr || more_specific(candidate.path_template.specificity(), best->path_template.specificity())) {
      best = &candidate;
    }
  }
  if (best == nullptr) return not_found();
  result.path = best;
  best->path_template.match(segments, &result.path_params);
  for (const auto& [method, op] : best->operations) {
    (void)op;
    result.allowed_methods.push_back(method);
  }

  const auto op_it = best->operations.find(std::string(request.method));
  if (op_it == best->operations.end()) {
    result.status = 405;
    result.error = twilio_error_body(405, 20004, "Method not allowed");
    return result;
  }
  const OpenApiOperation& op = op_it->second;
  result.operation = &op;

  for (const auto& [name, pattern] : op.path_patterns) {
    if (!pattern) continue;
    const auto value = result.path_params.find(name);
    if (value == result.path_params.end() || !std::regex_match(value->second, *pattern)) {
      result.operation = nullptr;
      return not_found();
    }
  }

  const auto invalid = [&](std::string message, std::string_view name, std::string_view in) {
    result.status = 400;
    result.error = twilio_error_body(400, 20001, message, parameter_details(name, in, op));
    return result;
  };

  const bool form_body = request.content_type == kFormType;
  if (request.has_body && op.body == OpenApiOperation::Body::Form && !form_body) {
    return invalid("Invalid Content-Type '" + std::string(request.content_type) + "': " + op.operation_id +
                       " takes an application/x-www-form-urlencoded body",
                   "Content-Type", "header");
  }
  if (request.query != nullptr) {
    for (const auto& [name, value] : *request.query) {
      (void)value;
      if (op.query_params.count(name) == 0) return invalid("Invalid parameter: " + name, name, "query");
    }
  }
  if (op.body == OpenApiOperation::Body::Form) {
    if (request.form != nullptr && form_body) {
      for (const auto& [name, value] : *request.form) {
        (void)value;
        if (op.body_params.count(name) == 0) return invalid("Invalid parameter: " + name, name, "body");
      }
    }
    for (const auto& required : op.required_body_params) {
      const bool present = request.form != nullptr && form_body &&
                           std::any_of(request.form->begin(), request.form->end(),
                                       [&](const Param& p) { return p.first == required; });
      if (!present) return invalid("Missing required parameter " + required + " in the post body", required, "body");
    }
  }
  return result;
}

}  // namespace flexcore::emulator
