#pragma once
// A webhook target on 127.0.0.1:0 for the emulator's process tests (TaskRouter event callbacks, Studio
// requests): keeps every request it received and answers 204 (what flexcore-server answers events with).
#include "auth/twilio_signature.h"
#include "http_util.h"

#include <httplib.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace flexcore::emulator::testing {

class EventReceiver {
 public:
  struct Received {
    std::string path, signature, body;
    std::vector<server::FormParam> params;
    std::string param(const std::string& name) const {
      for (const auto& p : params) {
        if (p.first == name) return p.second;
      }
      return "";
    }
  };

  EventReceiver() {
    server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      Received r;
      r.path = req.path;
      r.signature = req.get_header_value("X-Twilio-Signature");
      r.body = req.body;
      for (const auto& [name, value] : parse_form(req.body)) r.params.emplace_back(name, value);
      received_.push_back(r);
      res.status = status_;
      if (!answer_.empty()) res.set_content(answer_, "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~EventReceiver() {
    server_.stop();
    thread_.join();
  }
  EventReceiver(const EventReceiver&) = delete;
  EventReceiver& operator=(const EventReceiver&) = delete;

  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  std::vector<Received> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }
  /// What to answer (status, JSON body) from now on.
  void answer(int status, std::string body) {
    std::lock_guard lock(mutex_);
    status_ = status;
    answer_ = std::move(body);
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<Received> received_;
  int status_ = 204;
  std::string answer_;
};

}  // namespace flexcore::emulator::testing
