// Seeds flexcore-server with N agent extensions through its own routes (/admin/list → /admin/update →
// /admin/update-status → /admin/publish) with a supervisor token, and writes the published asset JSON (the
// seed's shape) for the Node baseline. Usage: node seed.mjs SERVER_URL TOKEN COUNT ASSET_FILE
import { writeFileSync } from 'node:fs';

const [server, token, countText, assetFile] = process.argv.slice(2);
const count = Number(countText);
const post = async (path, body) => {
  const response = await fetch(server + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...body, Token: token }) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
  return JSON.parse(text);
};
const rows = Array.from({ length: count }, (_, i) => ({
  workerSid: 'WK' + i.toString(16).padStart(32, '0'),
  workerFullName: `Agent ${i}`,
  extensionNumber: String(100000 + i),
}));
const { version } = await post('/admin/list', {});
const { buildSid } = await post('/admin/update', { data: rows, version });
for (let poll = 0; (await post('/admin/update-status', { buildSid })).buildStatus !== 'completed'; poll++) {
  if (poll >= 60) throw new Error('build did not complete');
}
await post('/admin/publish', { buildSid });
writeFileSync(assetFile, JSON.stringify(rows.map((r) => ({ ...r, mapKey: r.workerSid }))));
console.log(`seeded ${count} published extensions`);
