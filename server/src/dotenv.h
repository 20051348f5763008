#pragma once
/// @file dotenv.h
/// The optional `.env` file (one `NAME=value` per line), the lowest-precedence configuration source
/// above the built-in defaults.

#include <map>
#include <string>
#include <string_view>

#include "flexcore/result.h"

namespace flexcore::server {

/// Parses `.env` text. Accepted per line: blank lines; `# comments`; `NAME=value`; `export NAME=value`.
/// NAME matches [A-Za-z_][A-Za-z0-9_]*. Values: unquoted (surrounding whitespace trimmed, a ` #`
/// starts a comment), 'single quoted' (literal), or "double quoted" (escapes \n \t \r \" \\ \$).
/// A later line overrides an earlier one for the same NAME.
/// Errors: InvalidArgument naming the line number and what was expected (values are not echoed:
/// they may be secrets).
Result<std::map<std::string, std::string>> parse_dotenv(std::string_view text);

/// Reads and parses the file at `path`. Errors: NotFound when the file does not exist,
/// InvalidArgument (with the path and line) when it cannot be read or parsed.
Result<std::map<std::string, std::string>> load_dotenv(const std::string& path);

}  // namespace flexcore::server
