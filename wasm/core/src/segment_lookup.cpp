#include "flexcore/segment_lookup.h"

#include <nlohmann/json.hpp>

#include "flexcore/sid.h"

namespace flexcore::segment_lookup {
namespace {

using nlohmann::json;

constexpr bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }

// Cursor over the CSV text that counts physical lines (CRLF, LF and lone CR each end one line).
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  bool at_end() const noexcept { return pos_ >= text_.size(); }

  // Reads one record. Only the first field's value is stored in `first` (trimmed); `blank` tells
  // whether the record was an empty line. Returns an error for malformed quoting.
  Status read_record(std::string& first, bool& blank) {
    first.clear();
    blank = true;
    for (int field = 0;; ++field) {
      bool end_of_record = false;
      std::string* sink = field == 0 ? &first : nullptr;
      Status status = read_field(sink, blank, end_of_record);
      if (!status.ok()) return status;
      if (end_of_record) break;
      blank = false;  // a delimiter was seen: not an empty line
    }
    if (!first.empty()) {
      const std::string_view trimmed = trim(first);
      if (trimmed.size() != first.size()) first = std::string(trimmed);
    }
    return ok_status();
  }

 private:
  // Consumes a line break at pos_ if there is one. Returns true if it did.
  bool consume_line_break() noexcept {
    if (pos_ >= text_.size()) return false;
    if (text_[pos_] == '\n') {
      ++pos_;
      ++line_;
      return true;
    }
    if (text_[pos_] == '\r') {
      ++pos_;
      if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
      ++line_;
      return true;
    }
    return false;
  }

  Status read_field(std::string* sink, bool& blank, bool& end_of_record) {
    // Optional blanks before an opening quote.
    std::size_t start = pos_;
    while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      blank = false;
      return read_quoted(sink, end_of_record);
    }
    pos_ = start;
    const std::size_t end = text_.find_first_of(",\r\n", pos_);
    const std::size_t stop = end == std::string_view::npos ? text_.size() : end;
    if (!trim(text_.substr(pos_, stop - pos_)).empty()) blank = false;  // whitespace-only lines are blank
    if (sink) sink->assign(text_.data() + pos_, stop - pos_);
    pos_ = stop;
    if (pos_ < text_.size() && text_[pos_] == ',') {
      ++pos_;
      return ok_status();
    }
    consume_line_break();
    end_of_record = true;
    return ok_status();
  }

  Status read_quoted(std::string* sink, bool& end_of_record) {
    const std::size_t opening_line = line_;
    ++pos_;  // opening quote
    for (;;) {
      const std::size_t next = text_.find_first_of("\"\r\n", pos_);
      if (next == std::string_view::npos) {
        return Status::failure(ErrorCode::InvalidArgument, "CSV: unterminated quoted field starting on line " +
                                                               std::to_string(opening_line));
      }
      if (sink) sink->append(text_.data() + pos_, next - pos_);
      pos_ = next;
      if (text_[pos_] != '"') {  // a line break inside the quotes: part of the value
        const std::size_t before = pos_;
        consume_line_break();
        if (sink) sink->append(text_.data() + before, pos_ - before);
        continue;
      }
      if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {  // escaped quote
        if (sink) sink->push_back('"');
        pos_ += 2;
        continue;
      }
      ++pos_;  // closing quote
      break;
    }
    while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
    if (pos_ >= text_.size()) {
      end_of_record = true;
      return ok_status();
    }
    if (text_[pos_] == ',') {
      ++pos_;
      return ok_status();
    }
    if (consume_line_break()) {
      end_of_record = true;
      return ok_status();
    }
    return Status::failure(ErrorCode::InvalidArgument,
                           "CSV: unexpected character after the closing quote on line " + std::to_string(line_));
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

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

Result<std::string> check_task_sid(std::string_view raw) {
  const std::string_view value = trim(raw);
  if (value.empty()) return Result<std::string>::failure(ErrorCode::InvalidArgument, "TaskSid is required");
  return check_sid(value, "WT", "TaskSid");
}

Result<std::vector<std::string>> parse_segment_csv(std::string_view text) {
  CsvReader reader(text);
  std::vector<std::string> ids;
  std::string first;
  bool blank = true;
  bool header_seen = false;
  while (!reader.at_end()) {
    Status status = reader.read_record(first, blank);
    if (!status.ok()) return status.error();
    if (blank) continue;
    if (!header_seen) {
      header_seen = true;
      continue;
    }
    if (!first.empty()) ids.push_back(std::move(first));
    first = std::string();
  }
  return ids;
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
