#include "flexcore/task_attributes.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <vector>

namespace flexcore::task_attributes {
namespace {

using nlohmann::json;

constexpr bool is_ws(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Spans of one object member in the document text.
struct Member {
  std::string key;           // decoded key
  std::size_t value_begin;   // first byte of the value
  std::size_t value_end;     // one past the last byte of the value
};

// Scanner over text already validated as JSON by nlohmann: it only needs to find token boundaries.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  std::size_t skip_ws(std::size_t pos) const noexcept {
    while (pos < text_.size() && is_ws(text_[pos])) ++pos;
    return pos;
  }

  // pos at an opening quote → one past the closing quote.
  std::size_t end_of_string(std::size_t pos) const noexcept {
    ++pos;
    while (pos < text_.size()) {
      if (text_[pos] == '\\') pos += 2;
      else if (text_[pos] == '"') return pos + 1;
      else ++pos;
    }
    return text_.size();
  }

  // pos at the first byte of a value → one past its last byte.
  std::size_t end_of_value(std::size_t pos) const noexcept {
    const char c = text_[pos];
    if (c == '"') return end_of_string(pos);
    if (c == '{' || c == '[') {
      int depth = 0;
      while (pos < text_.size()) {
        const char d = text_[pos];
        if (d == '"') {
          pos = end_of_string(pos);
          continue;
        }
        if (d == '{' || d == '[') ++depth;
        if (d == '}' || d == ']') {
          if (--depth == 0) return pos + 1;
        }
        ++pos;
      }
      return text_.size();
    }
    while (pos < text_.size() && text_[pos] != ',' && text_[pos] != '}' && text_[pos] != ']' && !is_ws(text_[pos])) ++pos;
    return pos;
  }

  // pos at '{' → its members and the position of its closing '}'.
  std::vector<Member> members(std::size_t open, std::size_t& close) const {
    std::vector<Member> out;
    std::size_t pos = skip_ws(open + 1);
    while (pos < text_.size() && text_[pos] != '}') {
      const std::size_t key_end = end_of_string(pos);
      json key = json::parse(text_.substr(pos, key_end - pos), nullptr, false);
      pos = skip_ws(key_end);
      pos = skip_ws(pos + 1);  // ':'
      const std::size_t value_end = end_of_value(pos);
      out.push_back(Member{key.is_string() ? key.get<std::string>() : std::string(), pos, value_end});
      pos = skip_ws(value_end);
      if (pos < text_.size() && text_[pos] == ',') pos = skip_ws(pos + 1);
    }
    close = pos;
    return out;
  }

 private:
  std::string_view text_;
};

const Member* last_named(const std::vector<Member>& members, std::string_view key) {
  const Member* found = nullptr;
  for (const Member& m : members) {
    if (m.key == key) found = &m;
  }
  return found;
}

// Text edits applied back to front so earlier offsets stay valid.
struct Edit {
  std::size_t begin, end;
  std::string text;
};

std::string apply(std::string_view text, std::vector<Edit> edits) {
  std::string out(text);
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.begin > b.begin; });
  for (const Edit& e : edits) out.replace(e.begin, e.end - e.begin, e.text);
  return out;
}

// Text inserting `members` (already "key":value strings) before the closing brace at `close` of an object
// that currently has `count` members.
Edit append_members(std::size_t close, std::size_t count, const std::vector<std::string>& members) {
  std::string text;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (count > 0 || i > 0) text += ',';
    text += members[i];
  }
  return Edit{close, close, std::move(text)};
}

}  // namespace

Result<std::string> merge_conversations(std::string_view attributes_json, std::string_view patch_json) {
  const std::string_view source = attributes_json.find_first_not_of(" \t\r\n") == std::string_view::npos
                                      ? std::string_view("{}")
                                      : attributes_json;
  const json document = json::parse(source, nullptr, false);
  if (document.is_discarded()) {
    return Result<std::string>::failure(ErrorCode::InvalidArgument, "attributes: not valid JSON");
  }
  if (!document.is_object()) {
    return Result<std::string>::failure(ErrorCode::InvalidArgument,
                                        std::string("attributes: expected a JSON object, got ") + document.type_name());
  }
  const json patch = json::parse(patch_json, nullptr, false);
  if (patch.is_discarded() || !patch.is_object()) {
    return Result<std::string>::failure(ErrorCode::InvalidArgument, "patch: expected a JSON object of conversations keys");
  }
  if (patch.empty()) return std::string(source);

  const Scanner scanner(source);
  const std::size_t root_open = scanner.skip_ws(0);
  std::size_t root_close = 0;
  const std::vector<Member> root = scanner.members(root_open, root_close);
  const Member* conversations = last_named(root, "conversations");

  std::vector<Edit> edits;
  if (conversations && source[conversations->value_begin] == '{') {
    std::size_t close = 0;
    const std::vector<Member> existing = scanner.members(conversations->value_begin, close);
    std::vector<std::string> added;
    for (const auto& [key, value] : patch.items()) {
      if (const Member* m = last_named(existing, key)) {
        edits.push_back(Edit{m->value_begin, m->value_end, value.dump()});
      } else {
        added.push_back(json(key).dump() + ":" + value.dump());
      }
    }
    if (!added.empty()) edits.push_back(append_members(close, existing.size(), added));
  } else if (conversations) {
    edits.push_back(Edit{conversations->value_begin, conversations->value_end, patch.dump()});
  } else {
    edits.push_back(append_members(root_close, root.size(), {std::string("\"conversations\":") + patch.dump()}));
  }
  return apply(source, std::move(edits));
}

}  // namespace flexcore::task_attributes
