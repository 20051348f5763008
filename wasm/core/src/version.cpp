#include "flexcore/version.h"

#ifndef FLEXCORE_VERSION
#error "FLEXCORE_VERSION must be defined by the build (see wasm/core/CMakeLists.txt)"
#endif

namespace flexcore {

std::string_view version() noexcept { return FLEXCORE_VERSION; }

}  // namespace flexcore
