// Baseline for tests/bench/studio_lookup — NOT product code. The seed's Studio lookup (agentExtensions.protected.js,
// seed-behaviour 3.3) as a minimal Node.js http server: the Twilio signature check the runtime does for a
// protected function (HMAC-SHA1 of the URL, timing-safe compare), then Array.find over the published JSON array
// (parsed once at start, as Runtime.getAssets() caches it) → {"workerSID"} or an empty 200.
// Usage: node node-baseline.mjs --port 0 --auth-token T --public-url URL --assets FILE
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const arg = (name) => process.argv[process.argv.indexOf(name) + 1];
const authToken = arg('--auth-token');
const publicUrl = arg('--public-url');
const extensions = JSON.parse(readFileSync(arg('--assets'), 'utf8'));

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"status":"ok"}');
    return;
  }
  const expected = createHmac('sha1', authToken).update(publicUrl + req.url).digest();
  const given = Buffer.from(String(req.headers['x-twilio-signature'] || ''), 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    res.writeHead(403, { 'Content-Type': 'application/json' });
    res.end('{"error":"invalid X-Twilio-Signature"}');
    return;
  }
  const agentExt = url.searchParams.get('agentExt');
  const found = extensions.find((e) => e.extensionNumber === agentExt);
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(found ? JSON.stringify({ workerSID: found.workerSid }) : '');
});
server.keepAliveTimeout = 5000;
server.listen(Number(arg('--port')), '127.0.0.1', () => {
  console.log(`node baseline listening on http://127.0.0.1:${server.address().port}`);
});
