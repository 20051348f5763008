// Agent extensions end to end (issue 6): the real flexcore-emulator (IAM issues a supervisor token), the real
// flexcore-server (SQLite store in a temp folder), the harness page with the production plugin bundle in headless
// chromium. A supervisor opens "Agent Extensions" from the side navigation, adds, edits, filters, sorts, pages
// and publishes; then a Twilio-signed Studio request for the new extension returns the worker.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { launchBrowser, recordPageErrors } from '../lib/browser.mjs';
import { startHarness } from '../lib/harness-server.mjs';
import { PLUGIN_BUNDLE, REPO_ROOT } from '../lib/paths.mjs';

const BUILD = process.env.FLEXCORE_E2E_BUILD || path.join(REPO_ROOT, 'build', 'native-debug');
const SERVER_BIN = path.join(BUILD, 'server', 'flexcore-server');
const EMULATOR_BIN = path.join(BUILD, 'tests', 'emulator', 'flexcore-emulator');
const ACCOUNT = 'AC' + 'e'.repeat(32);
const AUTH_TOKEN = 'e2e-auth-token';
const PUBLIC_URL = 'https://flexcore.e2e.example';
const wk = (n) => 'WK' + n.toString(16).padStart(32, '0');

/** Spawns a binary that prints "http://127.0.0.1:PORT" and resolves its URL. */
async function spawnListening(bin, args, env) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  child.stderr.setEncoding('utf8').on('data', (c) => (output += c));
  const url = await new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (c) => {
      output += c;
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(output);
      if (m) resolve(m[0]);
    });
    child.once('exit', (code) => reject(new Error(`${bin} exited with ${code}:\n${output}`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

let emulator, server, harness, session, dataDir, token;
before(async () => {
  for (const file of [PLUGIN_BUNDLE, SERVER_BIN, EMULATOR_BIN]) assert.ok(existsSync(file), `${file} is missing: build first`);
  dataDir = await mkdtemp(path.join(tmpdir(), 'flexcore-e2e-ax-'));
  emulator = await spawnListening(EMULATOR_BIN, ['--port', '0', '--account-sid', ACCOUNT, '--auth-token', AUTH_TOKEN], {});
  const issued = await fetch(`${emulator.url}/__emulator/iam/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ identity: 'sam.supervisor', roles: ['supervisor'], ttlSeconds: 3600 }),
  });
  token = (await issued.json()).token;
  server = await spawnListening(SERVER_BIN, [], {
    ACCOUNT_SID: ACCOUNT, AUTH_TOKEN, FLEXCORE_IAM_URL: `${emulator.url}/iam`, FLEXCORE_PORT: '0', FLEXCORE_LOG_LEVEL: 'warn',
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
  await session?.close();
  await harness?.stop();
  await server?.stop();
  await emulator?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('a supervisor adds, edits, filters, sorts, pages and publishes; Studio then finds the new extension', async () => {
  const page = await session.browser.newPage();
  const { errors } = recordPageErrors(page);
  page.on('dialog', (dialog) => dialog.accept());
  await page.goto(`${harness.url}?token=${encodeURIComponent(token)}&roles=supervisor`);
  await page.locator('#harness-status[data-state="ready"]').waitFor({ timeout: 30000 });
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
  await page.getByTestId('agent-extensions-problem-extensionNumber').filter({ hasText: "found 'e'" }).waitFor();
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
