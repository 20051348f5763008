// Machine-readable reasons (src/reasons.ts, wasm/core/include/flexcore/reason.h): the package's REASONS list is the
// module's, and every check that reports a problem to a user carries a listed reason with its params.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const { loadCore, CoreError, REASONS, SID_REASONS, isReason } = require('../dist/node/index.js');

const HEX = '0123456789abcdef0123456789abcdef';
const wk = (n) => `WK${String(n).padStart(32, '0')}`;

test('REASONS is the module\'s list of reason ids, in the same order', async () => {
  const core = await loadCore();
  assert.deepEqual(core.reasons(), [...REASONS]);
  assert.equal(new Set(REASONS).size, REASONS.length);
  assert.ok(isReason('taken'));
  assert.ok(!isReason('Taken'));
  assert.ok(!isReason(undefined));
});

function reasonOf(fn) {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof CoreError, String(error));
    return { code: error.code, reason: error.reason, params: error.params };
  }
  assert.fail('expected a CoreError');
}

test('checkTaskSid and checkSid say why, with params', async () => {
  const core = await loadCore();
  assert.deepEqual(reasonOf(() => core.checkTaskSid('  ')), { code: 'InvalidArgument', reason: 'required', params: {} });
  assert.deepEqual(reasonOf(() => core.checkTaskSid(' WT12 ')), {
    code: 'InvalidArgument', reason: 'sid_wrong_length', params: { prefix: 'WT', length: '4' },
  });
  assert.deepEqual(reasonOf(() => core.checkTaskSid(`CA${HEX}`)), { code: 'InvalidArgument', reason: 'sid_wrong_prefix', params: { prefix: 'WT' } });
  assert.deepEqual(reasonOf(() => core.checkTaskSid(`WT${'z'.repeat(32)}`)), { code: 'InvalidArgument', reason: 'sid_not_hex', params: { prefix: 'WT' } });
  assert.deepEqual(reasonOf(() => core.checkSid('WK1', 'WK', 'workerSid')), {
    code: 'InvalidArgument', reason: 'sid_wrong_length', params: { prefix: 'WK', length: '3' },
  });
  // Every SID rejection gives one of SID_REASONS (a sample of shapes, both checks).
  const given = new Set();
  for (const value of ['', ' ', 'WT', `WT${HEX}0`, `wt${HEX}`, `W${HEX}0`, `WT${HEX.slice(1)}-`, `WK${HEX}`, `WT${HEX}`.toUpperCase()]) {
    for (const check of [() => core.checkTaskSid(value), () => core.checkSid(value, 'WT', 'TaskSid')]) {
      try {
        check();
      } catch (error) {
        given.add(error.reason);
      }
    }
  }
  assert.deepEqual([...given].sort(), [...SID_REASONS].sort());
  for (const id of SID_REASONS) assert.ok(REASONS.includes(id));
  // Errors without a reason keep reason/params undefined.
  const plain = new CoreError('Internal', 'x');
  assert.equal(plain.reason, undefined);
  assert.equal(plain.params, undefined);
  // A valid value: no error at all.
  assert.equal(core.checkTaskSid(` WT${HEX} `), `WT${HEX}`);
});

test('every problem of validateExtension carries a listed reason and its params', async () => {
  const core = await loadCore();
  const cases = [
    [{ workerSid: wk(1), workerFullName: ' ', extensionNumber: '1' }, 'required', {}],
    [{ workerSid: wk(1), workerFullName: 'A\u0007', extensionNumber: '1' }, 'control_character', {}],
    [{ workerSid: wk(1), workerFullName: 'x'.repeat(257), extensionNumber: '1' }, 'too_long', { maxLength: '256', length: '257' }],
    [{ workerSid: wk(1), workerFullName: 'A', extensionNumber: '-5' }, 'not_digits', { character: '-' }],
    [{ workerSid: wk(1), workerFullName: 'A', extensionNumber: '١٢٣' }, 'not_digits', { character: 'U+0661' }],
    [{ workerSid: wk(1), workerFullName: 'A', extensionNumber: '12345678901' }, 'too_many_digits', { minDigits: '1', maxDigits: '10', digits: '11' }],
    [{ workerSid: 'WT1', workerFullName: 'A', extensionNumber: '1' }, 'sid_wrong_length', { prefix: 'WK', length: '3' }],
    [{ workerSid: `WT${HEX}`, workerFullName: 'A', extensionNumber: '1' }, 'sid_wrong_prefix', { prefix: 'WK' }],
    [{ workerSid: `WK${'g'.repeat(32)}`, workerFullName: 'A', extensionNumber: '1' }, 'sid_not_hex', { prefix: 'WK' }],
  ];
  for (const [entry, reason, params] of cases) {
    const { problems } = core.validateExtension(entry);
    assert.equal(problems.length, 1, JSON.stringify(entry));
    assert.equal(problems[0].reason, reason, problems[0].message);
    assert.deepEqual(problems[0].params, params, problems[0].message);
    assert.ok(REASONS.includes(problems[0].reason));
  }
  const few = core.validateExtension({ workerSid: wk(1), workerFullName: 'A', extensionNumber: '12' }, [], { minDigits: 3, maxDigits: 4 });
  assert.deepEqual(few.problems.map((p) => [p.reason, p.params]), [['too_few_digits', { minDigits: '3', maxDigits: '4', digits: '2' }]]);
});
