#include "taskrouter_events.h"

#include "webhook_sender.h"

#include <algorithm>

namespace flexcore::emulator {

TaskRouterEvents::TaskRouterEvents(std::string auth_token, int timeout_ms)
    : auth_token_(std::move(auth_token)), timeout_ms_(timeout_ms), thread_([this] { run(); }) {}

TaskRouterEvents::~TaskRouterEvents() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t TaskRouterEvents::add(const std::string& url, Params params) {
  std::uint64_t seq = 0;
  {
    std::lock_guard lock(mutex_);
    Record record;
    record.seq = seq = next_seq_++;
    record.url = url;
    record.params = std::move(params);
    record.raised = std::chrono::system_clock::now();
    if (url.empty()) {
      record.delivery = "none";
    } else {
      queue_.push_back(seq);
    }
    records_.push_back(std::move(record));
    // Bounded memory: keep the newest 10,000 records.
    while (records_.size() > 10000) records_.pop_front();
  }
  changed_.notify_all();
  return seq;
}

nlohmann::json TaskRouterEvents::record_json(const Record& record) const {
  nlohmann::json params = nlohmann::json::object();
  std::string type;
  for (const auto& [name, value] : record.params) {
    params[name] = value;
    if (name == "EventType") type = value;
  }
  return nlohmann::json{{"seq", record.seq},
                        {"eventType", type},
                        {"url", record.url.empty() ? nlohmann::json(nullptr) : nlohmann::json(record.url)},
                        {"params", params},
                        {"delivery", record.delivery},
                        {"status", record.status ? nlohmann::json(*record.status) : nlohmann::json(nullptr)},
                        {"body", record.delivery == "delivered" ? nlohmann::json(record.body) : nlohmann::json(nullptr)},
                        {"error", record.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(record.error)},
                        {"raisedAt", iso8601_utc(record.raised)},
                        {"deliveredAt", record.delivery == "delivered" || record.delivery == "failed"
                                            ? nlohmann::json(iso8601_utc(record.delivered))
                                            : nlohmann::json(nullptr)}};
}

nlohmann::json TaskRouterEvents::list(std::uint64_t since, const std::string& event_type) const {
  std::lock_guard lock(mutex_);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& record : records_) {
    if (record.seq <= since) continue;
    nlohmann::json json = record_json(record);
    if (!event_type.empty() && json["eventType"] != event_type) continue;
    out.push_back(std::move(json));
  }
  return out;
}

std::optional<nlohmann::json> TaskRouterEvents::wait(std::uint64_t seq, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const auto find = [&]() -> const Record* {
    const auto it = std::find_if(records_.begin(), records_.end(), [&](const Record& r) { return r.seq == seq; });
    return it == records_.end() ? nullptr : &*it;
  };
  changed_.wait_for(lock, timeout, [&] {
    const Record* record = find();
    return stopping_ || record == nullptr || record->delivery != "pending";
  });
  const Record* record = find();
  if (record == nullptr) return std::nullopt;
  return record_json(*record);
}

void TaskRouterEvents::clear() {
  {
    std::lock_guard lock(mutex_);
    records_.clear();
    queue_.clear();
    next_seq_ = 1;
    ++generation_;
  }
  changed_.notify_all();
}

void TaskRouterEvents::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    const std::uint64_t seq = queue_.front();
    queue_.pop_front();
    const auto it = std::find_if(records_.begin(), records_.end(), [&](const Record& r) { return r.seq == seq; });
    if (it == records_.end()) continue;
    WebhookSpec spec;
    spec.url = it->url;
    spec.signature_url = it->url;
    spec.params = it->params;
    spec.auth_token = auth_token_;
    spec.timeout_ms = timeout_ms_;
    const std::uint64_t generation = generation_;
    lock.unlock();
    std::optional<int> status;
    std::string body, error;
    try {
      const nlohmann::json answer = send_webhook(spec);
      status = answer.at("status").get<int>();
      body = answer.at("body").get<std::string>();
    } catch (const std::exception& e) {
      error = e.what();
    }
    lock.lock();
    if (generation != generation_) continue;  // cleared meanwhile
    const auto again = std::find_if(records_.begin(), records_.end(), [&](const Record& r) { return r.seq == seq; });
    if (again != records_.end()) {
      again->status = status;
      again->body = body;
      again->error = error;
      again->delivery = status ? "delivered" : "failed";
      again->delivered = std::chrono::system_clock::now();
    }
    changed_.notify_all();
  }
}

}  // namespace flexcore::emulator
