#pragma once
/// @file log.h
/// JSON-lines logging to stderr through spdlog (issue 3 item 8): one object per line with
/// "ts" (ISO-8601 UTC, ms), "level", "msg" and event fields. Never pass tokens, Authorization
/// values, passwords or keys as fields.

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace flexcore::server {

/// A logger writing raw lines (pattern "%v") to stderr, at `level` (trace … off; unknown → info).
std::shared_ptr<spdlog::logger> make_stderr_logger(std::string_view level);

/// A logger writing raw lines to `sink` (tests capture logs this way).
std::shared_ptr<spdlog::logger> make_logger(spdlog::sink_ptr sink, std::string_view level);

/// Writes `{"ts","level","msg", ...fields}` as one line if `level` is enabled. `fields` must be an
/// object (other values are ignored); strings with invalid UTF-8 are written with U+FFFD.
void log_event(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view msg,
               const nlohmann::json& fields = nlohmann::json::object());

/// Current time as ISO-8601 UTC with milliseconds ("2026-01-02T03:04:05.678Z").
std::string iso8601_now();

/// True when an incoming X-Request-Id can be reused: 1-128 characters of [A-Za-z0-9._:-].
bool is_sane_request_id(std::string_view value) noexcept;

}  // namespace flexcore::server
