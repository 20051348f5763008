#include "dotenv.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace flexcore::server {
namespace {
bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }
bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (is_space(s.front()) || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (is_space(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

Error line_error(std::size_t line, const std::string& what) {
  return Error{ErrorCode::InvalidArgument, ".env line " + std::to_string(line) + ": " + what};
}
}  // namespace

Result<std::map<std::string, std::string>> parse_dotenv(std::string_view text) {
  std::map<std::string, std::string> out;
  std::size_t line_number = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t end = text.find('\n', pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? text.npos : end - pos);
    pos = end == std::string_view::npos ? text.size() + 1 : end + 1;
    ++line_number;

    line = trim_spaces(line);
    if (line.empty() || line.front() == '#') continue;
    if (line.substr(0, 7) == "export " || line.substr(0, 7) == "export\t") {
      line = trim_spaces(line.substr(7));
    }
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return line_error(line_number, "expected NAME=value");
    }
    const std::string_view name = trim_spaces(line.substr(0, eq));
    if (name.empty() || !is_name_start(name.front())) {
      return line_error(line_number, "the name must start with a letter or '_'");
    }
    for (char c : name) {
      if (!is_name_char(c)) {
        return line_error(line_number, "the name may contain only letters, digits and '_'");
      }
    }
    std::string_view raw = trim_spaces(line.substr(eq + 1));
    std::string value;
    if (!raw.empty() && raw.front() == '\'') {
      const std::size_t close = raw.find('\'', 1);
      if (close == std::string_view::npos) return line_error(line_number, "unterminated ' quote");
      value = std::string(raw.substr(1, close - 1));
      const auto rest = trim_spaces(raw.substr(close + 1));
      if (!rest.empty() && rest.front() != '#') {
        return line_error(line_number, "unexpected text after the closing ' quote");
      }
    } else if (!raw.empty() && raw.front() == '"') {
      std::size_t i = 1;
      bool closed = false;
      for (; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\' && i + 1 < raw.size()) {
          const char next = raw[++i];
          switch (next) {
            case 'n': value += '\n'; break;
            case 't': value += '\t'; break;
            case 'r': value += '\r'; break;
            case '"': value += '"'; break;
            case '\\': value += '\\'; break;
            case '$': value += '$'; break;
            default:
              value += '\\';
              value += next;
          }
          continue;
        }
        value += c;
      }
      if (!closed) return line_error(line_number, "unterminated \" quote");
      const auto rest = trim_spaces(raw.substr(i + 1));
      if (!rest.empty() && rest.front() != '#') {
        return line_error(line_number, "unexpected text after the closing \" quote");
      }
    } else {
      std::size_t comment = std::string_view::npos;
      for (std::size_t i = 1; i < raw.size(); ++i) {
        if (raw[i] == '#' && is_space(raw[i - 1])) {
          comment = i;
          break;
        }
      }
      if (!raw.empty() && raw.front() == '#') comment = 0;
      value = std::string(trim_spaces(raw.substr(0, comment)));
    }
    out[std::string(name)] = std::move(value);
  }
  return out;
}

Result<std::map<std::string, std::string>> load_dotenv(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return Error{ErrorCode::NotFound, "env file " + path + " does not exist"};
    return Error{ErrorCode::InvalidArgument,
                 "env file " + path + " cannot be read: " + std::strerror(errno)};
  }
  if (!S_ISREG(info.st_mode)) {
    return Error{ErrorCode::InvalidArgument, "env file " + path + " is not a regular file"};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::InvalidArgument, "env file " + path + " cannot be opened"};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  auto parsed = parse_dotenv(buffer.str());
  if (!parsed) {
    return Error{parsed.error().code, path + ": " + parsed.error().message};
  }
  return parsed;
}

}  // namespace flexcore::server
