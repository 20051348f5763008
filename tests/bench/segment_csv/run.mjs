// Benchmark P1 (issue 4): parseSegmentCsv on a generated ~10 MB Flex Insights export (./data.mjs), same input,
// same run:
//   wasm      — core.parseSegmentCsv from the npm package's node flavour (text → wasm heap as UTF-8 bytes);
//   papaparse — Papa.parse (npm, RFC 4180) + first column, trimmed, empties dropped (same rules as the core);
//   seed      — the seed's regex-per-line parser in plain JS (./seed.mjs; wrong on embedded commas/quotes);
//   native    — the same C++ (native-release build of flexcore_core) in ./native_bench.cpp, a separate process.
// Checks first that wasm and papaparse give the same IDs (and counts how many the seed gets wrong), then
// prints the best (least-disturbed) and median time per parse and the ratios against the goals:
// ≥ 2× papaparse's speed, within 1.5× of native. Not a test: nothing asserts on time.
// Env: BENCH_RUNS (default 9), BENCH_MB (default 10), FLEXCORE_NATIVE_BENCH (the native binary; ./run builds it).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { insightsExport } from './data.mjs';
import { seedParseSegmentCsv } from './seed.mjs';
import { record } from '../results.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const require = createRequire(import.meta.url);
const dist = path.join(root, 'wasm/package/dist/node/index.js');
if (!existsSync(dist)) {
  console.error(`missing ${dist}: build the package first (scripts/build-package)`);
  process.exit(1);
}
const Papa = require('papaparse');
const runs = Number(process.env.BENCH_RUNS || 9);
const megabytes = Number(process.env.BENCH_MB || 10);

function papaSegmentIds(text) {
  // delimiter and newline given: papaparse's auto-detection alone costs several times the parse.
  const { data, errors } = Papa.parse(text, { skipEmptyLines: true, delimiter: ',', newline: '\r\n' });
  if (errors.length > 0) throw new Error(`papaparse: ${errors[0].message} (row ${errors[0].row})`);
  const ids = [];
  for (let i = 1; i < data.length; i++) {
    const value = data[i][0].trim();
    if (value) ids.push(value);
  }
  return ids;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const best = (xs) => Math.min(...xs);
const ms = (x) => `${x.toFixed(1)} ms`;

const { loadCore } = require(dist);
const core = await loadCore();
const { text, rows } = insightsExport(megabytes * 1024 * 1024);
const bytes = Buffer.byteLength(text);

const wasmIds = core.parseSegmentCsv(text);
const papaIds = papaSegmentIds(text);
assert.equal(wasmIds.length, rows);
assert.deepEqual(wasmIds, papaIds, 'wasm and papaparse disagree');
const seedIds = seedParseSegmentCsv(text);
const seedWrong = seedIds.filter((id, i) => id !== wasmIds[i]).length;

const parsers = { wasm: (t) => core.parseSegmentCsv(t), papaparse: papaSegmentIds, seed: seedParseSegmentCsv };
const times = { wasm: [], papaparse: [], seed: [] };
for (const fn of Object.values(parsers)) fn(text); // warm-up
for (let r = 0; r < runs; r++) {
  for (const [name, fn] of Object.entries(parsers)) {
    const start = performance.now();
    const ids = fn(text);
    times[name].push(performance.now() - start);
    if (ids.length !== rows) throw new Error(`${name} returned ${ids.length} ids`);
  }
}

// Native: the same input file, the same C++.
const scratch = path.join(root, 'build', 'bench', 'segment_csv');
mkdirSync(scratch, { recursive: true });
const file = path.join(scratch, 'export.csv');
writeFileSync(file, text);
let native;
const nativeBin = process.env.FLEXCORE_NATIVE_BENCH || path.join(scratch, 'segment_csv_native');
if (existsSync(nativeBin)) {
  native = JSON.parse(execFileSync(nativeBin, [file, String(runs)], { encoding: 'utf8' }));
  assert.equal(native.ids, rows, 'native parser returned a different number of ids');
}

console.log(`parseSegmentCsv on a ${(bytes / 1048576).toFixed(1)} MB Insights export (${rows} rows; 1/16 ids with a comma, 1/64 with ""); best of ${runs}`);
console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0].model}, load average ${os.loadavg()[0].toFixed(1)}`);
console.log(`wasm == papaparse: identical ${rows} ids; the seed's parser gets ${seedWrong} ids wrong\n`);
console.log('parser       best       median     MB/s');
const line = (name, b, m) => console.log(`${name.padEnd(10)} ${ms(b).padStart(10)} ${ms(m).padStart(10)} ${(bytes / 1048576 / (b / 1000)).toFixed(0).padStart(7)}`);
for (const name of Object.keys(parsers)) line(name, best(times[name]), median(times[name]));
if (native) line('native', native.best_ms, native.median_ms);
console.log('');
const w = best(times.wasm);
const papaRatio = best(times.papaparse) / w;
console.log(`wasm vs papaparse: ${papaRatio.toFixed(2)}× faster (goal ≥ 2×: ${papaRatio >= 2 ? 'met' : 'MISSED'}; medians ${(median(times.papaparse) / median(times.wasm)).toFixed(2)}×)`);
console.log(`wasm vs seed JS:   ${(best(times.seed) / w).toFixed(2)}× faster (the seed is also wrong on ${seedWrong} ids)`);
if (native) {
  const nativeRatio = w / native.best_ms;
  console.log(`wasm vs native:    ${nativeRatio.toFixed(2)}× native's time (goal ≤ 1.5×: ${nativeRatio <= 1.5 ? 'met' : 'MISSED'}; medians ${(median(times.wasm) / native.median_ms).toFixed(2)}×)`);
} else {
  console.log(`native: ${nativeBin} not built (./run builds it from the native-release core)`);
}

// Rows of the results table ($FLEXCORE_BENCH_RESULTS, ../results.mjs; no-op when unset).
const size = `${(bytes / 1048576).toFixed(1)} MB`;
record({
  id: 'P1', measure: `parseSegmentCsv ${size} vs papaparse (best of ${runs})`, flexcore: ms(w), baseline: `${ms(best(times.papaparse))} (papaparse)`,
  ratio: `${papaRatio.toFixed(2)}× faster`, goal: '≥ 2× papaparse', met: papaRatio >= 2,
});
if (native) {
  const nativeRatio = w / native.best_ms;
  record({
    id: 'P1', measure: `parseSegmentCsv ${size} vs native (best of ${runs})`, flexcore: ms(w), baseline: `${ms(native.best_ms)} (native C++)`,
    ratio: `${nativeRatio.toFixed(2)}× native's time`, goal: "≤ 1.5× native's time", met: nativeRatio <= 1.5,
  });
} else {
  record({
    id: 'P1', measure: `parseSegmentCsv ${size} vs native: NOT MEASURED (native bench not built)`, flexcore: ms(w), baseline: '—',
    goal: "≤ 1.5× native's time", met: false,
  });
}
record({
  id: 'P1', measure: `parseSegmentCsv ${size} vs the seed's regex parser (wrong on ${seedWrong} ids)`, flexcore: ms(w),
  baseline: `${ms(best(times.seed))} (seed JS)`, ratio: `${(best(times.seed) / w).toFixed(2)}× faster`, met: null,
});
