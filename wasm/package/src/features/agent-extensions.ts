/**
 * Agent extensions (seed-behaviour section 3): validation of one row, the supervisor table's filter/sort/page,
 * the draft ↔ published diff and the extension → worker lookup table.
 */
import { CoreError } from '../errors.js';
import { unwrap, utf8Text, withUtf8Parts } from '../boundary.js';
import type { RawModule } from '../load.js';

/**
 * One agent extension (seed-behaviour 3.2): the Sync item `{workerFullName, extensionNumber, workerSid}`, plus
 * `updatedBy` / `updatedAt` on draft rows. Rows the core returns always carry all five members ("" when unknown).
 */
export interface ExtensionRow {
  /** The Worker SID: "WK" + 32 hex digits (the Sync item key: one extension per worker). */
  workerSid: string;
  /** The worker's `full_name`. */
  workerFullName: string;
  /** DTMF digits as a string; leading zeros are significant ("0123" ≠ "123"). */
  extensionNumber: string;
  /** Identity of the last writer (draft rows). */
  updatedBy?: string;
  /** ISO-8601 UTC time of the last write (draft rows). */
  updatedAt?: string;
}

/** A row as the core returns it: every member present. */
export type StoredExtensionRow = Required<ExtensionRow>;

/** Rows: an array of row objects, or its JSON text (e.g. the published asset as fetched). */
export type ExtensionRows = readonly ExtensionRow[] | string;

/** The columns of the supervisor table. */
export type ExtensionColumn = 'workerFullName' | 'extensionNumber' | 'workerSid' | 'updatedBy' | 'updatedAt';

/** Bounds of {@link AgentExtensionsApi.validateExtension} (defaults in brackets). */
export interface ExtensionValidationOptions {
  /** Fewest digits in an extension number, 1–32. [1] */
  minDigits?: number;
  /** Most digits in an extension number, minDigits–32. [10] */
  maxDigits?: number;
  /** Longest workerFullName in Unicode code points, 1–10,000. [256] */
  maxNameLength?: number;
}

/** One problem found by validateExtension. */
export interface ExtensionProblem {
  field: 'workerFullName' | 'extensionNumber' | 'workerSid';
  /** A message for the supervisor, e.g. "extensionNumber must contain only the digits 0-9 (found '-')". */
  message: string;
  /** `AlreadyExists` (HTTP 409) when another worker has the number, else `InvalidArgument` (400). */
  code: 'InvalidArgument' | 'AlreadyExists';
  /** With `AlreadyExists`: the Worker SID that has the number. */
  conflictingWorkerSid?: string;
  /**
   * What is wrong, machine-readable (reasons.ts `REASONS`): `required`, `too_long`, `invalid_utf8`,
   * `control_character` (workerFullName); `required`, `not_digits`, `too_few_digits`, `too_many_digits`, `taken`
   * (extensionNumber); `required`, `sid_wrong_length`, `sid_wrong_prefix`, `sid_not_hex` (workerSid).
   */
  reason: string;
  /** The reason's parameters, e.g. `{ minDigits: '1', maxDigits: '10', digits: '12' }`; `{}` when none. */
  params: Record<string, string>;
}

/** The outcome of validateExtension. */
export interface ExtensionValidation {
  /** The row as it would be stored (extension number and name trimmed). */
  entry: StoredExtensionRow;
  /** Every problem, in field order (workerFullName, extensionNumber, workerSid); empty when valid. */
  problems: ExtensionProblem[];
}

/** One table request; every member optional. */
export interface ExtensionQuery {
  /** Case-insensitive substring of workerFullName, extensionNumber or workerSid (trimmed; "" = all). Max 256 bytes. */
  filter?: string;
  /** Column to sort by (stable); omitted or "" keeps the rows' order. */
  sortBy?: ExtensionColumn | '';
  /** "asc" (default) or "desc" (also stable). */
  sortDir?: 'asc' | 'desc';
  /** Compare extension numbers as numbers ("9" < "10") instead of digit strings ("10" < "9"). [false] */
  numeric?: boolean;
  /** 1-based page. [1] A page past the end is empty. */
  page?: number;
  /** Rows per page, 1–1000. [50] */
  pageSize?: number;
}

/** One page of the table. */
export interface ExtensionPage {
  items: StoredExtensionRow[];
  /** Rows matching the filter, over all pages. */
  total: number;
  page: number;
  pageSize: number;
  /** ceil(total / pageSize); 0 when nothing matches. */
  pageCount: number;
}

/** What publishing the draft would change. */
export interface ExtensionDiff {
  /** Draft rows whose worker is not published, in draft order. */
  added: StoredExtensionRow[];
  /** Rows whose extensionNumber or workerFullName differ, in draft order. */
  changed: { before: StoredExtensionRow; after: StoredExtensionRow }[];
  /** Published rows whose worker is not in the draft, in published order. */
  removed: StoredExtensionRow[];
}

/** The worker an extension number routes to. */
export interface ExtensionWorker {
  workerSid: string;
  workerFullName: string;
}

/**
 * Rows held inside the wasm module (issue 6, P3): load them once, query many times; only the requested page
 * crosses the boundary. Call {@link ExtensionTable.dispose} when done (the rows live in the wasm heap, which
 * JavaScript's garbage collector does not see).
 */
export interface ExtensionTable {
  /** Rows held (0 after dispose()). */
  readonly size: number;
  /**
   * Replaces the rows.
   * @returns the row count.
   * @throws {CoreError} `InvalidArgument` for a bad row ("rows[3].workerSid: expected a string, got number") or
   *   after dispose(); `ResourceExhausted` when the heap cannot hold them.
   */
  load(rows: ExtensionRows): number;
  /**
   * Filters, sorts and pages the held rows exactly as {@link AgentExtensionsApi.queryExtensions}.
   * @throws {CoreError} `InvalidArgument` naming the bad option, or after dispose().
   */
  query(query?: ExtensionQuery): ExtensionPage;
  /** Frees the rows in the wasm heap. Idempotent; later load/query calls throw InvalidArgument. */
  dispose(): void;
}

export interface AgentExtensionsApi {
  /**
   * A table of rows held inside the core (load once, query many times).
   * @param rows initial rows (optional; see {@link ExtensionTable.load}).
   * @throws {CoreError} as {@link ExtensionTable.load}.
   */
  createExtensionTable(rows?: ExtensionRows): ExtensionTable;

  /**
   * Validates one row before it is saved and returns EVERY problem (seed-behaviour 3.5 CORRECT): name
   * required; extension number trimmed, ASCII digits only (`-5`, `1.5`, `1e3`, `0x1F`, `١٢٣` rejected),
   * 1–10 digits, kept as a digit string; workerSid a Worker SID; the number not held by another worker of
   * `existing` (a worker may keep its own).
   * @throws {CoreError} `InvalidArgument` when `entry`/`existing` are not a row object / an array of them, a
   *   member has the wrong type ("entry.extensionNumber: expected a string, got number"), or an option is out
   *   of range.
   * @see wasm/core/include/flexcore/agent_extensions.h validate_extension
   */
  validateExtension(entry: ExtensionRow, existing?: ExtensionRows, options?: ExtensionValidationOptions): ExtensionValidation;

  /**
   * Filters, sorts and pages the rows (the supervisor table; the server's list route answers with the same
   * core function natively).
   * @throws {CoreError} `InvalidArgument` naming the bad option ("sortBy must be one of …",
   *   "pageSize must be between 1 and 1000, got 5000") or the bad row.
   * @see wasm/core/include/flexcore/agent_extensions.h query_extensions
   */
  queryExtensions(rows: ExtensionRows, query?: ExtensionQuery): ExtensionPage;

  /**
   * Added / changed / removed rows between the draft and the published set, by workerSid (order, updatedBy
   * and updatedAt do not count). "Publish" is needed when any list is non-empty.
   * @throws {CoreError} `InvalidArgument` when a worker appears twice in one set.
   * @see wasm/core/include/flexcore/agent_extensions.h diff_extensions
   */
  diffExtensions(draft: ExtensionRows, published: ExtensionRows): ExtensionDiff;

  /**
   * Extension number (trimmed) → worker, as the Studio lookup answers it.
   * @throws {CoreError} `AlreadyExists` "extension 1234 is assigned to both WK… and WK…";
   *   `InvalidArgument` for an empty extension number.
   * @see wasm/core/include/flexcore/agent_extensions.h build_lookup_table
   */
  buildLookupTable(published: ExtensionRows): Map<string, ExtensionWorker>;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function stringify(value: unknown, name: string): string {
  try {
    const text = JSON.stringify(value);
    if (text !== undefined) return text;
  } catch (error) {
    throw new CoreError('InvalidArgument', `${name}: cannot be written as JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  throw new CoreError('InvalidArgument', `${name}: expected JSON data, got ${describe(value)}`);
}

/** JSON text of a row array (strings are taken as JSON text; the core checks the shape). */
function rowsText(rows: unknown, name: string): string {
  if (typeof rows === 'string') return rows;
  if (!Array.isArray(rows)) throw new CoreError('InvalidArgument', `${name}: expected an array of rows or its JSON text, got ${describe(rows)}`);
  return stringify(rows, name);
}

function optionsText(options: unknown, name: string): string {
  if (options === undefined || options === null) return '{}';
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new CoreError('InvalidArgument', `${name}: expected an object, got ${describe(options)}`);
  }
  return stringify(options, name);
}

function parse<T>(bytes: Uint8Array): T {
  return JSON.parse(utf8Text(bytes)) as T;
}

function createTable(raw: RawModule, rows: ExtensionRows | undefined): ExtensionTable {
  let native: ReturnType<typeof newNative> | undefined = newNative(raw);
  const live = () => {
    if (!native) throw new CoreError('InvalidArgument', 'extension table: used after dispose()');
    return native;
  };
  const table: ExtensionTable = {
    get size() {
      return native ? native.size() : 0;
    },
    load(next) {
      const handle = live();
      return withUtf8Parts(raw, [rowsText(next, 'rows')], (address, [length]) => handle.load(address, length));
    },
    query(query) {
      const queryJson = optionsText(query, 'query');
      return parse<ExtensionPage>(unwrap(live().query(queryJson)));
    },
    dispose() {
      if (native) native.delete();
      native = undefined;
    },
  };
  if (rows !== undefined) {
    try {
      table.load(rows);
    } catch (error) {
      table.dispose();
      throw error;
    }
  }
  return table;
}

function newNative(raw: RawModule) {
  return new raw._ExtensionTable();
}

export function bindAgentExtensions(raw: RawModule): AgentExtensionsApi {
  return {
    createExtensionTable(rows) {
      return createTable(raw, rows);
    },
    validateExtension(entry, existing = [], options) {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
        throw new CoreError('InvalidArgument', `entry: expected a row object, got ${describe(entry)}`);
      }
      const texts = [stringify(entry, 'entry'), rowsText(existing, 'existing')];
      const optionsJson = optionsText(options, 'options');
      return parse<ExtensionValidation>(
        withUtf8Parts(raw, texts, (address, [entryLength, existingLength]) =>
          raw._validateExtension(address, entryLength, existingLength, optionsJson),
        ),
      );
    },
    queryExtensions(rows, query) {
      const queryJson = optionsText(query, 'query');
      return parse<ExtensionPage>(
        withUtf8Parts(raw, [rowsText(rows, 'rows')], (address, [length]) => raw._queryExtensions(address, length, queryJson)),
      );
    },
    diffExtensions(draft, published) {
      const texts = [rowsText(draft, 'draft'), rowsText(published, 'published')];
      return parse<ExtensionDiff>(
        withUtf8Parts(raw, texts, (address, [draftLength, publishedLength]) =>
          raw._diffExtensions(address, draftLength, publishedLength),
        ),
      );
    },
    buildLookupTable(published) {
      const entries = parse<(ExtensionWorker & { extensionNumber: string })[]>(
        withUtf8Parts(raw, [rowsText(published, 'published')], (address, [length]) => raw._buildLookupTable(address, length)),
      );
      const table = new Map<string, ExtensionWorker>();
      for (const e of entries) table.set(e.extensionNumber, { workerSid: e.workerSid, workerFullName: e.workerFullName });
      return table;
    },
  };
}
