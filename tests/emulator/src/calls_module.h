#pragma once
/// @file calls_module.h
/// Plays voice calls the way Twilio Voice, TaskRouter and Flex native conferencing do (issue 9), over
/// the TaskRouter and Voice modules, and voicemails the way a Studio flow with a Record Voicemail
/// widget does (seed-behaviour.md 4.2). The one home of the call sequence: the C++ CallScenario
/// (include/flexcore/emulator/call_scenario.h), the demo and the journey test all drive these routes.
///
/// Control (JSON; README.md "Calls and voicemails"):
///   POST /__emulator/calls                       a caller dials in: task (+ `conference`, `call_sid`, `from`,
///                                                `to`, `direction`), conference with the customer leg, routing
///   GET  /__emulator/calls, GET /__emulator/calls/{TaskSid}
///   POST /__emulator/calls/{TaskSid}/hang-up     {"party":"customer"|"worker","wrapUp"?:true}
///   POST /__emulator/calls/{TaskSid}/wrap-up     {"eventUrl"?, "params"?}: task → wrapping, task.wrapup
///   POST /__emulator/calls/{TaskSid}/transfer    cold transfer to a new task on the same conference
///   POST /__emulator/voicemails                  recording + transcription + signed Studio request
///   GET  /__emulator/voicemails
/// Upstream (family "voice"): GET /2010-04-01/Accounts/{AccountSid}/Recordings/{Sid}.json (Basic auth) and
/// the media, a playable WAV, at …/Recordings/{Sid}.wav and …/Recordings/{Sid} (no auth, as Twilio's
/// default public media URLs).
/// Accepting a call task's reservation over REST (what Flex's AcceptTask does) joins the worker leg.

#include "module.h"
#include "taskrouter_module.h"
#include "voice_module.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace flexcore::emulator {

/// A mono 16-bit PCM WAV (RIFF header + samples) of `duration_seconds` at `sample_rate` Hz: a
/// speech-like signal (voiced syllables with formants and pauses) derived deterministically from `seed`.
std::string speech_like_wav(std::uint64_t seed, int duration_seconds, int sample_rate = 8000);

/// The calls module.
class CallsModule final : public Module {
 public:
  /// `taskrouter` and `voice` must outlive the module (they are the emulator's own modules).
  CallsModule(ModuleContext context, TaskRouterModule& taskrouter, VoiceModule& voice);

  std::string name() const override { return "calls"; }
  void register_routes(Router& upstream, ControlApi& control) override;
  void reset() override;

  /// One call: its task and legs.
  struct Call {
    std::string workspace_sid, workflow_sid, task_sid, conference_sid, customer_call, worker_call, worker_sid,
        reservation_sid, from, to, channel;
    std::string status = "ringing";  ///< ringing (waiting for an agent) | in-progress | ended
    std::string ended_by;            ///< customer | worker once a party hung up
    std::uint64_t order = 0;
  };
  /// One voicemail recording.
  struct Recording {
    std::string sid, call_sid, transcription_sid, transcription, from, to;
    int duration_seconds = 0;
    std::chrono::system_clock::time_point created;
    std::uint64_t order = 0;
  };

 private:
  void create_call(const httplib::Request& req, httplib::Response& res);
  void hang_up(const httplib::Request& req, httplib::Response& res, const PathParams& params);
  void wrap_up(const httplib::Request& req, httplib::Response& res, const PathParams& params);
  void transfer(const httplib::Request& req, httplib::Response& res, const PathParams& params);
  void create_voicemail(const httplib::Request& req, httplib::Response& res);
  void on_accepted(const TaskRouterModule::Accepted& accepted);
  nlohmann::json call_json(const Call& call) const;
  nlohmann::json recording_json(const Recording& recording) const;
  /// Waits for event `seq`'s delivery (bounded) and answers {"status","body"}, or null without a URL.
  nlohmann::json event_outcome(std::uint64_t seq);

  ModuleContext context_;
  TaskRouterModule& taskrouter_;
  VoiceModule& voice_;
  mutable std::mutex mutex_;
  std::map<std::string, Call> calls_;            ///< by task sid
  std::map<std::string, Recording> recordings_;  ///< by recording sid
  std::uint64_t next_order_ = 1;
};

}  // namespace flexcore::emulator
