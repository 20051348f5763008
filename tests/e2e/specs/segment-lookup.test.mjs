// Issue 4 end to end: the Segment Lookup panel of the real plugin bundle (harness page, headless chromium)
// → flexcore-server (/get-segment-id, Flex-token auth against IAM) → flexcore-emulator (IAM + Flex Insights,
// seeded through its control API). Every piece is a real process on 127.0.0.1.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { launchBrowser } from '../lib/browser.mjs';
import { EMULATOR_BIN, SERVER_BIN, emulatorControl, startEmulator, startServer } from '../lib/emulator-server.mjs';
import { startHarness } from '../lib/harness-server.mjs';
import { PLUGIN_BUNDLE, REPO_ROOT } from '../lib/paths.mjs';
import { stopAll } from '../lib/process.mjs';
import { HarnessPage } from '../pages/harness-page.mjs';

const HARNESS_TOKEN = 'harness-token-not-a-flex-token'; // the harness user's token (plugin-js/harness/serve.mjs)
const SEEDED_SID = 'WT0123456789abcdef0123456789abcdef';
const EMPTY_SID = 'WTeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';
const UNKNOWN_SID = 'WTffffffffffffffffffffffffffffffff';

let emulator;
let server;
let harness;
let session;
before(async () => {
  assert.ok(existsSync(PLUGIN_BUNDLE), `${PLUGIN_BUNDLE} is missing: run npm run build in plugin-js`);
  for (const file of [EMULATOR_BIN, SERVER_BIN]) assert.ok(existsSync(file), `${file} is missing: cmake --build --preset native-debug`);
  emulator = await startEmulator();
  // Seed: the harness user's token in IAM, an Insights user, workspace, report and segments.
  await emulatorControl(emulator.url, 'POST', '/iam/tokens', { identity: 'harness-agent', roles: ['agent'], token: HARNESS_TOKEN }, 201);
  await emulatorControl(emulator.url, 'POST', '/insights/users', { login: 'insights@example.com', password: 'e2e-password' }, 201);
  await emulatorControl(emulator.url, 'POST', '/insights/workspaces', { workspace: 'e2e-ws', reports: ['4242'] }, 201);
  await emulatorControl(emulator.url, 'POST', '/insights/segments', { workspace: 'e2e-ws', externalId: SEEDED_SID, segmentIds: ['870001', '870002,b'] }, 201);
  await emulatorControl(emulator.url, 'POST', '/insights/segments', { workspace: 'e2e-ws', externalId: EMPTY_SID, segmentIds: [] }, 201);
  await emulatorControl(emulator.url, 'POST', '/insights/settings', { pendingPolls: 2 });

  // CORS: the harness port is only known after it starts, and the harness needs the server URL first: allow any origin.
  server = await startServer({
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
  });
  harness = await startHarness({ bundlePath: PLUGIN_BUNDLE, serverUrl: server.url });
  session = await launchBrowser();
});
after(() => stopAll(session, harness, server, emulator));

async function openPanel() {
  // The panel shows while no task is selected.
  const { page, log, harnessPage } = await HarnessPage.openReady(session.browser, harness.url, { task: 'none' });
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
  const { requests } = await emulatorControl(emulator.url, 'GET', '/requests?path=/insights/**');
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
  // flexcore-server's 404 (code NotFound) said in the agent's language by the panel's own sentence.
  assert.match(await page.locator('[data-testid="segment-lookup-error"]').textContent(), /^Error: This task was not found in Flex Insights\. It may not be indexed yet/);

  assert.deepEqual(log.errors, []);
  assert.deepEqual(harnessPage.blockedRequests, []);
  await page.close();
});

test('a malformed Task SID is refused by the core in the page without calling the server', async () => {
  const { page, harnessPage } = await openPanel();
  await emulatorControl(emulator.url, 'DELETE', '/requests', undefined, 204);
  await lookup(page, 'WT123<b>');
  // The core's reason (sid_wrong_length, 8 characters) said from the panel's strings table, as plain text.
  assert.equal(
    await page.locator('[data-testid="segment-lookup-error"]').textContent(),
    'Error: A Task SID has 34 characters ("WT" and 32 hexadecimal digits); this one has 8.',
  );
  const { requests } = await emulatorControl(emulator.url, 'GET', '/requests');
  assert.deepEqual(requests, []);

  // As in the seed, the panel is only there while no task is selected.
  await harnessPage.selectTask('WT0a1b2c3d4e5f60718293a4b5c6d7e8f9');
  assert.equal(await page.locator('[data-testid="segment-lookup"]').count(), 0);
  await page.close();
});
