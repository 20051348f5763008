#pragma once
/// @file emulator_process.h
/// Test-side handle on a running flexcore-emulator: spawns the binary as a separate process on
/// 127.0.0.1 (any free port), waits for its readiness line, drives its control API
/// (tests/emulator/README.md) and stops it on destruction.
///
/// **Example**:
/// @code
///   flexcore::emulator::EmulatorProcess emulator;
///   auto alice = emulator.issue_token("alice", {"agent"});
///   emulator.add_fault({{"path", "/v1/Accounts/*/Tokens/validate"}, {"status", 503}, {"count", 2}});
///   // point flexcore-server's IAM base URL at emulator.base_url() ...
///   auto calls = emulator.requests("POST", "/v1/Accounts/*/Tokens/validate");
/// @endcode

#include <nlohmann/json.hpp>

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace flexcore::testing {
class ChildProcess;
}  // namespace flexcore::testing

namespace flexcore::emulator {

/// A flexcore-emulator child process. Not copyable; member functions may be called from several
/// threads at once (each control call uses its own connection).
class EmulatorProcess {
 public:
  /// Start options; empty strings mean the emulator's defaults.
  struct Options {
    std::string account_sid;  ///< --account-sid (default AC00000000000000000000000000000000)
    std::string auth_token;   ///< --auth-token (default "emulator-auth-token")
    std::string api_key;      ///< --api-key (SK…), optional
    std::string api_secret;   ///< --api-secret, with api_key
    std::vector<std::string> extra_args;  ///< further flags, e.g. {"--preload-contracts"}
  };

  /// Spawns the binary compiled in as FLEXCORE_EMULATOR_PATH with `--host 127.0.0.1 --port 0` and the
  /// options, and waits (at most 10 s) for `flexcore-emulator listening on http://127.0.0.1:<port>`.
  /// Throws std::runtime_error if it cannot be spawned, exits first (e.g. invalid flags: its
  /// message is on stderr) or is not ready in time.
  explicit EmulatorProcess(Options options = {});

  /// SIGTERM, waits up to 5 s, then SIGKILL; always reaps the child. Never throws.
  ~EmulatorProcess();

  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  /// "http://127.0.0.1:<port>": the base URL of every family mounted at the root (IAM).
  std::string base_url() const;
  /// base_url() + "/" + family, e.g. family_url("iam") = "http://127.0.0.1:<port>/iam" (README.md lists families).
  std::string family_url(const std::string& family) const;
  /// The listening port.
  int port() const;
  /// The child's process id.
  pid_t pid() const;
  /// Account SID the emulator accepts (the option or the default).
  const std::string& account_sid() const;
  /// Auth Token the emulator accepts (the option or the default).
  const std::string& auth_token() const;

  /// A token `POST /__emulator/iam/tokens` issued.
  struct Token {
    std::string token;       ///< opaque Flex-token-like string to send as `Token`
    std::string identity;
    std::string expiration;  ///< ISO-8601 UTC with milliseconds, e.g. "2026-11-21T18:55:16.123Z"
    std::string worker_sid;  ///< WK…
    std::vector<std::string> roles;
  };

  /// Issues a token for `identity` with `roles`, valid for `ttl_seconds` (<= 0: already expired).
  Token issue_token(const std::string& identity, const std::vector<std::string>& roles, int ttl_seconds = 3600);

  /// Adds a fault (README.md "Faults"); returns its id ("F1", …). Throws std::runtime_error with the
  /// emulator's message when the spec is rejected.
  std::string add_fault(const nlohmann::json& fault);
  /// Removes every fault.
  void clear_faults();
  /// The list of faults (`GET /__emulator/faults` "faults" array), with remaining counts and hits.
  nlohmann::json faults();

  /// Recorded upstream requests, oldest first, optionally filtered by method and path glob
  /// (the "requests" array of `GET /__emulator/requests`).
  nlohmann::json requests(const std::string& method = "", const std::string& path_glob = "");
  /// Forgets every recorded request.
  void clear_requests();

  /// `POST /__emulator/webhooks/send` (README.md "Webhooks"); returns its JSON
  /// (`{"status","body","headers",…}` of the target's answer). Throws std::runtime_error when the
  /// emulator answers an error (invalid spec 400, target unreachable 502).
  nlohmann::json send_webhook(const nlohmann::json& spec);

  /// `POST /__emulator/reset`: tokens, faults, requests and every API's state back to the start.
  void reset();

  /// Generic control call for routes without a helper (later APIs' control routes): `method` on
  /// `/__emulator` + `path` with `body` as JSON (null = no body). Returns the parsed answer (null for
  /// an empty body) and throws std::runtime_error unless the status is `expected_status`.
  nlohmann::json control(const std::string& method, const std::string& path, const nlohmann::json& body = nullptr,
                         int expected_status = 200);

 private:
  Options options_;
  std::unique_ptr<testing::ChildProcess> child_;  ///< the running emulator (tests/support/child_process.h)
  int port_ = 0;
};

}  // namespace flexcore::emulator
