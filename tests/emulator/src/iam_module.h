#pragma once
/// @file iam_module.h
/// Twilio IAM `Tokens/validate` (upstream-contracts.md 1.2), the call twilio-flex-token-validator
/// makes for every Flex-token-authenticated request, plus the control routes that issue test tokens.
///
/// Upstream (family "iam", mounted at the root and under /iam):
///   POST /v1/Accounts/{AccountSid}/Tokens/validate
/// Control:
///   POST /__emulator/iam/tokens, GET /__emulator/iam/tokens

#include "module.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace flexcore::emulator {

/// The IAM module. Tokens live in memory until reset.
class IamModule final : public Module {
 public:
  /// `context` must outlive the module.
  explicit IamModule(ModuleContext context);

  std::string name() const override { return "iam"; }
  void register_routes(Router& upstream, ControlApi& control) override;
  void reset() override;

  /// One issued token.
  struct IssuedToken {
    std::string token;
    std::string identity;
    std::vector<std::string> roles;
    std::chrono::system_clock::time_point expiration;
    std::string worker_sid;
    std::uint64_t order = 0;  ///< issue order, for listing

    /// `{"token","identity","roles","expiration","workerSid"}`.
    nlohmann::json to_json() const;
  };

 private:
  void validate(const UpstreamRequest& request, httplib::Response& res) const;
  void issue(const httplib::Request& req, httplib::Response& res);
  void list(httplib::Response& res) const;

  ModuleContext context_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, IssuedToken> tokens_;
  std::uint64_t next_order_ = 1;
};

/// A new opaque token shaped like a Flex JWE (`<protected header>..<iv>.<ciphertext>.<tag>`, base64url),
/// with fresh random iv/ciphertext/tag.
std::string make_flex_like_token();

}  // namespace flexcore::emulator
