// The harness as a live Flex desktop (issue 9) against the real flexcore-emulator and flexcore-server: the task
// list shows the signed-in worker's reservations from the emulated TaskRouter; the "Calls" strip makes the
// emulator ring the worker, hang up either party, leave a voicemail and ask the server for an extension as
// Studio. Each step checks what the page shows and what the emulator holds (reservations, task status and
// attributes, TaskRouter events, recorded requests).
import assert from 'node:assert/strict';
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

const ACCOUNT = 'AC' + 'a1'.repeat(16);
const AUTH_TOKEN = 'e2e-harness-live-token';
const basic = `Basic ${Buffer.from(`${ACCOUNT}:${AUTH_TOKEN}`).toString('base64')}`;

let emulator, server, harness, session, dataDir;
let workspaceSid, workflowSid, workerSid, agentToken;

async function taskRouter(method, route, form) {
  const response = await fetch(`${emulator.url}/taskrouter/v1/Workspaces/${workspaceSid}${route}`, {
    method,
    headers: { Authorization: basic, ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} …${route}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/** Polls the emulator (bounded; not a timed assertion) until `check` returns a value. */
async function until(what, check) {
  let last;
  for (let i = 0; i < 300; i += 1) {
    last = await check();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`${what} never happened`);
}

const task = (sid) => taskRouter('GET', `/Tasks/${sid}`);
const reservationsOf = async (taskSid) =>
  (await taskRouter('GET', `/Workers/${workerSid}/Reservations?PageSize=100`)).reservations.filter((r) => r.task_sid === taskSid);
const events = async () => (await emulatorControl(emulator.url, 'GET', '/taskrouter/events')).events;

before(async () => {
  for (const file of [EMULATOR_BIN, SERVER_BIN, PLUGIN_BUNDLE]) assert.ok(existsSync(file), `${file} is missing: build it first`);
  dataDir = await mkdtemp(path.join(tmpdir(), 'flexcore-e2e-harness-live-'));
  emulator = await startEmulator(['--account-sid', ACCOUNT, '--auth-token', AUTH_TOKEN]);
  // The workspace as Flex sets it up (SIDs chosen first: the server is configured with them, and the workspace's
  // Event Callback URL is the server's): the agent (Available), a queue for everyone, a workflow honouring
  // attributes.targetWorker first.
  workspaceSid = 'WS' + 'a2'.repeat(16);
  workflowSid = 'WW' + 'a3'.repeat(16);
  server = await startServer({
    ACCOUNT_SID: ACCOUNT,
    AUTH_TOKEN,
    FLEXCORE_IAM_URL: emulator.url,
    FLEXCORE_TASKROUTER_URL: `${emulator.url}/taskrouter`,
    FLEXCORE_VOICE_URL: `${emulator.url}/voice`,
    FLEXCORE_DATA_DIR: dataDir,
    FLEXCORE_CORS_ORIGINS: '*',
    TWILIO_FLEX_WORKSPACE_SID: workspaceSid,
    TWILIO_FLEX_CALLBACK_WORKFLOW_SID: workflowSid,
  }, { cwd: dataDir });
  const workspace = await emulatorControl(emulator.url, 'POST', '/taskrouter/workspaces', {
    sid: workspaceSid,
    friendlyName: 'Harness live',
    eventCallbackUrl: `${server.url}/taskrouter/events`,
    taskQueues: [{ friendlyName: 'Everyone' }],
    workers: [{ friendlyName: 'alice', attributes: { contact_uri: 'client:alice', full_name: 'Alice Agent' }, activity: 'Available' }],
    workflows: [{ sid: workflowSid, friendlyName: 'Assign to Anyone', taskQueue: 'Everyone', knownWorker: 'targetWorker' }],
  }, 201);
  workerSid = workspace.workers[0].sid;
  agentToken = (await emulatorControl(emulator.url, 'POST', '/iam/tokens', { identity: 'alice', roles: ['agent'], workerSid }, 201)).token;
  harness = await startHarness({
    bundlePath: PLUGIN_BUNDLE,
    serverUrl: server.url,
    emulatorUrl: emulator.url,
    workspaceSid,
    workerSid,
    accountSid: ACCOUNT,
    authToken: AUTH_TOKEN,
  });
  session = await launchBrowser();
});
after(async () => {
  await stopAll(session, harness, server, emulator);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const openDesktop = () => HarnessPage.openReady(session.browser, harness.url, { token: agentToken });

/** Clicks a Calls strip button and waits for its result; answers the result element. */
async function callButton(page, action) {
  await page.getByTestId(`harness-call-${action}`).click();
  const result = page.locator(`[data-testid="harness-call-result-${action}"]:not([data-state="busy"])`);
  await result.waitFor();
  assert.equal(await result.getAttribute('data-state'), 'ok', await result.textContent());
  return result;
}

/** Incoming call → the task rings in the list → Accept; answers the Task SID. */
async function ringAndAccept(page) {
  const taskSid = await (await callButton(page, 'incoming')).getAttribute('data-task-sid');
  assert.match(taskSid, /^WT[0-9a-f]{32}$/);
  const [ringing] = await reservationsOf(taskSid);
  assert.equal(ringing.reservation_status, 'pending');
  assert.equal((await task(taskSid)).assignment_status, 'reserved');
  const item = page.locator(`[data-testid="task-list-item"][data-task-sid="${taskSid}"]`);
  await item.waitFor();
  assert.match(await item.textContent(), /Carol Souza/);
  await page.locator(`[data-testid="task-accept"][data-task-sid="${taskSid}"]`).click();
  await page.locator(`[data-testid="task-canvas"][data-task-sid="${taskSid}"]`).waitFor();
  const [accepted] = await reservationsOf(taskSid);
  assert.equal(accepted.reservation_status, 'accepted');
  assert.equal((await task(taskSid)).assignment_status, 'assigned');
  return taskSid;
}

test('an incoming call rings, the agent accepts it, hangs up (hang_up_by agent) and completes it', async () => {
  const { page, log, harnessPage } = await openDesktop();
  assert.match(await page.getByTestId('harness-live-worker').textContent(), new RegExp(workerSid));
  assert.equal(await page.getByTestId('task-list-item').count(), 0, 'the worker starts without tasks');
  const taskSid = await ringAndAccept(page);
  assert.match(await page.getByTestId('task-canvas-title').textContent(), /Carol Souza/);

  await callButton(page, 'agent-hangup');
  const wrapped = await until('the task wrapping with hang_up_by agent', async () => {
    const t = await task(taskSid);
    const attributes = JSON.parse(t.attributes);
    return t.assignment_status === 'wrapping' && attributes.conversations?.hang_up_by === 'agent' ? attributes : undefined;
  });
  assert.equal(wrapped.name, 'Carol Souza', 'the other attributes are kept');
  await until('task.wrapup in the events', async () => (await events()).some((e) => e.eventType === 'task.wrapup' && e.params.TaskSid === taskSid));

  await page.locator(`[data-testid="task-complete"][data-task-sid="${taskSid}"]`).click();
  await page.locator(`[data-testid="task-list-item"][data-task-sid="${taskSid}"]`).waitFor({ state: 'detached' });
  assert.equal((await task(taskSid)).assignment_status, 'completed');
  assert.deepEqual(log.errors, []);
  assert.deepEqual(harnessPage.blockedRequests, []);
  await page.close();
});

test('the customer hangs up: the server records hang_up_by customer at wrap-up', async () => {
  const { page, log } = await openDesktop();
  const taskSid = await ringAndAccept(page);
  await callButton(page, 'customer-hangup');
  await until('hang_up_by customer', async () => JSON.parse((await task(taskSid)).attributes).conversations?.hang_up_by === 'customer');
  const call = await emulatorControl(emulator.url, 'GET', `/calls/${taskSid}`);
  assert.equal(call.endedBy, 'customer');
  assert.equal(call.status, 'ended');
  await page.locator(`[data-testid="task-complete"][data-task-sid="${taskSid}"]`).click();
  await page.locator(`[data-testid="task-list-item"][data-task-sid="${taskSid}"]`).waitFor({ state: 'detached' });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('rejecting a ringing call removes it from the list; TaskRouter does not offer it to that worker again', async () => {
  const { page, log } = await openDesktop();
  const taskSid = await (await callButton(page, 'incoming')).getAttribute('data-task-sid');
  const item = page.locator(`[data-testid="task-list-item"][data-task-sid="${taskSid}"]`);
  await item.waitFor();
  await page.locator(`[data-testid="task-reject"][data-task-sid="${taskSid}"]`).click();
  await item.waitFor({ state: 'detached' });
  const [rejected] = await reservationsOf(taskSid);
  assert.equal(rejected.reservation_status, 'rejected');
  assert.equal((await task(taskSid)).assignment_status, 'pending', 'back in the queue, waiting for another worker');
  assert.ok((await events()).some((e) => e.eventType === 'reservation.rejected' && e.params.TaskSid === taskSid));
  // The caller gives up: the waiting task is canceled.
  await emulatorControl(emulator.url, 'POST', `/calls/${taskSid}/hang-up`, { party: 'customer' });
  assert.equal((await task(taskSid)).assignment_status, 'canceled');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a voicemail becomes a callback task the worker accepts, with a playable recording', async () => {
  const { page, log } = await openDesktop();
  const result = await callButton(page, 'voicemail');
  const taskSid = await result.getAttribute('data-task-sid');
  assert.match(taskSid, /^WT[0-9a-f]{32}$/, await result.textContent());
  const attributes = JSON.parse((await task(taskSid)).attributes);
  assert.equal(attributes.taskType, 'voicemail');
  const item = page.locator(`[data-testid="task-list-item"][data-task-sid="${taskSid}"]`);
  await item.waitFor();
  assert.equal(await item.getAttribute('data-task-channel'), 'voicemail');
  await page.locator(`[data-testid="task-accept"][data-task-sid="${taskSid}"]`).click();
  await page.getByTestId('callback-panel').waitFor({ timeout: 20000 });
  const audio = page.getByTestId('callback-recording');
  const [recording] = (await emulatorControl(emulator.url, 'GET', '/voicemails')).recordings ?? [];
  assert.ok(recording, 'the emulator holds the recording');
  assert.match(await result.textContent(), new RegExp(recording.sid));
  const src = await audio.getAttribute('src');
  assert.ok(src.startsWith(emulator.url) && src.endsWith(recording.sid), `the panel plays the emulator's recording: ${src}`);
  await until('the recording loaded', () => audio.evaluate((a) => a.readyState >= 1 && a.duration > 0));
  await audio.evaluate((a) => a.play());
  await until('the recording playing', () => audio.evaluate((a) => a.currentTime > 0));
  // Retry Later re-queues it (WrapupTask moves the reservation to wrapping); Complete frees the worker.
  await page.getByTestId('callback-retry-later').click();
  await until('the voicemail task wrapping', async () => (await task(taskSid)).assignment_status === 'wrapping');
  await page.locator(`[data-testid="task-complete"][data-task-sid="${taskSid}"]`).click();
  await item.waitFor({ state: 'detached' });
  assert.equal((await task(taskSid)).assignment_status, 'completed');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('"Studio asks for extension 1234" sends a signed Studio request and shows the server\'s answer', async () => {
  const supervisor = (await emulatorControl(emulator.url, 'POST', '/iam/tokens', { identity: 'sam', roles: ['supervisor'] }, 201)).token;
  const admin = async (p, body) => {
    const r = await fetch(server.url + p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...body, Token: supervisor }) });
    assert.equal(r.status, 200, `${p}: ${await r.clone().text()}`);
    return r.json();
  };
  const { version } = await admin('/admin/list', {});
  const { buildSid } = await admin('/admin/update', { data: [{ workerSid, workerFullName: 'Alice Agent', extensionNumber: '1234' }], version });
  await admin('/admin/publish', { buildSid });

  const { page } = await openDesktop();
  const result = await callButton(page, 'studio-extension');
  assert.match(await result.textContent(), new RegExp(`HTTP 200 .*${workerSid}`));
  await page.close();
});
