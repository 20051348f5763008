// The harness server's hang-up-by additions (issue 8): --tasks replaces the task fixture, and the TaskRouter
// stand-in behind ITask.setAttributes forwards POST /harness/taskrouter/tasks/<WT> to TaskRouter with Basic
// auth, keeping the Auth Token out of the page. A local recording server plays TaskRouter here.
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
const AC = 'AC0123456789abcdef0123456789abcdef';
const WT = 'WT0123456789abcdef0123456789abcdef';

let dir;
let harness;
let taskRouter;
const received = [];
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flexcore-harness-tr-'));
  await writeFile(path.join(dir, 'bundle.js'), 'window.__bundle = 1;\n');
  await writeFile(path.join(dir, 'tasks.json'), JSON.stringify({ tasks: [{ taskSid: WT, sid: 'WR1' }] }));
  taskRouter = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c)).on('end', () => {
      received.push({ method: req.method, url: req.url, authorization: req.headers.authorization, type: req.headers['content-type'], body });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ sid: WT, attributes: new URLSearchParams(body).get('Attributes') }));
    });
  });
  await new Promise((resolve) => taskRouter.listen(0, '127.0.0.1', resolve));
  harness = await startHarnessServer({
    port: 0,
    bundlePath: path.join(dir, 'bundle.js'),
    tasksPath: path.join(dir, 'tasks.json'),
    taskRouter: { url: `http://127.0.0.1:${taskRouter.address().port}/taskrouter`, workspaceSid: WS, accountSid: AC, authToken: 'secret-token' },
  });
});
after(async () => {
  await harness?.close();
  await new Promise((resolve) => taskRouter?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const at = (p) => new URL(p, harness.url);

test('--tasks replaces the task fixture and config.json says a TaskRouter is configured', async () => {
  assert.deepEqual(await (await fetch(at('/harness/fixtures/tasks.json'))).json(), { tasks: [{ taskSid: WT, sid: 'WR1' }] });
  const config = await (await fetch(at('/harness/config.json'))).json();
  assert.equal(config.taskRouter, true);
  assert.doesNotMatch(JSON.stringify(config), /secret-token/);
});

test('setAttributes is forwarded to TaskRouter as Attributes with Basic auth', async () => {
  const res = await fetch(at(`/harness/taskrouter/tasks/${WT}`), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ attributes: { conversations: { hang_up_by: 'agent' } } }),
  });
  assert.equal(res.status, 200);
  const last = received.at(-1);
  assert.equal(last.method, 'POST');
  assert.equal(last.url, `/taskrouter/v1/Workspaces/${WS}/Tasks/${WT}`);
  assert.equal(last.authorization, `Basic ${Buffer.from(`${AC}:secret-token`).toString('base64')}`);
  assert.equal(last.type, 'application/x-www-form-urlencoded');
  assert.deepEqual(JSON.parse(new URLSearchParams(last.body).get('Attributes')), { conversations: { hang_up_by: 'agent' } });
});

test('bad Task SIDs and bodies are refused without calling TaskRouter', async () => {
  const before = received.length;
  const badSid = await fetch(at('/harness/taskrouter/tasks/WT123'), { method: 'POST', body: '{"attributes":{}}' });
  assert.equal(badSid.status, 400);
  for (const body of ['not json', '{"attributes":[1]}', '{}']) {
    const res = await fetch(at(`/harness/taskrouter/tasks/${WT}`), { method: 'POST', body });
    assert.equal(res.status, 400, body);
  }
  assert.equal(received.length, before);
});

test('TaskRouter options are parsed and validated', async () => {
  assert.deepEqual(parseArgs(['--tasks', 't.json', '--taskrouter-url', 'http://127.0.0.1:1', '--workspace-sid', WS, '--account-sid', AC]), {
    tasksPath: 't.json',
    taskRouter: { url: 'http://127.0.0.1:1', workspaceSid: WS, accountSid: AC },
  });
  const bundlePath = path.join(dir, 'bundle.js');
  await assert.rejects(startHarnessServer({ port: 0, bundlePath, taskRouter: { url: 'ftp://x', workspaceSid: WS, accountSid: AC, authToken: 't' } }), /http/);
  await assert.rejects(startHarnessServer({ port: 0, bundlePath, taskRouter: { url: 'http://127.0.0.1:1', workspaceSid: 'WS1', accountSid: AC, authToken: 't' } }), /--workspace-sid/);
  await assert.rejects(startHarnessServer({ port: 0, bundlePath, taskRouter: { url: 'http://127.0.0.1:1', workspaceSid: WS, accountSid: AC } }), /FLEXCORE_HARNESS_AUTH_TOKEN/);
});
