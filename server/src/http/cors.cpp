#include "http/cors.h"

#include <cctype>

namespace flexcore::server {
namespace {
std::string normalise(std::string_view origin) {
  std::string out;
  for (char c : origin) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}
}  // namespace

bool cors_origin_allowed(const Config& config, std::string_view origin) {
  if (origin.empty()) return false;
  if (config.cors_any_origin()) return true;
  const std::string wanted = normalise(origin);
  for (const auto& allowed : config.cors_origins) {
    if (normalise(allowed) == wanted) return true;
  }
  return false;
}

std::vector<std::pair<std::string, std::string>> cors_headers(const Config& config, std::string_view origin) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!origin.empty() && cors_origin_allowed(config, origin)) {
    if (config.cors_any_origin()) {
      headers.emplace_back("Access-Control-Allow-Origin", "*");
    } else {
      headers.emplace_back("Access-Control-Allow-Origin", std::string(origin));
      headers.emplace_back("Vary", "Origin");
    }
  }
  headers.emplace_back("Access-Control-Allow-Methods", std::string(kCorsAllowMethods));
  headers.emplace_back("Access-Control-Allow-Headers", std::string(kCorsAllowHeaders));
  return headers;
}

}  // namespace flexcore::server
