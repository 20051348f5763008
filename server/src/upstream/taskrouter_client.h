#pragma once
/// @file taskrouter_client.h
/// TaskRouter v1 tasks (upstream-contracts.md 3.1): create, fetch (with ETag) and attribute updates
/// guarded by If-Match, plus the template's safe read-modify-write loop with a bounded 412 retry.
/// Calls go through the HttpClient it is given — in the product the RetryingClient, so 429/503 and
/// network failures are retried per seed-behaviour 6; a 412 answering an If-Match request is final
/// there and surfaces here as WriteOutcome::PreconditionFailed.
///
/// Wire format: form-encoded bodies (`Attributes` is a JSON string in one field), Basic auth with the
/// account credentials, JSON answers. ETags are returned without quotes (`"3"` → `3`) and sent quoted.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "flexcore/result.h"
#include "upstream/http_client.h"

namespace flexcore::server::upstream {

/// The service name used in error messages ("Twilio TaskRouter answered HTTP 404 …").
inline constexpr std::string_view kTaskRouterService = "Twilio TaskRouter";

/// Parameters of Create Task (`POST /v1/Workspaces/{WS}/Tasks`); empty / nullopt fields are not sent.
struct NewTask {
  std::string attributes_json;               ///< `Attributes`: a JSON object as text ("" = not sent)
  std::string workflow_sid;                  ///< `WorkflowSid` (WW + 32 hex)
  std::string task_channel;                  ///< `TaskChannel`: unique name ("voice") or TC… SID
  std::optional<long long> priority;         ///< `Priority`: 0 … 2^31-1
  std::optional<long long> timeout_seconds;  ///< `Timeout` (s): 1 … 1 209 600
  std::string virtual_start_time;            ///< `VirtualStartTime`: ISO-8601 UTC, not in the future
};

/// A task as TaskRouter returned it, with the version it had then.
struct TaskSnapshot {
  nlohmann::json task;     ///< the task resource (sid, assignment_status, attributes as a string, …)
  std::string etag;        ///< the `ETag` header without quotes ("3"); "" when the answer had none
  std::string sid;         ///< task["sid"] (WT…)
  std::string attributes;  ///< task["attributes"] (JSON object text; "{}" when null or absent)
};

/// How a conditional write ended.
enum class WriteOutcome {
  Written,             ///< 200: the new version is in `task`
  PreconditionFailed,  ///< 412: someone changed the task since `if_match`; nothing was written
};

/// The result of an attribute update.
struct TaskUpdate {
  WriteOutcome outcome = WriteOutcome::Written;
  TaskSnapshot task;  ///< the updated task (outcome Written); empty on PreconditionFailed
};

/// What a safe merge did (update_attributes_safely).
struct SafeMergeResult {
  bool written = false;  ///< false: the transform asked for no write
  int attempts = 0;      ///< read-modify-write rounds made (1 + the 412 retries)
  TaskSnapshot task;     ///< the task as last fetched, or as written when `written`
};

/// A TaskRouter v1 client for one account. Thread-safe when `client` is.
class TaskRouterClient {
 public:
  /// `client`: the (retrying) upstream client, must outlive this object; `base_url`: e.g.
  /// "https://taskrouter.twilio.com" or the emulator's URL, without trailing slash; `credentials`:
  /// Account SID + Auth Token or API Key + secret (never logged).
  TaskRouterClient(HttpClient& client, std::string base_url, BasicAuth credentials);

  /// Create Task (3.1) → 201 and the task with its ETag.
  /// Errors: InvalidArgument when `workspace_sid` is not WS + 32 hex; otherwise upstream_error()
  /// (400 → InvalidArgument, 404 → NotFound, 429 → ResourceExhausted, 503/network → Unavailable, …);
  /// UpstreamError when the 2xx body is not a task object.
  Result<TaskSnapshot> create_task(std::string_view workspace_sid, const NewTask& task);

  /// Fetch Task (3.1) → the task and its ETag.
  /// Errors: InvalidArgument for a malformed WS/WT SID; NotFound (404/20404: task gone);
  /// other upstream_error() codes; UpstreamError for a 2xx body that is not a task object.
  Result<TaskSnapshot> fetch_task(std::string_view workspace_sid, std::string_view task_sid);

  /// Update Task `Attributes` (replaces the whole document — TaskRouter does not merge), with
  /// `If-Match: "<if_match>"` when `if_match` is given (bare or quoted version).
  /// Outcome PreconditionFailed on 412 (nothing written). Errors as fetch_task().
  Result<TaskUpdate> update_task_attributes(std::string_view workspace_sid, std::string_view task_sid,
                                            std::string_view attributes_json,
                                            std::optional<std::string_view> if_match);

  /// Produces the attributes to write from the task as fetched, or std::nullopt for "nothing to
  /// write"; an error aborts the merge and is returned as is.
  using AttributesTransform = std::function<Result<std::optional<std::string>>(const TaskSnapshot&)>;

  /// The safe merge of 3.1 (template `updateTaskAttributes`): fetch task + ETag → `transform` →
  /// update with If-Match → on 412 fetch again and repeat, at most `max_attempts` rounds (≥ 1).
  /// Another writer's change made between our fetch and our write is therefore never overwritten.
  /// Errors: Conflict "… still changing after N attempts" when every round got 412; UpstreamError
  /// when a fetch answer has no ETag (an unconditional write could lose a change); the errors of
  /// fetch_task / update_task_attributes / `transform`.
  Result<SafeMergeResult> update_attributes_safely(std::string_view workspace_sid, std::string_view task_sid,
                                                   const AttributesTransform& transform, int max_attempts);

 private:
  Result<TaskSnapshot> snapshot(const Response& response) const;

  HttpClient& client_;
  std::string base_url_;
  BasicAuth credentials_;
};

/// The ETag value without surrounding quotes or a weak prefix (`W/"3"` → `3`).
std::string unquote_etag(std::string_view etag);

}  // namespace flexcore::server::upstream
