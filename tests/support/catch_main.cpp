// Catch2 v2 main for the wasm test runners (native tests link Debian's prebuilt Catch2WithMain).
// Kept in its own translation unit: it is the slowest file to compile (~20 s under em++).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
