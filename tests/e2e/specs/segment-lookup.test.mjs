// Issue 4 end to end: the Segment Lookup panel of the real plugin bundle (harness page, headless chromium)
// → flexcore-server (/get-segment-id, Flex-token auth against IAM) → flexcore-emulator (IAM + Flex Insights,
// seeded through its control API). Every piece is a real process on 127.0.0.1.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { launchBrowser, recordPageErrors } from '../lib/browser.mjs';
import { startHarness } from '../lib/harness-server.mjs';
import { PLUGIN_BUNDLE, REPO_ROOT } from '../lib/paths.mjs';
import { HarnessPage } from '../pages/harness-page.mjs';

const HARNESS_TOKEN = 'harness-token-not-a-flex-token'; // the harness user's token (plugin-js/harness/serve.mjs)
const SEEDED_SID = 'WT0123456789abcdef0123456789abcdef';
const EMPTY_SID = 'WTeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';
const UNKNOWN_SID = 'WTffffffffffffffffffffffffffffffff';

/** The native build holding flexcore-server and flexcore-emulator (FLEXCORE_NATIVE_BUILD, else release, else debug). */
function nativeBuild() {
  const candidates = [process.env.FLEXCORE_NATIVE_BUILD, path.join(REPO_ROOT, 'build', 'native-release'), path.join(REPO_ROOT, 'build', 'native-debug')];
  return candidates.find((dir) => dir && existsSync(path.join(dir, 'server', 'flexcore-server')) && existsSync(path.join(dir, 'tests', 'emulator', 'flexcore-emulator')));
}

/** Spawns `binary` and resolves with the URL once `pattern` (with a URL group) appears on stdout/stderr. */
async function startProcess(binary, args, env, pattern) {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, ...env } });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const url = await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const match = pattern.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${path.basename(binary)} exited with ${code}:\n${output}`)));
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

async function control(emulatorUrl, method, route, body) {
  const res = await fetch(`${emulatorUrl}/__emulator${route}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${route}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

let emulator;
let server;
let harness;
let session;
before(async () => {
  assert.ok(existsSync(PLUGIN_BUNDLE), `${PLUGIN_BUNDLE} is missing: run npm run build in plugin-js`);
  const build = nativeBuild();
  assert.ok(build, 'flexcore-server / flexcore-emulator are not built: cmake --build --preset native-debug');
  emulator = await startProcess(path.join(build, 'tests', 'emulator', 'flexcore-emulator'), ['--port', '0'], {},
    /flexcore-emulator listening on (http:\/\/127\.0\.0\.1:\d+)/);
  // Seed: the harness user's token in IAM, an Insights user, workspace, report and segments.
  await control(emulator.url, 'POST', '/iam/tokens', { identity: 'harness-agent', roles: ['agent'], token: HARNESS_TOKEN });
  await control(emulator.url, 'POST', '/insights/users', { login: 'insights@example.com', password: 'e2e-password' });
  await control(emulator.url, 'POST', '/insights/workspaces', { workspace: 'e2e-ws', reports: ['4242'] });
  await control(emulator.url, 'POST', '/insights/segments', { workspace: 'e2e-ws', externalId: SEEDED_SID, segmentIds: ['870001', '870002,b'] });
  await control(emulator.url, 'POST', '/insights/segments', { workspace: 'e2e-ws', externalId: EMPTY_SID, segmentIds: [] });
  await control(emulator.url, 'POST', '/insights/settings', { pendingPolls: 2 });

  // CORS: the harness port is only known after it starts, and the harness needs the server URL first: allow any origin.
  server = await startProcess(path.join(build, 'server', 'flexcore-server'), [], {
    FLEXCORE_PORT: '0',
    FLEXCORE_LOG_LEVEL: 'warn',
    ACCOUNT_SID: 'AC00000000000000000000000000000000',
    AUTH_TOKEN: 'emulator-auth-token',
    FLEXCORE_IAM_URL: emulator.url,
    FLEXCORE_INSIGHTS_URL: `${emulator.url}/insights`,
    ANALYTICS_WORKSPACE: 'e2e-ws',
    INSIGHTS_USERNAME: 'insights@example.com',
    INSIGHTS_PASSWORD: 'e2e-password',
    INSIGHTS_REPORT: '4242',
    FLEXCORE_CORS_ORIGINS: '*',
    FLEXCORE_DATA_DIR: path.join(REPO_ROOT, 'build', 'e2e-segment-lookup-data'),
  }, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  harness = await startHarness({ bundlePath: PLUGIN_BUNDLE, serverUrl: server.url });
  session = await launchBrowser();
});
after(async () => {
  await session?.close();
  await harness?.stop();
  await server?.stop();
  await emulator?.stop();
});

async function openPanel() {
  const page = await session.browser.newPage();
  const log = recordPageErrors(page);
  const harnessPage = new HarnessPage(page, harness.url);
  await harnessPage.guardNetwork();
  const status = await harnessPage.open({ task: 'none' }); // the panel shows while no task is selected
  assert.equal(status.state, 'ready', `harness did not start: ${status.text}\n${log.console.join('\n')}`);
  await page.locator('[data-testid="segment-lookup-input"]').waitFor();
  return { page, log, harnessPage };
}

async function lookup(page, value, { enter = false } = {}) {
  const input = page.locator('[data-testid="segment-lookup-input"]');
  await input.fill(value);
  if (enter) await input.press('Enter');
  else await page.locator('[data-testid="segment-lookup-button"]').click();
  await page.locator('[data-testid="segment-lookup-results"], [data-testid="segment-lookup-empty"], [data-testid="segment-lookup-error"]').first().waitFor();
}

test('typing a Task SID in the panel shows the segment IDs served by flexcore-server from the emulated Insights', async () => {
  const { page, log, harnessPage } = await openPanel();
  await lookup(page, `  ${SEEDED_SID} `);
  assert.equal(await page.locator('[data-testid="segment-lookup-count"]').textContent(), 'Found 2 segment ID(s):');
  assert.deepEqual(await page.locator('[data-testid="segment-lookup-id"]').allTextContents(), ['870001', '870002,b']);

  // The emulator saw the whole seed call sequence, with the report polled past its two 202s.
  const { requests } = await control(emulator.url, 'GET', '/requests?path=/insights/**');
  assert.deepEqual(requests.map((r) => `${r.method} ${r.path.replace(/raw\/[0-9a-f]+$/, 'raw/<id>')} ${r.status}`), [
    'POST /insights/gdc/account/login 200',
    'GET /insights/gdc/account/token 200',
    'POST /insights/gdc/md/e2e-ws/identifiers 200',
    'POST /insights/gdc/md/e2e-ws/obj/5193/validElements 200',
    'POST /insights/gdc/app/projects/e2e-ws/execute/raw 201',
    'GET /insights/gdc/projects/e2e-ws/execute/raw/<id> 202',
    'GET /insights/gdc/projects/e2e-ws/execute/raw/<id> 202',
    'GET /insights/gdc/projects/e2e-ws/execute/raw/<id> 200',
  ]);

  await lookup(page, EMPTY_SID, { enter: true });
  assert.equal(await page.locator('[data-testid="segment-lookup-empty"]').textContent(), 'No segments found');

  await lookup(page, UNKNOWN_SID);
  assert.match(await page.locator('[data-testid="segment-lookup-error"]').textContent(), /^Error: External ID 'WTf+' not found in Flex Insights/);

  assert.deepEqual(log.errors, []);
  assert.deepEqual(harnessPage.blockedRequests, []);
  await page.close();
});

test('a malformed Task SID is refused by the core in the page without calling the server', async () => {
  const { page, harnessPage } = await openPanel();
  await control(emulator.url, 'DELETE', '/requests');
  await lookup(page, 'WT123<b>');
  assert.match(await page.locator('[data-testid="segment-lookup-error"]').textContent(), /^Error: .*TaskSid/);
  const { requests } = await control(emulator.url, 'GET', '/requests');
  assert.deepEqual(requests, []);

  // As in the seed, the panel is only there while no task is selected.
  await harnessPage.selectTask('WT0a1b2c3d4e5f60718293a4b5c6d7e8f9');
  assert.equal(await page.locator('[data-testid="segment-lookup"]').count(), 0);
  await page.close();
});
