#pragma once
/// @file call_scenario.h
/// Plays whole voice calls on a running flexcore-emulator (issue 8, hang up by), the way TaskRouter,
/// Flex and the phone network would: a voice task is created, its reservation accepted, a conference
/// holds the customer and worker legs (`attributes.conference` as Flex native conferencing writes it,
/// conference FriendlyName = Task SID), one side hangs up, and the `task.wrapup` event callback is
/// sent signed (X-Twilio-Signature) to the server under test.
///
/// A thin client: the call sequence itself lives in the emulator's calls routes (POST /__emulator/calls,
/// …/{TaskSid}/hang-up, …/wrap-up, …/transfer; src/calls_module.h); this class accepts reservations over
/// REST as Flex does and adapts the answers.
///
/// **Example**:
/// @code
///   EmulatorProcess emulator;
///   CallScenario scenario(emulator);
///   auto call = scenario.start_call();
///   scenario.hang_up(call, CallScenario::Party::Customer);
///   auto answer = scenario.wrap_up(call, server_url + "/taskrouter/events");  // {"status","body",…}
///   CHECK(scenario.attributes(call)["conversations"]["hang_up_by"] == "customer");
/// @endcode

#include <nlohmann/json.hpp>

#include <string>

#include "flexcore/emulator/emulator_process.h"

namespace flexcore::emulator {

/// A call scenario over one TaskRouter workspace (created in the emulator at construction).
/// Throws std::runtime_error when the emulator refuses a step (the message carries its answer).
class CallScenario {
 public:
  /// Which leg.
  enum class Party { Customer, Worker };

  /// One call: its task, conference and legs.
  struct Call {
    std::string task_sid;        ///< WT…
    std::string conference_sid;  ///< CF…
    std::string customer_call;   ///< CA… of the customer leg
    std::string worker_call;     ///< CA… of the worker leg
    std::string channel;         ///< task channel unique name ("voice")
  };

  /// Available workers seeded in the scenario's workspace: at most this many calls can be live at once.
  static constexpr int kWorkers = 8;

  /// Seeds a workspace with one workflow and kWorkers Available workers. `emulator` must outlive the scenario.
  explicit CallScenario(EmulatorProcess& emulator);

  const std::string& workspace_sid() const noexcept { return workspace_sid_; }
  const std::string& workflow_sid() const noexcept { return workflow_sid_; }

  /// A caller dials in (POST /__emulator/calls): the task (channel `channel`, attributes
  /// `base_attributes` + `from`, `to`, `direction`, `name`, and `call_sid` + `conference` unless
  /// `with_conference` is false) is routed to a free worker, whose reservation is accepted over REST
  /// (reserved → assigned); with a conference, the customer and worker legs are in it (each ends the
  /// conference on exit, as in a two-party call). Throws when no worker is free.
  Call start_call(const nlohmann::json& base_attributes = nlohmann::json::object(), bool with_conference = true,
                  const std::string& channel = "voice");

  /// The leg of `party` leaves the conference (`ReasonParticipantLeft` `participant_hung_up`); for a
  /// two-party call this ends the conference with that leg's call SID. The task stays assigned (wrap_up()
  /// moves it).
  void hang_up(const Call& call, Party party);

  /// A cold transfer: the current worker leg stops ending the conference and leaves; a new task for
  /// the same conference is created, routed and accepted (a new worker leg joins). Returns the new call.
  Call cold_transfer(const Call& call);

  /// Moves the task to `wrapping` and sends `task.wrapup` (TaskRouter's event parameters, built from
  /// the task as the emulator holds it now, including its current `TaskAttributes`) signed to
  /// `events_url`. `overrides` replace or add event parameters (e.g. a bad TaskAttributes).
  /// Returns the webhook answer `{"status","body","headers",…}`.
  nlohmann::json wrap_up(const Call& call, const std::string& events_url,
                         const nlohmann::json& overrides = nlohmann::json::object());

  /// The task as `GET /v1/Workspaces/{WS}/Tasks/{WT}` returns it.
  nlohmann::json task(const Call& call);
  /// The task's attributes, parsed.
  nlohmann::json attributes(const Call& call);
  /// The raw attributes string.
  std::string raw_attributes(const Call& call);
  /// Replaces the task's attributes (unconditional update, as TaskRouter JS SDK setAttributes does).
  void set_attributes(const Call& call, const nlohmann::json& attributes);

  /// An authenticated TaskRouter / Voice API call on the emulator (path from the emulator root, e.g.
  /// "/taskrouter/v1/…"); form-encoded body. Returns {status, body}.
  std::pair<int, std::string> api(const std::string& method, const std::string& path,
                                  const std::vector<std::pair<std::string, std::string>>& form = {});

 private:
  /// Accepts the reservation of a call the emulator created (its JSON answer) and reads the legs.
  Call accept(const nlohmann::json& created);

  EmulatorProcess& emulator_;
  std::string workspace_sid_, workflow_sid_;
};

}  // namespace flexcore::emulator
