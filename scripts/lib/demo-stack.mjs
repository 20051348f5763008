#!/usr/bin/env node
/**
 * The demo stack (issue 9): flexcore-emulator with a realistic, deterministic data set, flexcore-server
 * against it (SQLite store in a data folder kept between runs) and the harness page in live-desktop mode.
 * Node built-ins only (ES module). Used by scripts/demo (through the CLI below) and by the journey test
 * (import { startDemoStack }).
 *
 * CLI:  node scripts/lib/demo-stack.mjs [--port N] [--data DIR] [--reset] [--build-dir DIR] [--bundle FILE]
 *   --port N      flexcore-server's port (default 3000); the harness uses N+1, the emulator N+2; 0 = free ports
 *   --data DIR    data folder (default <repo>/data): the server's SQLite files and logs/ (kept between runs)
 *   --reset       start with an empty data folder (fresh agent extensions)
 *   --build-dir   native build holding server/flexcore-server and tests/emulator/flexcore-emulator
 *                 (default <repo>/build/native-release)
 *   --bundle      the plugin bundle the harness serves (default plugin-js/build/plugin-flexcore.js)
 * Prints the URL to open and the users/tokens to try; Ctrl-C (SIGINT) or SIGTERM stops everything.
 *
 * The data set (seeded PRNG, identical on every run so the kept SQLite data keeps matching the emulator):
 *   TaskRouter workspace "Flex Task Assignment" (EventCallbackUrl = <server>/taskrouter/events) with the
 *   activities Offline/Available/Unavailable/Break, 20 workers (the harness agent, 2 supervisors, 17 agents;
 *   attributes full_name, email, roles, contact_uri client:…, skills, team), the queues Everyone, Sales,
 *   Support, Callbacks, the workflows Assign to Anyone (Everyone; honours attributes.targetWorker), Callbacks
 *   and Known Agent (known worker = task.targetWorker); 200 agent extensions (the agent's is 1234) published
 *   through the server's /admin routes on the first run; Segment profiles (traits, events) of the demo
 *   customers; finished calls (hung up by customer / agent, task.wrapup to the server), waiting callbacks and
 *   voicemails (recordings with transcripts) through the signed Studio route; Insights segments for every
 *   task, including the tasks created while the demo runs; Flex tokens for the agent and a supervisor.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const REPO_ROOT = path.resolve(HERE, '..', '..');

const ACCOUNT_SID = `AC${'d'.repeat(32)}`;
const WORKSPACE_SID = `WS${'d'.repeat(32)}`;
const CALLBACK_WORKFLOW_SID = `WW${'d'.repeat(32)}`;
const FLEX_FLOW_SID = `FW${'d'.repeat(32)}`;
const INSIGHTS = { login: 'demo-insights@example.com', password: 'demo-insights-password', workspace: 'demo-workspace', report: '4242' };
/** The token the harness page signs in with (harness/serve.mjs config.user.token); the demo makes it valid. */
export const HARNESS_TOKEN = 'harness-token-not-a-flex-token';
const READY_TIMEOUT_MS = 30000;
const STOP_TIMEOUT_MS = 5000;

// ------------------------------------------------------------------------------------------ PRNG, SIDs

/** mulberry32: a small seeded PRNG (the data set must be identical on every run). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sidFrom(random, prefix) {
  let hex = '';
  for (let i = 0; i < 32; i += 1) hex += Math.floor(random() * 16).toString(16);
  return prefix + hex;
}

/** Deterministic digits from a string (Insights segment IDs of a task). */
function digitsOf(text, salt, length) {
  const hash = crypto.createHash('sha256').update(`${salt}:${text}`).digest();
  let out = '';
  for (let i = 0; out.length < length; i += 1) out += String(hash[i % hash.length] % 10);
  return out.replace(/^0/, '5');
}

// ------------------------------------------------------------------------------------------ data set

const FIRST = ['Bruno', 'Carla', 'Diego', 'Elena', 'Felipe', 'Grace', 'Hugo', 'Isabel', 'Jonas', 'Kenji', 'Laura', 'Miguel',
  'Nadia', 'Omar', 'Paula', 'Rafael', 'Sofia', 'Tomas', 'Ursula', 'Victor', 'Wen', 'Ximena', 'Yusuf', 'Zoe', 'Aline', 'Bianca',
  'Caio', 'Daniela', 'Edson', 'Fatima', 'Gustavo', 'Helena', 'Igor', 'Julia', 'Karim', 'Lucas', 'Marta', 'Nicolas', 'Olga', 'Pedro'];
const LAST = ['Almeida', 'Barbosa', 'Costa', 'Dias', 'Esteves', 'Ferreira', 'Gomes', 'Hansen', 'Ito', 'Jensen', 'Klein', 'Lima',
  'Moreira', 'Nunes', 'Oliveira', 'Pereira', 'Quinn', 'Ribeiro', 'Santos', 'Teixeira', 'Ueda', 'Vieira', 'Walker', 'Xavier',
  'Yamada', 'Zanetti'];
const ACTIVITIES = ['Available', 'Available', 'Available', 'Offline', 'Break', 'Unavailable'];
const SKILL_SETS = [['sales'], ['support'], ['sales', 'support'], ['support', 'callbacks'], ['sales', 'callbacks']];

/**
 * The deterministic demo data (no I/O).
 * @returns {{workers: Array<{sid:string, identity:string, fullName:string, roles:string[], skills:string[], team:string, activity:string}>,
 *   agent: object, supervisors: object[], customers: Array<{userId:string, name:string, phone:string, email:string, traits:object, events:object[]}>,
 *   extensions: Array<{workerSid:string, workerFullName:string, extensionNumber:string}>}}
 */
export function demoData() {
  const random = prng(20261121);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const used = new Set();
  const person = () => {
    for (;;) {
      const first = pick(FIRST);
      const last = pick(LAST);
      if (!used.has(`${first} ${last}`)) {
        used.add(`${first} ${last}`);
        return { first, last };
      }
    }
  };
  const worker = (identity, fullName, roles, skills, team, activity) => ({
    sid: sidFrom(random, 'WK'), identity, fullName, roles, skills, team, activity,
  });
  used.add('Alice Martins');
  used.add('Sam Rivera');
  used.add('Nora Okafor');
  const agent = worker('alice', 'Alice Martins', ['agent'], ['sales', 'support', 'callbacks'], 'Sales', 'Available');
  const supervisors = [
    worker('sam', 'Sam Rivera', ['supervisor', 'admin'], [], 'Supervisors', 'Available'),
    worker('nora', 'Nora Okafor', ['supervisor'], [], 'Supervisors', 'Offline'),
  ];
  const agents = [];
  for (let i = 0; i < 17; i += 1) {
    const { first, last } = person();
    const skills = pick(SKILL_SETS);
    let activity = pick(ACTIVITIES);
    // Waiting callbacks stay waiting: only the harness agent takes callbacks while Available.
    if (skills.includes('callbacks') && activity === 'Available') activity = 'Break';
    agents.push(worker(`${first}.${last}`.toLowerCase(), `${first} ${last}`, ['agent'], skills, skills.includes('sales') ? 'Sales' : 'Support', activity));
  }
  const workers = [agent, ...supervisors, ...agents];

  const customers = [
    { userId: 'carol-1001', name: 'Carol Souza', phone: '+5581999990000', email: 'carol@example.com', city: 'Recife', plan: 'gold' },
    { userId: 'dave-1002', name: 'Dave Kim', phone: '+15550100100', email: 'dave@example.com', city: 'Seattle', plan: 'silver' },
    { userId: 'erin-1003', name: 'Erin Walsh', phone: '+15550100200', email: 'erin@example.com', city: 'Dublin', plan: 'gold' },
    { userId: 'frank-1004', name: 'Frank Moreau', phone: '+15550100300', email: 'frank@example.com', city: 'Lyon', plan: 'bronze' },
    { userId: 'gina-1005', name: 'Gina Rossi', phone: '+15550100400', email: 'gina@example.com', city: 'Milan', plan: 'platinum' },
    { userId: 'hank-1006', name: 'Hank Muller', phone: '+15550100500', email: 'hank@example.com', city: 'Berlin', plan: 'silver' },
    { userId: 'ivy-1007', name: 'Ivy Chen', phone: '+15550100600', email: 'ivy@example.com', city: 'Toronto', plan: 'gold' },
    { userId: 'jack-1008', name: 'Jack Brown', phone: '+15550100700', email: 'jack@example.com', city: 'Austin', plan: 'bronze' },
  ].map((c, i) => {
    const [first, ...rest] = c.name.split(' ');
    const day = (n) => `2026-11-${String(n).padStart(2, '0')}T${String(8 + ((i * 3 + n) % 10)).padStart(2, '0')}:${String((i * 7 + n) % 60).padStart(2, '0')}:00.000Z`;
    return {
      userId: c.userId, name: c.name, phone: c.phone, email: c.email,
      traits: { first_name: first, last_name: rest.join(' '), plan: c.plan, city: c.city, website: `https://${c.userId.split('-')[0]}.example.com`,
        lifetime_value: Math.round(random() * 500000) / 100 },
      events: [
        { type: 'track', event: 'Signed Up', timestamp: day(1 + i), properties: { source: pick(['ads', 'referral', 'organic']) } },
        { type: 'page', timestamp: day(10 + i), properties: { path: '/billing', title: 'Billing' } },
        { type: 'track', event: 'Order Completed', timestamp: day(12 + i), properties: { total: Math.round(random() * 30000) / 100, currency: 'USD' } },
      ],
    };
  });

  // 200 agent extensions: the workspace's 20 workers (the harness agent answers 1234) and 180 more agents.
  const extensions = [];
  const numbers = new Set(['1234']);
  const number = () => {
    for (;;) {
      const candidate = String(1000 + Math.floor(random() * 9000));
      if (!numbers.has(candidate)) {
        numbers.add(candidate);
        return candidate;
      }
    }
  };
  for (const w of workers) extensions.push({ workerSid: w.sid, workerFullName: w.fullName, extensionNumber: w === agent ? '1234' : number() });
  while (extensions.length < 200) {
    const { first, last } = person();
    extensions.push({ workerSid: sidFrom(random, 'WK'), workerFullName: `${first} ${last}`, extensionNumber: number() });
  }
  return { workers, agent, supervisors, customers, extensions };
}

// ------------------------------------------------------------------------------------------ processes

/** A free loopback TCP port (bound and released; only for choosing ports up front). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Spawns a process, copies its output to `logFile`, and resolves with the URL of the first stdout line
 * matching `ready` (bounded: READY_TIMEOUT_MS). Rejects when it exits first.
 */
function startProcess(name, command, args, { env, logFile, ready }) {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logStream = fs.createWriteStream(logFile, { flags: 'a' });
  child.stderr.pipe(logStream, { end: false });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not come up within ${READY_TIMEOUT_MS} ms (log: ${logFile})`)), READY_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${name} could not start: ${error.message}`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal || code}) before it was ready (log: ${logFile})`));
    });
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      logStream.write(`${line}\n`);
      const match = ready.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/+$/, ''));
      }
    });
  });
  url.catch(() => {});
  return { name, child, url, exited };
}

/** SIGTERM, then SIGKILL after STOP_TIMEOUT_MS; resolves once the process is gone. */
async function stopProcess(proc) {
  const { child, exited } = proc;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

// ------------------------------------------------------------------------------------------ HTTP

async function call(method, url, { json, form, basic, expect } = {}) {
  const headers = {};
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  }
  if (basic) headers.Authorization = `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64')}`;
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  const expected = expect === undefined ? [200, 201, 204] : [].concat(expect);
  if (!expected.includes(response.status)) {
    throw new Error(`${method} ${url.replace(/Token=[^&]*/, 'Token=<redacted>')} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// ------------------------------------------------------------------------------------------ the stack

/**
 * @typedef {Object} DemoUser
 * @property {string} identity      Flex identity (e.g. "alice")
 * @property {string} fullName      the worker's full_name
 * @property {string[]} roles       Flex roles ("agent" / "supervisor", "admin")
 * @property {string} token         a Flex token the emulator's IAM validates (valid 24 h)
 * @property {string} workerSid     WK… of the TaskRouter worker
 * @property {string} [extension]   the agent's published extension ("1234")
 */

/**
 * @typedef {Object} DemoStack
 * @property {string} serverUrl     flexcore-server, e.g. "http://127.0.0.1:3000"
 * @property {string|null} harnessUrl  the harness page ("http://127.0.0.1:3001/"), null with {harness:false}
 * @property {string} emulatorUrl   flexcore-emulator ("http://127.0.0.1:3002"; control API under /__emulator)
 * @property {string} accountSid    AC… of the emulated account
 * @property {string} authToken     its Auth Token (random per run; test infrastructure, never printed)
 * @property {string} workspaceSid  WS… "Flex Task Assignment"
 * @property {{anyone:string, callbacks:string, knownAgent:string}} workflows  WW… SIDs
 * @property {Object<string,string>} queues  queue name → WQ… (Everyone, Sales, Support, Callbacks)
 * @property {{agent: DemoUser, supervisor: DemoUser}} users  the harness agent (one of the 20 workers) and a supervisor
 * @property {string} harnessToken  the fixed token the harness page uses (valid for the agent)
 * @property {Array<{sid:string, identity:string, fullName:string, roles:string[], skills:string[], activity:string}>} workers
 * @property {Array<{userId:string, name:string, phone:string, email:string}>} customers  Segment profiles
 * @property {{calls:string[], callbacks:string[], voicemails:Array<{taskSid:string, recordingSid:string, recordingUrl:string}>}} seeded  Task SIDs
 * @property {{count:number, publishedNow:boolean}} extensions  agent extensions (published on the first run only)
 * @property {{login:string, password:string, workspace:string, report:string}} insights
 * @property {string} dataDir       the data folder; logs in <dataDir>/logs
 * @property {string} logsDir
 * @property {Promise<{name:string, code:number|null, signal:string|null}>} exited  resolves when any process exits
 * @property {number[]} pids        process ids of emulator, server (and harness)
 * @property {() => Promise<void>} stop  stops harness, server and emulator (SIGTERM, then SIGKILL after 5 s)
 */

/**
 * Starts the demo stack and seeds it.
 * @param {Object} options
 * @param {number} [options.port=0]      flexcore-server's port; the harness uses port+1 and the emulator port+2;
 *                                       0 = three free ports
 * @param {string} options.dataDir       data folder (created; the server's SQLite files, logs/)
 * @param {boolean} [options.reset=false] empty the data folder first
 * @param {string} [options.buildDir]    native build dir (default <repo>/build/native-release)
 * @param {string} [options.bundle]      plugin bundle for the harness (default plugin-js/build/plugin-flexcore.js)
 * @param {boolean} [options.harness=true] start the harness page
 * @param {(message:string) => void} [options.log]  progress messages
 * @returns {Promise<DemoStack>}
 */
export async function startDemoStack({ port = 0, dataDir, reset = false, buildDir, bundle, harness = true, log = () => {} } = {}) {
  if (!dataDir) throw new Error('startDemoStack: dataDir is required');
  if (!Number.isInteger(port) || port < 0 || port > 65533) throw new Error('startDemoStack: port must be an integer from 0 to 65533');
  const build = path.resolve(buildDir || path.join(REPO_ROOT, 'build', 'native-release'));
  const emulatorBin = path.join(build, 'tests', 'emulator', 'flexcore-emulator');
  const serverBin = path.join(build, 'server', 'flexcore-server');
  for (const bin of [emulatorBin, serverBin]) {
    if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: build ${path.basename(build)} first (scripts/demo does)`);
  }
  const data = path.resolve(dataDir);
  if (reset) await rm(data, { recursive: true, force: true });
  const logsDir = path.join(data, 'logs');
  await mkdir(logsDir, { recursive: true });

  const serverPort = port === 0 ? await freePort() : port;
  const harnessPort = port === 0 ? await freePort() : port + 1;
  const emulatorPort = port === 0 ? await freePort() : port + 2;
  const authToken = `demo-auth-token-${crypto.randomBytes(8).toString('hex')}`;
  const processes = [];
  let watcher;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (watcher) clearInterval(watcher);
    for (const proc of [...processes].reverse()) await stopProcess(proc);
  };
  const exited = new Promise((resolve) => {
    const watch = (proc) => proc.exited.then(({ code, signal }) => resolve({ name: proc.name, code, signal }));
    processes.watch = watch;
  });

  try {
    // 1. The emulator.
    const emulatorProc = startProcess('flexcore-emulator', emulatorBin,
      ['--port', String(emulatorPort), '--account-sid', ACCOUNT_SID, '--auth-token', authToken],
      { env: process.env, logFile: path.join(logsDir, 'emulator.log'), ready: /listening on (http:\/\/\S+)/ });
    processes.push(emulatorProc);
    processes.watch(emulatorProc);
    const emulatorUrl = await emulatorProc.url;
    log(`emulator on ${emulatorUrl}`);
    const control = (method, route, json, expect) => call(method, `${emulatorUrl}/__emulator${route}`, { json, expect });

    const { workers, agent, supervisors, customers, extensions } = demoData();
    const supervisor = supervisors[0];

    // 2. Upstream data that does not need the server: IAM tokens, Insights, Segment.
    const issue = async (user, fixed) => control('POST', '/iam/tokens', {
      identity: user.identity, roles: user.roles, ttlSeconds: 86400, workerSid: user.sid, ...(fixed ? { token: fixed } : {}),
    }, 201);
    const agentToken = (await issue(agent)).token;
    const supervisorToken = (await issue(supervisor)).token;
    await issue(agent, HARNESS_TOKEN);
    await control('POST', '/insights/users', { login: INSIGHTS.login, password: INSIGHTS.password }, 201);
    await control('POST', '/insights/workspaces', { workspace: INSIGHTS.workspace, reports: [INSIGHTS.report] }, 201);
    await control('POST', '/insights/settings', { pendingPolls: 2 }, 200);
    const segmentsFor = async (taskSid) => {
      const count = 1 + (parseInt(digitsOf(taskSid, 'n', 1), 10) % 3);
      const segmentIds = Array.from({ length: count }, (_, i) => digitsOf(taskSid, `segment${i}`, 7));
      await control('POST', '/insights/segments', { workspace: INSIGHTS.workspace, externalId: taskSid, segmentIds }, 201);
    };
    // The harness fixture tasks (fixture mode): one with three segments, one with none.
    await control('POST', '/insights/segments', { workspace: INSIGHTS.workspace, externalId: 'WT0a1b2c3d4e5f60718293a4b5c6d7e8f9', segmentIds: ['5550001', '5550002', '5550003'] }, 201);
    await control('POST', '/insights/segments', { workspace: INSIGHTS.workspace, externalId: 'WT9F8E7D6C5B4A39281706F5E4D3C2B1A0', segmentIds: [] }, 201);
    for (const customer of customers) {
      await control('POST', '/segment/profiles', {
        externalIds: [{ type: 'user_id', id: customer.userId }, { type: 'email', id: customer.email }, { type: 'phone', id: customer.phone }],
        traits: customer.traits, events: customer.events,
      }, 201);
    }

    // 3. flexcore-server against the emulator.
    const serverEnv = {
      ...process.env,
      ACCOUNT_SID, AUTH_TOKEN: authToken, FLEXCORE_PORT: String(serverPort), FLEXCORE_DATA_DIR: data,
      FLEXCORE_IAM_URL: `${emulatorUrl}/iam`,
      FLEXCORE_CORS_ORIGINS: `http://127.0.0.1:${harnessPort},http://localhost:${harnessPort}`,
      ANALYTICS_WORKSPACE: INSIGHTS.workspace, INSIGHTS_USERNAME: INSIGHTS.login, INSIGHTS_PASSWORD: INSIGHTS.password,
      INSIGHTS_REPORT: INSIGHTS.report, FLEXCORE_INSIGHTS_URL: `${emulatorUrl}/insights`,
      SEGMENT_SPACE_ID: 'spa_emulator', SEGMENT_PERSONAS_KEY: 'emulator-segment-access-token', SEGMENT_WRITE_KEY: 'emulator-segment-write-key',
      FLEXCORE_SEGMENT_PROFILES_URL: `${emulatorUrl}/segment-profiles`, FLEXCORE_SEGMENT_TRACKING_URL: `${emulatorUrl}/segment-api`,
      FLEXCORE_TASKROUTER_URL: `${emulatorUrl}/taskrouter`, FLEXCORE_VOICE_URL: `${emulatorUrl}/voice`,
      TWILIO_FLEX_WORKSPACE_SID: WORKSPACE_SID, TWILIO_FLEX_CALLBACK_WORKFLOW_SID: CALLBACK_WORKFLOW_SID,
    };
    const serverProc = startProcess('flexcore-server', serverBin, [],
      { env: serverEnv, logFile: path.join(logsDir, 'server.log'), ready: /listening on (http:\/\/\S+)/ });
    processes.push(serverProc);
    processes.watch(serverProc);
    const serverUrl = (await serverProc.url).replace('://0.0.0.0:', '://127.0.0.1:');
    log(`flexcore-server on ${serverUrl}`);

    // 4. The TaskRouter workspace (its events go to the server).
    const workspace = await control('POST', '/taskrouter/workspaces', {
      sid: WORKSPACE_SID,
      friendlyName: 'Flex Task Assignment',
      eventCallbackUrl: `${serverUrl}/taskrouter/events`,
      taskChannels: [{ uniqueName: 'callback' }],
      taskQueues: [
        { friendlyName: 'Everyone', targetWorkers: 'roles HAS "agent"' },
        { friendlyName: 'Sales', targetWorkers: 'skills HAS "sales"' },
        { friendlyName: 'Support', targetWorkers: 'skills HAS "support"' },
        { friendlyName: 'Callbacks', targetWorkers: 'skills HAS "callbacks"' },
      ],
      workers: workers.map((w) => ({
        sid: w.sid, friendlyName: w.identity, activity: w.activity,
        attributes: { full_name: w.fullName, email: `${w.identity}@example.com`, roles: w.roles, contact_uri: `client:${w.identity}`, skills: w.skills, team: w.team },
      })),
      workflows: [
        { friendlyName: 'Assign to Anyone', taskQueue: 'Everyone' },
        { sid: CALLBACK_WORKFLOW_SID, friendlyName: 'Callbacks', taskQueue: 'Callbacks' },
        { friendlyName: 'Known Agent', taskQueue: 'Everyone', knownWorker: 'targetWorker' },
      ],
    }, 201);
    const workflows = { anyone: workspace.workflows[0].sid, callbacks: workspace.workflows[1].sid, knownAgent: workspace.workflows[2].sid };
    const queues = Object.fromEntries(workspace.taskQueues.map((q) => [q.friendlyName, q.sid]));

    // 5. Insights segments for every task, now and while the demo runs (task.created events).
    let seenEvents = 0;
    const indexTasks = async () => {
      const { events } = await control('GET', `/taskrouter/events?type=task.created&since=${seenEvents}`);
      for (const event of events) {
        seenEvents = Math.max(seenEvents, event.seq);
        await segmentsFor(event.params.TaskSid);
      }
    };

    // 6. Agent extensions, published through the server's own /admin routes on the first run.
    const admin = (route, body) => call('POST', `${serverUrl}${route}`, { json: { ...body, Token: supervisorToken } });
    const list = await admin('/admin/list', {});
    let publishedNow = false;
    if (list.draft.length === 0 && list.data.length === 0) {
      const { buildSid } = await admin('/admin/update', { data: extensions, version: list.version });
      await admin('/admin/update-status', { buildSid });
      await admin('/admin/publish', { buildSid });
      publishedNow = true;
      log(`published ${extensions.length} agent extensions`);
    }

    // 7. Recent calls (finished: hung up, wrapped up — task.wrapup reaches the server — and completed).
    const seeded = { calls: [], callbacks: [], voicemails: [] };
    const busyAgents = workers.filter((w) => w.activity === 'Available' && w.roles.includes('agent') && w !== agent).slice(0, 4);
    for (const [i, w] of busyAgents.entries()) {
      const customer = customers[1 + (i % (customers.length - 1))];
      const created = await control('POST', '/calls', {
        workspaceSid: WORKSPACE_SID, workflowSid: workflows.anyone, from: customer.phone, to: '+15550100001',
        attributes: { name: customer.name, userId: customer.userId, targetWorker: w.sid },
      }, 201);
      if (!created.reservationSid) continue;
      const base = `${emulatorUrl}/taskrouter/v1/Workspaces/${WORKSPACE_SID}/Tasks/${created.taskSid}/Reservations/${created.reservationSid}`;
      await call('POST', base, { form: { ReservationStatus: 'accepted' }, basic: [ACCOUNT_SID, authToken] });
      const party = i % 2 === 0 ? 'customer' : 'worker';
      if (party === 'worker') {
        // What the plugin does before Flex's HangupCall (hang up by): mark the agent's hang-up on the task.
        const taskUrl = `${emulatorUrl}/taskrouter/v1/Workspaces/${WORKSPACE_SID}/Tasks/${created.taskSid}`;
        const task = await call('GET', taskUrl, { basic: [ACCOUNT_SID, authToken] });
        const attributes = JSON.parse(task.attributes);
        attributes.conversations = { ...attributes.conversations, hang_up_by: 'agent' };
        await call('POST', taskUrl, { form: { Attributes: JSON.stringify(attributes) }, basic: [ACCOUNT_SID, authToken] });
      }
      await control('POST', `/calls/${created.taskSid}/hang-up`, { party }, 200);
      await call('POST', base, { form: { ReservationStatus: 'completed' }, basic: [ACCOUNT_SID, authToken] });
      seeded.calls.push(created.taskSid);
    }

    // 8. Waiting callbacks and voicemails through the signed Studio route (callback task channel).
    const studioUrl = `${serverUrl}/callback/studio/create-callback`;
    for (const customer of customers.slice(2, 4)) {
      const answer = await control('POST', '/webhooks/send', {
        url: studioUrl, method: 'POST',
        params: { numberToCall: customer.phone, numberToCallFrom: '+15550100001', flexFlowSid: FLEX_FLOW_SID, taskChannel: 'callback' },
      }, 200);
      const body = JSON.parse(answer.body || '{}');
      if (!body.success) throw new Error(`the demo callback was refused: ${answer.status} ${answer.body}`);
      seeded.callbacks.push(body.taskSid);
    }
    const transcripts = [
      'Hi, this is Frank. My last order arrived damaged, could someone call me back this afternoon?',
      'Hello, Gina here. I would like to upgrade my plan, please call me back when you can.',
    ];
    for (const [i, customer] of customers.slice(4, 6).entries()) {
      const answer = await control('POST', '/voicemails', {
        url: studioUrl, from: customer.phone, to: '+15550100001', flexFlowSid: FLEX_FLOW_SID,
        transcription: transcripts[i], durationSeconds: 6 + i * 3, params: { taskChannel: 'callback' },
      }, 200);
      const body = JSON.parse(answer.body || '{}');
      if (!body.success) throw new Error(`the demo voicemail was refused: ${answer.status} ${answer.body}`);
      seeded.voicemails.push({ taskSid: body.taskSid, recordingSid: answer.recordingSid, recordingUrl: answer.recordingUrl });
    }
    await indexTasks();
    watcher = setInterval(() => indexTasks().catch((error) => log(`indexing Insights segments: ${error.message}`)), 500);
    watcher.unref();

    // 9. The harness page, live on the emulator as the agent.
    let harnessUrl = null;
    if (harness) {
      const args = [path.join(REPO_ROOT, 'plugin-js', 'harness', 'serve.mjs'), '--port', String(harnessPort), '--server-url', serverUrl,
        '--emulator-url', emulatorUrl, '--workspace-sid', WORKSPACE_SID, '--worker-sid', agent.sid, '--account-sid', ACCOUNT_SID];
      if (bundle) args.push('--bundle', path.resolve(bundle));
      const harnessProc = startProcess('harness', process.execPath, args, {
        env: { ...process.env, FLEXCORE_HARNESS_AUTH_TOKEN: authToken },
        logFile: path.join(logsDir, 'harness.log'), ready: /harness: (http:\/\/\S+)/,
      });
      processes.push(harnessProc);
      processes.watch(harnessProc);
      harnessUrl = `${await harnessProc.url}/`;
      log(`harness on ${harnessUrl}`);
    }

    const user = (w, token, extra = {}) => ({ identity: w.identity, fullName: w.fullName, roles: w.roles, token, workerSid: w.sid, ...extra });
    return {
      serverUrl, harnessUrl, emulatorUrl, accountSid: ACCOUNT_SID, authToken, workspaceSid: WORKSPACE_SID, workflows, queues,
      users: { agent: user(agent, agentToken, { extension: '1234' }), supervisor: user(supervisor, supervisorToken) },
      harnessToken: HARNESS_TOKEN,
      workers: workers.map(({ sid, identity, fullName, roles, skills, activity }) => ({ sid, identity, fullName, roles, skills, activity })),
      customers: customers.map(({ userId, name, phone, email }) => ({ userId, name, phone, email })),
      seeded, extensions: { count: extensions.length, publishedNow }, insights: { ...INSIGHTS },
      dataDir: data, logsDir, exited, stop, pids: processes.map((proc) => proc.child.pid),
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// ------------------------------------------------------------------------------------------ CLI

function parseArgs(argv) {
  const options = { port: 3000, dataDir: path.join(REPO_ROOT, 'data'), reset: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      i += 1;
      return argv[i];
    };
    switch (arg) {
      case '--port': options.port = Number(value()); break;
      case '--data': options.dataDir = value(); break;
      case '--reset': options.reset = true; break;
      case '--build-dir': options.buildDir = value(); break;
      case '--bundle': options.bundle = value(); break;
      case '-h': case '--help': options.help = true; break;
      default: throw new Error(`unknown option ${JSON.stringify(arg)} (see --help)`);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65533) throw new Error('--port must be a number from 0 to 65533');
  return options;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`demo-stack: ${error.message}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write('usage: node scripts/lib/demo-stack.mjs [--port N] [--data DIR] [--reset] [--build-dir DIR] [--bundle FILE]\n');
    return;
  }
  const log = (message) => process.stderr.write(`\u001b[1m[flexcore]\u001b[0m ${message}\n`);
  let stack;
  let stopping = false;
  const shutdown = async (code) => {
    if (stopping) return;
    stopping = true;
    log('stopping');
    if (stack) await stack.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
  try {
    stack = await startDemoStack({ ...options, log });
  } catch (error) {
    log(`error: ${error.message}`);
    process.exit(1);
  }
  const { users } = stack;
  const open = stack.harnessUrl || '(harness not started)';
  process.stdout.write(`
  flexcore is running (logs in ${stack.logsDir})
    open:             ${open}
      as the agent:   ${users.agent.fullName} (${users.agent.identity}, worker ${users.agent.workerSid}, extension ${users.agent.extension})
      as supervisor:  ${stack.harnessUrl ? `${stack.harnessUrl}?token=${encodeURIComponent(users.supervisor.token)}&roles=${users.supervisor.roles.join(',')}` : '-'}
    flexcore-server:  ${stack.serverUrl}   (try: curl ${stack.serverUrl}/healthz)
    emulator:         ${stack.emulatorUrl} (control API: ${stack.emulatorUrl}/__emulator/...)
  Flex tokens (valid 24 h):
    agent ${users.agent.identity}:       ${users.agent.token}
    supervisor ${users.supervisor.identity}:    ${users.supervisor.token}
    e.g. curl "${stack.serverUrl}/session?Token=${users.agent.token}"
  Data: workspace ${stack.workspaceSid} "Flex Task Assignment", ${stack.workers.length} workers, queues ${Object.keys(stack.queues).join(', ')};
    ${stack.extensions.count} agent extensions${stack.extensions.publishedNow ? ' (published now)' : ' (kept from an earlier run)'};
    ${stack.seeded.calls.length} finished calls, ${stack.seeded.callbacks.length} waiting callbacks, ${stack.seeded.voicemails.length} voicemails
    (curl ${stack.emulatorUrl}/__emulator/taskrouter/workspaces; recordings: ${stack.seeded.voicemails.map((v) => v.recordingUrl).join(' ')})
    Segment profiles: ${stack.customers.map((c) => c.userId).join(', ')}
  Ctrl-C stops everything.

`);
  const gone = await stack.exited;
  if (!stopping) {
    log(`${gone.name} exited unexpectedly (${gone.signal || gone.code}); see ${stack.logsDir}`);
    await shutdown(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
