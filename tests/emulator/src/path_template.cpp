#include "path_template.h"

#include "http_util.h"

#include <fnmatch.h>

#include <stdexcept>

namespace flexcore::emulator {

std::vector<std::string> split_path(std::string_view path, bool decode) {
  std::vector<std::string> out;
  if (path.empty()) return out;
  if (path.front() == '/') path.remove_prefix(1);
  for (;;) {
    const auto slash = path.find('/');
    const std::string_view piece = path.substr(0, slash);
    out.push_back(decode ? url_decode(piece, false) : std::string(piece));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

PathTemplate::PathTemplate(std::string_view text) : text_(text) {
  if (text.empty() || text.front() != '/') {
    throw std::invalid_argument("path template '" + text_ + "' must start with '/'");
  }
  for (const auto& piece : split_path(text, false)) {
    Segment segment;
    const auto open = piece.find('{');
    const auto close = piece.find('}');
    if (open == std::string::npos && close == std::string::npos) {
      segment.literal = piece;
      specificity_.push_back(2);
    } else {
      if (open == std::string::npos || close == std::string::npos || close < open) {
        throw std::invalid_argument("path template '" + text_ + "': unbalanced braces in segment '" + piece + "'");
      }
      if (piece.find('{', open + 1) != std::string::npos || piece.find('}', close + 1) != std::string::npos) {
        throw std::invalid_argument("path template '" + text_ + "': more than one parameter in segment '" + piece + "'");
      }
      segment.is_param = true;
      segment.prefix = piece.substr(0, open);
      segment.name = piece.substr(open + 1, close - open - 1);
      segment.suffix = piece.substr(close + 1);
      if (segment.name.empty()) {
        throw std::invalid_argument("path template '" + text_ + "': empty parameter name in segment '" + piece + "'");
      }
      specificity_.push_back(segment.prefix.empty() && segment.suffix.empty() ? 0 : 1);
    }
    segments_.push_back(std::move(segment));
  }
}

std::vector<std::string> PathTemplate::parameter_names() const {
  std::vector<std::string> names;
  for (const auto& segment : segments_) {
    if (segment.is_param) names.push_back(segment.name);
  }
  return names;
}

bool PathTemplate::match(const std::vector<std::string>& segments, PathParams* params) const {
  if (segments.size() != segments_.size()) return false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Segment& t = segments_[i];
    const std::string& s = segments[i];
    if (!t.is_param) {
      if (s != t.literal) return false;
      continue;
    }
    if (s.size() <= t.prefix.size() + t.suffix.size()) return false;  // the parameter itself is non-empty
    if (s.compare(0, t.prefix.size(), t.prefix) != 0) return false;
    if (s.compare(s.size() - t.suffix.size(), t.suffix.size(), t.suffix) != 0) return false;
  }
  if (params != nullptr) {
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const Segment& t = segments_[i];
      if (!t.is_param) continue;
      const std::string& s = segments[i];
      (*params)[t.name] = s.substr(t.prefix.size(), s.size() - t.prefix.size() - t.suffix.size());
    }
  }
  return true;
}

namespace {

bool glob_segments(const std::vector<std::string>& glob, std::size_t gi, const std::vector<std::string>& path,
                   std::size_t pi) {
  while (gi < glob.size()) {
    if (glob[gi] == "**") {
      // Collapse consecutive `**`, then try every possible split point.
      while (gi + 1 < glob.size() && glob[gi + 1] == "**") ++gi;
      if (gi + 1 == glob.size()) return true;
      for (std::size_t k = pi; k <= path.size(); ++k) {
        if (glob_segments(glob, gi + 1, path, k)) return true;
      }
      return false;
    }
    if (pi >= path.size()) return false;
    if (fnmatch(glob[gi].c_str(), path[pi].c_str(), 0) != 0) return false;
    ++gi;
    ++pi;
  }
  return pi == path.size();
}

}  // namespace

bool glob_match(std::string_view glob, std::string_view path) {
  if (glob.empty() || path.empty()) return glob == path;
  return glob_segments(split_path(glob, false), 0, split_path(path, false), 0);
}

}  // namespace flexcore::emulator
