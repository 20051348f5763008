// The day of issue 9, in one test, against scripts/demo's stack (scripts/lib/demo-stack.mjs: the emulator with the
// demo data set, flexcore-server with a fresh SQLite data folder, the harness as a live Flex desktop): a supervisor
// adds and publishes extension 1234; Studio (the emulator, signed) asks for it and the server answers the agent's
// worker; a call rings the agent, who sees the bot context and the Segment profile; the customer hangs up and
// Insights gets hang_up_by customer; a voicemail arrives, the agent plays it and chooses Retry Later; the agent
// looks up the segment IDs of the first task. Every step checks the page AND what the emulator recorded. It also
// takes the README's screenshot: always into artifacts/harness-journey.png (gitignored); with
// FLEXCORE_UPDATE_SCREENSHOT=1 also into tests/e2e/screenshots/harness.png (committed, shown by the README), so a
// normal run leaves the working tree clean.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { isExpectedConsoleError, launchBrowser } from '../lib/browser.mjs';
import { emulatorControl } from '../lib/emulator-server.mjs';
import { E2E_DIR, EMULATOR_BIN, NATIVE_BUILD, PLUGIN_BUNDLE, REPO_ROOT, SERVER_BIN } from '../lib/paths.mjs';
import { stopAll } from '../lib/process.mjs';
import { HarnessPage } from '../pages/harness-page.mjs';

const DEMO_STACK = path.join(REPO_ROOT, 'scripts', 'lib', 'demo-stack.mjs');
const SCREENSHOTS = [path.join(E2E_DIR, 'artifacts', 'harness-journey.png')];
if (process.env.FLEXCORE_UPDATE_SCREENSHOT === '1') SCREENSHOTS.push(path.join(E2E_DIR, 'screenshots', 'harness.png'));
const EXTENSION = '1234'; // the harness agent's extension in the demo data; the Studio button asks for it
const NEW_EXTENSION = '4711'; // free in the demo data (checked on the page first)
const NEW_WORKER = 'WK' + '4711'.repeat(8);

let stack, session, dataDir;
before(async () => {
  for (const file of [EMULATOR_BIN, SERVER_BIN, PLUGIN_BUNDLE, DEMO_STACK]) assert.ok(existsSync(file), `${file} is missing: build it first`);
  const { startDemoStack } = await import(pathToFileURL(DEMO_STACK).href);
  dataDir = await mkdtemp(path.join(tmpdir(), 'flexcore-e2e-journey-'));
  stack = await startDemoStack({ port: 0, dataDir, reset: true, buildDir: NATIVE_BUILD, log: () => {} });
  session = await launchBrowser();
});
after(async () => {
  await stopAll(session, stack ? { stop: () => stack.stop() } : undefined);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const control = (method, route, body, expected) => emulatorControl(stack.emulatorUrl, method, route, body, expected);
const basic = () => `Basic ${Buffer.from(`${stack.accountSid}:${stack.authToken}`).toString('base64')}`;
async function taskRouter(route) {
  const response = await fetch(`${stack.emulatorUrl}/taskrouter/v1/Workspaces/${stack.workspaceSid}${route}`, { headers: { Authorization: basic() } });
  const text = await response.text();
  assert.ok(response.ok, `GET …${route}: ${response.status} ${text}`);
  return JSON.parse(text);
}
const task = (sid) => taskRouter(`/Tasks/${sid}`);
const attributesOf = async (sid) => JSON.parse((await task(sid)).attributes);
const requestsSince = async (seq, pathGlob) =>
  (await control('GET', `/requests?since=${seq}&path=${encodeURIComponent(pathGlob)}`)).requests;
const lastSeq = async () => {
  const { requests } = await control('GET', '/requests');
  return requests.length ? requests[requests.length - 1].seq : 0;
};

/** Polls (bounded; not a timed assertion) until `check` answers something truthy. */
async function until(what, check) {
  let last;
  for (let i = 0; i < 400; i += 1) {
    last = await check();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`${what} never happened`);
}

async function callButton(page, action) {
  await page.getByTestId(`harness-call-${action}`).click();
  const result = page.locator(`[data-testid="harness-call-result-${action}"]:not([data-state="busy"])`);
  await result.waitFor();
  assert.equal(await result.getAttribute('data-state'), 'ok', await result.textContent());
  return result;
}

test('a day on the flexcore desktop: extension, Studio lookup, a call with context, hang-up, voicemail, segment lookup', async () => {
  const { agent, supervisor } = stack.users;
  const pageErrors = [];

  // 1. The supervisor finds 1234 (the agent's, published by the demo), adds a new extension and publishes it.
  {
    const { page, log, harnessPage } = await HarnessPage.openReady(session.browser, stack.harnessUrl, { token: supervisor.token, roles: 'supervisor' });
    page.on('dialog', (dialog) => dialog.accept());
    await page.getByTestId('side-link').filter({ hasText: 'Agent Extensions' }).click();
    await page.getByTestId('agent-extensions-view').waitFor({ timeout: 30000 });
    await page.getByTestId('agent-extensions-page').filter({ hasText: '(200 extensions)' }).waitFor({ timeout: 30000 });
    const filter = page.getByTestId('agent-extensions-filter');
    await filter.fill(EXTENSION);
    await page.getByTestId('agent-extensions-row').filter({ hasText: agent.workerSid }).waitFor();
    await filter.fill(NEW_EXTENSION);
    await page.getByTestId('agent-extensions-page').filter({ hasText: '(0 extensions)' }).waitFor();
    await filter.fill('');

    await page.getByTestId('agent-extensions-add').click();
    await page.getByTestId('agent-extensions-worker').fill(NEW_WORKER);
    await page.getByTestId('agent-extensions-name').fill('Jo Journey');
    await page.getByTestId('agent-extensions-number').fill(NEW_EXTENSION);
    await page.getByTestId('agent-extensions-save').click();
    await page.getByTestId('agent-extensions-panel').waitFor({ state: 'detached' });
    await page.getByTestId('agent-extensions-page').filter({ hasText: '(201 extensions)' }).waitFor();
    await page.getByTestId('agent-extensions-publish').click();
    await page.getByTestId('agent-extensions-notice').filter({ hasText: 'Agent extensions published.' }).waitFor({ timeout: 30000 });
    // The server's published list (its SQLite store) has the new row, and that version is deployed.
    const listed = await (await fetch(`${stack.serverUrl}/admin/list`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ Token: supervisor.token }),
    })).json();
    assert.equal(listed.data.length, 201);
    assert.ok(listed.data.some((row) => row.extensionNumber === NEW_EXTENSION && row.workerSid === NEW_WORKER));
    assert.equal(listed.versionIsDeployed, true, 'the published version is the deployed one');

    // A caller dials the new extension: Studio's signed request (sent by the emulator) gets the new worker.
    const dialed = await control('POST', '/webhooks/send', { url: `${stack.serverUrl}/agent-extensions`, method: 'GET', params: { agentExt: NEW_EXTENSION } });
    assert.equal(dialed.status, 200, dialed.body);
    assert.equal(JSON.parse(dialed.body).workerSid, NEW_WORKER);
    assert.ok(dialed.signature, 'the emulator signed the request');

    // 2. Studio asks for 1234 (signed by the emulator) and the server answers the agent's worker.
    const studio = await callButton(page, 'studio-extension');
    assert.match(await studio.textContent(), new RegExp(`^Studio asked for ${EXTENSION}: HTTP 200 .*${agent.workerSid}`));
    pageErrors.push(...log.errors);
    assert.deepEqual(harnessPage.blockedRequests, []);
    await page.close();
  }

  // 3. A call rings the agent, who accepts it and sees the bot context and the Segment profile.
  const { page, log, harnessPage } = await HarnessPage.openReady(session.browser, stack.harnessUrl, { token: agent.token });
  const callTaskSid = await (await callButton(page, 'incoming')).getAttribute('data-task-sid');
  assert.match(callTaskSid, /^WT[0-9a-f]{32}$/);
  const [ringing] = (await taskRouter(`/Workers/${agent.workerSid}/Reservations?ReservationStatus=pending`)).reservations.filter((r) => r.task_sid === callTaskSid);
  assert.ok(ringing, 'the emulator reserved the agent for the call');
  const item = page.locator(`[data-testid="task-list-item"][data-task-sid="${callTaskSid}"]`);
  await item.waitFor();
  await page.locator(`[data-testid="task-accept"][data-task-sid="${callTaskSid}"]`).click();
  await page.locator(`[data-testid="task-canvas"][data-task-sid="${callTaskSid}"]`).waitFor();
  assert.equal((await task(callTaskSid)).assignment_status, 'assigned');
  const callAttributes = await attributesOf(callTaskSid);
  assert.equal(callAttributes.conference.participants.customer.slice(0, 2), 'CA', 'the call is up in a conference');

  const segmentSince = await lastSeq();
  await page.locator(`[data-testid="task-canvas-tab"][data-tab-name="customer-context"]`).click();
  await page.getByTestId('customer-context').waitFor();
  const rowKeys = await page.locator('[data-testid="customer-context-rows-row"] [data-testid="row-key"]').allTextContents();
  assert.ok(rowKeys.includes('intent'), `bot context rows: ${rowKeys}`);
  await page.getByTestId('customer-traits').waitFor({ timeout: 20000 });
  const traits = await page.locator('[data-testid="customer-traits"] [data-testid="row-key"]').allTextContents();
  assert.ok(traits.length > 0, 'Segment traits shown');
  assert.ok((await page.getByTestId('customer-event').count()) > 0, 'Segment events shown');
  const profileCalls = await requestsSince(segmentSince, '/segment-profiles/**');
  assert.ok(profileCalls.some((r) => r.path.endsWith(`user_id:${callAttributes.userId}/traits`)), 'the server asked Segment for the caller');
  for (const file of SCREENSHOTS) {
    await mkdir(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file });
  }

  // 4. The customer hangs up: the task wraps up and the server records hang_up_by customer.
  await callButton(page, 'customer-hangup');
  const hungUp = await until('hang_up_by customer in the emulator', async () => {
    const attributes = await attributesOf(callTaskSid);
    return attributes.conversations?.hang_up_by === 'customer' ? attributes : undefined;
  });
  assert.equal(hungUp.userId, callAttributes.userId, 'the other attributes are kept');
  const wrapups = (await control('GET', '/taskrouter/events?type=task.wrapup')).events.filter((e) => e.params.TaskSid === callTaskSid);
  assert.equal(wrapups.length, 1, 'TaskRouter posted task.wrapup once');
  await page.locator(`[data-testid="task-complete"][data-task-sid="${callTaskSid}"]`).click();
  await item.waitFor({ state: 'detached' });
  assert.equal((await task(callTaskSid)).assignment_status, 'completed');

  // 5. A voicemail arrives; the agent plays it and chooses Retry Later.
  const voicemail = await callButton(page, 'voicemail');
  const voicemailTaskSid = await voicemail.getAttribute('data-task-sid');
  const vmAttributes = await attributesOf(voicemailTaskSid);
  assert.equal(vmAttributes.taskType, 'voicemail');
  const vmItem = page.locator(`[data-testid="task-list-item"][data-task-sid="${voicemailTaskSid}"]`);
  await vmItem.waitFor({ timeout: 20000 });
  assert.equal(await vmItem.getAttribute('data-task-channel'), 'voicemail');
  await page.locator(`[data-testid="task-accept"][data-task-sid="${voicemailTaskSid}"]`).click();
  await page.locator(`[data-testid="task-canvas"][data-task-sid="${voicemailTaskSid}"]`).waitFor();
  await page.locator('[data-testid="task-canvas-tab"][data-tab-name="info"]').click(); // the callback panel is in Info
  await page.getByTestId('callback-panel').waitFor({ timeout: 20000 });
  const recordingSid = (await voicemail.textContent()).match(/RE[0-9a-f]{32}/)[0];
  const recording = (await control('GET', '/voicemails')).recordings.find((r) => r.sid === recordingSid);
  assert.ok(recording, `the emulator holds recording ${recordingSid}`);
  assert.equal(await page.getByTestId('callback-transcript').textContent(), recording.transcription_text);
  const audio = page.getByTestId('callback-recording');
  const src = await audio.getAttribute('src');
  assert.ok(src.startsWith(stack.emulatorUrl) && src.endsWith(recordingSid), `the recording plays from the emulator: ${src}`);
  await until('the recording loaded', () => audio.evaluate((a) => a.readyState >= 1 && a.duration > 0));
  await audio.evaluate((a) => a.play());
  await until('the recording playing', () => audio.evaluate((a) => a.currentTime > 0));
  const media = await requestsSince(0, `/voice/2010-04-01/Accounts/*/Recordings/${recordingSid}`);
  assert.ok(media.some((r) => r.method === 'GET' && r.status >= 200 && r.status < 300), 'the browser fetched the recording from the emulator');

  const before = (await control('GET', '/taskrouter/workspaces')).workspaces.find((w) => w.sid === stack.workspaceSid).tasks.length;
  await page.getByTestId('callback-retry-later').click();
  const retry = await until('attempt 1 created', async () => {
    const tasks = (await control('GET', '/taskrouter/workspaces')).workspaces.find((w) => w.sid === stack.workspaceSid).tasks;
    return tasks.length > before ? tasks.find((t) => t.attributes_json.conversations?.conversation_id === voicemailTaskSid) : undefined;
  });
  assert.equal(retry.attributes_json.callBackData.attempts, 1);
  await until('the voicemail task wrapping', async () => (await task(voicemailTaskSid)).assignment_status === 'wrapping');
  await page.locator(`[data-testid="task-complete"][data-task-sid="${voicemailTaskSid}"]`).click();
  await vmItem.waitFor({ state: 'detached' });

  // 6. The agent looks up the segment IDs of the first task (the demo's Insights indexes every new task).
  const segmentIds = await until('Insights segments for the call', async () =>
    (await control('GET', '/insights/state')).workspaces[stack.insights.workspace].segments[callTaskSid]);
  assert.ok(segmentIds.length > 0, 'the demo gives the call segments');
  await page.locator('[data-testid="segment-lookup-input"]').waitFor();
  const lookupSince = await lastSeq();
  await page.getByTestId('segment-lookup-input').fill(callTaskSid);
  await page.getByTestId('segment-lookup-button').click();
  await page.getByTestId('segment-lookup-results').waitFor({ timeout: 30000 });
  assert.deepEqual(await page.getByTestId('segment-lookup-id').allTextContents(), segmentIds);
  const exports = await requestsSince(lookupSince, '/insights/**');
  assert.ok(exports.some((r) => r.method === 'POST' && r.path.includes('/execute/raw')), 'the server exported the report from Insights');

  pageErrors.push(...log.errors);
  assert.deepEqual(pageErrors, [], 'uncaught errors on the pages');
  assert.deepEqual(log.console.filter((l) => l.startsWith('[error]') && !isExpectedConsoleError(l)), [], 'console errors');
  assert.deepEqual(harnessPage.blockedRequests, [], 'the page tried to leave loopback');
  await page.close();
});
