// Hang up by (issue 8) end to end: the emulator holds a voice task (accepted reservation, conference with
// customer and worker legs); the harness shows that task with the plugin's production bundle; clicking
// "Hang up" runs Flex's HangupCall, whose beforeHangupCall listener (the plugin) writes
// conversations.hang_up_by = "agent" through ITask.setAttributes (the harness forwards it to the emulator's
// TaskRouter, as the TaskRouter SDK would). Then the worker leg leaves, the task wraps up and the signed
// task.wrapup event reaches flexcore-server, which keeps "agent". The emulator's task is the evidence.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { launchBrowser } from '../lib/browser.mjs';
import { EMULATOR_BIN, SERVER_BIN, emulatorControl, startEmulator, startServer } from '../lib/emulator-server.mjs';
import { startHarness } from '../lib/harness-server.mjs';
import { PLUGIN_BUNDLE } from '../lib/paths.mjs';
import { stopAll } from '../lib/process.mjs';
import { HarnessPage } from '../pages/harness-page.mjs';

const ACCOUNT = 'AC00000000000000000000000000000000';
const AUTH_TOKEN = 'e2e-hang-up-by-token';

const basic = `Basic ${Buffer.from(`${ACCOUNT}:${AUTH_TOKEN}`).toString('base64')}`;

async function taskRouter(emulator, method, route, form) {
  const response = await fetch(`${emulator.url}/taskrouter/v1${route}`, {
    method,
    headers: { Authorization: basic, ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} /taskrouter/v1${route}: ${response.status} ${text}`);
  return JSON.parse(text);
}

const hex = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');

let emulator;
let server;
let harness;
let session;
let workDir;
let call;

before(async () => {
  for (const file of [EMULATOR_BIN, SERVER_BIN, PLUGIN_BUNDLE]) assert.ok(existsSync(file), `${file} is missing: build it first`);
  emulator = await startEmulator(['--account-sid', ACCOUNT, '--auth-token', AUTH_TOKEN]);
  server = await startServer({
    ACCOUNT_SID: ACCOUNT,
    AUTH_TOKEN,
    FLEXCORE_TASKROUTER_URL: `${emulator.url}/taskrouter`,
    FLEXCORE_VOICE_URL: `${emulator.url}/voice`,
    FLEXCORE_IAM_URL: emulator.url,
  });

  // A Flex voice call as TaskRouter, Flex and the phone network leave it: task accepted, conference up.
  const workspace = await emulatorControl(emulator.url, 'POST', '/taskrouter/workspaces', {
    workflows: [{ friendlyName: 'Assign to Anyone' }],
  }, 201);
  call = {
    workspaceSid: workspace.sid,
    conferenceSid: `CF${hex(32)}`,
    customer: `CA${hex(32)}`,
    worker: `CA${hex(32)}`,
    reservationSid: `WR${hex(32)}`,
  };
  const attributes = {
    name: 'Ada Caller',
    from: '+15550100001',
    direction: 'inbound',
    call_sid: call.customer,
    conference: { sid: call.conferenceSid, participants: { customer: call.customer, worker: call.worker } },
    conversations: { queue: 'Everyone' },
  };
  const task = await taskRouter(emulator, 'POST', `/Workspaces/${workspace.sid}/Tasks`, {
    Attributes: JSON.stringify(attributes),
    WorkflowSid: workspace.workflows[0].sid,
    TaskChannel: 'voice',
  });
  call.taskSid = task.sid;
  for (const assignmentStatus of ['reserved', 'assigned']) {
    await emulatorControl(emulator.url, 'POST', `/taskrouter/workspaces/${workspace.sid}/tasks/${task.sid}`, { assignmentStatus });
  }
  await emulatorControl(emulator.url, 'POST', '/voice/conferences', { sid: call.conferenceSid, friendlyName: task.sid }, 201);
  for (const [callSid, label] of [[call.customer, 'customer'], [call.worker, 'worker']]) {
    await emulatorControl(emulator.url, 'POST', `/voice/conferences/${call.conferenceSid}/participants`, {
      callSid,
      label,
      endConferenceOnExit: true,
    }, 201);
  }

  workDir = await mkdtemp(path.join(tmpdir(), 'flexcore-e2e-hang-up-by-'));
  const tasksFile = path.join(workDir, 'tasks.json');
  await writeFile(
    tasksFile,
    JSON.stringify({
      tasks: [
        {
          taskSid: task.sid,
          sid: call.reservationSid,
          taskChannelUniqueName: 'voice',
          queueName: 'Everyone',
          status: 'assigned',
          dateCreated: task.date_created,
          attributes,
        },
      ],
    }),
  );
  harness = await startHarness({
    bundlePath: PLUGIN_BUNDLE,
    serverUrl: server.url,
    tasksPath: tasksFile,
    taskRouterUrl: `${emulator.url}/taskrouter`,
    workspaceSid: workspace.sid,
    accountSid: ACCOUNT,
    authToken: AUTH_TOKEN,
  });
  session = await launchBrowser();
});

after(async () => {
  await stopAll(session, harness, server, emulator);
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

async function emulatorAttributes() {
  const task = await taskRouter(emulator, 'GET', `/Workspaces/${call.workspaceSid}/Tasks/${call.taskSid}`);
  return JSON.parse(task.attributes);
}

/** Polls (bounded, not a timed assertion) until `condition` holds on the emulator's task attributes. */
async function waitForAttributes(condition, what) {
  let last;
  for (let i = 0; i < 200; i += 1) {
    last = await emulatorAttributes();
    if (condition(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`${what}; the emulator's task attributes are ${JSON.stringify(last)}`);
}

test('clicking hang-up on a voice task records agent, and the server keeps it at wrap-up', async () => {
  const { page, log, harnessPage } = await HarnessPage.openReady(session.browser, harness.url, { task: call.taskSid });

  const hangUp = page.locator('[data-testid="harness-hangup"]');
  await hangUp.click();
  await page.locator('[data-testid="harness-hangup"][disabled]').waitFor();  // the hang-up itself went through

  const afterClick = await waitForAttributes(
    (a) => a.conversations?.hang_up_by === 'agent',
    'the plugin did not write conversations.hang_up_by = "agent"',
  );
  assert.equal(afterClick.conversations.queue, 'Everyone', 'other conversations keys are kept');
  assert.equal(afterClick.name, 'Ada Caller');
  assert.deepEqual(afterClick.conference.participants, { customer: call.customer, worker: call.worker });

  // The agent's leg leaves the conference, ending it; the task wraps up; TaskRouter posts task.wrapup.
  await emulatorControl(emulator.url, 'POST', `/voice/conferences/${call.conferenceSid}/participants/${call.worker}/leave`, {});
  await emulatorControl(emulator.url, 'POST', `/taskrouter/workspaces/${call.workspaceSid}/tasks/${call.taskSid}`, {
    assignmentStatus: 'wrapping',
  });
  const wrapping = await taskRouter(emulator, 'GET', `/Workspaces/${call.workspaceSid}/Tasks/${call.taskSid}`);
  const answer = await emulatorControl(emulator.url, 'POST', '/webhooks/send', {
    url: `${server.url}/taskrouter/events`,
    params: {
      EventType: 'task.wrapup',
      AccountSid: ACCOUNT,
      WorkspaceSid: call.workspaceSid,
      ResourceType: 'task',
      ResourceSid: call.taskSid,
      TaskSid: call.taskSid,
      TaskAttributes: wrapping.attributes,
      TaskAssignmentStatus: 'wrapping',
      TaskChannelUniqueName: 'voice',
    },
  });
  assert.equal(answer.status, 200, answer.body);
  assert.deepEqual(JSON.parse(answer.body), { written: false, reason: 'agent-already-recorded' });

  const final = await emulatorAttributes();
  assert.equal(final.conversations.hang_up_by, 'agent');
  assert.equal(final.conversations.queue, 'Everyone');
  assert.deepEqual(log.errors, [], 'uncaught errors on the page');
  assert.deepEqual(harnessPage.blockedRequests, [], 'the page tried to leave loopback');
  await page.close();
});
