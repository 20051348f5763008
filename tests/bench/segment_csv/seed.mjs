// Baseline for tests/bench/segment_csv — NOT product code. The seed's parser (seed-behaviour.md 1.5, the
// serverless function of brypo/flex-plugin-insights-segment-lookup) re-written in plain JavaScript: trim, split on
// \n, skip the first line, take `^"?([^",]+)"?` of every line, trim, drop empties. It is WRONG on embedded commas
// and escaped quotes (that is why flexcore uses an RFC 4180 parser); it is here for its speed only.
export function seedParseSegmentCsv(text) {
  if (typeof text !== 'string' || text.length === 0) return [];
  const lines = text.trim().split('\n');
  if (lines.length <= 1) return [];
  const ids = [];
  for (let i = 1; i < lines.length; i++) {
    const match = lines[i].match(/^"?([^",]+)"?/);
    if (!match) continue;
    const value = match[1].trim();
    if (value) ids.push(value);
  }
  return ids;
}
