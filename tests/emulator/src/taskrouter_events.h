#pragma once
/// @file taskrouter_events.h
/// TaskRouter event callbacks (upstream-contracts.md 3.1 "Event callback webhook"): every event the
/// emulated TaskRouter raises is recorded, and when its workspace has an EventCallbackUrl it is POSTed
/// form-encoded and signed (X-Twilio-Signature, the configured auth token) by one background thread,
/// in the order raised, so the REST answer that raised it is never delayed. Each record keeps the
/// delivery outcome (target status and body, or the error) for GET /__emulator/taskrouter/events.

#include "http_util.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace flexcore::emulator {

/// The event log and its delivery thread.
class TaskRouterEvents {
 public:
  /// `auth_token` signs the callbacks; `timeout_ms` bounds one delivery (connect + read).
  explicit TaskRouterEvents(std::string auth_token, int timeout_ms = 5000);
  ~TaskRouterEvents();  ///< stops the thread (an in-flight delivery finishes or times out first)
  TaskRouterEvents(const TaskRouterEvents&) = delete;
  TaskRouterEvents& operator=(const TaskRouterEvents&) = delete;

  /// Records an event with form `params` (EventType first) for `url` ("" = no EventCallbackUrl: recorded
  /// as `"delivery":"none"`) and queues its delivery. Returns its sequence number (1, 2, …).
  std::uint64_t add(const std::string& url, Params params);

  /// Records with `seq > since`, optionally only of `event_type`, oldest first:
  /// `{"seq","eventType","url","params":{…},"delivery":"none|pending|delivered|failed","status","body","error",
  ///   "raisedAt","deliveredAt"}`.
  nlohmann::json list(std::uint64_t since = 0, const std::string& event_type = "") const;

  /// Waits (at most `timeout`) until record `seq` is delivered or failed; returns it, or nullopt when
  /// unknown. A record without URL is returned at once.
  std::optional<nlohmann::json> wait(std::uint64_t seq, std::chrono::milliseconds timeout);

  /// Forgets every record and queued delivery (sequence numbers restart at 1).
  void clear();

 private:
  struct Record {
    std::uint64_t seq = 0;
    std::string url;
    Params params;
    std::string delivery = "pending";
    std::optional<int> status;
    std::string body, error;
    std::chrono::system_clock::time_point raised, delivered;
  };
  nlohmann::json record_json(const Record& record) const;
  void run();

  std::string auth_token_;
  int timeout_ms_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Record> records_;
  std::deque<std::uint64_t> queue_;
  std::uint64_t next_seq_ = 1;
  std::uint64_t generation_ = 0;  ///< bumped by clear() so an in-flight delivery is dropped
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace flexcore::emulator
