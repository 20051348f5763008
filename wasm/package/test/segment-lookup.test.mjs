// Segment lookup functions of the facade, against the built node flavour.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const { loadCore, CoreError } = require('../dist/node/index.js');
const SID = 'WT0123456789abcdef0123456789abcdef';

test('isValidTaskSid and checkTaskSid (trimming like the plugin)', async () => {
  const core = await loadCore();
  assert.equal(core.isValidTaskSid(SID), true);
  assert.equal(core.isValidTaskSid(` ${SID}`), false);
  assert.equal(core.checkTaskSid(`  ${SID}\n`), SID);
  assert.throws(() => core.checkTaskSid('   '), (e) => e instanceof CoreError && e.code === 'InvalidArgument' && e.message === 'TaskSid is required');
  assert.throws(() => core.checkTaskSid(`${SID}0`), (e) => e instanceof CoreError && /32 hex digits/.test(e.message));
});

test('parseSegmentCsv: RFC 4180 through the heap byte path, including non-ASCII text', async () => {
  const core = await loadCore();
  assert.deepEqual(core.parseSegmentCsv('\uFEFFSegment,Agent\r\n"12,34",x\r\n"ab""c",y\r\nÄé😀,z\r\n\r\n'), ['12,34', 'ab"c', 'Äé😀']);
  assert.deepEqual(core.parseSegmentCsv(''), []);
  assert.deepEqual(core.parseSegmentCsv('only,a,header\n'), []);
});

test('parseSegmentCsv: IDs cross as one joined buffer, and one by one when an ID holds U+001F', async () => {
  const core = await loadCore();
  assert.deepEqual(core.parseSegmentCsv('id\n1\n"2\n3"\n4\n4\n'), ['1', '2\n3', '4', '4']);
  assert.deepEqual(core.parseSegmentCsv('id\n1\n"a\u001fb"\nc\n'), ['1', 'a\u001fb', 'c']);
  assert.deepEqual(core.parseSegmentCsv('id\n   \n""\n'), []);
});

test('parseSegmentCsv: unterminated quote is an InvalidArgument naming the line', async () => {
  const core = await loadCore();
  assert.throws(() => core.parseSegmentCsv('h\n1\n"open'), (e) => e instanceof CoreError && e.code === 'InvalidArgument' && /line 3/.test(e.message));
  // The module is still usable after the error (the buffer was freed, nothing aborted).
  assert.deepEqual(core.parseSegmentCsv('h\n7\n'), ['7']);
});

test('parseSegmentCsv handles a 50 MB export and frees its buffer', async () => {
  const core = await loadCore();
  const row = '"1234567890",agent,"note, with comma"\n';
  const rows = Math.ceil((50 * 1024 * 1024) / row.length);
  const text = 'Segment,Agent,Note\n' + row.repeat(rows);
  const first = core.parseSegmentCsv(text);
  assert.equal(first.length, rows);
  assert.equal(first[0], '1234567890');
  // A second run fits too: the first input's heap buffer was released.
  assert.equal(core.parseSegmentCsv(text).length, rows);
});
