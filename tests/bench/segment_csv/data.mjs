// Input of tests/bench/segment_csv: a Flex Insights raw report export (upstream-contracts 4.3) of about `bytes`
// bytes, seeded (identical every run). Header row, then one row per segment: a quoted segment id (1 in 16 with an
// embedded comma, 1 in 64 with an escaped quote), the Task SID, a quoted agent name with a comma, queue, duration.
// CRLF line ends as GoodData sends them.

/** Small deterministic PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (r, n) => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
  return s;
};

const AGENTS = ['Smith, Alice', 'Nguyen, Bao', 'García, Carmen', "O'Neil, Dara", 'Okafor, Emeka', 'Kowalski, Filip'];
const QUEUES = ['Sales', 'Support', 'Billing', 'Everyone'];

/**
 * @param {number} bytes approximate size (the generator stops at the first row past it)
 * @returns {{text: string, rows: number}}
 */
export function insightsExport(bytes = 10 * 1024 * 1024) {
  const r = rng(0x5e9e47);
  const parts = ['"Segment Id","External Id","Agent","Queue","Talk Time"\r\n'];
  let size = parts[0].length;
  let rows = 0;
  while (size < bytes) {
    const n = rows;
    let id = String(1000000000 + Math.floor(r() * 8999999999));
    if (n % 16 === 5) id = `${id.slice(0, 5)},${id.slice(5)}`;
    if (n % 64 === 9) id = `${id}""x`;
    const row = `"${id}","WT${hex(r, 32)}","${AGENTS[n % AGENTS.length]}",${QUEUES[n % QUEUES.length]},${Math.floor(r() * 3600)}\r\n`;
    parts.push(row);
    size += row.length;
    rows += 1;
  }
  return { text: parts.join(''), rows };
}
