// The harness server's live desktop routes (issue 9, plugin-js/harness/live.mjs) at the HTTP level: option
// checks, what config.json and the CSP say in live mode, and how each /harness/live/… route is forwarded to the
// emulator (Basic auth for TaskRouter, the workspace/worker SIDs added, the Auth Token never in an answer) and
// refused on bad input. A local recording server plays the emulator here; harness-live.test.mjs runs the same
// routes against the real flexcore-emulator in the browser.
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { HARNESS_SERVER } from '../lib/paths.mjs';

const { startHarnessServer, parseArgs } = await import(pathToFileURL(HARNESS_SERVER).href);

const WS = 'WS0123456789abcdef0123456789abcdef';
const WK = 'WK0123456789abcdef0123456789abcdef';
const AC = 'AC0123456789abcdef0123456789abcdef';
const WW = 'WW0123456789abcdef0123456789abcdef';
const WT = 'WT0123456789abcdef0123456789abcdef';
const WT2 = 'WTfedcba9876543210fedcba9876543210';
const WR = 'WR0123456789abcdef0123456789abcdef';
const WR2 = 'WRfedcba9876543210fedcba9876543210';
const SECRET = 'live-secret-token';

let dir;
let harness;
let upstream;
let received = [];
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flexcore-harness-live-'));
  await writeFile(path.join(dir, 'bundle.js'), 'window.__bundle = 1;\n');
  upstream = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c)).on('end', () => {
      received.push({ method: req.method, url: req.url, authorization: req.headers.authorization, type: req.headers['content-type'], body });
      const json = (status, value) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const base = `/taskrouter/v1/Workspaces/${WS}`;
      if (req.url === `${base}/Workflows`) return json(200, { workflows: [{ sid: WW }] });
      if (req.url === `${base}/Workers/${WK}/Reservations?PageSize=100`) {
        return json(200, {
          reservations: [
            { sid: WR, task_sid: WT, worker_sid: WK, reservation_status: 'accepted' },
            { sid: WR2, task_sid: WT2, worker_sid: WK, reservation_status: 'completed' },
          ],
        });
      }
      if (req.url === `${base}/Tasks/${WT}` && req.method === 'GET') {
        return json(200, {
          sid: WT, workspace_sid: WS, workflow_sid: WW, assignment_status: 'assigned', task_channel_unique_name: 'voice',
          task_queue_friendly_name: 'Everyone', attributes: '{"name":"Ada","conversations":{"queue":"Everyone"}}',
          priority: 0, timeout: 86400, date_created: '2026-11-21T09:00:00Z',
        });
      }
      if (req.url === '/__emulator/webhooks/send') return json(200, { status: 200, body: `{"workerSid":"${WK}"}` });
      if (req.url === '/__emulator/calls/WT0123456789abcdef0123456789abcdef/hang-up') return json(409, { error: 'the call already ended' });
      return json(req.method === 'POST' ? 201 : 200, { ok: true });
    });
  });
  await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  harness = await startHarnessServer({
    port: 0,
    bundlePath: path.join(dir, 'bundle.js'),
    serverUrl: 'http://127.0.0.1:9/',
    live: { emulatorUrl: `http://127.0.0.1:${upstream.address().port}`, workspaceSid: WS, workerSid: WK, accountSid: AC, authToken: SECRET },
  });
});
after(async () => {
  await harness?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const at = (p) => new URL(p, harness.url);
const post = (p, body) =>
  fetch(at(p), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const basic = `Basic ${Buffer.from(`${AC}:${SECRET}`).toString('base64')}`;

test('live options: parsed from the command line, checked, and config.json names the worker without any secret', async () => {
  assert.deepEqual(parseArgs(['--emulator-url', 'http://127.0.0.1:1', '--workspace-sid', WS, '--worker-sid', WK, '--account-sid', AC]), {
    live: { emulatorUrl: 'http://127.0.0.1:1', workerSid: WK, workspaceSid: WS, accountSid: AC },
  });
  const bundlePath = path.join(dir, 'bundle.js');
  const live = { emulatorUrl: 'http://127.0.0.1:1', workspaceSid: WS, workerSid: WK, accountSid: AC, authToken: 't' };
  await assert.rejects(startHarnessServer({ port: 0, bundlePath, live: { ...live, workerSid: 'WK1' } }), /--worker-sid must be WK/);
  await assert.rejects(startHarnessServer({ port: 0, bundlePath, live: { ...live, emulatorUrl: 'ftp://x' } }), /--emulator-url must use http/);
  await assert.rejects(startHarnessServer({ port: 0, bundlePath, live: { ...live, authToken: undefined } }), /FLEXCORE_HARNESS_AUTH_TOKEN/);

  const config = await (await fetch(at('/harness/config.json'))).json();
  assert.deepEqual(config.live, { workerSid: WK, workspaceSid: WS, pollMs: 1000 });
  assert.equal(config.workerSid, WK);
  assert.equal(config.accountSid, AC);
  assert.equal(config.taskRouter, true, 'the emulator is also the TaskRouter behind setAttributes');
  assert.doesNotMatch(JSON.stringify(config), new RegExp(SECRET));
  const csp = (await fetch(at('/'))).headers.get('content-security-policy');
  assert.match(csp, new RegExp(`media-src 'self' http://127\\.0\\.0\\.1:${upstream.address().port}`), 'recordings play from the emulator');
});

test("GET /harness/live/tasks lists the worker's open reservations as Flex tasks", async () => {
  received = [];
  const res = await fetch(at('/harness/live/tasks'));
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.deepEqual(body.tasks, [
    {
      taskSid: WT, sid: WR, workerSid: WK, workspaceSid: WS, workflowSid: WW, queueName: 'Everyone', taskChannelUniqueName: 'voice',
      status: 'assigned', reservationStatus: 'accepted', taskStatus: 'assigned', priority: 0, timeout: 86400,
      dateCreated: '2026-11-21T09:00:00Z', attributes: { name: 'Ada', conversations: { queue: 'Everyone' } },
    },
  ]);
  assert.deepEqual(received.map((r) => `${r.method} ${r.url}`), [
    `GET /taskrouter/v1/Workspaces/${WS}/Workers/${WK}/Reservations?PageSize=100`,
    `GET /taskrouter/v1/Workspaces/${WS}/Tasks/${WT}`,
  ], 'the completed reservation is not fetched');
  assert.ok(received.every((r) => r.authorization === basic));
  assert.doesNotMatch(JSON.stringify(body), new RegExp(SECRET));
});

test('task actions become TaskRouter updates with Basic auth', async () => {
  received = [];
  assert.equal((await post(`/harness/live/tasks/${WT}/reservations/${WR}`, { reservationStatus: 'accepted' })).status, 200);
  assert.equal((await post(`/harness/live/tasks/${WT}/reservations/${WR}`, { reservationStatus: 'wrapping' })).status, 200);
  assert.equal((await post(`/harness/live/tasks/${WT}/reservations/${WR}`, { reservationStatus: 'completed' })).status, 200);
  const reservation = `/taskrouter/v1/Workspaces/${WS}/Tasks/${WT}/Reservations/${WR}`;
  assert.deepEqual(received.map((r) => [r.method, r.url, r.body, r.authorization, r.type]), [
    ['POST', reservation, 'ReservationStatus=accepted', basic, 'application/x-www-form-urlencoded'],
    ['POST', reservation, 'ReservationStatus=wrapping', basic, 'application/x-www-form-urlencoded'],
    ['POST', reservation, 'ReservationStatus=completed', basic, 'application/x-www-form-urlencoded'],
  ]);
});

test('call buttons become emulator control calls with the workspace, workflow and server URL added', async () => {
  received = [];
  assert.equal((await post('/harness/live/calls', {})).status, 201);
  assert.equal((await post('/harness/live/voicemails', { durationSeconds: 3 })).status, 201);
  const studio = await post('/harness/live/studio/agent-extension', { extension: '1234' });
  assert.equal(studio.status, 200);
  assert.deepEqual(await studio.json(), { extension: '1234', status: 200, body: { workerSid: WK } });
  const control = received.filter((r) => r.url.startsWith('/__emulator/'));
  assert.deepEqual(control.map((r) => r.url), ['/__emulator/calls', '/__emulator/voicemails', '/__emulator/webhooks/send']);
  const call = JSON.parse(control[0].body);
  assert.equal(call.workspaceSid, WS);
  assert.equal(call.workflowSid, WW);
  assert.equal(call.channel, 'voice');
  assert.equal(typeof call.attributes.context, 'object', 'the demo caller comes with bot context');
  assert.equal(call.attributes.targetWorker, WK, 'the call rings the signed-in worker');
  const voicemail = JSON.parse(control[1].body);
  assert.equal(voicemail.url, 'http://127.0.0.1:9/callback/studio/create-callback');
  assert.equal(voicemail.durationSeconds, 3);
  assert.match(voicemail.flexFlowSid, /^FW[0-9a-f]{32}$/);
  assert.deepEqual(JSON.parse(control[2].body), { url: 'http://127.0.0.1:9/agent-extensions', method: 'GET', params: { agentExt: '1234' } });
  assert.ok(control.every((r) => r.authorization === undefined), 'control routes get no credentials');
});

test('bad input is refused with the field named; emulator errors are passed on', async () => {
  const cases = [
    [`/harness/live/tasks/WT1/reservations/${WR}`, { reservationStatus: 'accepted' }, 400, /Task SID must be WT/],
    [`/harness/live/tasks/${WT}/reservations/WR1`, { reservationStatus: 'accepted' }, 400, /Reservation SID must be WR/],
    [`/harness/live/tasks/${WT}/reservations/${WR}`, { reservationStatus: 'timeout' }, 400, /reservationStatus must be/],
    [`/harness/live/tasks/${WT}`, { assignmentStatus: 'canceled' }, 404, /no harness live route/],
    [`/harness/live/calls`, '[1]', 400, /JSON object/],
    [`/harness/live/calls`, { attributes: 'x' }, 400, /attributes must be a JSON object/],
    [`/harness/live/calls/${WT}/hang-up`, { party: 'nobody' }, 400, /party must be/],
    [`/harness/live/voicemails`, { durationSeconds: 301 }, 400, /durationSeconds must be an integer from 1 to 300/],
    [`/harness/live/studio/agent-extension`, { extension: '12a' }, 400, /extension must be/],
    [`/harness/live/nothing`, {}, 404, /no harness live route/],
    [`/harness/live/calls/${WT}/hang-up`, { party: 'customer' }, 409, /the emulator answered 409: the call already ended/],
  ];
  for (const [p, body, status, message] of cases) {
    const res = await post(p, body);
    assert.equal(res.status, status, p);
    assert.match((await res.json()).error, message, p);
  }
  const wrongMethod = await fetch(at(`/harness/live/tasks/${WT}/reservations/${WR}`), { method: 'DELETE' });
  assert.equal(wrongMethod.status, 405);
});
