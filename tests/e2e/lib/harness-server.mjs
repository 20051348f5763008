// Starts the plugin harness server (plugin-js/harness/serve.mjs) as a separate process on 127.0.0.1 with a
// free port, exactly as scripts/demo runs it, and reads the URL it prints.
import { HARNESS_SERVER } from './paths.mjs';
import { startListeningProcess } from './process.mjs';

/**
 * @param {{bundlePath?: string, serverUrl?: string, tasksPath?: string, taskRouterUrl?: string,
 *   workspaceSid?: string, accountSid?: string, authToken?: string}} [options] passed as --bundle / --server-url /
 *   --tasks / --taskrouter-url / --workspace-sid / --account-sid; `authToken` (the TaskRouter stand-in's Basic
 *   auth secret) as FLEXCORE_HARNESS_AUTH_TOKEN, never on the command line. FLEXCORE_HARNESS_LOG is passed on.
 *   Live desktop (issue 9): `emulatorUrl` / `workerSid` / `serverPublicUrl` as --emulator-url / --worker-sid /
 *   --server-public-url (with workspaceSid, accountSid and authToken): the task list shows that worker's reservations.
 * @returns {Promise<{url: string, stop: () => Promise<void>, output: () => string}>} `url` ends with '/'
 */
export function startHarness({ bundlePath, serverUrl, tasksPath, taskRouterUrl, workspaceSid, accountSid, authToken, emulatorUrl, workerSid, serverPublicUrl } = {}) {
  const args = [HARNESS_SERVER, '--port', '0'];
  const flags = {
    '--bundle': bundlePath,
    '--server-url': serverUrl,
    '--tasks': tasksPath,
    '--taskrouter-url': taskRouterUrl,
    '--workspace-sid': workspaceSid,
    '--account-sid': accountSid,
    '--emulator-url': emulatorUrl,
    '--worker-sid': workerSid,
    '--server-public-url': serverPublicUrl,
  };
  for (const [flag, value] of Object.entries(flags)) if (value) args.push(flag, value);
  const env = { FLEXCORE_HARNESS_AUTH_TOKEN: authToken, FLEXCORE_HARNESS_LOG: process.env.FLEXCORE_HARNESS_LOG };
  return startListeningProcess('harness server', process.execPath, args, env, {
    pattern: /flexcore harness: (http:\/\/127\.0\.0\.1:\d+\/)/,
    cwd: process.cwd(),
  });
}
