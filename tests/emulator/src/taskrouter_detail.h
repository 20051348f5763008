#pragma once
/// @file taskrouter_detail.h
/// Helpers shared by the TaskRouter module's source files (taskrouter_module.cpp, taskrouter_workers.cpp).

#include "router.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flexcore::emulator::taskrouter_detail {

inline constexpr std::string_view kPublicBase = "https://taskrouter.twilio.com/v1";
inline constexpr std::string_view kMountPrefix = "/taskrouter";
inline constexpr long long kMaxPriority = 2147483647LL;
inline constexpr long long kMaxTimeout = 1209600LL;  // 2 weeks (spec: CreateTask.Timeout)
inline constexpr long long kDefaultTimeout = 86400LL;
inline constexpr int kMaxPageSize = 1000;
inline constexpr std::size_t kMaxFriendlyName = 64;

/// "sms" → "SMS", "voice" → "Voice".
std::string channel_friendly_name(const std::string& unique_name);
/// First value of `name` in the form body / query string.
std::optional<std::string> form_value(const UpstreamRequest& request, const std::string& name);
std::optional<std::string> query_value(const UpstreamRequest& request, const std::string& name);
/// Strict decimal integer, nullopt otherwise.
std::optional<long long> parse_integer(const std::string& text);
/// 400 20001 naming `name`.
void invalid_parameter(httplib::Response& res, const std::string& name, const std::string& message);
/// 404 20404 for `path`.
void not_found(httplib::Response& res, const std::string& path);
/// The v1 paging envelope over `items` (PageSize 1–1000, Page).
void send_page(const UpstreamRequest& request, httplib::Response& res, const std::string& key,
               const std::vector<nlohmann::json>& items);
/// 1–64 characters.
bool valid_friendly_name(const std::string& name);

}  // namespace flexcore::emulator::taskrouter_detail

namespace flexcore::emulator::taskrouter_detail {
/// `"3"`: the quoted ETag of a task version.
std::string quoted_etag(std::uint64_t version);
/// True when the request has no If-Match or one naming `version`.
bool if_match_ok(const httplib::Request& http, std::uint64_t version);
}  // namespace flexcore::emulator::taskrouter_detail
