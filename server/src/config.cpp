#include "config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>
#include <thread>

#include <CLI/CLI.hpp>

#include "dotenv.h"
#include "flexcore/sid.h"
#include "flexcore/version.h"

extern char** environ;  // NOLINT: POSIX

namespace flexcore::server {
namespace {

using Kind = SettingKind;

SettingSpec text(std::string_view name, std::string_view help, std::vector<std::string_view> aliases = {}) {
  SettingSpec s;
  s.name = name;
  s.aliases = std::move(aliases);
  s.kind = Kind::Text;
  s.help = help;
  return s;
}
SettingSpec secret(std::string_view name, std::string_view help, std::vector<std::string_view> aliases = {}) {
  SettingSpec s = text(name, help, std::move(aliases));
  s.kind = Kind::Secret;
  return s;
}
SettingSpec sid(std::string_view name, std::string_view prefix, std::string_view help,
                std::vector<std::string_view> aliases = {}) {
  SettingSpec s = text(name, help, std::move(aliases));
  s.kind = Kind::Sid;
  s.sid_prefix = prefix;
  return s;
}
SettingSpec integer(std::string_view name, std::string_view default_value, long long min, long long max,
                    std::string_view help) {
  SettingSpec s = text(name, help);
  s.kind = Kind::Integer;
  s.default_value = default_value;
  s.min = min;
  s.max = max;
  return s;
}
SettingSpec url(std::string_view name, std::string_view default_value, std::string_view help,
                std::string_view twilio_product = {}) {
  SettingSpec s = text(name, help);
  s.kind = Kind::Url;
  s.default_value = default_value;
  s.twilio_product = twilio_product;
  return s;
}
SettingSpec with_kind(SettingSpec s, Kind kind, std::string_view default_value) {
  s.kind = kind;
  s.default_value = default_value;
  return s;
}

std::string_view source_name(SettingSource source) {
  switch (source) {
    case SettingSource::Default: return "default";
    case SettingSource::DotEnv: return ".env";
    case SettingSource::Environment: return "environment";
    case SettingSource::Flag: return "flag";
  }
  return "default";
}

std::string_view trim_ascii(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool has_control_chars(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

Error bad(const SettingSpec& spec, const std::string& what) {
  return Error{ErrorCode::InvalidArgument, std::string(spec.name) + " " + what};
}

/// Checks scheme://host[:port][/path] with no query, fragment or user info; strips one trailing '/'.
Result<std::string> check_url(const SettingSpec& spec, std::string_view value, bool allow_path) {
  std::string_view rest;
  if (value.substr(0, 7) == "http://") {
    rest = value.substr(7);
  } else if (value.substr(0, 8) == "https://") {
    rest = value.substr(8);
  } else {
    return bad(spec, "must be an http:// or https:// URL");
  }
  if (value.find_first_of("?#@ \t\\") != std::string_view::npos) {
    return bad(spec, "must be a base URL without user info, query string or fragment");
  }
  const std::size_t slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos && !allow_path && rest.substr(slash) != "/") {
    return bad(spec, "must be an origin (scheme://host[:port]) without a path");
  }
  std::string_view host = authority;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad(spec, "has an unterminated IPv6 host");
    host = authority.substr(0, close + 1);
    const auto after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return bad(spec, "has text after the IPv6 host");
  } else {
    const std::size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos) host = authority.substr(0, colon);
  }
  if (host.empty()) return bad(spec, "must name a host");
  for (char c : host) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ||
                    c == '_' || c == '[' || c == ']' || c == ':';
    if (!ok) return bad(spec, "has an invalid character in its host");
  }
  if (host.size() < authority.size() && authority[host.size()] == ':') {
    const auto port_text = authority.substr(host.size() + 1);
    int port = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc() || ptr != port_text.data() + port_text.size() ||
        port < 1 || port > 65535) {
      return bad(spec, "has an invalid port (expected 1-65535)");
    }
  }
  std::string out(value);
  while (out.back() == '/') out.pop_back();  // the authority is non-empty and has no '/'
  return out;
}

Result<long long> check_integer(const SettingSpec& spec, std::string_view value) {
  long long number = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (value.empty() || ec != std::errc() || ptr != value.data() + value.size()) {
    return bad(spec, "must be an integer between " + std::to_string(spec.min) + " and " +
                         std::to_string(spec.max));
  }
  if (number < spec.min || number > spec.max) {
    return bad(spec, "must be between " + std::to_string(spec.min) + " and " +
                         std::to_string(spec.max) + ", got " + std::to_string(number));
  }
  return number;
}

Status check_value(const SettingSpec& spec, std::string& value) {
  if (value.empty()) return ok_status();
  if (has_control_chars(value)) return bad(spec, "must not contain control characters");
  switch (spec.kind) {
    case Kind::Text:
    case Kind::Secret:
      return ok_status();
    case Kind::Sid:
      if (!is_valid_sid(value, spec.sid_prefix)) {
        return bad(spec, "must be a SID: \"" + std::string(spec.sid_prefix) +
                             "\" followed by 32 hex digits (34 characters)");
      }
      return ok_status();
    case Kind::Url: {
      auto checked = check_url(spec, value, true);
      if (!checked) return checked.error();
      value = checked.value();
      return ok_status();
    }
    case Kind::Integer: {
      auto checked = check_integer(spec, value);
      if (!checked) return checked.error();
      return ok_status();
    }
    case Kind::LogLevel: {
      static const std::vector<std::string_view> levels = {"trace", "debug", "info", "warn",
                                                           "error", "critical", "off"};
      if (std::find(levels.begin(), levels.end(), value) == levels.end()) {
        return bad(spec, "must be one of trace, debug, info, warn, error, critical, off");
      }
      return ok_status();
    }
    case Kind::Host:
      if (value.find_first_of(" /?#") != std::string::npos) {
        return bad(spec, "must be a host name or IP address");
      }
      return ok_status();
    case Kind::Origins: {
      std::string normalised;
      std::stringstream stream(value);
      std::string item;
      while (std::getline(stream, item, ',')) {
        const std::string origin(trim_ascii(item));
        if (origin.empty()) continue;
        std::string checked_origin = origin;
        if (origin != "*") {
          auto checked = check_url(spec, origin, false);
          if (!checked) {
            return bad(spec, "must be a comma-separated list of origins (scheme://host[:port]) or *");
          }
          checked_origin = checked.value();
          if (checked_origin.back() == '/') checked_origin.pop_back();
        }
        if (!normalised.empty()) normalised += ',';
        normalised += checked_origin;
      }
      value = normalised;
      return ok_status();
    }
    case Kind::Region: {
      bool ok = !value.empty() && value.front() != '-' && value.back() != '-';
      for (char c : value) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) ok = false;
      }
      if (!ok) return bad(spec, "must be a Twilio region such as ie1, au1 or stage-us1 (a-z, 0-9, -)");
      return ok_status();
    }
  }
  return ok_status();
}

/// Default base URL of a Twilio product for TWILIO_REGION (upstream-contracts 0.1 and 1.2).
std::string twilio_default_url(std::string_view product, const std::string& region) {
  if (region.empty()) return "https://" + std::string(product) + ".twilio.com";
  if (product == "iam") {
    // twilio-flex-token-validator: realm = part of TWILIO_REGION before the first '-'.
    return "https://iam." + region.substr(0, region.find('-')) + ".twilio.com";
  }
  return "https://" + std::string(product) + "." + region + ".twilio.com";
}

std::vector<std::string> split_origins(const std::string& value) {
  std::vector<std::string> out;
  std::stringstream stream(value);
  std::string item;
  while (std::getline(stream, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace

std::string SettingSpec::flag() const {
  if (secret()) return {};
  std::string_view base = name;
  if (base.substr(0, 9) == "FLEXCORE_") base.remove_prefix(9);
  std::string out = "--";
  for (char c : base) {
    out += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

const std::vector<SettingSpec>& setting_specs() {
  static const std::vector<SettingSpec> specs = [] {
    std::vector<SettingSpec> s;
    // Twilio account
    s.push_back(sid("ACCOUNT_SID", "AC", "Twilio Account SID (AC…): IAM token validation and every Twilio API",
                    {"TWILIO_ACCOUNT_SID"}));
    s.push_back(secret("AUTH_TOKEN", "Twilio Auth Token: Basic auth for Twilio APIs and the key of X-Twilio-Signature",
                       {"TWILIO_AUTH_TOKEN"}));
    s.push_back(sid("API_KEY", "SK", "Twilio API Key SID (SK…), used with API_SECRET when AUTH_TOKEN is not set"));
    s.push_back(secret("API_SECRET", "Twilio API Key secret (with API_KEY)"));
    s.push_back(with_kind(text("TWILIO_REGION", "Twilio region (ie1, au1, stage-us1…): regional default upstream URLs"),
                          Kind::Region, ""));
    // Features
    s.push_back(text("ANALYTICS_WORKSPACE", "Flex Insights (GoodData) workspace ID: segment lookup"));
    s.push_back(text("INSIGHTS_USERNAME", "Flex Insights user name: segment lookup"));
    s.push_back(secret("INSIGHTS_PASSWORD", "Flex Insights password: segment lookup"));
    s.push_back(text("INSIGHTS_REPORT", "Flex Insights report ID holding task segments: segment lookup"));
    s.push_back(integer("INSIGHTS_POLL_BUDGET_MS", "8000", 0, 600000,
                        "Total time a segment lookup waits for the Insights report export (ms)"));
    s.push_back(text("SEGMENT_SPACE_ID", "Segment Personas space ID: customer context"));
    s.push_back(secret("SEGMENT_PERSONAS_KEY", "Segment Profile API access token: customer context"));
    s.push_back(secret("SEGMENT_WRITE_KEY", "Segment source write key (identify): customer context"));
    s.push_back(sid("TWILIO_FLEX_WORKSPACE_SID", "WS", "TaskRouter Workspace SID (WS…) of Flex"));
    s.push_back(sid("TWILIO_FLEX_CALLBACK_WORKFLOW_SID", "WW", "TaskRouter Workflow SID (WW…) for callback tasks"));
    // Retry policy
    s.push_back(integer("TWILIO_SERVICE_RETRY_LIMIT", "5", 0, 100,
                        "Retries of an upstream call answered 412/429/503 or failing at network level"));
    s.push_back(integer("TWILIO_SERVICE_MIN_BACKOFF", "100", 0, 600000,
                        "Smallest random backoff before retrying a 429/503 (ms)"));
    s.push_back(integer("TWILIO_SERVICE_MAX_BACKOFF", "300", 0, 600000,
                        "Largest random backoff before retrying a 429/503 (ms)"));
    // HTTP server
    s.push_back(with_kind(text("FLEXCORE_HOST", "Address to listen on"), Kind::Host, "127.0.0.1"));
    s.push_back(integer("FLEXCORE_PORT", "3000", 0, 65535, "TCP port to listen on (0 = any free port)"));
    s.push_back(integer("FLEXCORE_THREADS", "", 1, 4096,
                        "Worker threads, one per open keep-alive connection (default max(64, 16 x CPUs))"));
    s.push_back(integer("FLEXCORE_MAX_BODY_BYTES", "1048576", 1, 268435456,
                        "Largest accepted request body (bytes); larger bodies get 413"));
    s.push_back(with_kind(text("FLEXCORE_LOG_LEVEL", "trace, debug, info (one JSON line per request), warn, error, critical, off"),
                          Kind::LogLevel, "info"));
    s.push_back(with_kind(text("FLEXCORE_CORS_ORIGINS", "Comma-separated browser origins allowed by CORS; * allows any"),
                          Kind::Origins, "https://flex.twilio.com"));
    s.push_back(url("FLEXCORE_PUBLIC_URL", "",
                    "Public base URL Twilio calls (behind a proxy); X-Twilio-Signature is checked against it"));
    s.push_back(text("FLEXCORE_DATA_DIR", "Directory for local state (SQLite stores)"));
    s.back().default_value = "./data";
    s.push_back(integer("FLEXCORE_AGENT_EXTENSIONS_SEED_COMPAT", "0", 0, 1,
                        "1 = the Studio lookup answers an unknown extension with the seed's empty 200 instead of 404"));
    // Agent extensions on Twilio Sync (issue 10)
    s.push_back(text("FLEXCORE_EXTENSIONS_STORE", "Agent extensions store: sqlite (one instance) or sync (Twilio Sync, shared by several instances)"));
    s.back().default_value = "sqlite";
    s.push_back(text("FLEXCORE_SYNC_SERVICE", "Sync service of the extensions store: IS… SID or friendly name (created when missing)"));
    s.back().default_value = "flexcore-agent-extensions";
    s.push_back(text("FLEXCORE_EXTENSIONS_SYNC_MAP", "Sync Map of the draft rows (MP… or unique name; created when missing)"));
    s.back().default_value = "AgentExtensionMaps";
    s.push_back(text("FLEXCORE_EXTENSIONS_SYNC_BUILDS_MAP", "Sync Map of the prepared builds (MP… or unique name)"));
    s.back().default_value = "AgentExtensionBuilds";
    s.push_back(text("FLEXCORE_EXTENSIONS_SYNC_DOCUMENT", "Sync Document naming the latest and the deployed build (ET… or unique name)"));
    s.back().default_value = "AgentExtensionsPublished";
    s.push_back(text("FLEXCORE_EXTENSIONS_SYNC_AUDIT_LIST", "Sync List of the audit log (ES… or unique name)"));
    s.back().default_value = "AgentExtensionsAudit";
    s.push_back(integer("FLEXCORE_SYNC_RATE_PER_OBJECT", "20", 1, 20,
                        "Sync store: this instance's reads/s and writes/s per Sync object; Twilio allows 20 per object in all, "
                        "so with N instances set 20/N (e.g. 10 for two)"));
    s.push_back(integer("FLEXCORE_EXTENSIONS_POLL_MS", "1000", 50, 60000,
                        "Sync store: how often each instance re-reads the published document to pick up other instances' publishes (ms)"));
    // Agent extensions: Serverless mirror (issue 10)
    s.push_back(integer("FLEXCORE_PUBLISH_ASSET", "0", 0, 1,
                        "1 = /admin/publish also uploads, builds and deploys the set as the Serverless asset TWILIO_ASSET_NAME"));
    s.push_back(text("TWILIO_SERVICE_SID", "Serverless Service (ZS… or unique name) holding the extensions asset", {"SERVICE_SID"}));
    s.push_back(sid("TWILIO_ENVIRONMENT_SID", "ZE", "Serverless Environment SID (ZE…) the mirror deploys to", {"ENVIRONMENT_SID"}));
    s.push_back(text("TWILIO_ASSET_NAME", "Path (and friendly name) of the private extensions asset"));
    s.back().default_value = "/extensions.json";
    s.push_back(integer("FLEXCORE_SERVERLESS_BUILD_POLL_MS", "1000", 0, 60000,
                        "Delay between Serverless build status polls of a mirrored publish (ms)"));
    s.push_back(integer("FLEXCORE_SERVERLESS_BUILD_POLLS", "300", 1, 100000,
                        "Most build status polls of a mirrored publish before it fails with 504"));
    // Upstream base URLs
    s.push_back(url("FLEXCORE_IAM_URL", "", "Twilio IAM base URL (Flex token validation)", "iam"));
    s.push_back(url("FLEXCORE_TASKROUTER_URL", "", "TaskRouter API base URL", "taskrouter"));
    s.push_back(url("FLEXCORE_SYNC_URL", "", "Sync API base URL", "sync"));
    s.push_back(url("FLEXCORE_VOICE_URL", "", "Voice / API 2010 base URL", "api"));
    s.push_back(url("FLEXCORE_SERVERLESS_URL", "", "Serverless API base URL", "serverless"));
    s.push_back(url("FLEXCORE_SERVERLESS_UPLOAD_URL", "", "Serverless upload base URL", "serverless-upload"));
    s.push_back(url("FLEXCORE_FLEX_API_URL", "", "Flex API base URL", "flex-api"));
    s.push_back(url("FLEXCORE_INSIGHTS_URL", "https://analytics.ytica.com", "Flex Insights (GoodData) base URL"));
    s.push_back(url("FLEXCORE_SEGMENT_PROFILES_URL", "https://profiles.segment.com", "Segment Profile API base URL"));
    s.push_back(url("FLEXCORE_SEGMENT_TRACKING_URL", "https://api.segment.io", "Segment Tracking API base URL"));
    s.push_back(integer("FLEXCORE_UPSTREAM_CONNECT_TIMEOUT_MS", "3000", 1, 600000,
                        "Connect timeout of every upstream call (ms)"));
    s.push_back(integer("FLEXCORE_UPSTREAM_TIMEOUT_MS", "10000", 1, 600000,
                        "Total timeout of every upstream attempt (ms)"));
    s.push_back(integer("FLEXCORE_TOKEN_CACHE_SIZE", "10000", 1, 10000000,
                        "Most Flex token validation results kept in the cache (LRU)"));
    // Hang up by (issue 8)
    s.push_back(integer("HANG_UP_BY_MERGE_ATTEMPTS", "3", 1, 20,
                        "Hang up by: rounds of fetch task + ETag / write with If-Match before a 412 race is a 500"));
    s.push_back(integer("HANG_UP_BY_CONFERENCE_CALLBACK", "0", 0, 1,
                        "Hang up by: 1 = also accept conference status callbacks on POST /voice/conference-status"));
    return s;
  }();
  return specs;
}

int default_thread_count() noexcept {
  const unsigned hw = std::thread::hardware_concurrency();
  return static_cast<int>(std::max(64U, 16U * (hw == 0 ? 1U : hw)));
}

Status Config::require(std::initializer_list<std::string_view> names) const {
  std::string missing;
  for (const auto name : names) {
    const auto found = settings.find(name);
    if (found == settings.end() || found->second.value.empty()) {
      if (!missing.empty()) missing += ", ";
      missing += name;
    }
  }
  if (missing.empty()) return ok_status();
  return Error{ErrorCode::NotConfigured, "not configured: set " + missing + " (see server/README.md)"};
}

bool Config::has_account_credentials() const noexcept {
  return !account_sid.empty() && (!auth_token.empty() || (!api_key.empty() && !api_secret.empty()));
}

bool Config::cors_any_origin() const noexcept {
  return std::find(cors_origins.begin(), cors_origins.end(), "*") != cors_origins.end();
}

std::map<std::string, std::string> current_environment() {
  std::map<std::string, std::string> out;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view item(*entry);
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace(std::string(item.substr(0, eq)), std::string(item.substr(eq + 1)));
  }
  return out;
}

Result<Config> parse_config(int argc, const char* const* argv,
                            const std::map<std::string, std::string>& env,
                            const std::string& default_dotenv_path) {
  const auto& specs = setting_specs();
  Config config;

  // 1. Flags.
  CLI::App cli{"flexcore-server: the Twilio Flex back end of flexcore (replaces the seeds' Serverless functions).\n"
               "Every flag has an environment variable (shown in brackets); precedence: flags > environment > .env > defaults.\n"
               "Secrets (AUTH_TOKEN, API_SECRET, INSIGHTS_PASSWORD, SEGMENT_*_KEY) are read from the environment or .env only.",
               "flexcore-server"};
  cli.set_help_flag("-h,--help", "Print this help and exit");
  bool want_version = false;
  bool want_print = false;
  std::string env_file;
  cli.add_flag("--version", want_version, "Print the version and exit");
  cli.add_flag("--print-config", want_print, "Print the resolved configuration (secrets as <set>/<unset>) and exit");
  cli.add_option("--env-file", env_file, "Read settings from this .env file (default: ./.env if present)");
  std::map<std::string, std::string> flag_values;
  std::map<std::string, CLI::Option*> flag_options;
  for (const auto& spec : specs) {
    const std::string flag = spec.flag();
    if (flag.empty()) continue;
    std::string description = std::string(spec.help) + " [" + std::string(spec.name) + "]";
    if (!spec.default_value.empty()) description += " (default " + std::string(spec.default_value) + ")";
    flag_options[std::string(spec.name)] =
        cli.add_option(flag, flag_values[std::string(spec.name)], description)->type_name("VALUE");
  }
  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    config.action = Config::Action::Help;
    config.output = cli.help();
    return config;
  } catch (const CLI::ParseError& error) {
    return Error{ErrorCode::InvalidArgument, std::string("command line: ") + error.what() +
                                                 " (run flexcore-server --help)"};
  }
  if (want_version) {
    config.action = Config::Action::Version;
    config.output = "flexcore-server " + std::string(flexcore::version()) + "\n";
    return config;
  }

  // 2. The .env file.
  std::map<std::string, std::string> dotenv;
  if (!env_file.empty()) {
    auto loaded = load_dotenv(env_file);
    if (!loaded) return loaded.error();
    dotenv = std::move(loaded).value();
  } else if (!default_dotenv_path.empty()) {
    auto loaded = load_dotenv(default_dotenv_path);
    if (loaded) {
      dotenv = std::move(loaded).value();
    } else if (loaded.error().code != ErrorCode::NotFound) {
      return loaded.error();
    }
  }

  // 3. Resolve every setting: flag > environment > .env > default.
  auto lookup = [](const std::map<std::string, std::string>& source, const SettingSpec& spec)
      -> const std::string* {
    auto found = source.find(std::string(spec.name));
    if (found != source.end() && !trim_ascii(found->second).empty()) return &found->second;
    for (const auto alias : spec.aliases) {
      found = source.find(std::string(alias));
      if (found != source.end() && !trim_ascii(found->second).empty()) return &found->second;
    }
    return nullptr;
  };
  for (const auto& spec : specs) {
    ResolvedSetting resolved;
    const auto option = flag_options.find(std::string(spec.name));
    if (option != flag_options.end() && option->second->count() > 0) {
      resolved = {flag_values[std::string(spec.name)], SettingSource::Flag};
    } else if (const auto* value = lookup(env, spec)) {
      resolved = {*value, SettingSource::Environment};
    } else if (const auto* dot = lookup(dotenv, spec)) {
      resolved = {*dot, SettingSource::DotEnv};
    } else {
      resolved = {std::string(spec.default_value), SettingSource::Default};
    }
    resolved.value = std::string(trim_ascii(resolved.value));
    if (resolved.source == SettingSource::Flag && resolved.value.empty() &&
        spec.kind != SettingKind::Text && spec.kind != SettingKind::Url) {
      return bad(spec, "(" + spec.flag() + ") must not be empty");
    }
    config.settings[std::string(spec.name)] = std::move(resolved);
  }

  // Region-dependent defaults of the Twilio base URLs.
  auto region_value = config.settings["TWILIO_REGION"].value;
  for (const auto& spec : specs) {
    if (spec.kind != SettingKind::Region) continue;
    if (auto status = check_value(spec, region_value); !status) return status.error();
  }
  for (const auto& spec : specs) {
    auto& resolved = config.settings[std::string(spec.name)];
    if (!spec.twilio_product.empty() && resolved.source == SettingSource::Default) {
      resolved.value = twilio_default_url(spec.twilio_product, region_value);
    }
  }

  // 4. Validate.
  for (const auto& spec : specs) {
    auto& resolved = config.settings[std::string(spec.name)];
    if (auto status = check_value(spec, resolved.value); !status) return status.error();
  }

  const auto& s = config.settings;
  auto value = [&](std::string_view name) -> const std::string& { return s.find(name)->second.value; };
  auto number = [&](std::string_view name) -> long long {
    const auto& text = value(name);
    long long out = 0;
    std::from_chars(text.data(), text.data() + text.size(), out);
    return out;
  };

  config.account_sid = value("ACCOUNT_SID");
  config.auth_token = value("AUTH_TOKEN");
  config.api_key = value("API_KEY");
  config.api_secret = value("API_SECRET");
  config.twilio_region = value("TWILIO_REGION");
  if (config.api_key.empty() != config.api_secret.empty()) {
    return Error{ErrorCode::InvalidArgument,
                 "API_KEY and API_SECRET must be set together (one of them is missing)"};
  }
  config.analytics_workspace = value("ANALYTICS_WORKSPACE");
  config.insights_username = value("INSIGHTS_USERNAME");
  config.insights_password = value("INSIGHTS_PASSWORD");
  config.insights_report = value("INSIGHTS_REPORT");
  config.insights_poll_budget = std::chrono::milliseconds(number("INSIGHTS_POLL_BUDGET_MS"));
  config.segment_space_id = value("SEGMENT_SPACE_ID");
  config.segment_personas_key = value("SEGMENT_PERSONAS_KEY");
  config.segment_write_key = value("SEGMENT_WRITE_KEY");
  config.flex_workspace_sid = value("TWILIO_FLEX_WORKSPACE_SID");
  config.flex_callback_workflow_sid = value("TWILIO_FLEX_CALLBACK_WORKFLOW_SID");

  config.retry_limit = static_cast<int>(number("TWILIO_SERVICE_RETRY_LIMIT"));
  config.min_backoff = std::chrono::milliseconds(number("TWILIO_SERVICE_MIN_BACKOFF"));
  config.max_backoff = std::chrono::milliseconds(number("TWILIO_SERVICE_MAX_BACKOFF"));
  if (config.min_backoff > config.max_backoff) {
    return Error{ErrorCode::InvalidArgument,
                 "TWILIO_SERVICE_MIN_BACKOFF (" + std::to_string(config.min_backoff.count()) +
                     " ms) must not exceed TWILIO_SERVICE_MAX_BACKOFF (" +
                     std::to_string(config.max_backoff.count()) + " ms)"};
  }

  config.host = value("FLEXCORE_HOST");
  if (config.host.empty()) return Error{ErrorCode::InvalidArgument, "FLEXCORE_HOST must not be empty"};
  config.port = static_cast<int>(number("FLEXCORE_PORT"));
  config.threads = value("FLEXCORE_THREADS").empty() ? default_thread_count()
                                                     : static_cast<int>(number("FLEXCORE_THREADS"));
  config.max_body_bytes = static_cast<std::size_t>(number("FLEXCORE_MAX_BODY_BYTES"));
  config.log_level = value("FLEXCORE_LOG_LEVEL");
  config.cors_origins = split_origins(value("FLEXCORE_CORS_ORIGINS"));
  config.public_url = value("FLEXCORE_PUBLIC_URL");
  while (!config.public_url.empty() && config.public_url.back() == '/') config.public_url.pop_back();
  config.data_dir = value("FLEXCORE_DATA_DIR");
  if (config.data_dir.empty()) config.data_dir = "./data";

  auto base = [&](std::string_view name) {
    std::string url_value = value(name);
    while (!url_value.empty() && url_value.back() == '/') url_value.pop_back();
    return url_value;
  };
  config.urls.iam = base("FLEXCORE_IAM_URL");
  config.urls.taskrouter = base("FLEXCORE_TASKROUTER_URL");
  config.urls.sync = base("FLEXCORE_SYNC_URL");
  config.urls.voice = base("FLEXCORE_VOICE_URL");
  config.urls.serverless = base("FLEXCORE_SERVERLESS_URL");
  config.urls.serverless_upload = base("FLEXCORE_SERVERLESS_UPLOAD_URL");
  config.urls.flex_api = base("FLEXCORE_FLEX_API_URL");
  config.urls.insights = base("FLEXCORE_INSIGHTS_URL");
  config.urls.segment_profiles = base("FLEXCORE_SEGMENT_PROFILES_URL");
  config.urls.segment_tracking = base("FLEXCORE_SEGMENT_TRACKING_URL");
  config.upstream_connect_timeout = std::chrono::milliseconds(number("FLEXCORE_UPSTREAM_CONNECT_TIMEOUT_MS"));
  config.upstream_timeout = std::chrono::milliseconds(number("FLEXCORE_UPSTREAM_TIMEOUT_MS"));
  config.token_cache_size = static_cast<std::size_t>(number("FLEXCORE_TOKEN_CACHE_SIZE"));
  config.hang_up_by_merge_attempts = static_cast<int>(number("HANG_UP_BY_MERGE_ATTEMPTS"));
  config.hang_up_by_conference_callback = number("HANG_UP_BY_CONFERENCE_CALLBACK") == 1;
  if (value("FLEXCORE_EXTENSIONS_STORE") != "sqlite" && value("FLEXCORE_EXTENSIONS_STORE") != "sync") {
    return Error{ErrorCode::InvalidArgument, "FLEXCORE_EXTENSIONS_STORE must be \"sqlite\" or \"sync\", got \"" +
                                                 value("FLEXCORE_EXTENSIONS_STORE").substr(0, 64) + "\""};
  }

  if (want_print) {
    config.action = Config::Action::PrintConfig;
    config.output = describe_config(config);
  }
  return config;
}

std::string describe_config(const Config& config) {
  std::string out;
  for (const auto& spec : setting_specs()) {
    const auto found = config.settings.find(spec.name);
    const ResolvedSetting empty;
    const ResolvedSetting& resolved = found == config.settings.end() ? empty : found->second;
    std::string shown;
    if (spec.secret()) {
      shown = resolved.value.empty() ? "<unset>" : "<set>";
    } else if (spec.name == "FLEXCORE_THREADS" && resolved.value.empty()) {
      shown = std::to_string(config.threads) + " (auto)";
    } else {
      shown = resolved.value.empty() ? "<unset>" : resolved.value;
    }
    out += std::string(spec.name) + "=" + shown + "  (" + std::string(source_name(resolved.source)) + ")\n";
  }
  return out;
}

}  // namespace flexcore::server
