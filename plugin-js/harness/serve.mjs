#!/usr/bin/env node
/**
 * HTTP server for the flexcore harness page (node built-ins only). Listens on 127.0.0.1 only.
 *
 *   node plugin-js/harness/serve.mjs [--port 8090] [--bundle <plugin js>] [--server-url <flexcore-server URL>]
 *
 * Prints "flexcore harness: http://127.0.0.1:<port>/" once listening (--port 0 picks a free port).
 * Serves:
 *   /                        the harness page (harness/public/index.html) with a Content-Security-Policy
 *                            that allows WebAssembly ('wasm-unsafe-eval') but no eval; ?csp=no-wasm sends
 *                            the same policy without 'wasm-unsafe-eval', so the browser refuses to compile
 *                            the core (how a host page without that permission behaves)
 *   /harness/config.json     generated: bundle URL, ui_attributes (custom_data.features.flexcore.server_url
 *                            from --server-url), the harness user
 *   /harness/<file>          harness/public/<file>
 *   /vendor/react.js         react 17 UMD from plugin-js/node_modules (what Flex provides as an external)
 *   /vendor/react-dom.js     react-dom 17 UMD
 *   /plugin/plugin-flexcore.js(.map)   the production bundle built by `npm run build` (plugin-js/build)
 *   /harness/live/…          live mode only (--emulator-url …): the worker's reservations and the "Calls" strip's
 *                            actions, proxied to the emulator with Basic auth (see live.mjs)
 * Everything else is 404; methods other than GET/HEAD are 405.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createLiveRoutes, validateLive } from './live.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PLUGIN_DIR = path.resolve(HERE, '..');
const PUBLIC_DIR = path.join(HERE, 'public');
const HOST = '127.0.0.1';
const requireFromPlugin = createRequire(path.join(PLUGIN_DIR, 'package.json'));

/** Default location of the production bundle (`npm run build` in plugin-js). */
export const DEFAULT_BUNDLE = path.join(PLUGIN_DIR, 'build', 'plugin-flexcore.js');
export const DEFAULT_PORT = 8090;

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The page's Content-Security-Policy.
 * @param {{allowWasm: boolean, connectOrigins: string[]}} options
 */
export function contentSecurityPolicy({ allowWasm, connectOrigins, mediaOrigins = [] }) {
  return [
    "default-src 'self'",
    `script-src 'self'${allowWasm ? " 'wasm-unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    ...(mediaOrigins.length ? [`media-src 'self'${mediaOrigins.map((o) => ` ${o}`).join('')}`] : []),
    `connect-src 'self'${connectOrigins.map((o) => ` ${o}`).join('')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function validateServerUrl(value, option = '--server-url') {
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${option} must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${option} must use http or https, got ${url.protocol}`);
  }
  return url;
}

/**
 * Starts the harness server.
 * @param {{port?: number, bundlePath?: string, serverUrl?: string, log?: (line: string) => void}} [options]
 *   port: TCP port on 127.0.0.1 (0 = any free port); bundlePath: the plugin bundle to serve;
 *   serverUrl: flexcore-server base URL put into ui_attributes.
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>}>}
 */
export async function startHarnessServer({ port = DEFAULT_PORT, bundlePath = DEFAULT_BUNDLE, serverUrl, log = () => {}, tasksPath, taskRouter, live } = {}) {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`port must be an integer from 0 to 65535, got ${JSON.stringify(port)}`);
  }
  const server_url = serverUrl === undefined ? undefined : validateServerUrl(serverUrl).href.replace(/\/+$/, '');
  const connectOrigins = server_url ? [new URL(server_url).origin] : [];
  // Live desktop (issue 9): --emulator-url with the workspace, the signed-in worker and the account; it also
  // serves as the TaskRouter behind ITask.setAttributes unless --taskrouter-url says otherwise.
  const liveTarget = live ? validateLive({ ...live, serverUrl: server_url }, validateServerUrl) : undefined;
  if (liveTarget && !taskRouter) {
    taskRouter = { url: `${liveTarget.base}/taskrouter`, workspaceSid: liveTarget.workspaceSid, accountSid: liveTarget.accountSid, authToken: liveTarget.authToken };
  }
  const handleLive = liveTarget ? createLiveRoutes(liveTarget, { log }) : undefined;
  const mediaOrigins = liveTarget ? [new URL(liveTarget.base).origin] : [];
  // Hang up by (issue 8): optional task list file and a TaskRouter stand-in for ITask.setAttributes.
  const taskRouterTarget = taskRouter ? validateTaskRouter(taskRouter) : undefined;
  const tasksFile = tasksPath ? path.resolve(tasksPath) : undefined;
  const vendor = {
    '/vendor/react.js': requireFromPlugin.resolve('react/umd/react.production.min.js'),
    '/vendor/react-dom.js': requireFromPlugin.resolve('react-dom/umd/react-dom.production.min.js'),
  };
  const bundle = path.resolve(bundlePath);
  const routes = {
    ...vendor,
    '/plugin/plugin-flexcore.js': bundle,
    '/plugin/plugin-flexcore.js.map': `${bundle}.map`,
  };

  const config = {
    bundleUrl: '/plugin/plugin-flexcore.js',
    accountSid: liveTarget ? liveTarget.accountSid : 'ACffffffffffffffffffffffffffffffff',
    workerSid: liveTarget ? liveTarget.workerSid : 'WK0123456789abcdef0123456789abcdef',
    user: { identity: 'harness-agent', roles: ['agent'], token: 'harness-token-not-a-flex-token' },
    taskRouter: Boolean(taskRouterTarget),
    ...(liveTarget ? { live: { workerSid: liveTarget.workerSid, workspaceSid: liveTarget.workspaceSid, pollMs: 1000 } } : {}),
    ui_attributes: {
      custom_data: { features: { flexcore: { enabled: true, ...(server_url ? { server_url } : {}) } } },
    },
  };

  const send = (res, status, type, body, headers = {}) => {
    res.writeHead(status, {
      'Content-Type': type,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    });
    res.end(body);
  };

  const sendFile = async (req, res, file, headers = {}) => {
    let info;
    try {
      info = await stat(file);
    } catch {
      info = undefined;
    }
    if (!info || !info.isFile()) {
      const hint = file === bundle ? ' (build the plugin first: npm run build in plugin-js)' : '';
      send(res, 404, MIME['.txt'], `not found: ${path.relative(PLUGIN_DIR, file)}${hint}\n`);
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(file)] || 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  };

  const server = http.createServer((req, res) => {
    const handle = async () => {
      if (handleLive && (await handleLive(req, res, send))) return;
      if (taskRouterTarget && req.method === 'POST' && req.url.startsWith('/harness/taskrouter/tasks/')) {
        await forwardSetAttributes(req, res, taskRouterTarget, send);
        return;
      }
      if (tasksFile && (req.method === 'GET' || req.method === 'HEAD') && req.url.split('?')[0] === '/harness/fixtures/tasks.json') {
        await sendFile(req, res, tasksFile);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, MIME['.txt'], 'method not allowed\n', { Allow: 'GET, HEAD' });
        return;
      }
      const url = new URL(req.url, `http://${HOST}`);
      let pathname;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        send(res, 400, MIME['.txt'], `malformed percent-encoding in path: ${url.pathname}\n`);
        return;
      }
      log(`${req.method} ${url.pathname}${url.search}`);
      if (pathname === '/' || pathname === '/index.html') {
        const csp = url.searchParams.get('csp');
        if (csp !== null && csp !== 'no-wasm') {
          send(res, 400, MIME['.txt'], `csp must be "no-wasm" when given, got ${JSON.stringify(csp)}\n`);
          return;
        }
        await sendFile(req, res, path.join(PUBLIC_DIR, 'index.html'), {
          'Content-Security-Policy': contentSecurityPolicy({ allowWasm: csp !== 'no-wasm', connectOrigins, mediaOrigins }),
        });
        return;
      }
      if (pathname === '/harness/config.json') {
        send(res, 200, MIME['.json'], `${JSON.stringify(config, null, 2)}\n`);
        return;
      }
      if (pathname === '/favicon.ico') {
        send(res, 204, MIME['.txt'], '');
        return;
      }
      if (routes[pathname]) {
        await sendFile(req, res, routes[pathname]);
        return;
      }
      if (pathname.startsWith('/harness/')) {
        const file = path.resolve(PUBLIC_DIR, `.${pathname.slice('/harness'.length)}`);
        if (!file.startsWith(`${PUBLIC_DIR}${path.sep}`)) {
          send(res, 404, MIME['.txt'], 'not found\n');
          return;
        }
        await sendFile(req, res, file);
        return;
      }
      send(res, 404, MIME['.txt'], `not found: ${url.pathname}\n`);
    };
    handle().catch((error) => {
      if (!res.headersSent) send(res, 500, MIME['.txt'], `harness server error: ${error.message}\n`);
      else res.destroy(error);
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = server.address().port;
  return {
    url: `http://${HOST}:${actualPort}/`,
    port: actualPort,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Checks the TaskRouter stand-in settings: {url, workspaceSid, accountSid, authToken}. */
function validateTaskRouter({ url, workspaceSid, accountSid, authToken }) {
  const base = validateServerUrl(url).href.replace(/\/+$/, '');
  if (!/^WS[0-9a-fA-F]{32}$/.test(workspaceSid || '')) throw new Error('--workspace-sid must be WS followed by 32 hex digits');
  if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid || '')) throw new Error('--account-sid must be AC followed by 32 hex digits');
  if (!authToken) throw new Error('FLEXCORE_HARNESS_AUTH_TOKEN must be set with --taskrouter-url');
  return { base, workspaceSid, accountSid, authToken };
}

/**
 * POST /harness/taskrouter/tasks/<Task SID> {"attributes": {...}}: what the TaskRouter JS SDK does for
 * Flex's ITask.setAttributes — replaces the task's attributes (POST …/Tasks/<WT> Attributes=…, Basic auth).
 * Answers TaskRouter's status and body. The Auth Token stays in this process (never sent to the page).
 */
async function forwardSetAttributes(req, res, target, send) {
  const sid = req.url.slice('/harness/taskrouter/tasks/'.length).split('?')[0];
  if (!/^WT[0-9a-fA-F]{32}$/.test(sid)) {
    send(res, 400, MIME['.txt'], 'Task SID must be WT followed by 32 hex digits\n');
    return;
  }
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 65536) {
      send(res, 413, MIME['.txt'], 'body too large\n');
      return;
    }
  }
  let attributes;
  try {
    attributes = JSON.parse(body).attributes;
  } catch {
    attributes = undefined;
  }
  if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) {
    send(res, 400, MIME['.txt'], 'expected {"attributes": {...}}\n');
    return;
  }
  const answer = await fetch(`${target.base}/v1/Workspaces/${target.workspaceSid}/Tasks/${sid}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${target.accountSid}:${target.authToken}`).toString('base64')}`,
    },
    body: new URLSearchParams({ Attributes: JSON.stringify(attributes) }).toString(),
  });
  send(res, answer.status, MIME['.json'], await answer.text());
}

const USAGE = `usage: node plugin-js/harness/serve.mjs [--port <0-65535>] [--bundle <file>] [--server-url <url>]
  --port        TCP port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 = any free port)
  --bundle      plugin bundle to serve (default plugin-js/build/plugin-flexcore.js)
  --server-url  flexcore-server base URL, given to the plugin as ui_attributes ...features.flexcore.server_url
  --tasks       task list JSON to show instead of harness/public/fixtures/tasks.json
  --taskrouter-url, --workspace-sid, --account-sid
                TaskRouter (e.g. the emulator's …/taskrouter) for ITask.setAttributes; the Auth Token is
                read from FLEXCORE_HARNESS_AUTH_TOKEN
  --emulator-url, --workspace-sid, --worker-sid, --account-sid
                live desktop: the task list shows this worker's reservations in the emulator's TaskRouter and
                the "Calls" strip plays calls there (Auth Token from FLEXCORE_HARNESS_AUTH_TOKEN)
  --server-public-url
                the public URL flexcore-server validates Twilio signatures against (FLEXCORE_PUBLIC_URL), when set
`;

/** Parses the command line; throws Error with a message naming the bad option. */
export function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      i += 1;
      if (i >= argv.length) throw new Error(`${name} needs a value`);
      return argv[i];
    };
    switch (name) {
      case '--port': {
        const raw = value();
        if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) throw new Error(`--port must be an integer from 0 to 65535, got ${JSON.stringify(raw)}`);
        options.port = Number(raw);
        break;
      }
      case '--bundle':
        options.bundlePath = value();
        break;
      case '--server-url':
        options.serverUrl = value();
        break;
      case '--tasks':
        options.tasksPath = value();
        break;
      case '--taskrouter-url':
        options.taskRouter = { ...options.taskRouter, url: value() };
        break;
      case '--workspace-sid':
        options.workspaceSid = value();
        break;
      case '--account-sid':
        options.accountSid = value();
        break;
      case '--emulator-url':
        options.live = { ...options.live, emulatorUrl: value() };
        break;
      case '--worker-sid':
        options.live = { ...options.live, workerSid: value() };
        break;
      case '--server-public-url':
        options.live = { ...options.live, serverPublicUrl: value() };
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new Error(`unknown option ${JSON.stringify(arg)}`);
    }
  }
  // --workspace-sid / --account-sid belong to the TaskRouter stand-in and to the live desktop, whichever is given.
  const { workspaceSid, accountSid } = options;
  delete options.workspaceSid;
  delete options.accountSid;
  if (options.taskRouter || (!options.live && (workspaceSid !== undefined || accountSid !== undefined))) {
    options.taskRouter = { ...options.taskRouter, ...(workspaceSid !== undefined ? { workspaceSid } : {}), ...(accountSid !== undefined ? { accountSid } : {}) };
  }
  if (options.live) options.live = { ...options.live, ...(workspaceSid !== undefined ? { workspaceSid } : {}), ...(accountSid !== undefined ? { accountSid } : {}) };
  return options;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`serve.mjs: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (options.taskRouter) options.taskRouter = { ...options.taskRouter, authToken: process.env.FLEXCORE_HARNESS_AUTH_TOKEN };
  if (options.live) options.live = { ...options.live, authToken: process.env.FLEXCORE_HARNESS_AUTH_TOKEN };
  let server;
  try {
    server = await startHarnessServer({
      ...options,
      log: process.env.FLEXCORE_HARNESS_LOG ? (line) => process.stderr.write(`${line}\n`) : undefined,
    });
  } catch (error) {
    process.stderr.write(`serve.mjs: ${error.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`flexcore harness: ${server.url}\n`);
  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
