// R4 writer (issue 6): a stream of acknowledged writes against flexcore-server until it dies. One sequential
// client: creates of new draft rows and, every PUBLISH_EVERY creates, a full publish (list → update →
// update-status → publish). Every acknowledged (2xx) write is appended to ACK_LOG (one JSON line, fsync'd
// by appendFileSync before the next request is sent); a publish in flight is logged as "publish-start" first.
// Usage: node writer.mjs SERVER_URL TOKEN ACK_LOG FIRST_INDEX
import { appendFileSync } from 'node:fs';

const [server, token, log, firstText] = process.argv.slice(2);
const PUBLISH_EVERY = 20;
const record = (entry) => appendFileSync(log, JSON.stringify(entry) + '\n');
const post = async (path, body) => {
  const response = await fetch(server + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...body, Token: token }) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${text}`);
  return JSON.parse(text);
};
const sid = (i) => 'WK' + i.toString(16).padStart(32, '0');

let i = Number(firstText);
try {
  for (;;) {
    const row = { workerSid: sid(i), workerFullName: `Agent ${i}`, extensionNumber: String(1000000 + i) };
    await post('/admin/extensions', { action: 'create', entry: row });
    record({ op: 'create', workerSid: row.workerSid });
    i++;
    if (i % PUBLISH_EVERY === 0) {
      const list = await post('/admin/list', { pageSize: 1 });
      const set = list.draft.map((r) => r.workerSid).sort();
      record({ op: 'publish-start', set });
      const { buildSid } = await post('/admin/update', { data: list.draft, version: list.version });
      while ((await post('/admin/update-status', { buildSid })).buildStatus !== 'completed');
      await post('/admin/publish', { buildSid });
      record({ op: 'publish', set });
    }
  }
} catch (error) {
  console.log(`writer stopped after index ${i}: ${error.message}`);
}
