#include "flexcore/segment_lookup.h"

#include <nlohmann/json.hpp>

#include "flexcore/sid.h"

namespace flexcore::segment_lookup {
namespace {

using nlohmann::json;

json parse_reply(std::string_view reply) { return json::parse(reply.begin(), reply.end(), nullptr, false); }

// Returns the string at `path` inside `document`, or nullptr when any step is missing or not that type.
const std::string* string_at(const json& document, std::initializer_list<const char*> path) {
  const json* node = &document;
  for (const char* key : path) {
    if (!node->is_object()) return nullptr;
    auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node->is_string() ? node->get_ptr<const std::string*>() : nullptr;
}

}  // namespace

bool is_valid_task_sid(std::string_view value) noexcept { return is_valid_sid(value, "WT"); }

std::optional<Reason> task_sid_reason(std::string_view raw) { return sid_reason(trim(raw), "WT"); }

Result<std::string> check_task_sid(std::string_view raw) {
  const std::string_view value = trim(raw);
  if (value.empty()) return Result<std::string>::failure(ErrorCode::InvalidArgument, "TaskSid is required");
  return check_sid(value, "WT", "TaskSid");
}

std::string login_body(std::string_view username, std::string_view password) {
  json body = {{"postUserLogin",
                {{"login", username}, {"password", password}, {"remember", 0}, {"verify_level", 2}}}};
  return body.dump();
}

std::string identifiers_body() {
  json body = {{"identifierToUri", json::array({kExternalIdIdentifier})}};
  return body.dump();
}

std::string valid_elements_body(std::string_view task_sid) {
  json body = {{"validElementsRequest", {{"titles", json::array({task_sid})}}}};
  return body.dump();
}

std::string execute_raw_body(std::string_view workspace, std::string_view report_id,
                             std::string_view display_form_uri, const std::vector<std::string>& element_uris) {
  std::string report = "/gdc/md/";
  report += workspace;
  report += "/obj/";
  report += report_id;
  json filter = {{"uri", display_form_uri}, {"constraint", {{"type", "list"}, {"elements", element_uris}}}};
  json body = {{"report_req", {{"report", report}, {"context", {{"filters", json::array({filter})}}}}}};
  return body.dump();
}

Result<std::string> read_login_token(std::string_view reply_json) {
  const json reply = parse_reply(reply_json);
  if (const std::string* token = string_at(reply, {"userLogin", "token"}); token && !token->empty()) return *token;
  return Result<std::string>::failure(ErrorCode::UpstreamError, "Authentication failed");
}

Result<std::string> read_temporary_token(std::string_view reply_json) {
  const json reply = parse_reply(reply_json);
  if (const std::string* token = string_at(reply, {"userToken", "token"}); token && !token->empty()) return *token;
  return Result<std::string>::failure(ErrorCode::UpstreamError, "Failed to get temporary token");
}

Result<std::string> read_display_form_uri(std::string_view reply_json, std::string_view workspace) {
  const json reply = parse_reply(reply_json);
  if (reply.is_object()) {
    auto it = reply.find("identifiers");
    if (it != reply.end() && it->is_array() && !it->empty()) {
      if (const std::string* uri = string_at((*it)[0], {"uri"}); uri && !uri->empty()) return *uri;
    }
  }
  std::string message = "Could not resolve GoodData identifier '";
  message += kExternalIdIdentifier;
  message += "' in workspace '";
  message += workspace;
  message += "'. Verify ANALYTICS_WORKSPACE is correct.";
  return Result<std::string>::failure(ErrorCode::UpstreamError, std::move(message));
}

Result<std::vector<std::string>> read_element_uris(std::string_view reply_json, std::string_view task_sid) {
  const json reply = parse_reply(reply_json);
  const json* items = nullptr;
  if (reply.is_object()) {
    auto valid = reply.find("validElements");
    if (valid != reply.end() && valid->is_object()) {
      auto it = valid->find("items");
      if (it != valid->end() && it->is_array()) items = &*it;
    }
  }
  if (!items) {
    return Result<std::vector<std::string>>::failure(
        ErrorCode::UpstreamError, "validElements reply has no validElements.items array");
  }
  std::vector<std::string> uris;
  for (const json& item : *items) {
    if (const std::string* uri = string_at(item, {"element", "uri"}); uri && !uri->empty()) uris.push_back(*uri);
  }
  if (uris.empty()) {
    std::string message = "External ID '";
    message += task_sid;
    message += "' not found in Flex Insights. The task may not be indexed yet (default 1 hour delay after a "
               "conversation ends).";
    return Result<std::vector<std::string>>::failure(ErrorCode::NotFound, std::move(message));
  }
  return uris;
}

Result<std::string> read_export_uri(std::string_view reply_json) {
  const json reply = parse_reply(reply_json);
  if (const std::string* uri = string_at(reply, {"uri"}); uri && !uri->empty()) return *uri;
  return Result<std::string>::failure(ErrorCode::UpstreamError, "Report execution failed");
}

}  // namespace flexcore::segment_lookup
