#pragma once
/// @file version.h
/// The flexcore version (semantic versioning), the same for the core, the npm package and the server.

#include <string_view>

namespace flexcore {

/// "MAJOR.MINOR.PATCH", taken from the top-level CMake project version.
std::string_view version() noexcept;

}  // namespace flexcore
