// The demo stack (issue 9, scripts/lib/demo-stack.mjs): startDemoStack() brings up the emulator with the
// seeded data set, flexcore-server and the harness on free ports; every part of the data set is checked
// through the real APIs, a second start on the same data folder keeps the published agent extensions, and
// stop() leaves no process behind. Needs the native binaries (FLEXCORE_NATIVE_BUILD, default build/native-debug).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { NATIVE_BUILD } from '../lib/paths.mjs';
import { demoData, startDemoStack } from '../../../scripts/lib/demo-stack.mjs';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flexcore-demo-stack-'));
let stack;

const basic = () => `Basic ${Buffer.from(`${stack.accountSid}:${stack.authToken}`).toString('base64')}`;
async function rest(method, route, form) {
  const response = await fetch(`${stack.emulatorUrl}${route}`, {
    method,
    headers: { Authorization: basic(), ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  assert.equal(response.status, method === 'POST' && route.endsWith('/Tasks') ? 201 : 200, `${method} ${route}`);
  return response.json();
}
async function control(method, route, body) {
  const response = await fetch(`${stack.emulatorUrl}/__emulator${route}`, {
    method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.status < 300, `${method} ${route}: ${response.status}`);
  return response.json();
}
async function server(route, params) {
  const response = await fetch(`${stack.serverUrl}${route}?${new URLSearchParams(params)}`);
  return { status: response.status, body: await response.json() };
}
const workspace = async () => (await control('GET', '/taskrouter/workspaces')).workspaces[0];

before(async () => {
  stack = await startDemoStack({ port: 0, dataDir, buildDir: NATIVE_BUILD });
});

after(async () => {
  if (stack) await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the data set is deterministic: the same workers and extensions on every run', () => {
  const first = demoData();
  const second = demoData();
  assert.deepEqual(first, second);
  assert.equal(first.workers.length, 20);
  assert.equal(first.extensions.length, 200);
  assert.equal(new Set(first.extensions.map((e) => e.extensionNumber)).size, 200);
  assert.equal(first.extensions.find((e) => e.workerSid === first.agent.sid).extensionNumber, '1234');
});

test('the workspace has 20 workers with supervisors, four queues and three workflows', async () => {
  const { workers } = await rest('GET', `/taskrouter/v1/Workspaces/${stack.workspaceSid}/Workers?PageSize=100`);
  assert.equal(workers.length, 20);
  const attributes = workers.map((w) => JSON.parse(w.attributes));
  assert.equal(attributes.filter((a) => a.roles.includes('supervisor')).length, 2);
  for (const a of attributes) assert.match(a.contact_uri, /^client:/);
  assert.ok(workers.some((w) => w.sid === stack.users.agent.workerSid && w.available));
  const { task_queues: queues } = await rest('GET', `/taskrouter/v1/Workspaces/${stack.workspaceSid}/TaskQueues`);
  assert.deepEqual(queues.map((q) => q.friendly_name), ['Everyone', 'Sales', 'Support', 'Callbacks']);
  const { workflows } = await rest('GET', `/taskrouter/v1/Workspaces/${stack.workspaceSid}/Workflows`);
  assert.deepEqual(workflows.map((w) => w.friendly_name), ['Assign to Anyone', 'Callbacks', 'Known Agent']);
  const ws = await rest('GET', `/taskrouter/v1/Workspaces/${stack.workspaceSid}`);
  assert.equal(ws.event_callback_url, `${stack.serverUrl}/taskrouter/events`);
});

test('the Flex tokens sign the agent and the supervisor in', async () => {
  const agent = await server('/session', { Token: stack.users.agent.token });
  assert.equal(agent.status, 200);
  assert.equal(agent.body.identity, 'alice');
  assert.equal(agent.body.workerSid, stack.users.agent.workerSid);
  const supervisor = await server('/session', { Token: stack.users.supervisor.token });
  assert.ok(supervisor.body.roles.includes('supervisor'));
  const harness = await server('/session', { Token: stack.harnessToken });
  assert.equal(harness.body.workerSid, stack.users.agent.workerSid);
  assert.equal((await fetch(stack.harnessUrl)).status, 200);
});

test('200 agent extensions are published and Studio finds the agent at 1234', async () => {
  assert.equal(stack.extensions.publishedNow, true);
  const list = await server('/admin/list', { Token: stack.users.supervisor.token, pageSize: '1000' });
  assert.equal(list.status, 200);
  assert.equal(list.body.data.length, 200);
  assert.equal(list.body.versionIsDeployed, true);
  const lookup = await control('POST', '/webhooks/send', { url: `${stack.serverUrl}/agent-extensions`, method: 'GET', params: { agentExt: '1234' } });
  assert.equal(lookup.status, 200);
  assert.equal(JSON.parse(lookup.body).workerSID, stack.users.agent.workerSid);
});

test('finished calls carry hang_up_by, callbacks and voicemails wait with playable recordings', async () => {
  const ws = await workspace();
  const finished = ws.tasks.filter((t) => stack.seeded.calls.includes(t.sid));
  assert.equal(finished.length, 4);
  for (const task of finished) assert.equal(task.assignment_status, 'completed');
  assert.deepEqual(finished.map((t) => t.attributes_json.conversations.hang_up_by), ['customer', 'agent', 'customer', 'agent']);
  const waiting = ws.tasks.filter((t) => [...stack.seeded.callbacks, ...stack.seeded.voicemails.map((v) => v.taskSid)].includes(t.sid));
  assert.equal(waiting.length, 4);
  for (const task of waiting) {
    assert.ok(['pending', 'reserved'].includes(task.assignment_status));
    assert.equal(task.task_queue_friendly_name, 'Callbacks');
  }
  const voicemails = waiting.filter((t) => t.attributes_json.taskType === 'voicemail');
  assert.equal(voicemails.length, 2);
  for (const task of voicemails) {
    assert.ok(task.attributes_json.callBackData.TranscriptionText.length > 10);
    const media = await fetch(task.attributes_json.callBackData.RecordingUrl);
    assert.equal(media.status, 200);
    assert.equal(media.headers.get('content-type'), 'audio/x-wav');
    const wav = Buffer.from(await media.arrayBuffer());
    assert.equal(wav.toString('latin1', 0, 4), 'RIFF');
    assert.equal(wav.toString('latin1', 8, 12), 'WAVE');
  }
});

test('Insights segments exist for the seeded tasks and for tasks created while the demo runs', async () => {
  const seeded = await server('/get-segment-id', { Token: stack.users.agent.token, TaskSid: stack.seeded.calls[0] });
  assert.equal(seeded.status, 200);
  assert.ok(seeded.body.segment_ids.length >= 1);
  const created = await rest('POST', `/taskrouter/v1/Workspaces/${stack.workspaceSid}/Tasks`,
    { Attributes: '{"name":"new"}', WorkflowSid: stack.workflows.anyone });
  // The stack indexes new tasks from the task.created events (every 500 ms); bounded wait.
  let answer;
  for (let i = 0; i < 100; i += 1) {
    answer = await server('/get-segment-id', { Token: stack.users.agent.token, TaskSid: created.sid });
    if (answer.status === 200 && answer.body.segment_ids.length > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(answer.body.segment_ids.length >= 1, JSON.stringify(answer.body));
});

test('Segment profiles answer for the demo customers', async () => {
  for (const customer of stack.customers) {
    const answer = await server('/fetch-persona', { Token: stack.users.agent.token, identifier: customer.userId });
    assert.equal(answer.status, 200, customer.userId);
    assert.equal(answer.body.traits.first_name, customer.name.split(' ')[0]);
    assert.ok(answer.body.events.length >= 3);
  }
});

test('a second start on the same data folder keeps the extensions; stop() ends every process', async () => {
  const first = stack;
  await first.stop();
  assert.equal(first.pids.length, 3);
  for (const pid of first.pids) assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `process ${pid} is still running`);
  stack = await startDemoStack({ port: 0, dataDir, buildDir: NATIVE_BUILD, harness: false });
  assert.equal(stack.extensions.publishedNow, false);
  const list = await server('/admin/list', { Token: stack.users.supervisor.token, pageSize: '1000' });
  assert.equal(list.body.data.length, 200);
});
