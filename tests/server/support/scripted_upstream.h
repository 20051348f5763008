#pragma once
// A scripted upstream on 127.0.0.1:<any port>: answers each request with the next scripted
// response (or a default), records what it received, and can hold answers until released — so
// tests control exactly what "IAM" or "Twilio" does without timing assumptions.

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include <httplib.h>

#include "test_server.h"

namespace flexcore::server::testing {

struct ScriptedResponse {
  int status = 200;
  std::string body = "{}";
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  bool hold = false;  ///< wait for release() before answering
};

struct ReceivedRequest {
  std::string method, path, target, body, authorization, content_type, cache_control;
  int remote_port = 0;
  std::string if_match;  ///< the If-Match header ("" when absent)
};

class ScriptedUpstream {
 public:
  ScriptedUpstream()
      : server_([this](httplib::Server& server) {
          const auto handler = [this](const httplib::Request& req, httplib::Response& res) { answer(req, res); };
          server.Get(".*", handler);
          server.Post(".*", handler);
          server.Put(".*", handler);
          server.Patch(".*", handler);
          server.Delete(".*", handler);
          server.new_task_queue = [] { return new httplib::ThreadPool(64); };
        }) {}
  ~ScriptedUpstream() {
    release();
    server_.stop();
  }

  /// Queues responses, answered in order; after the queue empties, `fallback` answers.
  void script(std::vector<ScriptedResponse> responses) {
    std::lock_guard lock(mutex_);
    for (auto& response : responses) queue_.push_back(std::move(response));
  }
  void set_fallback(ScriptedResponse response) {
    std::lock_guard lock(mutex_);
    fallback_ = std::move(response);
  }
  /// Lets held responses go (and every later held one).
  void release() {
    {
      std::lock_guard lock(mutex_);
      released_ = true;
    }
    cv_.notify_all();
  }
  std::vector<ReceivedRequest> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }
  std::size_t count() const {
    std::lock_guard lock(mutex_);
    return received_.size();
  }
  /// Number of requests currently held.
  int holding() const {
    std::lock_guard lock(mutex_);
    return holding_;
  }
  std::string url() const { return server_.url(); }
  int port() const { return server_.port(); }

 private:
  void answer(const httplib::Request& req, httplib::Response& res) {
    ScriptedResponse response;
    {
      std::unique_lock lock(mutex_);
      received_.push_back({req.method, req.path, req.target, req.body, req.get_header_value("Authorization"),
                           req.get_header_value("Content-Type"), req.get_header_value("Cache-Control"),
                           req.remote_port, req.get_header_value("If-Match")});
      if (!queue_.empty()) {
        response = queue_.front();
        queue_.pop_front();
      } else {
        response = fallback_;
      }
      if (response.hold) {
        ++holding_;
        cv_.wait_for(lock, std::chrono::seconds(60), [this] { return released_; });
        --holding_;
      }
    }
    res.status = response.status;
    for (const auto& [name, value] : response.headers) res.set_header(name, value);
    res.set_content(response.body, response.content_type);
  }

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<ScriptedResponse> queue_;
  ScriptedResponse fallback_;
  std::vector<ReceivedRequest> received_;
  bool released_ = false;
  int holding_ = 0;
  ListeningServer server_;
};

/// An IAM answer for a valid token (upstream-contracts 1.2 shape).
inline ScriptedResponse iam_valid(const std::string& identity, const std::vector<std::string>& roles,
                                  const std::string& expiration = "2200-01-01T00:00:00.000Z") {
  nlohmann::json body = {{"valid", true},         {"code", 0},
                         {"message", nullptr},    {"expiration", expiration},
                         {"realm_user_id", identity + "@example.com"},
                         {"identity", identity},  {"roles", roles},
                         {"worker_sid", "WK0123456789abcdef0123456789abcdef"}};
  return ScriptedResponse{200, body.dump(), "application/json", {}, false};
}

/// IAM's answer for an unknown token.
inline ScriptedResponse iam_invalid(const std::string& message = "Invalid Access Token") {
  return ScriptedResponse{200, nlohmann::json{{"valid", false}, {"code", 20101}, {"message", message}}.dump(),
                          "application/json", {}, false};
}

/// A Twilio error body answer.
inline ScriptedResponse twilio_error(int status, int code, const std::string& message,
                                     std::vector<std::pair<std::string, std::string>> headers = {}) {
  return ScriptedResponse{status,
                          nlohmann::json{{"code", code},
                                         {"message", message},
                                         {"more_info", "https://www.twilio.com/docs/errors/" + std::to_string(code)},
                                         {"status", status}}
                              .dump(),
                          "application/json", std::move(headers), false};
}

}  // namespace flexcore::server::testing
