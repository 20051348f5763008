// The harness HTTP server (plugin-js/harness/serve.mjs): routes, MIME types, CSP variants, and refusals.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { HARNESS_SERVER } from '../lib/paths.mjs';

const { startHarnessServer, parseArgs, contentSecurityPolicy } = await import(pathToFileURL(HARNESS_SERVER).href);

let dir;
let server;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flexcore-harness-'));
  await writeFile(path.join(dir, 'bundle.js'), 'window.__bundle = 1;\n');
  server = await startHarnessServer({ port: 0, bundlePath: path.join(dir, 'bundle.js'), serverUrl: 'http://127.0.0.1:9/api/' });
});
after(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (p, init) => fetch(new URL(p, server.url), init);

test('listens on 127.0.0.1 and serves the page with a CSP that allows WebAssembly but not eval', async () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const res = await get('/');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
  const csp = res.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.doesNotMatch(csp, /'unsafe-eval'/);
  assert.match(csp, /connect-src 'self' http:\/\/127\.0\.0\.1:9;/, 'the configured flexcore-server origin may be called');
  assert.match(await res.text(), /<script src="\/harness\/flex-stub.js"><\/script>/);
});

test('?csp=no-wasm drops wasm-unsafe-eval; other csp values are a 400 naming the parameter', async () => {
  const res = await get('/?csp=no-wasm');
  assert.match(res.headers.get('content-security-policy'), /script-src 'self';/);
  const bad = await get('/?csp=off');
  assert.equal(bad.status, 400);
  assert.equal(await bad.text(), 'csp must be "no-wasm" when given, got "off"\n');
});

test('serves the plugin bundle, React 17 UMD and harness files with their MIME types', async () => {
  const bundle = await get('/plugin/plugin-flexcore.js');
  assert.equal(bundle.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(await bundle.text(), 'window.__bundle = 1;\n');
  const react = await get('/vendor/react.js');
  assert.equal(react.status, 200);
  assert.match(await react.text(), /React v17\.0\.2/);
  assert.equal((await get('/vendor/react-dom.js')).status, 200);
  assert.equal((await get('/harness/harness.css')).headers.get('content-type'), 'text/css; charset=utf-8');
  const tasks = await get('/harness/fixtures/tasks.json');
  assert.equal(tasks.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.ok((await tasks.json()).tasks.length >= 3);
});

test('config.json carries the flexcore-server URL as ui_attributes.custom_data.features.flexcore.server_url', async () => {
  const config = await (await get('/harness/config.json')).json();
  assert.equal(config.bundleUrl, '/plugin/plugin-flexcore.js');
  assert.deepEqual(config.ui_attributes.custom_data.features.flexcore, { enabled: true, server_url: 'http://127.0.0.1:9/api' });
});

test('refuses path traversal, unknown paths and methods other than GET/HEAD', async () => {
  for (const p of ['/harness/../serve.mjs', '/harness/%2e%2e/serve.mjs', '/harness/..%2fserve.mjs', '/package.json']) {
    const res = await get(p);
    assert.equal(res.status, 404, p);
    await res.text();
  }
  const malformed = await get('/harness/%E0%A4%A');
  assert.equal(malformed.status, 400);
  assert.match(await malformed.text(), /malformed percent-encoding/);
  const post = await get('/', { method: 'POST' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET, HEAD');
  await post.text();
  const head = await get('/plugin/plugin-flexcore.js', { method: 'HEAD' });
  assert.equal(head.headers.get('content-length'), '21');
});

test('a missing bundle is a 404 that says how to build it', async () => {
  const other = await startHarnessServer({ port: 0, bundlePath: path.join(dir, 'missing.js') });
  try {
    const res = await fetch(new URL('/plugin/plugin-flexcore.js', other.url));
    assert.equal(res.status, 404);
    assert.match(await res.text(), /build the plugin first: npm run build in plugin-js/);
  } finally {
    await other.close();
  }
});

test('command-line options are validated with a message naming the option', () => {
  assert.deepEqual(parseArgs(['--port', '0', '--bundle=x.js', '--server-url', 'http://127.0.0.1:8080']), {
    port: 0,
    bundlePath: 'x.js',
    serverUrl: 'http://127.0.0.1:8080',
  });
  assert.throws(() => parseArgs(['--port', '70000']), /--port must be an integer from 0 to 65535, got "70000"/);
  assert.throws(() => parseArgs(['--port']), /--port needs a value/);
  assert.throws(() => parseArgs(['--verbose']), /unknown option "--verbose"/);
  assert.equal(contentSecurityPolicy({ allowWasm: false, connectOrigins: [] }).includes('wasm-unsafe-eval'), false);
});

test('a server URL that is not http(s) is rejected before listening', async () => {
  await assert.rejects(startHarnessServer({ port: 0, serverUrl: 'ftp://127.0.0.1/' }), /--server-url must use http or https, got ftp:/);
  await assert.rejects(startHarnessServer({ port: 0, serverUrl: 'not a url' }), /--server-url must be an absolute http\(s\) URL/);
});
