#pragma once
/// @file path_template.h
/// OpenAPI-style path templates (`/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}`,
/// `/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json`) and the path globs of the control API
/// (`/v1/Accounts/*/Tokens/validate`, `/taskrouter/**`). Used by the router and the OpenAPI checker.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace flexcore::emulator {

/// Path parameters captured by a template match, by name (`{"WorkspaceSid": "WS…"}`).
using PathParams = std::map<std::string, std::string>;

/// Splits a path at `/` after the leading one: `/a/b` → {"a","b"}, `/` → {""}, `` → {}.
/// With `decode`, each segment is percent-decoded separately (so `%2F` stays inside its segment).
std::vector<std::string> split_path(std::string_view path, bool decode);

/// One parsed path template. A segment is either literal text or `prefix{Name}suffix`
/// (at most one parameter per segment, e.g. `{Sid}.json`).
class PathTemplate {
 public:
  /// Parses `text`, which must start with `/`. Throws std::invalid_argument naming the problem
  /// (unbalanced braces, empty parameter name, two parameters in one segment).
  explicit PathTemplate(std::string_view text);

  /// The template as written.
  const std::string& text() const noexcept { return text_; }
  /// Number of `/`-separated segments.
  std::size_t segment_count() const noexcept { return segments_.size(); }
  /// Names of the parameters in order of appearance.
  std::vector<std::string> parameter_names() const;

  /// Matches already split (and decoded) segments. On success fills `params` (if not null) and
  /// returns true. A parameter matches one non-empty segment (minus the literal prefix/suffix).
  bool match(const std::vector<std::string>& segments, PathParams* params) const;

  /// Specificity for choosing between two templates that both match a path: per segment 2 for a
  /// literal, 1 for a parameter with literal prefix/suffix, 0 for a bare parameter. Compare
  /// lexicographically; larger is more specific (`/TaskQueues/Statistics` beats `/TaskQueues/{Sid}`).
  const std::vector<int>& specificity() const noexcept { return specificity_; }

 private:
  struct Segment {
    bool is_param = false;
    std::string literal;  // whole segment when !is_param
    std::string prefix, name, suffix;
  };
  std::string text_;
  std::vector<Segment> segments_;
  std::vector<int> specificity_;
};

/// Matches a path against a control-API glob: segments are compared with shell wildcards inside a
/// segment (`*` any run of characters, `?` one character, `[…]` a set; fnmatch(3) without flags), a
/// segment `**` matches zero or more whole segments. `*` alone therefore matches exactly one segment.
/// Both are `/`-separated and compared without decoding.
bool glob_match(std::string_view glob, std::string_view path);

}  // namespace flexcore::emulator
