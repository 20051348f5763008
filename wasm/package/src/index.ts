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

  /**
   * Hang up by: what a TaskRouter event means for `conversations.hang_up_by` (seed-behaviour 5.4).
   * @throws {CoreError} `InvalidArgument` when `attributes` is not a JSON object (text or object).
   * @see wasm/core/include/flexcore/hang_up_by.h decide
   */
  decideHangUpBy(event: HangUpByEvent): HangUpByDecision;

  /**
   * Task attributes with only the `conversations` keys of `patch` changed; every other byte of the
   * attributes text kept (key order, spacing, numbers). Objects are serialised with JSON.stringify first.
   * @returns the new attributes as JSON text.
   * @throws {CoreError} `InvalidArgument` ("attributes: …" / "patch: …") for non-object input.
   * @see wasm/core/include/flexcore/task_attributes.h merge_conversations
   */
  mergeConversations(attributes: Attributes, patch: Record<string, unknown>): string;

  /**
   * Hang up by, for Flex's `beforeHangupCall`: the attributes with `conversations.hang_up_by = "agent"`
   * merged in for `voice` tasks (JSON text), or `null` for other channels (nothing to write).
   * @throws {CoreError} `InvalidArgument` when `attributes` is not a JSON object.
   */
  agentHangUpAttributes(attributes: Attributes, taskChannel: string): string | null;
}

/** Task attributes: the JSON text TaskRouter stores, or the parsed object Flex hands out. */
export type Attributes = string | Record<string, unknown>;

/** Facts about one TaskRouter event callback, for {@link FlexCore.decideHangUpBy}. */
export interface HangUpByEvent {
  /** `EventType`, e.g. "task.wrapup". */
  eventType: string;
  /** `TaskChannelUniqueName`, e.g. "voice". */
  taskChannel: string;
  /** The task's current attributes. */
  attributes: Attributes;
  /** The conference's `call_sid_ending_conference` (CA…); null while the conference is in progress. */
  callSidEndingConference: string | null;
  /** False when fetching the conference answered 404. Default true. */
  conferenceFound?: boolean;
}

/** Reasons {@link FlexCore.decideHangUpBy} reports. */
export type HangUpByReason =
  | 'ignored-event'
  | 'not-voice'
  | 'no-conference'
  | 'conference-not-found'
  | 'conference-in-progress'
  | 'customer-ended'
  | 'agent-already-recorded'
  | 'agent-disconnected';

/** The decision: write `value` to `conversations.hang_up_by`, or leave the task alone. */
export interface HangUpByDecision {
  write: boolean;
  value?: 'customer' | 'disconnect';
  reason: HangUpByReason;
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

function attributesText(value: unknown, name: string): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return JSON.stringify(value);
  throw new CoreError('InvalidArgument', `${name}: expected a JSON object or its text, got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`);
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
    decideHangUpBy(event: HangUpByEvent): HangUpByDecision {
      if (event === null || typeof event !== 'object') throw new CoreError('InvalidArgument', 'event: expected an object');
      const ending = event.callSidEndingConference;
      if (ending !== null && ending !== undefined && typeof ending !== 'string') {
        throw new CoreError('InvalidArgument', 'callSidEndingConference: expected a call SID string or null');
      }
      const decision = unwrap(
        raw._decideHangUpBy(
          requireString(event.eventType, 'eventType'),
          requireString(event.taskChannel, 'taskChannel'),
          attributesText(event.attributes, 'attributes'),
          event.conferenceFound !== false,
          typeof ending === 'string',
          typeof ending === 'string' ? ending : '',
        ),
      );
      return decision as HangUpByDecision;
    },
    mergeConversations(attributes: Attributes, patch: Record<string, unknown>): string {
      return unwrap(raw._mergeConversations(attributesText(attributes, 'attributes'), attributesText(patch, 'patch')));
    },
    agentHangUpAttributes(attributes: Attributes, taskChannel: string): string | null {
      return unwrap(raw._agentHangUpAttributes(attributesText(attributes, 'attributes'), requireString(taskChannel, 'taskChannel')));
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
