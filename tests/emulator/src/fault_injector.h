#pragma once
/// @file fault_injector.h
/// Fault injection for every upstream route (README.md "Faults"): answer a status/body/headers
/// instead of the emulated API, add a delay, or drop the connection, for the next N matching calls.

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace flexcore::emulator {

/// One fault as added through `POST /__emulator/faults`.
struct Fault {
  /// How a dropped connection ends.
  enum class DropMode {
    Close,  ///< FIN without any response bytes: clients see an empty reply / "socket hang up"
    Reset,  ///< TCP RST: clients see ECONNRESET
  };

  std::string id;                 ///< "F1", "F2", … in order added
  std::string method;             ///< upper case; empty = any method
  std::string path_glob;          ///< glob against the full or family-relative path
  std::optional<int> status;      ///< answer this status instead of the emulated API
  std::optional<std::string> body;  ///< answer body (with status); default: Twilio error body for status ≥ 400
  std::string content_type;       ///< Content-Type of `body` (from headers, else JSON if it parses, else text/plain)
  std::vector<std::pair<std::string, std::string>> headers;  ///< added to the answer (faulted or emulated)
  int delay_ms = 0;               ///< wait this long before answering (or dropping)
  bool drop = false;              ///< close the connection without answering
  DropMode drop_mode = DropMode::Close;
  int count = 1;                  ///< matching calls it applies to; 0 = until cleared
  int remaining = 1;              ///< calls left (meaningless when count == 0)
  int hits = 0;                   ///< calls it has applied to

  /// True while it still applies to calls.
  bool live() const noexcept { return count == 0 || remaining > 0; }
  /// The JSON form listed by `GET /__emulator/faults`.
  nlohmann::json to_json() const;
};

/// Parses and validates a fault specification (README.md "Faults"). Throws std::invalid_argument with
/// a message naming the offending field and what was expected; unknown fields are rejected.
Fault parse_fault(const nlohmann::json& spec);

/// Thread-safe list of faults in order added.
class FaultInjector {
 public:
  /// Stores `fault` under the next id ("F<n>") and returns that id.
  std::string add(Fault fault);

  /// For a call to `method` `full_path` (relative form `relative_path`): the first live fault whose
  /// method and glob match, after consuming one of its counts; nullopt when none applies.
  std::optional<Fault> take(const std::string& method, const std::string& full_path, const std::string& relative_path);

  /// Every fault added since the last clear (exhausted ones included), oldest first.
  nlohmann::json list() const;

  /// Removes fault `id`; false when there is no such fault.
  bool remove(const std::string& id);

  /// Removes every fault (ids keep counting up).
  void clear();

  /// Removes every fault and restarts ids at F1 (the start state).
  void reset();

  /// Sleeps `delay` unless stop() is called meanwhile; returns false when interrupted by stop().
  bool wait(std::chrono::milliseconds delay);

  /// Wakes every wait() for good (shutdown).
  void stop();

 private:
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Fault> faults_;
  std::atomic<bool> any_{false};  // faults_ non-empty: lets take() skip the lock in the common case
  int next_id_ = 1;
  bool stopping_ = false;
};

}  // namespace flexcore::emulator
