// Agent extensions end to end (issue 6): the real flexcore-emulator (IAM issues a supervisor token), the real
// flexcore-server (SQLite store in a temp folder), the harness page with the production plugin bundle in headless
// chromium. A supervisor opens "Agent Extensions" from the side navigation, adds, edits, filters, sorts, pages
// and publishes; then a Twilio-signed Studio request for the new extension returns the worker.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { launchBrowser } from '../lib/browser.mjs';
import { EMULATOR_BIN, SERVER_BIN, emulatorControl, startEmulator, startServer } from '../lib/emulator-server.mjs';
import { startHarness } from '../lib/harness-server.mjs';
import { PLUGIN_BUNDLE } from '../lib/paths.mjs';
import { stopAll } from '../lib/process.mjs';
import { HarnessPage } from '../pages/harness-page.mjs';

const ACCOUNT = 'AC' + 'e'.repeat(32);
const AUTH_TOKEN = 'e2e-auth-token';
const PUBLIC_URL = 'https://flexcore.e2e.example';
const wk = (n) => 'WK' + n.toString(16).padStart(32, '0');

let emulator, server, harness, session, dataDir, token;
before(async () => {
  for (const file of [PLUGIN_BUNDLE, SERVER_BIN, EMULATOR_BIN]) assert.ok(existsSync(file), `${file} is missing: build first`);
  dataDir = await mkdtemp(path.join(tmpdir(), 'flexcore-e2e-ax-'));
  emulator = await startEmulator(['--account-sid', ACCOUNT, '--auth-token', AUTH_TOKEN]);
  const issued = { identity: 'sam.supervisor', roles: ['supervisor'], ttlSeconds: 3600 };
  token = (await emulatorControl(emulator.url, 'POST', '/iam/tokens', issued, 201)).token;
  server = await startServer({
    ACCOUNT_SID: ACCOUNT, AUTH_TOKEN, FLEXCORE_IAM_URL: `${emulator.url}/iam`,
    FLEXCORE_DATA_DIR: dataDir, FLEXCORE_CORS_ORIGINS: '*', FLEXCORE_PUBLIC_URL: PUBLIC_URL,
  });
  // 12 published extensions to start with (more than one page of 10).
  const post = async (p, body) => {
    const r = await fetch(server.url + p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...body, Token: token }) });
    assert.equal(r.status, 200, `${p}: ${await r.clone().text()}`);
    return r.json();
  };
  const rows = Array.from({ length: 12 }, (_, i) => ({ workerSid: wk(i + 1), workerFullName: `Agent ${String.fromCharCode(76 - i)}`, extensionNumber: String(2000 + i) }));
  const { version } = await post('/admin/list', {});
  const { buildSid } = await post('/admin/update', { data: rows, version });
  await post('/admin/publish', { buildSid });
  harness = await startHarness({ bundlePath: PLUGIN_BUNDLE, serverUrl: server.url });
  session = await launchBrowser();
});
after(async () => {
  await stopAll(session, harness, server, emulator);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('a supervisor adds, edits, filters, sorts, pages and publishes; Studio then finds the new extension', async () => {
  const { page, log: { errors } } = await HarnessPage.openReady(session.browser, harness.url, { token, roles: 'supervisor' });
  page.on('dialog', (dialog) => dialog.accept());
  await page.getByTestId('side-link').filter({ hasText: 'Agent Extensions' }).click();
  const view = page.getByTestId('agent-extensions-view');
  await view.waitFor({ timeout: 30000 });
  await page.getByTestId('agent-extensions-page-size').selectOption('10');
  await assert.doesNotReject(page.getByTestId('agent-extensions-page').filter({ hasText: 'Page 1 of 2 (12 extensions)' }).waitFor());
  await assert.doesNotReject(page.getByTestId('agent-extensions-publish').and(page.locator(':disabled')).waitFor());

  // Add (with an inline validation problem first), then edit.
  await page.getByTestId('agent-extensions-add').click();
  await page.getByTestId('agent-extensions-worker').fill(wk(99));
  await page.getByTestId('agent-extensions-name').fill('Zoe New');
  await page.getByTestId('agent-extensions-number').fill('1e3');
  await page.getByTestId('agent-extensions-problem-extensionNumber').filter({ hasText: 'An extension has only the digits 0-9 (found e).' }).waitFor();
  await page.getByTestId('agent-extensions-number').fill('7777');
  await page.getByTestId('agent-extensions-save').click();
  await page.getByTestId('agent-extensions-panel').waitFor({ state: 'detached' });
  await page.getByTestId('agent-extensions-page').filter({ hasText: '(13 extensions)' }).waitFor();

  await page.getByTestId('agent-extensions-filter').fill('zoe');
  await page.getByTestId('agent-extensions-row').first().waitFor();
  assert.equal(await page.getByTestId('agent-extensions-row').count(), 1);
  await page.getByTestId('agent-extensions-edit').click();
  await page.getByTestId('agent-extensions-number').fill('7778');
  await page.getByTestId('agent-extensions-save').click();
  await page.getByTestId('agent-extensions-row').filter({ hasText: '7778' }).waitFor();
  await page.getByTestId('agent-extensions-filter').fill('');

  // Sort by name descending: Zoe New first; page 2 has the last 3 rows.
  await page.getByTestId('agent-extensions-sort-workerFullName').click();
  await page.getByTestId('agent-extensions-sort-workerFullName').click();
  await page.getByTestId('agent-extensions-row').first().filter({ hasText: 'Zoe New' }).waitFor();
  await page.getByTestId('agent-extensions-next').click();
  await page.getByTestId('agent-extensions-page').filter({ hasText: 'Page 2 of 2' }).waitFor();
  assert.equal(await page.getByTestId('agent-extensions-row').count(), 3);

  // Publish.
  await page.getByTestId('agent-extensions-unpublished').waitFor();
  await page.getByTestId('agent-extensions-publish').click();
  await page.getByTestId('agent-extensions-notice').filter({ hasText: 'Agent extensions published.' }).waitFor({ timeout: 30000 });
  assert.deepEqual(errors, []);

  // Studio: a signed request for the new extension returns the worker.
  const studioPath = '/agent-extensions?agentExt=7778';
  const signature = createHmac('sha1', AUTH_TOKEN).update(PUBLIC_URL + studioPath).digest('base64');
  const found = await fetch(server.url + studioPath, { headers: { 'X-Twilio-Signature': signature } });
  assert.equal(found.status, 200);
  assert.deepEqual(await found.json(), { workerSID: wk(99), workerSid: wk(99) });
  const unsigned = await fetch(server.url + studioPath);
  assert.equal(unsigned.status, 403);
});
