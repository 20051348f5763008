// Behaviour of the public facade against the built node flavour (dist/node).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const flexcore = require('../dist/node/index.js');
const { loadCore, resetCore, CoreError, CoreLoadError, ERROR_CODES, unwrap } = flexcore;
const { loadRawCore } = require('../dist/node/load.js');
const pkg = require('../package.json');

const TASK_SID = 'WT0123456789abcdef0123456789abcdef';

test('loadCore resolves to a core whose version is the package version', async () => {
  const core = await loadCore();
  assert.equal(core.version, pkg.version);
});

test('loadCore is memoised: concurrent and later calls share one instance', async () => {
  const [a, b] = await Promise.all([loadCore(), loadCore()]);
  assert.equal(a, b);
  assert.equal(await loadCore(), a);
});

test('isValidSid and checkSid run in the wasm core', async () => {
  const core = await loadCore();
  assert.equal(core.isValidSid(TASK_SID, 'WT'), true);
  assert.equal(core.isValidSid(TASK_SID.toUpperCase().replace(/^WT/, 'WT'), 'WT'), true);
  assert.equal(core.isValidSid(TASK_SID, 'WK'), false);
  assert.equal(core.isValidSid(` ${TASK_SID}`, 'WT'), false);
  assert.equal(core.checkSid(TASK_SID, 'WT', 'TaskSid'), TASK_SID);
});

test('checkSid throws a CoreError with code InvalidArgument naming the field', async () => {
  const core = await loadCore();
  assert.throws(
    () => core.checkSid('WT123', 'WT', 'TaskSid'),
    (error) =>
      error instanceof CoreError &&
      error instanceof Error &&
      error.code === 'InvalidArgument' &&
      /TaskSid/.test(error.message) &&
      /32 hex digits/.test(error.message),
  );
});

test('non-string arguments are rejected with InvalidArgument, not a crash', async () => {
  const core = await loadCore();
  for (const bad of [undefined, null, 42, {}, ['WT']]) {
    assert.throws(() => core.isValidSid(bad, 'WT'), (e) => e instanceof CoreError && e.code === 'InvalidArgument');
  }
  assert.throws(() => core.checkSid(TASK_SID, 'WT', null), (e) => e instanceof CoreError && /field/.test(e.message));
});

test('the facade knows exactly the error codes the C++ core declares, in order', async () => {
  const core = await loadCore();
  assert.deepEqual(core.errorCodes(), [...ERROR_CODES]);
});

test('every error code maps to a CoreError carrying that code and message', async () => {
  const core = await loadCore();
  for (const code of core.errorCodes()) {
    assert.throws(
      () => unwrap({ ok: false, error: { code, message: `message for ${code}` } }),
      (error) => error instanceof CoreError && error.code === code && error.message === `message for ${code}`,
    );
  }
  assert.throws(
    () => unwrap({ ok: false, error: { code: 'FutureCode', message: 'm' } }),
    (error) => error instanceof CoreError && error.code === 'Internal' && /FutureCode: m/.test(error.message),
  );
});

test('guard() turns every C++ failure into an error record, never a JS exception or abort', async () => {
  const raw = await loadRawCore();
  assert.deepEqual(raw._guardProbe('ok'), { ok: true, value: 'ok' });
  assert.equal(raw._guardProbe('error').error.code, 'InvalidArgument');
  assert.equal(raw._guardProbe('bad_alloc').error.code, 'ResourceExhausted');
  assert.equal(raw._guardProbe('exception').error.code, 'Internal');
  assert.match(raw._guardProbe('exception').error.message, /probe/);
  assert.equal(raw._guardProbe('unknown').error.code, 'Internal');
  // The module is still usable afterwards.
  const core = await loadCore();
  assert.equal(core.isValidSid(TASK_SID, 'WT'), true);
});

test('a failed load rejects with CoreLoadError and the next loadCore() retries', async () => {
  resetCore();
  const original = WebAssembly.instantiate;
  WebAssembly.instantiate = () => Promise.reject(new Error('simulated instantiate failure'));
  const quiet = { printErr: () => {} };
  try {
    await assert.rejects(loadCore(quiet), (error) => error instanceof CoreLoadError && /could not be loaded|aborted/.test(error.message));
  } finally {
    WebAssembly.instantiate = original;
  }
  const core = await loadCore();
  assert.equal(core.isValidSid(TASK_SID, 'WT'), true);
});
