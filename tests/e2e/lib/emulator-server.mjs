// Starts flexcore-emulator and flexcore-server as separate processes on 127.0.0.1 (free ports), exactly as
// scripts/demo does, and reads the readiness line each prints. Binaries come from the native-debug build
// unless FLEXCORE_EMULATOR_BIN / FLEXCORE_SERVER_BIN say otherwise.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { REPO_ROOT } from './paths.mjs';

/** flexcore-emulator (tests/emulator). */
export const EMULATOR_BIN =
  process.env.FLEXCORE_EMULATOR_BIN || path.join(REPO_ROOT, 'build', 'native-debug', 'tests', 'emulator', 'flexcore-emulator');
/** flexcore-server (server/). */
export const SERVER_BIN = process.env.FLEXCORE_SERVER_BIN || path.join(REPO_ROOT, 'build', 'native-debug', 'server', 'flexcore-server');

/**
 * Spawns `bin` with `args` and waits for `<name> listening on http://127.0.0.1:<port>` on stdout.
 * @returns {Promise<{url: string, stop: () => Promise<void>, output: () => string}>}
 */
export async function startListeningProcess(name, bin, args = [], env = {}) {
  const child = spawn(bin, args, { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, ...env } });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const url = await new Promise((resolve, reject) => {
    const pattern = new RegExp(`${name} listening on (http://127\\.0\\.0\\.1:\\d+)`);
    const onData = (chunk) => {
      output += chunk;
      const match = pattern.exec(output);
      if (match) {
        child.stdout.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before listening:\n${output}`)));
    child.once('error', reject);
  });
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Starts the emulator on a free port. */
export function startEmulator(args = []) {
  return startListeningProcess('flexcore-emulator', EMULATOR_BIN, ['--port', '0', ...args]);
}

/**
 * Starts flexcore-server on a free port with `env` (settings as environment variables; it runs in the system
 * temporary directory, so no project .env file is read).
 */
export function startServer(env) {
  return startListeningProcess('flexcore-server', SERVER_BIN, ['--port', '0'], { FLEXCORE_LOG_LEVEL: 'warn', ...env });
}

/** JSON call to the emulator's control API (`/__emulator` + path); throws unless the status is `expected`. */
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
