// Starts flexcore-emulator and flexcore-server as separate processes on 127.0.0.1 (free ports), exactly as
// scripts/demo does, and reads the readiness line each prints. The binaries are EMULATOR_BIN / SERVER_BIN of
// lib/paths.mjs (the native build dir: FLEXCORE_NATIVE_BUILD, default build/native-debug).
import { EMULATOR_BIN, SERVER_BIN } from './paths.mjs';
import { startListeningProcess } from './process.mjs';

export { EMULATOR_BIN, SERVER_BIN, startListeningProcess };

/** Starts the emulator on a free port; `args` are more command-line options (e.g. --account-sid, --auth-token). */
export function startEmulator(args = []) {
  return startListeningProcess('flexcore-emulator', EMULATOR_BIN, ['--port', '0', ...args]);
}

/**
 * Starts flexcore-server on a free port with `env` (settings as environment variables; FLEXCORE_LOG_LEVEL is
 * `warn` unless `env` says otherwise). It runs in `cwd` (default the system temporary directory), so no project
 * .env file is read.
 * @param {Record<string, string>} env
 * @param {{cwd?: string}} [options]
 */
export function startServer(env, { cwd } = {}) {
  return startListeningProcess('flexcore-server', SERVER_BIN, ['--port', '0'], { FLEXCORE_LOG_LEVEL: 'warn', ...env }, { cwd });
}

/**
 * JSON call to the emulator's control API (`/__emulator` + path); `body` is an object (sent as JSON) or a JSON
 * string. Throws unless the HTTP status is `expected` (each control route's status: tests/emulator/README.md).
 * @returns {Promise<any>} the parsed JSON answer, or null for an empty body (204)
 */
export async function emulatorControl(emulatorUrl, method, controlPath, body, expected = 200) {
  const res = await fetch(`${emulatorUrl}/__emulator${controlPath}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== expected) throw new Error(`${method} /__emulator${controlPath}: ${res.status} ${text}`);
  return text === '' ? null : JSON.parse(text);
}
