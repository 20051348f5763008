// The one results table of scripts/bench (issue 9). Every benchmark's `run` prints its own figures and, when
// FLEXCORE_BENCH_RESULTS names a file, appends one JSON line per measure to it through `record()` (node) or
// `tests/bench/results.mjs record …` (shell). `scripts/bench` then prints the table with `table` and writes it
// to build/bench/results.md.
//
// A row: {id, measure, flexcore, baseline, ratio, goal, met}
//   id        the name of the benchmark (P1 … P7) or the bench folder
//   flexcore  flexcore's figure with its unit ("41.2 ms", "296 KB")
//   baseline  the baseline's figure measured in the same invocation, or "—" when the goal is absolute
//   ratio     flexcore ÷ baseline (or the ratio the goal is stated in), as text, or "—"
//   goal      the goal as the issue states it ("≥ 2× papaparse", "≤ 3× JS")
//   met       true | false | null (null: informational, no goal)
// Usage (shell):
//   node tests/bench/results.mjs record ID MEASURE FLEXCORE BASELINE RATIO GOAL MET
//   node tests/bench/results.mjs table FILE [OUT.md]
import fs from 'node:fs';

/** Appends one row to $FLEXCORE_BENCH_RESULTS (no-op when unset). `met`: true/false/null. */
export function record(row) {
  const file = process.env.FLEXCORE_BENCH_RESULTS;
  if (!file) return;
  const clean = {
    id: String(row.id),
    measure: String(row.measure),
    flexcore: String(row.flexcore),
    baseline: row.baseline == null ? '—' : String(row.baseline),
    ratio: row.ratio == null ? '—' : String(row.ratio),
    goal: row.goal == null ? '—' : String(row.goal),
    met: row.met === true || row.met === false ? row.met : null,
  };
  fs.appendFileSync(file, JSON.stringify(clean) + '\n');
}

/** The table (GitHub markdown) of the rows in `file`; malformed lines are reported, never dropped silently. */
export function table(file) {
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  const rows = [];
  const bad = [];
  for (const line of lines) {
    try {
      rows.push(JSON.parse(line));
    } catch {
      bad.push(line);
    }
  }
  const met = (m) => (m === true ? 'met' : m === false ? '**not met**' : '—');
  const out = ['| id | measure | flexcore | baseline | ratio | goal | met |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) out.push(`| ${r.id} | ${r.measure} | ${r.flexcore} | ${r.baseline} | ${r.ratio} | ${r.goal} | ${met(r.met)} |`);
  for (const line of bad) out.push(`| ? | unreadable result line: ${line.replace(/\|/g, '/')} | | | | | |`);
  const goals = rows.filter((r) => r.met !== null);
  out.push('', `${goals.filter((r) => r.met).length} of ${goals.length} goals met.`);
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'record') {
    const [id, measure, flexcore, baseline, ratio, goal, metText] = args;
    if (!id || !measure || flexcore == null) {
      console.error('usage: results.mjs record ID MEASURE FLEXCORE BASELINE RATIO GOAL true|false|-');
      process.exit(2);
    }
    record({ id, measure, flexcore, baseline, ratio, goal, met: metText === 'true' ? true : metText === 'false' ? false : null });
  } else if (command === 'table') {
    const text = table(args[0]);
    console.log(text);
    if (args[1]) fs.writeFileSync(args[1], text + '\n');
  } else {
    console.error('usage: results.mjs record … | table FILE [OUT.md]');
    process.exit(2);
  }
}
