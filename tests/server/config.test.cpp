#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <unistd.h>

#include "config.h"
#include "dotenv.h"
#include "flexcore/version.h"

using namespace flexcore;
using namespace flexcore::server;

namespace {
const std::string kAccount = "AC0123456789abcdef0123456789abcdef";

Result<Config> parse(std::vector<std::string> args, std::map<std::string, std::string> env = {},
                     const std::string& dotenv = "") {
  std::vector<const char*> argv = {"flexcore-server"};
  for (const auto& arg : args) argv.push_back(arg.c_str());
  return parse_config(static_cast<int>(argv.size()), argv.data(), env, dotenv);
}

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& content) {
    char name[] = "/tmp/flexcore-env-XXXXXX";
    const int fd = mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    path = name;
    std::ofstream(path) << content;
  }
  ~TempFile() { std::remove(path.c_str()); }
};
}  // namespace

TEST_CASE("defaults apply when nothing is configured", "[server][config]") {
  auto config = parse({});
  REQUIRE(config.ok());
  const Config& c = config.value();
  CHECK(c.action == Config::Action::Run);
  CHECK(c.host == "127.0.0.1");
  CHECK(c.port == 3000);
  CHECK(c.threads >= 64);
  CHECK(c.max_body_bytes == 1048576);
  CHECK(c.retry_limit == 5);
  CHECK(c.min_backoff == std::chrono::milliseconds(100));
  CHECK(c.max_backoff == std::chrono::milliseconds(300));
  CHECK(c.cors_origins == std::vector<std::string>{"https://flex.twilio.com"});
  CHECK(c.urls.iam == "https://iam.twilio.com");
  CHECK(c.urls.taskrouter == "https://taskrouter.twilio.com");
  CHECK(c.urls.voice == "https://api.twilio.com");
  CHECK(c.urls.insights == "https://analytics.ytica.com");
  CHECK(c.urls.segment_profiles == "https://profiles.segment.com");
  CHECK(c.urls.segment_tracking == "https://api.segment.io");
  CHECK(c.upstream_connect_timeout == std::chrono::milliseconds(3000));
  CHECK(c.upstream_timeout == std::chrono::milliseconds(10000));
  CHECK(c.token_cache_size == 10000);
  CHECK(c.data_dir == "./data");
  CHECK_FALSE(c.has_account_credentials());
  CHECK(c.settings.at("FLEXCORE_PORT").source == SettingSource::Default);
}

TEST_CASE("flags beat the environment, which beats the .env file, which beats defaults", "[server][config]") {
  TempFile dotenv("FLEXCORE_PORT=4000\nFLEXCORE_HOST=0.0.0.0\nFLEXCORE_LOG_LEVEL=debug\nTWILIO_SERVICE_RETRY_LIMIT=2\n");
  auto config = parse({"--port", "5000", "--env-file", dotenv.path},
                      {{"FLEXCORE_PORT", "4500"}, {"FLEXCORE_HOST", "127.0.0.2"}});
  REQUIRE(config.ok());
  CHECK(config.value().port == 5000);
  CHECK(config.value().settings.at("FLEXCORE_PORT").source == SettingSource::Flag);
  CHECK(config.value().host == "127.0.0.2");
  CHECK(config.value().settings.at("FLEXCORE_HOST").source == SettingSource::Environment);
  CHECK(config.value().log_level == "debug");
  CHECK(config.value().settings.at("FLEXCORE_LOG_LEVEL").source == SettingSource::DotEnv);
  CHECK(config.value().retry_limit == 2);
}

TEST_CASE("the default .env path is optional but an explicit --env-file must exist", "[server][config]") {
  CHECK(parse({}, {}, "/nonexistent/.env").ok());
  auto missing = parse({"--env-file", "/nonexistent/.env"});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::NotFound);
  CHECK_THAT(missing.error().message, Catch::Contains("/nonexistent/.env"));
}

TEST_CASE("the seeds' variable names and their TWILIO_ aliases are read", "[server][config]") {
  auto config = parse({}, {{"TWILIO_ACCOUNT_SID", kAccount}, {"TWILIO_AUTH_TOKEN", "secret-token"},
                           {"ANALYTICS_WORKSPACE", "ws-1"}, {"TWILIO_SERVICE_MIN_BACKOFF", "5"},
                           {"TWILIO_SERVICE_MAX_BACKOFF", "7"}});
  REQUIRE(config.ok());
  CHECK(config.value().account_sid == kAccount);
  CHECK(config.value().auth_token == "secret-token");
  CHECK(config.value().has_account_credentials());
  CHECK(config.value().analytics_workspace == "ws-1");
  CHECK(config.value().min_backoff == std::chrono::milliseconds(5));
  CHECK(config.value().max_backoff == std::chrono::milliseconds(7));
  SECTION("the primary name wins over the alias") {
    auto both = parse({}, {{"ACCOUNT_SID", kAccount}, {"TWILIO_ACCOUNT_SID", "ACffffffffffffffffffffffffffffffff"}});
    REQUIRE(both.ok());
    CHECK(both.value().account_sid == kAccount);
  }
  SECTION("empty values count as unset") {
    auto empty = parse({}, {{"FLEXCORE_PORT", ""}, {"ACCOUNT_SID", "  "}});
    REQUIRE(empty.ok());
    CHECK(empty.value().port == 3000);
    CHECK(empty.value().account_sid.empty());
  }
  SECTION("API key credentials count as account credentials") {
    auto keys = parse({}, {{"ACCOUNT_SID", kAccount}, {"API_KEY", "SK0123456789abcdef0123456789abcdef"},
                           {"API_SECRET", "s"}});
    REQUIRE(keys.ok());
    CHECK(keys.value().has_account_credentials());
  }
}

TEST_CASE("malformed settings are start-up errors naming the variable", "[server][config]") {
  struct Case {
    std::map<std::string, std::string> env;
    std::string names;
  };
  const std::vector<Case> cases = {
      {{{"FLEXCORE_PORT", "http"}}, "FLEXCORE_PORT"},
      {{{"FLEXCORE_PORT", "70000"}}, "FLEXCORE_PORT"},
      {{{"FLEXCORE_PORT", "-1"}}, "FLEXCORE_PORT"},
      {{{"FLEXCORE_PORT", "80x"}}, "FLEXCORE_PORT"},
      {{{"TWILIO_SERVICE_MIN_BACKOFF", "500"}, {"TWILIO_SERVICE_MAX_BACKOFF", "100"}}, "TWILIO_SERVICE_MIN_BACKOFF"},
      {{{"TWILIO_SERVICE_RETRY_LIMIT", "many"}}, "TWILIO_SERVICE_RETRY_LIMIT"},
      {{{"FLEXCORE_IAM_URL", "ftp://iam.example"}}, "FLEXCORE_IAM_URL"},
      {{{"FLEXCORE_IAM_URL", "http://"}}, "FLEXCORE_IAM_URL"},
      {{{"FLEXCORE_TASKROUTER_URL", "https://host:99999"}}, "FLEXCORE_TASKROUTER_URL"},
      {{{"FLEXCORE_SYNC_URL", "https://user@host"}}, "FLEXCORE_SYNC_URL"},
      {{{"FLEXCORE_VOICE_URL", "https://host/?q=1"}}, "FLEXCORE_VOICE_URL"},
      {{{"FLEXCORE_PUBLIC_URL", "not a url"}}, "FLEXCORE_PUBLIC_URL"},
      {{{"ACCOUNT_SID", "AC123"}}, "ACCOUNT_SID"},
      {{{"ACCOUNT_SID", "WS0123456789abcdef0123456789abcdef"}}, "ACCOUNT_SID"},
      {{{"API_KEY", "AC0123456789abcdef0123456789abcdef"}, {"API_SECRET", "x"}}, "API_KEY"},
      {{{"API_KEY", "SK0123456789abcdef0123456789abcdef"}}, "API_SECRET"},
      {{{"TWILIO_FLEX_WORKSPACE_SID", "WS0123"}}, "TWILIO_FLEX_WORKSPACE_SID"},
      {{{"TWILIO_FLEX_CALLBACK_WORKFLOW_SID", "WS0123456789abcdef0123456789abcdef"}}, "TWILIO_FLEX_CALLBACK_WORKFLOW_SID"},
      {{{"FLEXCORE_LOG_LEVEL", "loud"}}, "FLEXCORE_LOG_LEVEL"},
      {{{"FLEXCORE_CORS_ORIGINS", "https://flex.twilio.com, javascript:alert(1)"}}, "FLEXCORE_CORS_ORIGINS"},
      {{{"FLEXCORE_CORS_ORIGINS", "https://flex.twilio.com/path"}}, "FLEXCORE_CORS_ORIGINS"},
      {{{"TWILIO_REGION", "IE1"}}, "TWILIO_REGION"},
      {{{"FLEXCORE_MAX_BODY_BYTES", "0"}}, "FLEXCORE_MAX_BODY_BYTES"},
      {{{"FLEXCORE_UPSTREAM_TIMEOUT_MS", "0"}}, "FLEXCORE_UPSTREAM_TIMEOUT_MS"},
      {{{"FLEXCORE_TOKEN_CACHE_SIZE", "1e3"}}, "FLEXCORE_TOKEN_CACHE_SIZE"},
      {{{"FLEXCORE_THREADS", "0"}}, "FLEXCORE_THREADS"},
      {{{"FLEXCORE_HOST", "bad host/"}}, "FLEXCORE_HOST"},
      {{{"INSIGHTS_USERNAME", "line\nbreak"}}, "INSIGHTS_USERNAME"},
  };
  for (const auto& item : cases) {
    INFO(item.names);
    auto config = parse({}, item.env);
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().code == ErrorCode::InvalidArgument);
    CHECK_THAT(config.error().message, Catch::Contains(item.names));
  }
}

TEST_CASE("a malformed secret is reported without echoing its value", "[server][config]") {
  auto config = parse({}, {{"AUTH_TOKEN", "tok\x01secret-value"}});
  REQUIRE_FALSE(config.ok());
  CHECK_THAT(config.error().message, Catch::Contains("AUTH_TOKEN"));
  CHECK_THAT(config.error().message, !Catch::Contains("secret-value"));
}

TEST_CASE("bad flags are errors and secrets have no flags", "[server][config]") {
  auto unknown = parse({"--no-such-flag"});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == ErrorCode::InvalidArgument);
  auto secret_flag = parse({"--auth-token", "x"});
  REQUIRE_FALSE(secret_flag.ok());
  auto bad_port = parse({"--port", "abc"});
  REQUIRE_FALSE(bad_port.ok());
  CHECK_THAT(bad_port.error().message, Catch::Contains("FLEXCORE_PORT"));
  auto positional = parse({"extra"});
  REQUIRE_FALSE(positional.ok());
}

TEST_CASE("TWILIO_REGION selects regional default URLs, explicit URLs still win", "[server][config]") {
  auto ie = parse({}, {{"TWILIO_REGION", "ie1"}, {"FLEXCORE_SYNC_URL", "http://127.0.0.1:9/"}});
  REQUIRE(ie.ok());
  CHECK(ie.value().urls.iam == "https://iam.ie1.twilio.com");
  CHECK(ie.value().urls.taskrouter == "https://taskrouter.ie1.twilio.com");
  CHECK(ie.value().urls.voice == "https://api.ie1.twilio.com");
  CHECK(ie.value().urls.sync == "http://127.0.0.1:9");
  CHECK(ie.value().urls.insights == "https://analytics.ytica.com");
  // twilio-flex-token-validator: IAM realm = the part of the region before the first '-'.
  auto stage = parse({}, {{"TWILIO_REGION", "stage-us1"}});
  REQUIRE(stage.ok());
  CHECK(stage.value().urls.iam == "https://iam.stage.twilio.com");
  CHECK(stage.value().urls.taskrouter == "https://taskrouter.stage-us1.twilio.com");
}

TEST_CASE("CORS origins are a normalised list, * only when configured", "[server][config]") {
  auto config = parse({}, {{"FLEXCORE_CORS_ORIGINS", " https://flex.twilio.com/ ,http://localhost:3000"}});
  REQUIRE(config.ok());
  CHECK(config.value().cors_origins == std::vector<std::string>{"https://flex.twilio.com", "http://localhost:3000"});
  CHECK_FALSE(config.value().cors_any_origin());
  auto any = parse({}, {{"FLEXCORE_CORS_ORIGINS", "*"}});
  REQUIRE(any.ok());
  CHECK(any.value().cors_any_origin());
}

TEST_CASE("help, version and print-config are actions and print-config hides secrets", "[server][config]") {
  auto help = parse({"--help"});
  REQUIRE(help.ok());
  CHECK(help.value().action == Config::Action::Help);
  CHECK_THAT(help.value().output, Catch::Contains("--iam-url") && Catch::Contains("FLEXCORE_IAM_URL"));
  CHECK_THAT(help.value().output, !Catch::Contains("--auth-token"));

  auto version = parse({"--version"});
  REQUIRE(version.ok());
  CHECK(version.value().action == Config::Action::Version);
  CHECK(version.value().output == "flexcore-server " + std::string(flexcore::version()) + "\n");

  auto print = parse({"--print-config"}, {{"ACCOUNT_SID", kAccount}, {"AUTH_TOKEN", "super-secret-token"},
                                          {"SEGMENT_WRITE_KEY", "write-key-value"}});
  REQUIRE(print.ok());
  CHECK(print.value().action == Config::Action::PrintConfig);
  const std::string& out = print.value().output;
  CHECK_THAT(out, Catch::Contains("AUTH_TOKEN=<set>  (environment)"));
  CHECK_THAT(out, Catch::Contains("API_SECRET=<unset>"));
  CHECK_THAT(out, Catch::Contains("ACCOUNT_SID=" + kAccount));
  CHECK_THAT(out, !Catch::Contains("super-secret-token"));
  CHECK_THAT(out, !Catch::Contains("write-key-value"));
  for (const auto& spec : setting_specs()) CHECK_THAT(out, Catch::Contains(std::string(spec.name) + "="));
}

TEST_CASE("require() names every missing feature setting as NotConfigured", "[server][config]") {
  auto config = parse({}, {{"ANALYTICS_WORKSPACE", "w"}, {"INSIGHTS_PASSWORD", "p"}});
  REQUIRE(config.ok());
  CHECK(config.value().require({"ANALYTICS_WORKSPACE"}).ok());
  const auto status = config.value().require({"ANALYTICS_WORKSPACE", "INSIGHTS_USERNAME", "INSIGHTS_PASSWORD", "INSIGHTS_REPORT"});
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().code == ErrorCode::NotConfigured);
  CHECK(status.error().message == "not configured: set INSIGHTS_USERNAME, INSIGHTS_REPORT (see server/README.md)");
}

TEST_CASE("every setting has a flag unless it is a secret", "[server][config]") {
  for (const auto& spec : setting_specs()) {
    INFO(spec.name);
    CHECK(spec.flag().empty() == spec.secret());
    CHECK_FALSE(spec.help.empty());
  }
  CHECK(setting_specs().front().flag() == "--account-sid");
}

TEST_CASE(".env files: comments, export, quotes and line-numbered errors", "[server][config][dotenv]") {
  auto parsed = parse_dotenv(
      "# comment\n\nexport A=1\nB = two words  # trailing comment\nC='single # kept'\nD=\"line\\nbreak \\\"q\\\"\"\nE=\nF=x#y\r\n");
  REQUIRE(parsed.ok());
  const auto& env = parsed.value();
  CHECK(env.at("A") == "1");
  CHECK(env.at("B") == "two words");
  CHECK(env.at("C") == "single # kept");
  CHECK(env.at("D") == "line\nbreak \"q\"");
  CHECK(env.at("E").empty());
  CHECK(env.at("F") == "x#y");

  for (const auto& [text, line] : std::vector<std::pair<std::string, std::string>>{
           {"A=1\nnot a pair\n", "line 2"}, {"1A=x", "line 1"}, {"A=\"open", "line 1"}, {"A B=1", "line 1"},
           {"A='x' trailing", "line 1"}}) {
    auto bad = parse_dotenv(text);
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(bad.error().message, Catch::Contains(line));
  }
}

TEST_CASE("server/README.md documents every setting and its default", "[server][config][docs]") {
  std::ifstream in(FLEXCORE_SERVER_README);
  REQUIRE(in);
  // rdbuf() into a stream and names quoted with appends: GCC 12 -O2 reports false -Wnull-dereference on
  // istreambuf_iterator and -Wstringop-overflow on "`" + std::string (native-release stays warning-free).
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string readme = buffer.str();
  const auto quoted = [](std::string_view name) {
    std::string text;
    text.append("`").append(name).append("`");
    return text;
  };
  for (const auto& spec : setting_specs()) {
    INFO(spec.name);
    CHECK_THAT(readme, Catch::Contains("| " + quoted(spec.name)));
    if (!spec.default_value.empty()) CHECK_THAT(readme, Catch::Contains(std::string(spec.default_value)));
    for (const auto alias : spec.aliases) CHECK_THAT(readme, Catch::Contains(quoted(alias)));
    if (spec.secret()) CHECK_THAT(readme, Catch::Contains("| " + quoted(spec.name) + " **secret**"));
  }
}
