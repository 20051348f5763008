// Callback and voicemail end to end (issue 7, "Done when"): a signed Studio request (the emulator acting as
// Studio's Transcription Callback) makes flexcore-server create a voicemail task in the emulated TaskRouter;
// the harness (the real plugin bundle in headless chromium) shows that task with the voicemail channel and
// the callback panel the wasm core computes; "Retry Later" in the page re-queues it through the server's
// Flex route, which creates the next attempt with attempts=1, the same conversation id and the original
// time as VirtualStartTime. Every process is real and listens on 127.0.0.1 only.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { launchBrowser } from '../lib/browser.mjs';
import { EMULATOR_BIN, SERVER_BIN, emulatorControl, startEmulator, startServer } from '../lib/emulator-server.mjs';
import { startHarness } from '../lib/harness-server.mjs';
import { PLUGIN_BUNDLE } from '../lib/paths.mjs';
import { stopAll } from '../lib/process.mjs';
import { HarnessPage } from '../pages/harness-page.mjs';

const WORKSPACE = 'WS' + 'e2e0'.repeat(8);
const WORKFLOW = 'WW' + 'e2e1'.repeat(8);
const FLOW = 'FW' + 'e2e2'.repeat(8);
const RECORDING = 'RE' + 'e2e3'.repeat(8);
const TRANSCRIPTION = 'TR' + 'e2e4'.repeat(8);
const RECEIVED = '2026-01-15T09:30:00.000Z';

const tasksOf = async (emulator) => (await emulatorControl(emulator.url, 'GET', '/taskrouter/workspaces')).workspaces[0].tasks;

let emulator;
let server;
let harness;
let session;
let dataDir;
let token;
before(async () => {
  for (const file of [EMULATOR_BIN, SERVER_BIN, PLUGIN_BUNDLE]) assert.ok(existsSync(file), `${file} is missing: build it first (scripts/test)`);
  emulator = await startEmulator();
  await emulatorControl(emulator.url, 'POST', '/taskrouter/workspaces', {
    sid: WORKSPACE,
    workflows: [{ sid: WORKFLOW, friendlyName: 'Callbacks' }],
  }, 201);
  token = (await emulatorControl(emulator.url, 'POST', '/iam/tokens', { identity: 'e2e-agent', roles: ['agent'] }, 201)).token;
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'flexcore-e2e-callback-'));
  server = await startServer({
    FLEXCORE_HOST: '127.0.0.1',
    FLEXCORE_DATA_DIR: dataDir,
    FLEXCORE_CORS_ORIGINS: '*',
    ACCOUNT_SID: 'AC00000000000000000000000000000000',
    AUTH_TOKEN: 'emulator-auth-token',
    FLEXCORE_IAM_URL: emulator.url,
    FLEXCORE_TASKROUTER_URL: `${emulator.url}/taskrouter`,
    TWILIO_FLEX_WORKSPACE_SID: WORKSPACE,
    TWILIO_FLEX_CALLBACK_WORKFLOW_SID: WORKFLOW,
  }, { cwd: dataDir });
  harness = await startHarness({ bundlePath: PLUGIN_BUNDLE, serverUrl: server.url });
  session = await launchBrowser();
});
after(async () => {
  await stopAll(session, harness, server, emulator);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('a signed Studio voicemail becomes a task the harness shows, and Retry Later re-queues attempt 1', async () => {
  // 1. Studio's Record Voicemail widget calls the Transcription Callback URL (query string of the seed),
  //    signed with the account's auth token by the emulator acting as Twilio.
  const query = new URLSearchParams({ numberToCall: '+15550100000', numberToCallFrom: '+15550100001', flexFlowSid: FLOW });
  const studio = await emulatorControl(emulator.url, 'POST', '/webhooks/send', {
    url: `${server.url}/callback/studio/create-callback?${query}`,
    method: 'POST',
    params: {
      RecordingSid: RECORDING,
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Recordings/${RECORDING}`,
      TranscriptionSid: TRANSCRIPTION,
      TranscriptionText: 'Hi, please call me back about my order.',
      utcDateTimeReceived: RECEIVED,
    },
  });
  assert.equal(studio.status, 200, studio.body);
  const created = JSON.parse(studio.body);
  assert.equal(created.success, true);
  const [first] = await tasksOf(emulator);
  assert.equal(first.sid, created.taskSid);
  assert.equal(first.attributes_json.taskType, 'voicemail');
  assert.equal(first.attributes_json.callBackData.attempts, 0);

  // 2. The harness shows that task (as Flex would after routing it to the agent).
  const reservationSid = 'WR' + randomBytes(16).toString('hex');
  const flexTask = {
    taskSid: first.sid,
    sid: reservationSid,
    taskChannelUniqueName: first.task_channel_unique_name,
    queueName: 'Callbacks',
    queueSid: 'WQ' + 'e2e5'.repeat(8),
    workflowSid: first.workflow_sid,
    status: 'accepted', taskStatus: 'assigned',
    timeout: first.timeout,
    priority: first.priority,
    dateCreated: first.date_created,
    attributes: first.attributes_json,
  };
  const { page, log, harnessPage } = await HarnessPage.openReady(session.browser, harness.url, { task: first.sid }, {
    async prepare(page) {
      await page.route('**/harness/fixtures/tasks.json', (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ tasks: [flexTask] }) }),
      );
      await page.route('**/harness/config.json', async (route) => {
        const response = await route.fetch();
        const config = await response.json();
        config.user = { ...config.user, token }; // the agent's Flex token (issued by the emulated IAM)
        await route.fulfill({ response, body: JSON.stringify(config) });
      });
    },
  });

  const item = page.locator(`[data-testid="task-list-item"][data-task-sid="${first.sid}"]`);
  assert.equal(await item.getAttribute('data-task-channel'), 'voicemail');
  assert.equal(await item.locator('[data-testid="task-list-item-title"]').textContent(), 'Callbacks: Voicemail (+15550100000)');
  const panel = page.locator('[data-testid="callback-panel"]');
  await panel.waitFor({ timeout: 20000 });
  assert.equal(await panel.getAttribute('data-task-type'), 'voicemail');
  assert.equal(await page.locator('[data-testid="callback-heading"]').textContent(), 'Contact Voicemail');
  assert.equal(await page.locator('[data-testid="callback-transcript"]').textContent(), 'Hi, please call me back about my order.');
  assert.match(await page.locator('[data-testid="callback-recording"]').getAttribute('src'), new RegExp(`${RECORDING}$`));
  assert.equal(await page.locator('[data-testid="callback-contact-phone"]').textContent(), '+15550100000');
  assert.equal(await page.locator('[data-testid="callback-attempt"]').textContent(), '1 of 3');
  assert.equal(await page.locator('[data-testid="callback-place-call"]').textContent(), 'Place Call Now To +15550100000');

  // 3. Retry Later: the plugin posts the core's requeueParams to /callback/flex/create-callback.
  await page.locator('[data-testid="callback-retry-later"]').click();
  let tasks = [];
  for (let i = 0; i < 200 && tasks.length < 2; i += 1) {
    tasks = await tasksOf(emulator);
    if (tasks.length < 2) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(tasks.length, 2, 'Retry Later created no task');
  const second = tasks[1];
  assert.equal(second.attributes_json.taskType, 'voicemail');
  assert.equal(second.attributes_json.callBackData.attempts, 1);
  assert.equal(second.attributes_json.conversations.conversation_id, first.sid, 'the first attempt is the conversation');
  assert.equal(second.attributes_json.callBackData.utcDateTimeReceived, RECEIVED);
  assert.equal(second.virtual_start_time, first.virtual_start_time);
  assert.equal(second.virtual_start_time, '2026-01-15T09:30:00Z');
  const creates = (await emulatorControl(emulator.url, 'GET', `/requests?method=POST&path=${encodeURIComponent('/v1/Workspaces/*/Tasks')}`)).requests;
  assert.equal(creates.length, 2);
  assert.equal(new URLSearchParams(creates[1].body).get('VirtualStartTime'), RECEIVED);
  assert.equal(new URLSearchParams(creates[0].body).get('VirtualStartTime'), RECEIVED);

  assert.deepEqual(log.errors, [], 'uncaught errors on the page');
  assert.deepEqual(harnessPage.blockedRequests, [], 'the page tried to leave loopback');
  await page.close();
});
