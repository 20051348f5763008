#pragma once
/// @file module.h
/// The interface every emulated API implements (IAM today; TaskRouter, Sync, Voice, Serverless,
/// Flex, Insights and Segment in later issues). A module owns its state (guarded by its own mutex:
/// handlers run on many threads at once), mounts its API family on the router, may add control
/// routes under /__emulator/<name>/…, and returns to its start state on reset().
///
/// The emulator core applies recording and fault injection to every upstream route before a module
/// sees the request, and the OpenAPI check when the family was mounted with a spec, so modules only
/// implement behaviour. See README.md "Adding a module".

#include "config.h"
#include "router.h"

#include <httplib.h>

#include <string>

namespace flexcore::emulator {

/// What a module may use from the emulator (all of it outlives the module).
struct ModuleContext {
  const EmulatorConfig& config;  ///< flags, including the account credentials
  Contracts& contracts;          ///< the twilio-oai specs (loaded on first use)
};

/// One emulated upstream API.
class Module {
 public:
  Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;
  virtual ~Module() = default;

  /// Short lower-case name ("iam"), also the segment of its control routes (/__emulator/iam/…).
  virtual std::string name() const = 0;

  /// Mounts the module's family (Router::add_family) and adds its upstream and control routes.
  /// Called once, before the server listens.
  virtual void register_routes(Router& upstream, ControlApi& control) = 0;

  /// Back to the start state (POST /__emulator/reset). Must be safe while requests are in flight.
  virtual void reset() = 0;
};

/// Checks Twilio Basic auth (upstream-contracts 0.1) against the configured account. On failure
/// answers 401 with the Twilio body {"code":20003,"message":"Authenticate",…} and a
/// `WWW-Authenticate: Basic realm="Twilio API"` header, and returns false.
bool require_twilio_basic_auth(const httplib::Request& req, httplib::Response& res, const Credentials& credentials);

}  // namespace flexcore::emulator
