// R4 verifier: after the restart, every acknowledged create is in the draft, and the published set is exactly
// the last acknowledged publish or the publish that was in flight at the kill — never a mix.
// Usage: node verify.mjs SERVER_URL TOKEN ACK_LOG   (exit 1 on a violation)
import { readFileSync } from 'node:fs';

const [server, token, log] = process.argv.slice(2);
const entries = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const response = await fetch(server + '/admin/list', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ Token: token, pageSize: 1 }) });
const list = await response.json();
const draft = new Set(list.draft.map((r) => r.workerSid));
const published = list.data.map((r) => r.workerSid).sort();

const acked = entries.filter((e) => e.op === 'create').map((e) => e.workerSid);
const missing = acked.filter((s) => !draft.has(s));
let lastPublished = [];
let inFlight;
for (const e of entries) {
  if (e.op === 'publish-start') inFlight = e.set;
  if (e.op === 'publish') {
    lastPublished = e.set;
    inFlight = undefined;
  }
}
const same = (a, b) => a.length === b.length && a.every((x, k) => x === b[k]);
const publishedOk = same(published, lastPublished) || (inFlight !== undefined && same(published, inFlight));
console.log(
  `acknowledged creates: ${acked.length}, missing after restart: ${missing.length}; draft rows: ${draft.size}; ` +
    `published rows: ${published.length} (last acknowledged publish: ${lastPublished.length}` +
    (inFlight ? `, in flight at the kill: ${inFlight.length}` : '') + `) → ${publishedOk ? 'old or new set, not a mix' : 'MIXED OR LOST'}`,
);
if (missing.length > 0) console.log(`missing: ${missing.slice(0, 5).join(', ')}`);
process.exit(missing.length === 0 && publishedOk ? 0 : 1);
