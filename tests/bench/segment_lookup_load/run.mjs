// Benchmark P6 (issue 4): 1,000 concurrent /get-segment-id lookups with a COLD Insights cache against the
// emulator. Starts flexcore-emulator and flexcore-server (native-release), seeds IAM + Insights through the
// control API, fires all lookups at once (one keep-alive-less connection each), then checks through the
// emulator's recorded requests that exactly ONE login and ONE temporary-token fetch happened (single-flight),
// and prints requests/s and latency percentiles. Not a test: nothing asserts on time.
// Env: BENCH_LOOKUPS (default 1000), BENCH_TASKS (distinct Task SIDs, default 50), BENCH_PENDING_POLLS (202s per
// export, default 0), FLEXCORE_NATIVE_BUILD (default build/native-release).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { record } from '../results.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const build = process.env.FLEXCORE_NATIVE_BUILD || path.join(root, 'build', 'native-release');
const lookups = Number(process.env.BENCH_LOOKUPS || 1000);
const tasks = Number(process.env.BENCH_TASKS || 50);
const pendingPolls = Number(process.env.BENCH_PENDING_POLLS || 0);

function start(binary, args, env, pattern) {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, ...env } });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const match = pattern.exec(output);
      if (match) resolve({ url: match[1], child });
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      if (output.length < 100000) output += chunk;
    });
    child.once('exit', (code) => reject(new Error(`${binary} exited with ${code}:\n${output}`)));
  });
}

async function control(base, method, route, body) {
  const res = await fetch(`${base}/__emulator${route}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const sid = (i) => `WT${i.toString(16).padStart(32, '0')}`;

const children = [];
const stopAll = async () => {
  for (const child of children.reverse()) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  }
};

try {
  const emulator = await start(path.join(build, 'tests/emulator/flexcore-emulator'),
    ['--port', '0', '--threads', '256', '--record-limit', String(lookups * 8 + 100)], {},
    /flexcore-emulator listening on (http:\/\/127\.0\.0\.1:\d+)/);
  children.push(emulator.child);
  const token = (await control(emulator.url, 'POST', '/iam/tokens', { identity: 'bench', roles: ['agent'] })).token;
  await control(emulator.url, 'POST', '/insights/users', { login: 'bench@example.com', password: 'bench-pw' });
  await control(emulator.url, 'POST', '/insights/workspaces', { workspace: 'bench', reports: ['1'] });
  for (let i = 0; i < tasks; i++) {
    await control(emulator.url, 'POST', '/insights/segments', { workspace: 'bench', externalId: sid(i), segmentIds: [`${9000 + i}`, `${19000 + i}`] });
  }
  await control(emulator.url, 'POST', '/insights/settings', { pendingPolls });
  const server = await start(path.join(build, 'server/flexcore-server'), [], {
    FLEXCORE_PORT: '0', FLEXCORE_LOG_LEVEL: 'warn', FLEXCORE_THREADS: '256',
    ACCOUNT_SID: 'AC00000000000000000000000000000000', AUTH_TOKEN: 'emulator-auth-token',
    FLEXCORE_IAM_URL: emulator.url, FLEXCORE_INSIGHTS_URL: `${emulator.url}/insights`,
    ANALYTICS_WORKSPACE: 'bench', INSIGHTS_USERNAME: 'bench@example.com', INSIGHTS_PASSWORD: 'bench-pw', INSIGHTS_REPORT: '1',
    FLEXCORE_DATA_DIR: path.join(root, 'build', 'bench', 'segment_lookup_load'),
  }, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  children.push(server.child);
  await control(emulator.url, 'DELETE', '/requests');

  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const target = new URL(server.url);
  const one = (i) => new Promise((resolve) => {
    const begin = performance.now();
    const req = http.get({ host: target.hostname, port: target.port, agent,
      path: `/get-segment-id?TaskSid=${sid(i % tasks)}&Token=${encodeURIComponent(token)}` }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c) => { body += c; }).on('end', () => resolve({ status: res.statusCode, body, ms: performance.now() - begin }));
    });
    req.on('error', (error) => resolve({ status: 0, body: String(error), ms: performance.now() - begin }));
  });
  const begin = performance.now();
  const results = await Promise.all(Array.from({ length: lookups }, (_, i) => one(i)));
  const wall = performance.now() - begin;

  const failed = results.filter((r) => r.status !== 200);
  if (failed.length) console.log(`${failed.length} lookups failed, e.g. ${failed[0].status} ${failed[0].body}`);
  for (const [i, r] of results.entries()) {
    if (r.status === 200) assert.deepEqual(JSON.parse(r.body).segment_ids, [`${9000 + (i % tasks)}`, `${19000 + (i % tasks)}`]);
  }
  const logins = (await control(emulator.url, 'GET', '/requests?method=POST&path=/insights/gdc/account/login')).requests.length;
  const tts = (await control(emulator.url, 'GET', '/requests?method=GET&path=/insights/gdc/account/token')).requests.length;
  const iam = (await control(emulator.url, 'GET', '/requests?method=POST&path=/v1/Accounts/*/Tokens/validate')).requests.length;
  const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
  console.log(`segment lookup, ${lookups} concurrent cold lookups (${tasks} Task SIDs, ${pendingPolls} 202s per export), native-release`);
  console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0].model}, load average ${os.loadavg()[0].toFixed(1)}\n`);
  console.log(`ok ${lookups - failed.length}/${lookups} in ${wall.toFixed(0)} ms → ${(lookups / (wall / 1000)).toFixed(0)} req/s`);
  console.log(`latency p50 ${pct(50).toFixed(1)} ms, p90 ${pct(90).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${latencies.at(-1).toFixed(1)} ms`);
  console.log(`emulator recorded: ${logins} Insights login(s), ${tts} TT fetch(es), ${iam} IAM validation(s) — ` +
    (logins === 1 && tts === 1 ? 'single-flight OK (exactly one login and one TT fetch)' : 'EXPECTED exactly one login and one TT fetch'));
  // Rows of the results table ($FLEXCORE_BENCH_RESULTS, ../results.mjs; no-op when unset). P6 sets no speed
  // target: req/s and p99 are informational; single-flight (one login, one TT fetch) is checked.
  const ok = lookups - failed.length;
  record({
    id: 'P6', measure: `${lookups} concurrent cold /get-segment-id lookups: req/s`,
    flexcore: `${(lookups / (wall / 1000)).toFixed(0)} req/s (${ok}/${lookups} ok)`, met: null,
  });
  record({
    id: 'P6', measure: `${lookups} concurrent cold /get-segment-id lookups: p99`,
    flexcore: `${pct(99).toFixed(1)} ms (p50 ${pct(50).toFixed(1)} ms)`, met: null,
  });
  record({
    id: 'P6', measure: 'single-flight under the cold burst (emulator-recorded requests)',
    flexcore: `${logins} Insights login(s), ${tts} TT fetch(es)`, goal: 'exactly one login and one TT fetch',
    met: logins === 1 && tts === 1,
  });
  if (logins !== 1 || tts !== 1 || failed.length) process.exitCode = 1;
} finally {
  await stopAll();
}
