#pragma once
/// @file config.h
/// flexcore-server configuration: command-line flags > environment > `.env` file > defaults
/// (issue 3 item 2; architecture.md "Server"). Every setting is described once in setting_specs(),
/// which drives parsing, validation, `--help`, `--print-config` and server/README.md.
///
/// Environment values that are empty count as unset. Malformed values (a non-numeric port, MIN >
/// MAX backoff, a bad URL, a malformed SID...) are start-up errors naming the variable (exit code 2).
/// Optional features whose settings are missing are reported by Config::require() as NotConfigured
/// (HTTP 503) naming the missing variables. Secrets are never printed: `--print-config` shows
/// "<set>"/"<unset>" for them, and no secret has a command-line flag (they would show in `ps`).

#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "flexcore/result.h"

namespace flexcore::server {

/// Where a setting's value came from.
enum class SettingSource { Default, DotEnv, Environment, Flag };

/// One resolved setting: its final raw value and source.
struct ResolvedSetting {
  std::string value;
  SettingSource source = SettingSource::Default;
};

/// How a setting's raw value is checked.
enum class SettingKind { Text, Secret, Sid, Url, Integer, LogLevel, Host, Origins, Region };

/// The description of one setting (a row of server/README.md's configuration table).
struct SettingSpec {
  std::string_view name;                  ///< primary environment variable name
  std::vector<std::string_view> aliases;  ///< other accepted environment names (seed spellings)
  SettingKind kind = SettingKind::Text;
  std::string_view default_value;         ///< "" = unset; URLs may be computed from TWILIO_REGION
  std::string_view help;                  ///< one line: meaning and unit
  std::string_view sid_prefix;            ///< for SettingKind::Sid: the two-letter type ("AC")
  long long min = 0;                      ///< for SettingKind::Integer
  long long max = 0;                      ///< for SettingKind::Integer
  std::string_view twilio_product;        ///< for Twilio base URLs: host prefix ("taskrouter")

  bool secret() const noexcept { return kind == SettingKind::Secret; }
  /// The command-line flag ("--port" for FLEXCORE_PORT, "--account-sid" for ACCOUNT_SID); empty
  /// for secrets.
  std::string flag() const;
};

/// Every setting, in documentation order.
const std::vector<SettingSpec>& setting_specs();

/// Base URLs of every upstream API (no trailing slash).
struct UpstreamUrls {
  std::string iam;                ///< FLEXCORE_IAM_URL: Twilio IAM (Flex token validation)
  std::string taskrouter;         ///< FLEXCORE_TASKROUTER_URL
  std::string sync;               ///< FLEXCORE_SYNC_URL
  std::string voice;              ///< FLEXCORE_VOICE_URL (api.twilio.com, API 2010)
  std::string serverless;         ///< FLEXCORE_SERVERLESS_URL
  std::string serverless_upload;  ///< FLEXCORE_SERVERLESS_UPLOAD_URL
  std::string flex_api;           ///< FLEXCORE_FLEX_API_URL
  std::string insights;           ///< FLEXCORE_INSIGHTS_URL (GoodData, analytics.ytica.com)
  std::string segment_profiles;   ///< FLEXCORE_SEGMENT_PROFILES_URL
  std::string segment_tracking;   ///< FLEXCORE_SEGMENT_TRACKING_URL
};

/// The validated configuration.
struct Config {
  /// What main() should do.
  enum class Action { Run, Help, Version, PrintConfig };
  Action action = Action::Run;
  std::string output;  ///< text to print for Help / Version / PrintConfig

  // Twilio account (upstream-contracts 0.1, 1.2)
  std::string account_sid;    ///< ACCOUNT_SID / TWILIO_ACCOUNT_SID (AC…)
  std::string auth_token;     ///< AUTH_TOKEN / TWILIO_AUTH_TOKEN (secret)
  std::string api_key;        ///< API_KEY (SK…)
  std::string api_secret;     ///< API_SECRET (secret)
  std::string twilio_region;  ///< TWILIO_REGION ("ie1", "stage-us1"...)

  // Feature settings (all optional; routes answer 503 NotConfigured when theirs are missing)
  std::string analytics_workspace, insights_username, insights_password, insights_report;
  std::chrono::milliseconds insights_poll_budget{8000};  ///< INSIGHTS_POLL_BUDGET_MS: report polling budget
  std::string segment_space_id, segment_personas_key, segment_write_key;
  std::string flex_workspace_sid, flex_callback_workflow_sid;

  // Retry policy (seed-behaviour 6)
  int retry_limit = 5;
  std::chrono::milliseconds min_backoff{100};
  std::chrono::milliseconds max_backoff{300};

  // HTTP server
  std::string host = "127.0.0.1";
  int port = 3000;                   ///< 0 = any free port
  int threads = 64;                  ///< worker threads (one per keep-alive connection)
  std::size_t max_body_bytes = 1U << 20U;
  std::string log_level = "info";
  std::vector<std::string> cors_origins{"https://flex.twilio.com"};  ///< may contain "*"
  std::string public_url;            ///< FLEXCORE_PUBLIC_URL, no trailing slash; "" = from Host
  std::string data_dir = "./data";

  // Upstreams
  UpstreamUrls urls;
  std::chrono::milliseconds upstream_connect_timeout{3000};
  std::chrono::milliseconds upstream_timeout{10000};
  std::size_t token_cache_size = 10000;

  // Hang up by (issue 8)
  int hang_up_by_merge_attempts = 3;            ///< HANG_UP_BY_MERGE_ATTEMPTS: safe-merge rounds (412 retries + 1)
  bool hang_up_by_conference_callback = false;  ///< HANG_UP_BY_CONFERENCE_CALLBACK: serve /voice/conference-status

  /// Every setting's resolved raw value and source, by primary name.
  std::map<std::string, ResolvedSetting, std::less<>> settings;

  /// ok when every setting in `names` (primary names) has a value; otherwise NotConfigured with
  /// the message "not configured: set NAME1, NAME2 (see server/README.md)". Unknown names count
  /// as unset.
  Status require(std::initializer_list<std::string_view> names) const;

  /// True when IAM can be called: ACCOUNT_SID plus AUTH_TOKEN or API_KEY + API_SECRET.
  bool has_account_credentials() const noexcept;

  /// True when "*" is among the CORS origins.
  bool cors_any_origin() const noexcept;
};

/// The default number of worker threads: max(64, 16 × hardware threads).
int default_thread_count() noexcept;

/// Parses flags (argv), the environment (`env`, name → value) and the `.env` file, in that order of
/// precedence, over the defaults. The `.env` file is `--env-file PATH` if given (it must exist),
/// else `default_dotenv_path` if that file exists.
/// Flags: --help, --version, --print-config, --env-file PATH, and one flag per non-secret setting
/// (SettingSpec::flag()).
/// Errors: InvalidArgument naming the flag or variable and what was expected (values of secrets
/// are never echoed); NotFound for a missing --env-file.
Result<Config> parse_config(int argc, const char* const* argv,
                            const std::map<std::string, std::string>& env,
                            const std::string& default_dotenv_path = ".env");

/// The process environment as a map (from `environ`).
std::map<std::string, std::string> current_environment();

/// `--print-config` text: one `NAME=value  (source)` line per setting; secrets as <set>/<unset>.
std::string describe_config(const Config& config);

}  // namespace flexcore::server
