// Agent extensions through the facade (node flavour): validation, query, diff, lookup table.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const { loadCore, CoreError } = require('../dist/node/index.js');
const isCode = (code, pattern) => (e) => e instanceof CoreError && e.code === code && (!pattern || pattern.test(e.message));
const wk = (n) => 'WK' + String(n).padStart(32, '0');
const row = (n, name, number, extra = {}) => ({ workerSid: wk(n), workerFullName: name, extensionNumber: number, ...extra });
const stored = (n, name, number, updatedBy = '', updatedAt = '') => ({ ...row(n, name, number), updatedBy, updatedAt });

test('validateExtension returns the normalised row and every problem', async () => {
  const core = await loadCore();
  assert.deepEqual(core.validateExtension(row(1, ' Jane ', ' 0123 ')), { entry: stored(1, 'Jane', '0123'), problems: [] });
  const bad = core.validateExtension({ workerSid: 'WT1', workerFullName: '', extensionNumber: '1e3' });
  assert.deepEqual(bad.problems.map((p) => [p.field, p.code]), [
    ['workerFullName', 'InvalidArgument'],
    ['extensionNumber', 'InvalidArgument'],
    ['workerSid', 'InvalidArgument'],
  ]);
  assert.equal(bad.problems[1].message, "extensionNumber must contain only the digits 0-9 (found 'e')");
  for (const [number, message] of [
    ['-5', "found '-'"], ['1.5', "found '.'"], ['0x1F', "found 'x'"], ['١٢٣', 'found U+0661'],
    ['12345678901', 'must have 1 to 10 digits, got 11'], ['', 'extensionNumber is required'],
  ]) {
    const { problems } = core.validateExtension(row(1, 'A', number));
    assert.equal(problems.length, 1, number);
    assert.ok(problems[0].message.includes(message), `${number}: ${problems[0].message}`);
  }
});

test('validateExtension: a duplicate held by another worker is AlreadyExists; own number may stay', async () => {
  const core = await loadCore();
  const existing = [row(1, 'Jane Doe', '1234'), row(2, 'John', '42')];
  assert.deepEqual(core.validateExtension(row(9, 'New', '1234'), existing).problems, [
    { field: 'extensionNumber', message: `extensionNumber 1234 is already assigned to Jane Doe (${wk(1)})`, code: 'AlreadyExists', conflictingWorkerSid: wk(1),
      reason: 'taken', params: { extensionNumber: '1234', conflictingWorkerSid: wk(1), conflictingWorkerName: 'Jane Doe' } },
  ]);
  assert.deepEqual(core.validateExtension(row(1, 'Jane D.', '1234'), existing).problems, []);
  assert.deepEqual(core.validateExtension(row(9, 'New', '042'), JSON.stringify(existing)).problems, []);
  assert.deepEqual(core.validateExtension(row(9, 'New', '12345'), [], { minDigits: 4, maxDigits: 4 }).problems[0].message,
    'extensionNumber must have 4 digits, got 5');
  assert.throws(() => core.validateExtension(row(1, 'A', '1'), [], { maxDigits: 0 }), isCode('InvalidArgument', /^maxDigits must be/));
  assert.throws(() => core.validateExtension({ ...row(1, 'A', '1'), extensionNumber: 1234 }), isCode('InvalidArgument', /^entry.extensionNumber: expected a string, got number$/));
  assert.throws(() => core.validateExtension(null), isCode('InvalidArgument', /^entry/));
  assert.throws(() => core.validateExtension(row(1, 'A', '1'), { rows: [] }), isCode('InvalidArgument', /^existing/));
  assert.throws(() => core.validateExtension(row(1, 'A', '1'), '{}'), isCode('InvalidArgument', /^existing: expected a JSON array, got object$/));
});

test('queryExtensions filters, sorts stably and pages with a total', async () => {
  const core = await loadCore();
  const rows = [];
  for (let i = 0; i < 12000; i++) rows.push(row(i, i % 2 ? `Agent ${i}` : `agent ${i}`, String(100000 - i)));
  const page = core.queryExtensions(rows, { filter: 'AGENT 11', sortBy: 'extensionNumber', sortDir: 'asc', page: 2, pageSize: 10 });
  // "agent 11", "agent 110".."agent 119", "agent 1100".."agent 1199", "agent 11000".."agent 11999": 1 + 10 + 100 + 1000
  assert.equal(page.total, 1111);
  assert.equal(page.pageCount, 112);
  assert.equal(page.items.length, 10);
  assert.deepEqual(page.items[0], stored(11989, 'Agent 11989', '88011'));
  const numeric = core.queryExtensions([row(1, 'a', '10'), row(2, 'b', '9'), row(3, 'c', '010')], { sortBy: 'extensionNumber', numeric: true });
  assert.deepEqual(numeric.items.map((r) => r.extensionNumber), ['9', '010', '10']);
  const text = core.queryExtensions([row(1, 'a', '10'), row(2, 'b', '9'), row(3, 'c', '010')], { sortBy: 'extensionNumber', sortDir: 'desc' });
  assert.deepEqual(text.items.map((r) => r.extensionNumber), ['9', '10', '010']);
  assert.equal(core.queryExtensions(JSON.stringify(rows.slice(0, 3))).total, 3);
  assert.deepEqual(core.queryExtensions(rows, { page: 999 }).items, []);
});

test('queryExtensions: bad options are InvalidArgument naming the option', async () => {
  const core = await loadCore();
  assert.throws(() => core.queryExtensions([], { sortBy: 'name' }), isCode('InvalidArgument', /^sortBy must be one of workerFullName/));
  assert.throws(() => core.queryExtensions([], { sortDir: 'up' }), isCode('InvalidArgument', /^sortDir must be "asc" or "desc"$/));
  assert.throws(() => core.queryExtensions([], { page: 0 }), isCode('InvalidArgument', /^page must be at least 1, got 0$/));
  assert.throws(() => core.queryExtensions([], { pageSize: 5000 }), isCode('InvalidArgument', /^pageSize must be between 1 and 1000, got 5000$/));
  assert.throws(() => core.queryExtensions([], { page: -2 }), isCode('InvalidArgument', /^page must be a positive integer$/));
  assert.throws(() => core.queryExtensions([], 'x'), isCode('InvalidArgument', /^query/));
  assert.throws(() => core.queryExtensions({}, {}), isCode('InvalidArgument', /^rows/));
  assert.throws(() => core.queryExtensions('[1]', {}), isCode('InvalidArgument', /^rows\[0\]: expected a JSON object, got number$/));
});

test('diffExtensions ignores order and audit fields', async () => {
  const core = await loadCore();
  const published = [row(1, 'Jane', '100'), row(2, 'John', '200')];
  assert.deepEqual(core.diffExtensions([row(2, 'John', '200', { updatedBy: 'x' }), row(1, 'Jane', '100')], published), { added: [], changed: [], removed: [] });
  const diff = core.diffExtensions([row(1, 'Jane', '101'), row(3, 'Ann', '300')], JSON.stringify(published));
  assert.deepEqual(diff, {
    added: [stored(3, 'Ann', '300')],
    changed: [{ before: stored(1, 'Jane', '100'), after: stored(1, 'Jane', '101') }],
    removed: [stored(2, 'John', '200')],
  });
  assert.throws(() => core.diffExtensions([row(1, 'a', '1'), row(1, 'b', '2')], []), isCode('InvalidArgument', /^draft\[1\]\.workerSid/));
});

test('buildLookupTable maps extensions to workers and rejects duplicates', async () => {
  const core = await loadCore();
  const table = core.buildLookupTable([row(1, 'Jane', '0123'), row(2, 'John', ' 55 ')]);
  assert.ok(table instanceof Map);
  assert.deepEqual([...table.keys()], ['0123', '55']);
  assert.deepEqual(table.get('55'), { workerSid: wk(2), workerFullName: 'John' });
  assert.equal(table.get('123'), undefined);
  assert.throws(() => core.buildLookupTable([row(1, 'A', '7'), row(2, 'B', '7')]), isCode('AlreadyExists', /^extension 7 is assigned to both/));
  assert.throws(() => core.buildLookupTable([row(1, 'A', '')]), isCode('InvalidArgument', /extensionNumber is empty/));
});

test('createExtensionTable holds the rows in the core: load once, query many times, dispose', async () => {
  const core = await loadCore();
  const rows = [];
  for (let i = 0; i < 3000; i++) rows.push(stored(i, `Agent ${i % 37}`, String(100000 + ((i * 7919) % 3000)), 'sam', `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`));
  const table = core.createExtensionTable(rows);
  assert.equal(table.size, 3000);
  for (const query of [
    {},
    { filter: 'agent 3', sortBy: 'workerFullName', page: 2, pageSize: 20 },
    { sortBy: 'extensionNumber', sortDir: 'desc', page: 5, pageSize: 100 },
    { sortBy: 'extensionNumber', numeric: true, page: 30, pageSize: 100 },
    { sortBy: 'updatedAt', filter: 'WK', pageSize: 7, page: 400 },
  ]) {
    assert.deepEqual(table.query(query), core.queryExtensions(rows, query), JSON.stringify(query));
  }
  // load() replaces the rows; JSON text is accepted as well.
  assert.equal(table.load(JSON.stringify(rows.slice(0, 10))), 10);
  assert.equal(table.query({ pageSize: 1000 }).total, 10);
  assert.throws(() => table.query({ sortBy: 'salary' }), isCode('InvalidArgument', /sortBy must be one of/));
  assert.throws(() => table.load([{ workerSid: 5 }]), isCode('InvalidArgument', /rows\[0\]\.workerSid: expected a string/));
  assert.equal(table.size, 10, 'a failed load keeps the rows');
  table.dispose();
  table.dispose();
  assert.equal(table.size, 0);
  assert.throws(() => table.query({}), isCode('InvalidArgument', /used after dispose/));
  assert.throws(() => core.createExtensionTable('{"not":"an array"}'), isCode('InvalidArgument', /rows: expected a JSON array/));
});
