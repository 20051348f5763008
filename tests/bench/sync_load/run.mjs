// Benchmark sync_load (issue 10): the Sync request rate per object under a mixed load on two flexcore-server
// instances sharing one Twilio Sync store (FLEXCORE_EXTENSIONS_STORE=sync) on the emulator, with the emulator's
// per-object rate limiting ON (429 20429 over 20 reads/s or 20 writes/s on one object, upstream-contracts 0.3).
//
// Load, for --duration seconds (default 30; the closing note uses 600), on BOTH instances at once:
//   supervisors' reads   /admin/list and /admin/audit in turn (BENCH_READERS loops per instance, BENCH_READ_THINK_MS apart)
//   supervisors' edits   /admin/extensions create → update → delete of their own rows (BENCH_EDITORS loops per instance)
//   update + publish     one loop: /admin/list → /admin/update (the draft + one fresh row) → /admin/update-status → /admin/publish,
//                        alternating instances every BENCH_PUBLISH_EVERY_MS; after each publish the OTHER instance's Studio
//                        lookup of the fresh row is polled until it answers (live reload, issue goal ≤ 5 s)
//   Studio lookups       signed GET /agent-extensions?agentExt=… of published rows (BENCH_LOOKUPS loops per instance, no think time)
// At the end it prints, per Sync object, the emulator's statistics (GET /__emulator/sync/stats: reads, writes, the most
// requests in any 1-second window — attempts, 429s included), the number of 429s the emulator answered, the request
// outcomes per kind, and records rows in the results table ($FLEXCORE_BENCH_RESULTS, ../results.mjs).
// Failures: network errors, 5xx, 400/401/403, a lookup of a published row that is not 200. 404/409 on edits and 409 on
// update/publish are races between the concurrent supervisors (the store's If-Match at work) and counted as conflicts.
//
// Env: BENCH_BUILD_DIR (build/native-release), BENCH_ROWS (60 seeded rows: more than one Sync page), BENCH_READERS (2),
// BENCH_EDITORS (1), BENCH_LOOKUPS (4), BENCH_READ_THINK_MS (200), BENCH_EDIT_THINK_MS (500), BENCH_PUBLISH_EVERY_MS (5000),
// BENCH_SYNC_PER_SECOND (20: the emulator's limit).
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { record } from '../results.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');

function usage(message) {
  if (message) console.error(message);
  console.error('usage: tests/bench/sync_load/run [--duration SECONDS]');
  process.exit(2);
}
let duration = 30;
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  if (arg === '--duration' || arg.startsWith('--duration=')) {
    const text = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : process.argv[++i];
    duration = Number(text);
    if (!Number.isInteger(duration) || duration < 1) usage(`--duration must be a whole number of seconds ≥ 1, got '${text}'`);
  } else if (arg === '--help' || arg === '-h') {
    usage();
  } else {
    usage(`unknown argument '${arg}'`);
  }
}
const env = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) usage(`${name} must be a non-negative number`);
  return value;
};
const build = process.env.BENCH_BUILD_DIR || path.join(root, 'build', 'native-release');
const rows = env('BENCH_ROWS', 60);
const readers = env('BENCH_READERS', 2);
const editors = env('BENCH_EDITORS', 1);
const lookups = env('BENCH_LOOKUPS', 4);
const readThinkMs = env('BENCH_READ_THINK_MS', 200);
const editThinkMs = env('BENCH_EDIT_THINK_MS', 500);
const publishEveryMs = env('BENCH_PUBLISH_EVERY_MS', 5000);
const perSecond = env('BENCH_SYNC_PER_SECOND', 20);

const account = 'AC' + '0'.repeat(32);
const authToken = 'sync-load-auth-token';
const publicUrl = 'https://flexcore.bench.example';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const workerSid = (n) => 'WK' + n.toString(16).padStart(32, '0');

function start(name, binary, args, childEnv, pattern, logFile) {
  if (!fs.existsSync(binary)) throw new Error(`${binary} missing: cmake --preset native-release && cmake --build --preset native-release`);
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, ...childEnv } });
  const log = fs.createWriteStream(logFile);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      log.write(chunk);
      if (output.length < 100000) output += chunk;
      const match = pattern.exec(output);
      if (match) resolve({ name, url: match[1], child, logFile });
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${output}`)));
  });
}

async function control(base, method, route, body) {
  const res = await fetch(`${base}/__emulator${route}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} /__emulator${route}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// Outcomes per kind of request: counts by status, failures (with samples), latencies.
const outcomes = new Map();
function note(kind, status, ms, failed, sample) {
  if (!outcomes.has(kind)) outcomes.set(kind, { count: 0, statuses: {}, failed: 0, conflicts: 0, samples: [], ms: [] });
  const o = outcomes.get(kind);
  o.count++;
  o.statuses[status] = (o.statuses[status] || 0) + 1;
  o.ms.push(ms);
  if (failed === true) {
    o.failed++;
    if (o.samples.length < 5) o.samples.push(sample);
  } else if (failed === 'conflict') {
    o.conflicts++;
  }
}

let token = '';
async function admin(kind, base, route, body, allowed = []) {
  const begin = performance.now();
  let status = 0;
  let text = '';
  try {
    const res = await fetch(base + route, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...body, Token: token }),
    });
    status = res.status;
    text = await res.text();
  } catch (error) {
    text = String(error?.cause ?? error);
  }
  const ms = performance.now() - begin;
  const verdict = status === 200 ? false : allowed.includes(status) ? 'conflict' : true;
  note(kind, status, ms, verdict, `${route} → ${status} ${text.slice(0, 200)}`);
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status, json };
}

function signature(route) {
  return crypto.createHmac('sha1', authToken).update(publicUrl + route).digest('base64');
}

async function lookup(kind, base, extension, expectFound) {
  const route = `/agent-extensions?agentExt=${extension}`;
  const begin = performance.now();
  let status = 0;
  let text = '';
  try {
    const res = await fetch(base + route, { headers: { 'X-Twilio-Signature': signature(route) } });
    status = res.status;
    text = await res.text();
  } catch (error) {
    text = String(error?.cause ?? error);
  }
  const found = status === 200 && text.includes('"workerSID":"WK');
  if (expectFound !== null) note(kind, status, performance.now() - begin, expectFound && !found, `${route} → ${status} ${text.slice(0, 200)}`);
  return found;
}

const children = [];
async function stopAll() {
  for (const child of children.reverse()) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10000).then(() => child.kill('SIGKILL'))]);
    }
  }
}

const percentile = (values, p) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcore-sync-load-'));
let exitCode = 0;
try {
  const emulator = await start('flexcore-emulator', path.join(build, 'tests/emulator/flexcore-emulator'),
    ['--port', '0', '--threads', '128', '--record-limit', '0', '--account-sid', account, '--auth-token', authToken], {},
    /flexcore-emulator listening on (http:\/\/127\.0\.0\.1:\d+)/, path.join(work, 'emulator.log'));
  children.push(emulator.child);
  await control(emulator.url, 'POST', '/sync/rate-limit', { enabled: true, perSecond });
  token = (await control(emulator.url, 'POST', '/iam/tokens', { identity: 'bench_supervisor', roles: ['supervisor'], ttlSeconds: 86400 })).token;

  const servers = [];
  for (const name of ['A', 'B']) {
    const server = await start(`flexcore-server ${name}`, path.join(build, 'server/flexcore-server'), [], {
      FLEXCORE_PORT: '0', FLEXCORE_LOG_LEVEL: 'warn', FLEXCORE_THREADS: '64',
      ACCOUNT_SID: account, AUTH_TOKEN: authToken, FLEXCORE_PUBLIC_URL: publicUrl,
      FLEXCORE_IAM_URL: emulator.url, FLEXCORE_SYNC_URL: `${emulator.url}/sync`,
      FLEXCORE_EXTENSIONS_STORE: 'sync', FLEXCORE_MAX_BODY_BYTES: '16777216',
      // Two instances share Twilio's 20/s per object: each takes half (server/README.md).
      FLEXCORE_SYNC_RATE_PER_OBJECT: process.env.BENCH_SYNC_RATE_PER_OBJECT || '10',
      FLEXCORE_DATA_DIR: path.join(work, `data-${name}`),
    }, /listening on (http:\/\/127\.0\.0\.1:\d+)/, path.join(work, `server-${name}.log`));
    children.push(server.child);
    servers.push({ name, url: server.url });
  }
  const [a, b] = servers;

  // Seed BENCH_ROWS published rows through instance A, then wait until B serves them (live reload).
  const seeded = Array.from({ length: rows }, (_, i) => ({
    workerSid: workerSid(0x10000 + i), workerFullName: `Seeded Agent ${i}`, extensionNumber: String(100000 + i),
  }));
  const seedBegin = performance.now();
  const publish = async (server, data, kind) => {
    const list = await admin(`${kind} list`, server.url, '/admin/list', {});
    if (list.status !== 200) return null;
    const update = await admin(`${kind} update`, server.url, '/admin/update', { data, version: list.json.version }, [409]);
    if (update.status !== 200) return null;
    for (let poll = 0; ; poll++) {
      const status = await admin(`${kind} update-status`, server.url, '/admin/update-status', { buildSid: update.json.buildSid });
      if (status.status !== 200 || status.json.buildStatus === 'failed') return null;
      if (status.json.buildStatus === 'completed') break;
      if (poll >= 600) throw new Error('a build did not complete within 600 polls');
      await sleep(100);
    }
    const published = await admin(`${kind} publish`, server.url, '/admin/publish', { buildSid: update.json.buildSid }, [409]);
    return published.status === 200 ? published.json : null;
  };
  if (!(await publish(a, seeded, 'seed'))) throw new Error(`seeding failed: ${JSON.stringify([...outcomes])}`);
  for (let i = 0; !(await lookup('seed lookup', b.url, seeded[rows - 1].extensionNumber, null)); i++) {
    if (i >= 300) throw new Error('instance B never served the seeded set (live reload)');
    await sleep(100);
  }
  console.log(`seeded ${rows} published rows through A in ${((performance.now() - seedBegin) / 1000).toFixed(1)} s; B serves them`);
  outcomes.clear();
  await control(emulator.url, 'DELETE', '/sync/stats');

  // The mixed load.
  const deadline = performance.now() + duration * 1000;
  const running = () => performance.now() < deadline;
  const loops = [];
  for (const server of servers) {
    for (let r = 0; r < readers; r++) {
      loops.push((async () => {
        for (let i = 0; running(); i++) {
          if (i % 2 === 0) await admin('read /admin/list', server.url, '/admin/list', { page: 1, pageSize: 50 });
          else await admin('read /admin/audit', server.url, '/admin/audit', { page: 1, pageSize: 50 });
          await sleep(readThinkMs);
        }
      })());
    }
    for (let e = 0; e < editors; e++) {
      const editor = servers.indexOf(server) * 100 + e;
      loops.push((async () => {
        for (let n = 0; running(); n++) {
          const entry = {
            workerSid: workerSid(0x200000 + editor * 0x10000 + n),
            workerFullName: `Edited Agent ${editor}-${n}`,
            extensionNumber: String(200000 + editor * 1000 + (n % 1000)),
          };
          await admin('edit create', server.url, '/admin/extensions', { action: 'create', entry }, [404, 409]);
          await sleep(editThinkMs);
          if (!running()) break;
          await admin('edit update', server.url, '/admin/extensions',
            { action: 'update', entry: { ...entry, workerFullName: `${entry.workerFullName} (renamed)` } }, [404, 409]);
          await sleep(editThinkMs);
          if (!running()) break;
          await admin('edit delete', server.url, '/admin/extensions', { action: 'delete', entry }, [404, 409]);
          await sleep(editThinkMs);
        }
      })());
    }
    for (let l = 0; l < lookups; l++) {
      loops.push((async () => {
        for (let i = l; running(); i += lookups) await lookup('Studio lookup', server.url, seeded[(i * 7) % rows].extensionNumber, true);
      })());
    }
  }
  const propagation = [];
  loops.push((async () => {
    for (let cycle = 0; running(); cycle++) {
      const begin = performance.now();
      const [from, to] = cycle % 2 === 0 ? [a, b] : [b, a];
      const list = await admin('cycle list', from.url, '/admin/list', {});
      if (list.status === 200) {
        const fresh = { workerSid: workerSid(0x900000 + cycle), workerFullName: `Published ${cycle}`, extensionNumber: String(900000 + cycle) };
        const data = (list.json.draft ?? [])
          .filter((row) => !String(row.extensionNumber).startsWith('9'))  // the previous cycle's fresh row
          .map(({ workerSid: sid, workerFullName, extensionNumber }) => ({ workerSid: sid, workerFullName, extensionNumber }));
        data.push(fresh);
        const published = await publish(from, data, 'cycle');
        if (published) {
          const seen = performance.now();
          let visible = false;
          while (performance.now() - seen < 10000) {
            if (await lookup('cycle lookup on the other instance', to.url, fresh.extensionNumber, null)) {
              visible = true;
              break;
            }
            await sleep(50);
          }
          propagation.push(visible ? performance.now() - seen : Infinity);
          if (!visible) note('cycle lookup on the other instance', 404, 10000, true, `${fresh.extensionNumber} published on ${from.name} not served by ${to.name} after 10 s`);
        }
      }
      const rest = publishEveryMs - (performance.now() - begin);
      if (rest > 0 && running()) await sleep(Math.min(rest, deadline - performance.now()));
    }
  })());
  await Promise.all(loops);

  // Results.
  const stats = await control(emulator.url, 'GET', '/sync/stats');
  console.log(`\n${duration} s mixed load on 2 instances (${readers} readers, ${editors} editors, ${lookups} lookup loops each; ` +
    `a publish cycle every ${publishEveryMs} ms), emulator rate limit ${perSecond}/s per object ON`);
  console.log('\nrequests to flexcore-server:');
  console.log('kind                                   count   failed  conflicts  p50 ms   p99 ms  statuses');
  let total = 0;
  let failed = 0;
  for (const [kind, o] of [...outcomes].sort()) {
    total += o.count;
    failed += o.failed;
    console.log(`${kind.padEnd(38)} ${String(o.count).padStart(6)} ${String(o.failed).padStart(8)} ${String(o.conflicts).padStart(10)} ` +
      `${percentile(o.ms, 50).toFixed(1).padStart(7)} ${percentile(o.ms, 99).toFixed(1).padStart(8)}  ${JSON.stringify(o.statuses)}`);
    for (const sample of o.samples) console.log(`    failed: ${sample}`);
  }
  console.log(`\nSync requests per object (emulator statistics; max = most requests in any 1-second window, attempts incl. 429s):`);
  console.log('object                                          reads   writes  max reads/s  max writes/s  max total/s  429s');
  let worst = 0;
  const objects = stats.objects.filter((o) => o.reads + o.writes > 0);
  for (const o of objects) {
    const label = `${o.type} ${o.uniqueName ?? ''} ${o.sid}`.replace(/\s+/g, ' ');
    console.log(`${label.slice(0, 46).padEnd(46)} ${String(o.reads).padStart(7)} ${String(o.writes).padStart(8)} ` +
      `${String(o.maxPerSecond.reads).padStart(12)} ${String(o.maxPerSecond.writes).padStart(13)} ${String(o.maxPerSecond.total).padStart(12)} ${String(o.throttled).padStart(5)}`);
    worst = Math.max(worst, o.maxPerSecond.reads, o.maxPerSecond.writes);
  }
  if (objects.length === 0) {
    console.error('sync_load: no Sync request reached the emulator — does this flexcore-server build support FLEXCORE_EXTENSIONS_STORE=sync?');
    exitCode = 1;
  }
  const finite = propagation.filter(Number.isFinite);
  console.log(`\nSync: ${stats.reads} reads, ${stats.writes} writes, ${stats.throttled} answered 429 by the emulator; ` +
    `highest per-object rate ${worst}/s (goal < 20/s)`);
  console.log(`publish → the other instance's Studio lookup: ${propagation.length} publishes, ` +
    `max ${finite.length ? Math.max(...finite).toFixed(0) : '—'} ms${finite.length < propagation.length ? `, ${propagation.length - finite.length} never seen within 10 s` : ''} (goal ≤ 5000 ms)`);
  console.log(`requests failed: ${failed} of ${total}`);

  for (const o of objects) {
    record({
      id: 'sync_load',
      measure: `Sync max req/s on ${o.type} ${o.uniqueName ?? o.sid} (${duration} s mixed load, 2 instances)`,
      flexcore: `reads ${o.maxPerSecond.reads}/s, writes ${o.maxPerSecond.writes}/s`,
      goal: '< 20/s reads and writes',
      met: o.maxPerSecond.reads < 20 && o.maxPerSecond.writes < 20,
    });
  }
  record({ id: 'sync_load', measure: `Sync 429s answered by the emulator (${duration} s)`, flexcore: `${stats.throttled} of ${stats.reads + stats.writes}`, met: null });
  record({ id: 'sync_load', measure: `requests to flexcore-server failed (${duration} s)`, flexcore: `${failed} of ${total}`, goal: '0', met: failed === 0 });
  record({
    id: 'sync_load',
    measure: 'publish on one instance → Studio lookup on the other (max)',
    flexcore: finite.length === propagation.length && finite.length > 0 ? `${Math.max(...finite).toFixed(0)} ms` : `${propagation.length - finite.length} of ${propagation.length} not seen in 10 s`,
    goal: '≤ 5000 ms',
    met: propagation.length > 0 && finite.length === propagation.length && Math.max(...finite) <= 5000,
  });
} catch (error) {
  console.error(`sync_load: ${error.stack ?? error}`);
  for (const file of fs.readdirSync(work).filter((f) => f.endsWith('.log'))) {
    const text = fs.readFileSync(path.join(work, file), 'utf8');
    console.error(`--- ${file} (last 2000 characters)\n${text.slice(-2000)}`);
  }
  exitCode = 1;
} finally {
  await stopAll();
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
