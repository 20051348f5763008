// Where the e2e tests find the things they test. Everything is built by the project's own commands
// (cmake --build --preset wasm-release; npm run build in plugin-js); the tests never build anything.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const REPO_ROOT = path.resolve(E2E_DIR, '..', '..');
export const ARTIFACTS_DIR = path.join(E2E_DIR, 'artifacts');

/** The browser build of the Catch2 core suite (tests/core/CMakeLists.txt, target core_tests_web). */
export const CORE_SUITE_JS =
  process.env.FLEXCORE_CORE_SUITE_JS ||
  path.join(REPO_ROOT, 'build', 'wasm-release', 'tests', 'core', 'core-tests.web.js');

/** The harness HTTP server of the plugin (plugin-js/harness/serve.mjs). */
export const HARNESS_SERVER = path.join(REPO_ROOT, 'plugin-js', 'harness', 'serve.mjs');

/** The production bundle the Flex tooling builds (`npm run build` in plugin-js); FLEXCORE_HARNESS_BUNDLE overrides. */
export const PLUGIN_BUNDLE =
  process.env.FLEXCORE_HARNESS_BUNDLE || path.join(REPO_ROOT, 'plugin-js', 'build', 'plugin-flexcore.js');

/** The npm package's node entry (ESM), used as the reference: the same core, run in node. */
export const PACKAGE_NODE_ENTRY = path.join(REPO_ROOT, 'wasm', 'package', 'dist', 'node', 'index.mjs');

/**
 * The native build directory holding flexcore-emulator and flexcore-server: FLEXCORE_NATIVE_BUILD (the one
 * variable for it; FLEXCORE_E2E_BUILD is still read as an old alias), default build/native-debug
 * (cmake --build --preset native-debug).
 */
export const NATIVE_BUILD =
  process.env.FLEXCORE_NATIVE_BUILD || process.env.FLEXCORE_E2E_BUILD || path.join(REPO_ROOT, 'build', 'native-debug');

/** The native upstream emulator (tests/emulator) in NATIVE_BUILD; FLEXCORE_EMULATOR_BIN overrides this one binary. */
export const EMULATOR_BIN = process.env.FLEXCORE_EMULATOR_BIN || path.join(NATIVE_BUILD, 'tests', 'emulator', 'flexcore-emulator');
/** flexcore-server (server/) in NATIVE_BUILD; FLEXCORE_SERVER_BIN overrides this one binary. */
export const SERVER_BIN = process.env.FLEXCORE_SERVER_BIN || path.join(NATIVE_BUILD, 'server', 'flexcore-server');
