#include "http/params.h"

#include <set>

namespace flexcore::server {

bool is_valid_utf8(std::string_view text) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;  // at most U+10FFFF
    } else {
      return false;
    }
    if (i + len > n) return false;
    if (s[i + 1] < lo || s[i + 1] > hi) return false;
    for (std::size_t k = 2; k < len; ++k) {
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

namespace {
int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Decodes [begin, end) of `text`; `offset` is the position of begin in the whole text.
Result<std::string> decode_component(std::string_view part, std::size_t offset, std::string_view what) {
  std::string out;
  out.reserve(part.size());
  for (std::size_t i = 0; i < part.size(); ++i) {
    const char c = part[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      const int high = i + 1 < part.size() ? hex_value(part[i + 1]) : -1;
      const int low = i + 2 < part.size() ? hex_value(part[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return Error{ErrorCode::InvalidArgument,
                     "malformed " + std::string(what) + ": invalid percent-escape at byte " +
                         std::to_string(offset + i) + " (expected % followed by two hex digits)"};
      }
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

/// A parameter name safe to quote in a message (printable ASCII, at most 64 characters).
std::string quotable_name(std::string_view name) {
  std::string out;
  for (char c : name.substr(0, 64)) {
    out += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? c : '?';
  }
  return out;
}
}  // namespace

Result<Params> decode_form(std::string_view text, std::string_view what) {
  Params out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('&', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view pair = text.substr(pos, end - pos);
    if (!pair.empty()) {
      const std::size_t eq = pair.find('=');
      const std::string_view raw_name = pair.substr(0, eq);
      const std::string_view raw_value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
      auto name = decode_component(raw_name, pos, what);
      if (!name) return name.error();
      auto value = decode_component(raw_value, pos + raw_name.size() + 1, what);
      if (!value) return value.error();
      if (name.value().empty()) {
        return Error{ErrorCode::InvalidArgument,
                     "malformed " + std::string(what) + ": empty parameter name at byte " + std::to_string(pos)};
      }
      if (!is_valid_utf8(name.value())) {
        return Error{ErrorCode::InvalidArgument, std::string(what) + " has a parameter name that is not valid UTF-8"};
      }
      if (!is_valid_utf8(value.value())) {
        return Error{ErrorCode::InvalidArgument, std::string(what) + " parameter \"" +
                                                     quotable_name(name.value()) + "\" is not valid UTF-8"};
      }
      out.emplace_back(std::move(name).value(), std::move(value).value());
    }
    pos = end + 1;
  }
  return out;
}

namespace {
struct JsonBodyError {
  std::string message;
};
}  // namespace

Result<nlohmann::json> parse_json_body(std::string_view body) {
  if (!is_valid_utf8(body)) {
    return Error{ErrorCode::InvalidArgument, "JSON body is not valid UTF-8"};
  }
  std::vector<std::set<std::string>> keys;
  auto callback = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) -> bool {
    using Event = nlohmann::json::parse_event_t;
    if ((event == Event::object_start || event == Event::array_start) && depth >= kMaxJsonDepth) {
      throw JsonBodyError{"JSON body is nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"};
    }
    if (event == Event::object_start) {
      keys.emplace_back();
    } else if (event == Event::object_end) {
      if (!keys.empty()) keys.pop_back();
    } else if (event == Event::key && !keys.empty() && parsed.is_string()) {
      const auto& key = parsed.get_ref<const std::string&>();
      if (!keys.back().insert(key).second) {
        throw JsonBodyError{"JSON body has the key \"" + quotable_name(key) + "\" twice"};
      }
    }
    return true;
  };
  try {
    return nlohmann::json::parse(body.begin(), body.end(), callback);
  } catch (const JsonBodyError& error) {
    return Error{ErrorCode::InvalidArgument, error.message};
  } catch (const nlohmann::json::parse_error& error) {
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error while
    //  parsing value - invalid literal; last read: '...'" — keep the position and the reason, drop
    //  the echoed input.
    std::string what = error.what();
    const std::size_t at = what.find("at line ");
    std::string reason = at == std::string::npos ? what : what.substr(at);
    const std::size_t last = reason.find("; last read");
    if (last != std::string::npos) reason.resize(last);
    return Error{ErrorCode::InvalidArgument, "malformed JSON body " + reason};
  } catch (const nlohmann::json::exception&) {
    return Error{ErrorCode::InvalidArgument, "malformed JSON body"};
  }
}

}  // namespace flexcore::server
