#include "log.h"

#include <chrono>
#include <ctime>

#include <spdlog/sinks/stdout_sinks.h>

namespace flexcore::server {

std::shared_ptr<spdlog::logger> make_logger(spdlog::sink_ptr sink, std::string_view level) {
  auto logger = std::make_shared<spdlog::logger>("flexcore", std::move(sink));
  logger->set_pattern("%v");
  auto parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") parsed = spdlog::level::info;
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::trace);
  return logger;
}

std::shared_ptr<spdlog::logger> make_stderr_logger(std::string_view level) {
  return make_logger(std::make_shared<spdlog::sinks::stderr_sink_mt>(), level);
}

std::string iso8601_now() {
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
  return buffer;
}

void log_event(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view msg,
               const nlohmann::json& fields) {
  if (!logger.should_log(level)) return;
  nlohmann::json line = nlohmann::json::object();
  line["ts"] = iso8601_now();
  const auto name = spdlog::level::to_string_view(level);
  line["level"] = std::string(name.data(), name.size());
  line["msg"] = std::string(msg);
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) line[it.key()] = it.value();
  }
  logger.log(level, "{}", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

bool is_sane_request_id(std::string_view value) noexcept {
  if (value.empty() || value.size() > 128) return false;
  for (const char c : value) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace flexcore::server
