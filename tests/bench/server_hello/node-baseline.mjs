// Baseline for tests/bench/server_hello: a minimal Node.js http server doing the same work as
// flexcore-server on the two benchmarked routes, with nothing else (no logging, no metrics, no CORS):
//   GET /healthz               -> 200 {"status":"ok"}
//   GET /session?Token=<token> -> token looked up in a Map (the "warm token cache"), 200 with the
//                                 identity JSON, or 403 "Unauthorized: ..." when unknown.
// Usage: node node-baseline.mjs --port P --token T (prints "listening on http://127.0.0.1:P").
import http from 'node:http';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const cache = new Map([
  [args.token, { identity: 'bench_agent', roles: ['agent'], workerSid: 'WK' + '0'.repeat(32), expiration: '2099-01-01T00:00:00.000Z' }],
]);

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"status":"ok"}');
    return;
  }
  if (url.pathname === '/session') {
    const entry = cache.get(url.searchParams.get('Token') || '');
    if (!entry) {
      res.writeHead(403, { 'Content-Type': 'text/plain' });
      res.end('Unauthorized: Token was not provided');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(entry));
    return;
  }
  res.writeHead(404, { 'Content-Type': 'application/json' });
  res.end('{"error":"not found","code":"NotFound"}');
});
server.keepAliveTimeout = 60000;
server.listen(Number(args.port || 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
