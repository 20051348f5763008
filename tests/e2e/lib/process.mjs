// Spawns a test process (flexcore-emulator, flexcore-server, the harness server) and waits for the readiness
// line it prints on stdout with its URL on 127.0.0.1 (each listens on a free port: --port 0).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';

/**
 * Spawns `bin` with `args` and waits for `<name> listening on http://127.0.0.1:<port>` on stdout.
 * The child gets only PATH plus `env` (nothing else of this process's environment) and runs in `cwd`.
 * @param {string} name program name in the readiness line (and in error messages)
 * @param {string} bin executable path
 * @param {string[]} [args]
 * @param {Record<string, string | undefined>} [env] extra environment variables (undefined values are left out)
 * @param {{pattern?: RegExp, cwd?: string, readyTimeoutMs?: number}} [options]
 *   `pattern`: another readiness line, its first group the URL (default `<name> listening on (http://127.0.0.1:<port>)`);
 *   `cwd`: working directory (default the system temporary directory, so no project .env file is read);
 *   `readyTimeoutMs`: the child is killed and the promise rejects when no readiness line came by then (ms, default
 *   60000: a guard against a hung start, not a performance assertion).
 * @returns {Promise<{url: string, stop: () => Promise<void>, output: () => string}>} `url` as captured (no
 *   trailing slash unless the pattern captures one); `output()` is stdout + stderr so far; `stop()` sends SIGTERM
 *   and waits for the exit.
 */
export async function startListeningProcess(name, bin, args = [], env = {}, options = {}) {
  const {
    pattern = new RegExp(`${name} listening on (http://127\\.0\\.0\\.1:\\d+)`),
    cwd = tmpdir(),
    readyTimeoutMs = 60000,
  } = options;
  const childEnv = { PATH: process.env.PATH };
  for (const [key, value] of Object.entries(env)) if (value !== undefined) childEnv[key] = value;
  const child = spawn(bin, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  let timer;
  const url = await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const match = pattern.exec(output);
      if (match) {
        child.stdout.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`${name} exited with ${code ?? signal} before listening:\n${output}`)));
    child.once('error', reject);
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} printed no readiness line within ${readyTimeoutMs} ms:\n${output}`));
    }, readyTimeoutMs);
  }).finally(() => clearTimeout(timer));
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

/**
 * Stops what a spec started, in the order given (pass the newest first): `close()` for a browser session
 * (lib/browser.mjs), `stop()` for a process of startListeningProcess(); undefined ones (a before() that failed
 * half-way) are skipped.
 * @param {...({close: () => Promise<void>} | {stop: () => Promise<void>} | undefined)} resources
 */
export async function stopAll(...resources) {
  for (const resource of resources) {
    if (!resource) continue;
    if (typeof resource.close === 'function') await resource.close();
    else await resource.stop();
  }
}
