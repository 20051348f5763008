// Level "browser e2e", issue 5: the "Customer" task canvas tab of the real plugin bundle in the harness,
// talking to the real flexcore-server, which calls the emulator's Segment Profile API and IAM. A task whose
// attributes carry a nested `context` and a `userId` shows the context rows (computed by the wasm core in the
// page, compared with the node core), the Segment traits and the events timeline newest first.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { isExpectedConsoleError, launchBrowser } from '../lib/browser.mjs';
import { EMULATOR_BIN, SERVER_BIN, emulatorControl, startEmulator, startServer } from '../lib/emulator-server.mjs';
import { startHarness } from '../lib/harness-server.mjs';
import { ARTIFACTS_DIR, PACKAGE_NODE_ENTRY, PLUGIN_BUNDLE, REPO_ROOT } from '../lib/paths.mjs';
import { stopAll } from '../lib/process.mjs';
import { HarnessPage } from '../pages/harness-page.mjs';

const CONTEXT_TASK = 'WTc0ffee00c0ffee00c0ffee00c0ffee00'; // fixtures/tasks.json: Carol (Studio bot hand-off)
const PLAIN_TASK = 'WT0a1b2c3d4e5f60718293a4b5c6d7e8f9'; // Alice Customer: no context, no userId
const HARNESS_TOKEN = 'harness-token-not-a-flex-token'; // the harness user's token (plugin-js/harness/serve.mjs)

let emulator;
let server;
let harness;
let session;
let reference;
let fixtureTask;

before(async () => {
  for (const file of [PLUGIN_BUNDLE, PACKAGE_NODE_ENTRY, EMULATOR_BIN, SERVER_BIN]) {
    assert.ok(existsSync(file), `${file} is missing: build it first (scripts/test builds everything)`);
  }
  const { loadCore } = await import(pathToFileURL(PACKAGE_NODE_ENTRY).href);
  reference = await loadCore();
  const { readFile } = await import('node:fs/promises');
  const fixtures = JSON.parse(await readFile(path.join(REPO_ROOT, 'plugin-js', 'harness', 'public', 'fixtures', 'tasks.json'), 'utf8'));
  fixtureTask = fixtures.tasks.find((t) => t.taskSid === CONTEXT_TASK);

  emulator = await startEmulator();
  // The harness user's token is an IAM token the emulator knows.
  await emulatorControl(emulator.url, 'POST', '/iam/tokens', { identity: 'harness-agent', roles: ['agent'], token: HARNESS_TOKEN }, 201);
  await emulatorControl(
    emulator.url,
    'POST',
    '/segment/profiles',
    `{"externalIds":[{"type":"user_id","id":"carol-1001"},{"type":"email","id":"carol@example.com"}],
      "traits":{"first_name":"Carol","plan":"gold","website":"https://carol.example.com"},
      "events":[{"type":"track","event":"Signed Up","timestamp":"2026-11-01T08:00:00.000Z","properties":{"source":"ads"}},
                {"type":"page","timestamp":"2026-11-20T12:30:00.000Z","properties":{"path":"/billing"}},
                {"type":"track","event":"Order Completed","timestamp":"2026-11-15T18:45:10.000Z","properties":{"total":99.5}}]}`,
    201,
  );
  server = await startServer({
    ACCOUNT_SID: 'AC00000000000000000000000000000000',
    AUTH_TOKEN: 'emulator-auth-token',
    FLEXCORE_IAM_URL: emulator.url,
    FLEXCORE_SEGMENT_PROFILES_URL: `${emulator.url}/segment-profiles`,
    FLEXCORE_SEGMENT_TRACKING_URL: `${emulator.url}/segment-api`,
    SEGMENT_SPACE_ID: 'spa_emulator',
    SEGMENT_PERSONAS_KEY: 'emulator-segment-access-token',
    SEGMENT_WRITE_KEY: 'emulator-segment-write-key',
    FLEXCORE_CORS_ORIGINS: '*',
    FLEXCORE_DATA_DIR: path.join(ARTIFACTS_DIR, 'customer-context-data'),
  });
  harness = await startHarness({ bundlePath: PLUGIN_BUNDLE, serverUrl: server.url });
  session = await launchBrowser();
});

after(() => stopAll(session, harness, server, emulator));

async function openCustomerTab(taskSid) {
  const { page, log, harnessPage } = await HarnessPage.openReady(session.browser, harness.url, { task: taskSid, tab: 'customer-context' });
  await page.locator('[data-testid="customer-context"]').waitFor();
  return { page, log, harnessPage };
}

const texts = (page, selector) => page.locator(selector).evaluateAll((els) => els.map((e) => e.textContent));

test('the Customer tab shows the bot context rows, the Segment traits and the events of the task user', async () => {
  const { page, log, harnessPage } = await openCustomerTab(CONTEXT_TASK);
  assert.ok((await harnessPage.tabNames()).includes('customer-context'));

  // Bot context: exactly what the core computes in node for the same attributes.
  const expected = reference.contextRows(fixtureTask.attributes);
  const rows = '[data-testid="customer-context-rows-row"]';
  assert.deepEqual(await texts(page, `${rows} [data-testid="row-key"]`), expected.map((r) => r.key));
  assert.deepEqual(await texts(page, `${rows} [data-testid="row-value"]`), expected.map((r) => r.value));
  assert.deepEqual(expected.slice(0, 3).map((r) => r.key), ['2', '10', 'intent']);
  // HTML in attributes stays text; the URL value is a safe link.
  assert.equal(await page.locator('[data-testid="customer-context"] script').count(), 0);
  const link = page.locator(`${rows} a[href="https://shop.example.com/orders/1001"]`);
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');

  // Segment profile through flexcore-server → emulator.
  await page.locator('[data-testid="customer-traits"]').waitFor();
  assert.deepEqual(await texts(page, '[data-testid="customer-traits"] [data-testid="row-key"]'), ['first_name', 'plan', 'website']);
  assert.deepEqual(await texts(page, '[data-testid="customer-traits"] [data-testid="row-value"]'), [
    'Carol',
    'gold',
    'https://carol.example.com',
  ]);
  assert.deepEqual(await texts(page, '[data-testid="customer-event-name"]'), ['page', 'Order Completed', 'Signed Up']);
  assert.deepEqual(await texts(page, '[data-testid="customer-event-time"]'), [
    '2026-11-20 12:30:00 UTC',
    '2026-11-15 18:45:10 UTC',
    '2026-11-01 08:00:00 UTC',
  ]);

  // The server called the Profile API with the task's userId and the configured key.
  const { requests } = await emulatorControl(emulator.url, 'GET', '/requests?path=/segment-profiles/**');
  assert.deepEqual(
    requests.map((r) => r.path.replace(/^.*profiles\//, '')).sort(),
    ['user_id:carol-1001/events', 'user_id:carol-1001/external_ids', 'user_id:carol-1001/traits'],
  );
  assert.ok(requests.every((r) => r.auth.username === 'emulator-segment-access-token'));

  assert.deepEqual(log.errors, [], 'uncaught errors on the page');
  assert.deepEqual(log.console.filter((l) => l.startsWith('[error]') && !isExpectedConsoleError(l)), [], 'console errors');
  assert.deepEqual(harnessPage.blockedRequests, [], 'the page tried to leave loopback');
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'harness-customer-tab.png') });
  await page.close();
});

test('a task without context or userId shows "No context" and no Segment section', async () => {
  const { page, log } = await openCustomerTab(PLAIN_TASK);
  await page.locator('[data-testid="customer-bot-context-empty"]').waitFor();
  assert.equal(await page.locator('[data-testid="customer-segment"]').count(), 0);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a userId without a Segment profile shows "no profile"', async () => {
  await emulatorControl(emulator.url, 'POST', '/reset', undefined, 204);
  await emulatorControl(emulator.url, 'POST', '/iam/tokens', { identity: 'harness-agent', roles: ['agent'], token: HARNESS_TOKEN }, 201);
  const { page } = await openCustomerTab(CONTEXT_TASK);
  const noProfile = page.locator('[data-testid="customer-segment-no-profile"]');
  await noProfile.waitFor();
  assert.match(await noProfile.textContent(), /No Segment profile for user_id carol-1001/);
  await page.close();
});
