#pragma once
/// @file voice_module.h
/// Twilio Voice (API 2010) conferences and participants (upstream-contracts.md 3.3), enough to tell
/// who ended a call (hang up by, seed-behaviour 5): conference fetch with `call_sid_ending_conference`
/// and `reason_conference_ended`, conference list, participants list/fetch (only live participants:
/// a participant who left → 404 20404), participant update (Muted/Hold/EndConferenceOnExit) and
/// kick (DELETE), conference end via API (POST Status=completed).
///
/// Upstream (family "voice", mounted under /voice, checked against twilio_api_v2010.json):
///   GET  /2010-04-01/Accounts/{AccountSid}/Conferences.json            (FriendlyName, Status filters)
///   GET  /2010-04-01/Accounts/{AccountSid}/Conferences/{Sid}.json
///   POST /2010-04-01/Accounts/{AccountSid}/Conferences/{Sid}.json       (Status=completed ends it)
///   GET  /2010-04-01/Accounts/{AccountSid}/Conferences/{ConferenceSid}/Participants.json
///   GET  /2010-04-01/Accounts/{AccountSid}/Conferences/{ConferenceSid}/Participants/{CallSid}.json
///        ({CallSid} may also be the participant's label)
///   POST (same)  Muted, Hold, EndConferenceOnExit, Coaching
///   DELETE (same) kicks the participant
/// Control (what a phone network and Flex would do; JSON):
///   POST /__emulator/voice/conferences {"friendlyName"?, "sid"?} → 201 conference (status "init")
///   POST /__emulator/voice/conferences/{Sid}/participants {"callSid"?, "label"?, "endConferenceOnExit"?
///        (default false), "startConferenceOnEnter"? (default true)} → 201 participant; the conference
///        becomes "in-progress" once a participant with startConferenceOnEnter joined
///   POST /__emulator/voice/conferences/{Sid}/participants/{CallSid}/leave {"reason"?
///        (ReasonParticipantLeft, default "participant_hung_up")} → 200 {"conference","participant"}.
///        The conference ends (status "completed", call_sid_ending_conference = that call) when the
///        leaving participant had endConferenceOnExit (reason
///        "participant-with-end-conference-on-exit-left") or was the last one ("last-participant-left").
///   GET  /__emulator/voice/conferences → {"conferences":[conference + "participants" incl. those who left]}

#include "module.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace flexcore::emulator {

/// The Voice module. Conferences live in memory until reset.
class VoiceModule final : public Module {
 public:
  /// `context` must outlive the module.
  explicit VoiceModule(ModuleContext context);

  std::string name() const override { return "voice"; }
  void register_routes(Router& upstream, ControlApi& control) override;
  void reset() override;

  /// One conference leg.
  struct Participant {
    std::string call_sid;
    std::string label;
    std::string status = "connected";  ///< connected | complete
    bool muted = false, hold = false, coaching = false;
    bool end_conference_on_exit = false, start_conference_on_enter = true;
    std::string reason_left;  ///< ReasonParticipantLeft once left
    std::chrono::system_clock::time_point date_created, date_updated;
    std::uint64_t order = 0;
  };

  /// One conference.
  struct Conference {
    std::string sid, friendly_name;
    std::string status = "init";  ///< init | in-progress | completed
    std::optional<std::string> reason_conference_ended;
    std::optional<std::string> call_sid_ending_conference;
    std::chrono::system_clock::time_point date_created, date_updated;
    std::vector<Participant> participants;  ///< in join order, including those who left
    std::uint64_t order = 0;
  };

  // Thread-safe helpers for the calls control routes (calls_module.h); they throw std::out_of_range
  // (unknown conference/call) or std::invalid_argument (conference ended, call already in it).

  /// Creates conference `sid` (status init) named `friendly_name`; returns it as the API shows it.
  nlohmann::json open_conference(const std::string& sid, const std::string& friendly_name);
  /// Joins call `call_sid` (label, EndConferenceOnExit) to the conference; it becomes in-progress.
  void join_conference(const std::string& conference_sid, const std::string& call_sid, const std::string& label,
                       bool end_conference_on_exit);
  /// The live call leaves (ReasonParticipantLeft `reason`); returns the conference afterwards.
  nlohmann::json leave_conference(const std::string& conference_sid, const std::string& call_sid, const std::string& reason);
  /// Changes a live participant's EndConferenceOnExit (what Flex does before a cold transfer).
  void set_end_conference_on_exit(const std::string& conference_sid, const std::string& call_sid, bool value);
  /// The conference as the API shows it.
  nlohmann::json conference(const std::string& sid) const;

 private:
  nlohmann::json conference_json(const Conference& conference) const;
  nlohmann::json participant_json(const Conference& conference, const Participant& participant) const;
  bool authorize(const UpstreamRequest& request, httplib::Response& res) const;
  /// Marks `participant` as left and ends the conference when it must. Caller holds mutex_.
  void leave(Conference& conference, Participant& participant, const std::string& reason, bool kicked);

  void fetch_conference(const UpstreamRequest& request, httplib::Response& res) const;
  void list_conferences(const UpstreamRequest& request, httplib::Response& res) const;
  void update_conference(const UpstreamRequest& request, httplib::Response& res);
  void list_participants(const UpstreamRequest& request, httplib::Response& res) const;
  void fetch_participant(const UpstreamRequest& request, httplib::Response& res) const;
  void update_participant(const UpstreamRequest& request, httplib::Response& res);
  void kick_participant(const UpstreamRequest& request, httplib::Response& res);

  void control_create_conference(const httplib::Request& req, httplib::Response& res);
  void control_add_participant(const httplib::Request& req, httplib::Response& res, const PathParams& params);
  void control_leave(const httplib::Request& req, httplib::Response& res, const PathParams& params);
  void control_list(httplib::Response& res) const;

  ModuleContext context_;
  mutable std::mutex mutex_;
  std::map<std::string, Conference> conferences_;
  std::uint64_t next_order_ = 1;
};

/// RFC 2822 date as API 2010 writes it: `Sat, 21 Nov 2026 20:30:52 +0000`.
std::string rfc2822_utc(std::chrono::system_clock::time_point when);

}  // namespace flexcore::emulator
