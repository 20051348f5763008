#pragma once
/// @file config.h
/// The emulator's settings (command-line flags, see main.cpp and README.md) and the account
/// credentials every emulated Twilio API checks.

#include <cstddef>
#include <string>
#include <string_view>

namespace flexcore::emulator {

/// The Twilio account the emulator impersonates.
struct Credentials {
  std::string account_sid = "AC00000000000000000000000000000000";  ///< AC + 32 hex
  std::string auth_token = "emulator-auth-token";                  ///< password for account_sid
  std::string api_key;     ///< optional SK + 32 hex, accepted as Basic username with api_secret
  std::string api_secret;  ///< password for api_key

  /// True when `username`:`password` are the account's (AccountSid:AuthToken or ApiKey:ApiSecret).
  /// Passwords are compared in constant time.
  bool accepts(std::string_view username, std::string_view password) const;
};

/// Everything main() collects from flags.
struct EmulatorConfig {
  std::string host = "127.0.0.1";  ///< loopback only: 127.0.0.0/8, localhost or ::1
  int port = 0;                    ///< 0 = any free port
  Credentials credentials;
  std::string contracts_dir = FLEXCORE_TWILIO_OAI_DIR;  ///< twilio-oai JSON specs for the OpenAPI checks
  bool preload_contracts = false;  ///< load the specs before listening instead of on first use
  int threads = 64;                ///< HTTP worker threads (one per keep-alive connection)
  std::size_t record_limit = 10000;  ///< requests kept for GET /__emulator/requests (0 = recording off)
  bool log_requests = false;       ///< one JSON line per upstream request on stderr
};

}  // namespace flexcore::emulator
