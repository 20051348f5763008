// Customer context through the facade (node flavour): rows, traits, events, identifiers.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const { loadCore, CoreError } = require('../dist/node/index.js');
const isCode = (code, pattern) => (e) => e instanceof CoreError && e.code === code && (!pattern || pattern.test(e.message));

test('contextRows: Object.keys order and the value rules, from text and from an object', async () => {
  const core = await loadCore();
  const text = '{"context":{"b":{"x":[1,2.50]},"10":true,"2":null,"a":"<i>hi</i>","n":1e2,"s":""},"userId":"u1"}';
  const expected = [
    { key: '2', value: '', kind: 'null', truncated: false },
    { key: '10', value: 'true', kind: 'boolean', truncated: false },
    { key: 'b', value: '{"x":[1,2.5]}', kind: 'object', truncated: false },
    { key: 'a', value: '<i>hi</i>', kind: 'string', truncated: false },
    { key: 'n', value: '100', kind: 'number', truncated: false },
    { key: 's', value: '', kind: 'string', truncated: false },
  ];
  assert.deepEqual(core.contextRows(text), expected);
  assert.deepEqual(core.contextRows(JSON.parse(text)), expected);
  // The keys are exactly those of Object.keys on the parsed context.
  assert.deepEqual(core.contextRows(text).map((r) => r.key), Object.keys(JSON.parse(text).context));
});

test('contextRows: compact JSON equals JSON.stringify of the parsed value', async () => {
  const core = await loadCore();
  const value = { z: 1, 7: [0.1, -0, 1e21, 'é\u0007"\\', null, { 1: 'a', b: true }], a: { '': {} } };
  const [row] = core.contextRows({ context: { v: value } });
  assert.equal(row.value, JSON.stringify(value));
  assert.equal(row.kind, 'object');
});

test('contextRows: missing or non-object context gives no rows; non-object attributes throw', async () => {
  const core = await loadCore();
  for (const attributes of [{}, { context: 'x' }, { context: [1] }, { context: null }, '', '{"context":5}']) {
    assert.deepEqual(core.contextRows(attributes), []);
  }
  assert.throws(() => core.contextRows('[1]'), isCode('InvalidArgument', /^attributes: expected a JSON object, got array$/));
  assert.throws(() => core.contextRows('{"a":'), isCode('InvalidArgument', /^attributes: invalid JSON at byte 5/));
  assert.throws(() => core.contextRows(null), isCode('InvalidArgument', /attributes/));
  assert.throws(() => core.contextRows([]), isCode('InvalidArgument', /attributes/));
  assert.throws(() => core.contextRows({ context: { big: 10n } }), isCode('InvalidArgument', /cannot be written as JSON/));
});

test('contextRows: flatten, limits and the omitted marker', async () => {
  const core = await loadCore();
  const attributes = { context: { address: { city: 'Lisboa', geo: { lat: 38.7 } }, tags: ['a'], long: 'x'.repeat(50) } };
  assert.deepEqual(core.contextRows(attributes, { flatten: true, maxValueLength: 10 }), [
    { key: 'address.city', value: 'Lisboa', kind: 'string', truncated: false },
    { key: 'address.geo.lat', value: '38.7', kind: 'number', truncated: false },
    { key: 'tags', value: '["a"]', kind: 'array', truncated: false },
    { key: 'long', value: 'x'.repeat(10) + '…', kind: 'string', truncated: true },
  ]);
  let deep = 1;
  for (let i = 0; i < 50; i++) deep = { a: deep };
  assert.equal(core.contextRows({ context: { deep } }, { maxDepth: 2 })[0].value, '{"a":{"a":{…}}}');
  const many = {};
  for (let i = 0; i < 10000; i++) many[`k${i}`] = i;
  const rows = core.contextRows({ context: many }, { maxRows: 100 });
  assert.equal(rows.length, 101);
  assert.deepEqual(rows[100], { key: '…', value: '9900 more not shown', kind: 'omitted', truncated: true });
  assert.equal(core.contextRows({ context: many }).length, 1001);
  assert.equal(core.contextRows({ context: many }, { maxRows: 10000 }).length, 10000);
});

test('contextRows: control characters become visible, HTML stays text, unicode survives the byte path', async () => {
  const core = await loadCore();
  const rows = core.contextRows({ context: { '<script>x</script>': 'a\u0000b\u001fc', 'emoji 😀': 'naïve — ✓', lone: 'x\ud800' } });
  assert.deepEqual(rows.map((r) => [r.key, r.value]), [
    ['<script>x</script>', 'a\u2400b\u241fc'],
    ['emoji 😀', 'naïve — ✓'],
    ['lone', 'x\ufffd'],
  ]);
});

test('contextRows: bad options are CoreErrors naming the option', async () => {
  const core = await loadCore();
  assert.throws(() => core.contextRows({}, { maxDepth: 0 }), isCode('InvalidArgument', /^maxDepth must be between 1 and 64, got 0$/));
  assert.throws(() => core.contextRows({}, { maxRows: 1.5 }), isCode('InvalidArgument', /^maxRows must be a non-negative integer$/));
  assert.throws(() => core.contextRows({}, { maxValueLength: '5' }), isCode('InvalidArgument', /maxValueLength/));
  assert.throws(() => core.contextRows({}, { flatten: 'yes' }), isCode('InvalidArgument', /flatten/));
  assert.throws(() => core.contextRows({}, 5), isCode('InvalidArgument', /options/));
});

test('contextRows handles a 400 KB attributes object and 100,000 levels of nesting', async () => {
  const core = await loadCore();
  const context = {};
  for (let i = 0; i < 4000; i++) context[`field_${i}`] = { id: i, label: `value ${i}`, tags: ['x', 'y'] };
  const text = JSON.stringify({ context });
  assert.ok(text.length > 200000);
  const rows = core.contextRows(text, { maxRows: 4000 });
  assert.equal(rows.length, 4000);
  assert.equal(rows[3999].value, JSON.stringify(context.field_3999));
  const nested = '['.repeat(100000) + ']'.repeat(100000);
  assert.equal(core.contextRows(`{"context":{"n":${nested}}}`)[0].value, '['.repeat(10) + '[…]' + ']'.repeat(10));
});

test('traitRows and eventRows for the Segment section', async () => {
  const core = await loadCore();
  assert.deepEqual(core.traitRows({ first_name: 'Bob', vip: true }), [
    { key: 'first_name', value: 'Bob', kind: 'string', truncated: false },
    { key: 'vip', value: 'true', kind: 'boolean', truncated: false },
  ]);
  assert.deepEqual(core.traitRows(null), []);
  assert.deepEqual(core.traitRows(undefined), []);
  assert.throws(() => core.traitRows([1]), isCode('InvalidArgument', /^traits: expected a JSON object, got array$/));
  assert.throws(() => core.traitRows('{'), isCode('InvalidArgument', /^traits: invalid JSON/));

  const events = core.eventRows([
    { type: 'page', timestamp: '2018-01-05T00:00:00Z', properties: { url: 'https://x.test/?a=<b>' } },
    { type: 'track', event: 'Order Completed', timestamp: '2018-01-05T02:16:35.663+02:00', properties: {} },
    { type: 'identify' },
  ]);
  assert.deepEqual(events, [
    { name: 'Order Completed', type: 'track', timestamp: '2018-01-05T02:16:35.663+02:00', displayTime: '2018-01-05 00:16:35 UTC', properties: [] },
    {
      name: 'page', type: 'page', timestamp: '2018-01-05T00:00:00Z', displayTime: '2018-01-05 00:00:00 UTC',
      properties: [{ key: 'url', value: 'https://x.test/?a=<b>', kind: 'string', truncated: false }],
    },
    { name: 'identify', type: 'identify', timestamp: '', displayTime: '', properties: [] },
  ]);
  assert.deepEqual(core.eventRows(null), []);
  assert.deepEqual(core.eventRows('[]'), []);
  assert.throws(() => core.eventRows({}), isCode('InvalidArgument', /^events: expected a JSON array, got object$/));
  assert.throws(() => core.eventRows([{}, 'x']), isCode('InvalidArgument', /^events\[1\]: expected an object, got string$/));
});

test('displayTimestamp, normalizeProfileIdentifier and profilePath', async () => {
  const core = await loadCore();
  assert.equal(core.displayTimestamp('2026-11-21T19:52:20.5+02:00'), '2026-11-21 17:52:20 UTC');
  assert.equal(core.displayTimestamp('not a time'), null);
  assert.equal(core.normalizeProfileIdentifier('phone', '+55 11 9999-0000'), '+551199990000');
  assert.equal(core.normalizeProfileIdentifier('phone', ' 5511999990000'), '+5511999990000');
  assert.equal(core.normalizeProfileIdentifier('user_id', ' 3f2b-11ee '), '3f2b-11ee');
  assert.equal(core.profilePath('spa', 'email', 'josé+1@x.test'), '/v1/spaces/spa/collections/users/profiles/email:jos%C3%A9%2B1%40x.test');
  assert.throws(() => core.normalizeProfileIdentifier('phone', ' - '), isCode('InvalidArgument', /^identifier is required$/));
  assert.throws(() => core.normalizeProfileIdentifier('a/b', 'x'), isCode('InvalidArgument', /^idType must be/));
  assert.throws(() => core.profilePath(42, 'user_id', 'x'), isCode('InvalidArgument', /spaceId/));
});

test('contextRows: a context with more keys than maxRows gives the same rows from the object and from its text', async () => {
  const core = await loadCore();
  const context = { 7: 'seven', 3: 'three' };
  for (let i = 0; i < 1500; i++) context[`k${i}`] = i % 3 === 0 ? { nested: [i, `v${i}`] } : `value ${i}`;
  context.skipped = undefined; // JSON.stringify drops it: no row, not counted
  context.fn = () => 1;
  context.when = new Date(Date.UTC(2026, 0, 2)); // toJSON: a string row
  context.late = { toJSON: () => undefined }; // toJSON → undefined: dropped, even past maxRows
  const attributes = { channel: 'chat', context };
  for (const options of [undefined, { maxRows: 10 }, { maxRows: 1 }, { maxRows: 2000 }, { flatten: true }, { maxRows: 5, flatten: true }]) {
    const fromObject = core.contextRows(attributes, options);
    const fromText = core.contextRows(JSON.stringify(attributes), options);
    assert.deepEqual(fromObject, fromText, JSON.stringify(options));
  }
  const rows = core.contextRows(attributes, { maxRows: 10 });
  assert.equal(rows.length, 11);
  assert.deepEqual(rows.slice(0, 3).map((r) => r.key), ['3', '7', 'k0']);
  assert.equal(rows[10].kind, 'omitted');
  assert.equal(rows[10].value, `${1500 + 2 + 1 - 10} more not shown`);
  assert.throws(() => core.contextRows({ context: { ...context, big: 1n } }, { maxRows: 10 }), { code: 'InvalidArgument' });
});
