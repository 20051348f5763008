// Baseline for tests/bench/extensions_query — NOT product code (the one home of these rules is
// wasm/core/src/agent_extensions.cpp, ExtensionTable::query). The same table query in plain JavaScript Array
// methods, written the way the supervisor view would without the core: rows held in JS with their lower-cased
// keys computed once at load (as the core's ExtensionTable keeps its folded keys), then per query
// Array.prototype.filter (substring of name / extension / worker SID), Array.prototype.sort (stable) on the
// column, Array.prototype.slice for the page. Data is ASCII, where toLowerCase and the core's folding agree.

const COLUMNS = ['workerFullName', 'extensionNumber', 'workerSid', 'updatedBy', 'updatedAt'];

export class JsExtensionTable {
  constructor(rows) {
    this.rows = rows.map((r, index) => ({
      row: r,
      index,
      name: r.workerFullName.toLowerCase(),
      sid: r.workerSid.toLowerCase(),
      by: (r.updatedBy || '').toLowerCase(),
    }));
  }

  query({ filter = '', sortBy = '', sortDir = 'asc', page = 1, pageSize = 50 } = {}) {
    if (sortBy && !COLUMNS.includes(sortBy)) throw new Error('sortBy');
    const needle = filter.trim().toLowerCase();
    let matches = needle
      ? this.rows.filter((e) => e.name.includes(needle) || e.row.extensionNumber.includes(needle) || e.sid.includes(needle))
      : this.rows.slice();
    if (sortBy) {
      const key =
        sortBy === 'workerFullName' ? (e) => e.name
        : sortBy === 'workerSid' ? (e) => e.sid
        : sortBy === 'updatedBy' ? (e) => e.by
        : sortBy === 'extensionNumber' ? (e) => e.row.extensionNumber
        : (e) => e.row.updatedAt;
      const sign = sortDir === 'desc' ? -1 : 1;
      matches = matches.sort((a, b) => {
        const x = key(a);
        const y = key(b);
        return x < y ? -sign : x > y ? sign : 0;
      });
    }
    const total = matches.length;
    const items = matches.slice((page - 1) * pageSize, page * pageSize).map((e) => ({
      workerSid: e.row.workerSid,
      workerFullName: e.row.workerFullName,
      extensionNumber: e.row.extensionNumber,
      updatedBy: e.row.updatedBy || '',
      updatedAt: e.row.updatedAt || '',
    }));
    return { items, total, page, pageSize, pageCount: Math.ceil(total / pageSize) };
  }
}
