// Drift guard: the embind surface of the loaded module equals the RawCore interface in src/raw.d.ts
// (same function names, same arities), and every RawCore function returns a result record.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const { loadRawCore } = require('../dist/node/load.js');

/** Parses `name(arg: T, ...): RawResult<...>;` members of `interface RawCore { ... }`. */
function declaredFunctions() {
  const text = readFileSync(new URL('../src/raw.d.ts', import.meta.url), 'utf8');
  const members = new Map();
  const blocks = [...text.matchAll(/export interface (Raw\w+) \{([\s\S]*?)\n\}/g)];
  assert.ok(blocks.some((b) => b[1] === 'RawCore'), 'raw.d.ts declares interface RawCore');
  for (const [, , body] of blocks) {
    const withoutComments = body.replace(/\/\*\*[\s\S]*?\*\//g, '');
    for (const match of withoutComments.matchAll(/^\s*(\w+)\(([^)]*)\):\s*RawResult</gm)) {
      assert.ok(!members.has(match[1]), `${match[1]} is declared once`);
      const params = match[2].trim() === '' ? 0 : match[2].split(',').length;
      members.set(match[1], params);
    }
  }
  return members;
}

test('raw.d.ts declares at least the foundation functions', () => {
  const declared = declaredFunctions();
  for (const name of ['version', 'errorCodes', 'isValidSid', 'checkSid', '_guardProbe', 'reasons', 'isValidTaskSid', 'checkTaskSid', '_parseSegmentCsv', '_decideHangUpBy', '_mergeConversations', '_agentHangUpAttributes', '_contextRows', '_traitRows', '_eventRows', 'displayTimestamp', 'normalizeProfileIdentifier', 'profilePath', '_validateExtension', '_queryExtensions', '_diffExtensions', '_buildLookupTable', '_shapeCallbackTask', '_callbackView', '_requeueParams', '_outboundCallAttributes', 'maxAttemptsFromConfig']) {
    assert.ok(declared.has(name), `RawCore declares ${name}`);
  }
});

test('every embind function of the module is declared in raw.d.ts with the same arity, and vice versa', async () => {
  const raw = await loadRawCore();
  const declared = declaredFunctions();
  const bound = new Map(
    Object.keys(raw)
      .filter((key) => typeof raw[key] === 'function' && typeof raw[key].argCount === 'number')
      .map((key) => [key, raw[key].argCount]),
  );
  assert.deepEqual([...bound.keys()].sort(), [...declared.keys()].sort());
  for (const [name, arity] of declared) assert.equal(bound.get(name), arity, `${name} takes ${arity} arguments`);
});

test('every raw function returns an {ok, value} or {ok:false, error:{code, message}} record', async () => {
  const raw = await loadRawCore();
  const records = [
    raw.version(),
    raw.errorCodes(),
    raw.isValidSid('x', 'WT'),
    raw.checkSid('x', 'WT', 'TaskSid'),
    raw._guardProbe('ok'),
    raw._guardProbe('error'),
  ];
  for (const record of records) {
    assert.equal(typeof record.ok, 'boolean');
    if (record.ok) assert.ok('value' in record);
    else {
      assert.equal(typeof record.error.code, 'string');
      assert.equal(typeof record.error.message, 'string');
    }
  }
});

test('the embind class _ExtensionTable (declared in raw.d.ts) answers result records and is freed by delete()', async () => {
  const raw = await loadRawCore();
  const text = readFileSync(new URL('../src/raw.d.ts', import.meta.url), 'utf8');
  assert.match(text, /_ExtensionTable: new \(\) => NativeExtensionTable;/);
  const table = new raw._ExtensionTable();
  try {
    assert.equal(table.size(), 0);
    const page = table.query('{}');
    assert.equal(page.ok, true);
    assert.ok(page.value instanceof Uint8Array);
    assert.equal(table.query('{"sortBy":"workerFullName","filter":"a"}').ok, true, 'a sorted query before load()');
    const bad = table.query('{"page":0}');
    assert.equal(bad.ok, false);
    assert.equal(bad.error.code, 'InvalidArgument');
    const load = table.load(-1, 0);
    assert.equal(load.ok, false);
  } finally {
    table.delete();
  }
});
