#pragma once
// Helpers shared by the emulator's process tests: plain HTTP calls to the spawned emulator.

#include "flexcore/emulator/emulator_process.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace flexcore::emulator::testing {

/// A client on the emulator's port with generous timeouts (they only bound a broken run).
inline httplib::Client client_for(const EmulatorProcess& emulator) {
  httplib::Client client("127.0.0.1", emulator.port());
  client.set_connection_timeout(10, 0);
  client.set_read_timeout(30, 0);
  client.set_write_timeout(10, 0);
  return client;
}

/// The IAM validate path for `account_sid` under `prefix` ("" or "/iam").
inline std::string validate_path(const std::string& account_sid, const std::string& prefix = "") {
  return prefix + "/v1/Accounts/" + account_sid + "/Tokens/validate";
}

/// POSTs {"token": token} to IAM validate with Basic `user`:`password`, like twilio-flex-token-validator.
inline httplib::Result validate(httplib::Client& client, const std::string& account_sid, const std::string& user,
                                const std::string& password, const std::string& token, const std::string& prefix = "") {
  client.set_basic_auth(user.c_str(), password.c_str());
  const httplib::Headers headers{{"Cache-Control", "no-cache"}};
  return client.Post(validate_path(account_sid, prefix).c_str(), headers, nlohmann::json{{"token", token}}.dump(),
                     "application/json");
}

/// Parses a response body as JSON (fails the test with the body when it is not JSON).
inline nlohmann::json json_of(const httplib::Result& result) {
  if (!result) throw std::runtime_error("no response: " + httplib::to_string(result.error()));
  return nlohmann::json::parse(result->body);
}

}  // namespace flexcore::emulator::testing
