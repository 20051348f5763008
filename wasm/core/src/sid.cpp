#include "flexcore/sid.h"

#include <string>

namespace flexcore {
namespace {

constexpr bool is_hex(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

constexpr bool is_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }

constexpr bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string describe(const Reason& reason) {
  if (reason.id == "required") return "got an empty value";
  if (reason.id == "sid_wrong_length") return "got " + std::string(reason.param("length")) + " characters";
  if (reason.id == "sid_wrong_prefix") return "the value does not start with \"" + std::string(reason.param("prefix")) + "\"";
  return "the value contains a character that is not a hex digit";
}

}  // namespace

bool is_valid_sid(std::string_view value, std::string_view prefix) noexcept {
  if (prefix.size() != 2 || !is_upper(prefix[0]) || !is_upper(prefix[1])) return false;
  if (value.size() != kSidLength) return false;
  if (value[0] != prefix[0] || value[1] != prefix[1]) return false;
  for (std::size_t i = 2; i < kSidLength; ++i) {
    if (!is_hex(value[i])) return false;
  }
  return true;
}

std::optional<Reason> sid_reason(std::string_view value, std::string_view prefix) {
  if (is_valid_sid(value, prefix)) return std::nullopt;
  if (value.empty()) return Reason{"required", {}};
  if (value.size() != kSidLength) {
    return Reason{"sid_wrong_length", {{"prefix", std::string(prefix)}, {"length", std::to_string(value.size())}}};
  }
  if (value.substr(0, 2) != prefix) return Reason{"sid_wrong_prefix", {{"prefix", std::string(prefix)}}};
  return Reason{"sid_not_hex", {{"prefix", std::string(prefix)}}};
}

Result<std::string> check_sid(std::string_view value, std::string_view prefix, std::string_view field) {
  const std::optional<Reason> reason = sid_reason(value, prefix);
  if (!reason) return std::string(value);
  std::string message(field);
  message += " must be a Twilio SID: \"";
  message += prefix;
  message += "\" followed by 32 hex digits (34 characters); ";
  message += describe(*reason);
  return Result<std::string>::failure(ErrorCode::InvalidArgument, std::move(message));
}

std::string_view trim(std::string_view value) noexcept {
  while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
  while (!value.empty() && is_space(value.back())) value.remove_suffix(1);
  return value;
}

}  // namespace flexcore
