// Starts the plugin harness server (plugin-js/harness/serve.mjs) as a separate process on 127.0.0.1 with a
// free port, exactly as scripts/demo runs it, and reads the URL it prints.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

import { HARNESS_SERVER } from './paths.mjs';

/**
 * @param {{bundlePath?: string, serverUrl?: string}} [options] passed as --bundle / --server-url
 * @returns {Promise<{url: string, stop: () => Promise<void>, output: () => string}>}
 */
export async function startHarness({ bundlePath, serverUrl } = {}) {
  const args = [HARNESS_SERVER, '--port', '0'];
  if (bundlePath) args.push('--bundle', bundlePath);
  if (serverUrl) args.push('--server-url', serverUrl);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const url = await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const match = /flexcore harness: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (match) {
        child.stdout.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`harness server exited with ${code} before listening:\n${output}`)));
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
