/**
 * flexcore: the C++ core of the flexcore Twilio Flex features, compiled to WebAssembly.
 *
 * ```ts
 * import { loadCore, CoreError } from 'flexcore';
 * const core = await loadCore();
 * core.isValidSid('WT0123456789abcdef0123456789abcdef', 'WT'); // true
 * ```
 * Every function is synchronous once the core is loaded. Failures throw {@link CoreError} with a `code`.
 */
import { CoreError, ERROR_CODES, isErrorCode, type ErrorCode } from './errors.js';
import { loadRawCore, resetRawCore, type LoadOptions, type RawModule } from './load.js';
import type { RawResult } from './raw.js';

export { CoreError, CoreLoadError, ERROR_CODES, isErrorCode } from './errors.js';
export type { ErrorCode } from './errors.js';
export type { LoadOptions } from './load.js';

/** The loaded core. Obtain it with {@link loadCore}. */
export interface FlexCore {
  /** The core's version, "MAJOR.MINOR.PATCH" (the same for the npm package and flexcore-server). */
  readonly version: string;

  /**
   * True when `value` is a Twilio SID of type `prefix`: the two upper-case letters of `prefix` followed
   * by 32 hex digits (either case). No trimming. Never throws for string inputs.
   * @see wasm/core/include/flexcore/sid.h is_valid_sid
   */
  isValidSid(value: string, prefix: string): boolean;

  /**
   * Returns `value` when it is a SID of type `prefix`.
   * @param field the request field name used in the error message (e.g. "TaskSid").
   * @throws {CoreError} `InvalidArgument`, with a message naming `field` and the expected format.
   * @see wasm/core/include/flexcore/sid.h check_sid
   */
  checkSid(value: string, prefix: string, field: string): string;

  /** The error codes the loaded module knows, in declaration order (equals {@link ERROR_CODES}). */
  errorCodes(): ErrorCode[];

  /**
   * Segment lookup: true when `value` is a Task SID ("WT" + 32 hex digits), without trimming.
   * @see wasm/core/include/flexcore/segment_lookup.h is_valid_task_sid
   */
  isValidTaskSid(value: string): boolean;

  /**
   * Segment lookup: trims `value` and returns it when it is a Task SID.
   * @throws {CoreError} `InvalidArgument`: "TaskSid is required" when empty after trimming, else a message
   *   naming the expected format.
   * @see wasm/core/include/flexcore/segment_lookup.h check_task_sid
   */
  checkTaskSid(value: string): string;

  /**
   * Segment lookup: the segment IDs of a Flex Insights raw report export (RFC 4180 CSV; header row skipped;
   * first column; trimmed; empty values dropped; order and duplicates kept; a leading BOM ignored).
   * The text crosses into the wasm heap as UTF-8 bytes in one copy.
   * @throws {CoreError} `InvalidArgument` with the line number for an unterminated quote;
   *   `ResourceExhausted` when the wasm heap cannot hold the input.
   * @see wasm/core/include/flexcore/segment_lookup.h parse_segment_csv
   */
  parseSegmentCsv(text: string): string[];
}

/**
 * Turns a raw result record into its value, or throws the {@link CoreError} it carries.
 * An unknown code (a module newer than this facade) becomes `Internal`, keeping the message.
 * @internal
 */
export function unwrap<T>(result: RawResult<T>): T {
  if (result.ok) return result.value;
  const code: ErrorCode = isErrorCode(result.error.code) ? result.error.code : 'Internal';
  const message = code === result.error.code ? result.error.message : `${result.error.code}: ${result.error.message}`;
  throw new CoreError(code, message);
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string') {
    throw new CoreError('InvalidArgument', `${name} must be a string, got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

const encoder = typeof TextEncoder === 'function' ? new TextEncoder() : undefined;

/** Copies `text` into the wasm heap as UTF-8, runs `use(address, length)`, frees the buffer. */
function withUtf8(raw: RawModule, text: string, use: (address: number, length: number) => RawResult<string[]>): string[] {
  if (!encoder) throw new CoreError('Internal', 'TextEncoder is not available in this JavaScript environment');
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  const capacity = text.length * 3 + 1;
  const address = raw._malloc(capacity);
  if (!address) throw new CoreError('ResourceExhausted', `text: ${capacity} bytes do not fit in the wasm heap`);
  try {
    const { written } = encoder.encodeInto(text, raw.HEAPU8.subarray(address, address + capacity));
    return unwrap(use(address, written === undefined ? 0 : written));
  } finally {
    raw._free(address);
  }
}

function wrap(raw: RawModule): FlexCore {
  const version = unwrap(raw.version());
  return Object.freeze({
    version,
    isValidSid(value: string, prefix: string): boolean {
      return unwrap(raw.isValidSid(requireString(value, 'value'), requireString(prefix, 'prefix')));
    },
    checkSid(value: string, prefix: string, field: string): string {
      return unwrap(
        raw.checkSid(requireString(value, 'value'), requireString(prefix, 'prefix'), requireString(field, 'field')),
      );
    },
    errorCodes(): ErrorCode[] {
      return unwrap(raw.errorCodes()).map((name) => (isErrorCode(name) ? name : 'Internal'));
    },
    isValidTaskSid(value: string): boolean {
      return unwrap(raw.isValidTaskSid(requireString(value, 'value')));
    },
    checkTaskSid(value: string): string {
      return unwrap(raw.checkTaskSid(requireString(value, 'TaskSid')));
    },
    parseSegmentCsv(text: string): string[] {
      return withUtf8(raw, requireString(text, 'text'), (address, length) => raw._parseSegmentCsv(address, length));
    },
  });
}

let facade: Promise<FlexCore> | undefined;

/**
 * Loads the wasm core (once; later calls return the same promise). If loading fails the promise
 * rejects with {@link CoreLoadError} and the next call tries again.
 * @throws {CoreLoadError}
 */
export function loadCore(options?: LoadOptions): Promise<FlexCore> {
  if (facade) return facade;
  const attempt = loadRawCore(options).then(wrap);
  facade = attempt;
  attempt.catch(() => {
    if (facade === attempt) facade = undefined;
  });
  return attempt;
}

/** Forgets the loaded core (tests, or to recover after a page-level failure). The next loadCore() reloads. */
export function resetCore(): void {
  facade = undefined;
  resetRawCore();
}

/** Every code in {@link ERROR_CODES}; re-exported for switch exhaustiveness helpers. */
export const ALL_ERROR_CODES: readonly ErrorCode[] = ERROR_CODES;
