/**
 * flexcore: the C++ core of the flexcore Twilio Flex features, compiled to WebAssembly.
 *
 * ```ts
 * import { loadCore, CoreError } from 'flexcore';
 * const core = await loadCore();
 * core.isValidSid('WT0123456789abcdef0123456789abcdef', 'WT'); // true
 * ```
 * Every function is synchronous once the core is loaded. Failures throw {@link CoreError} with a `code`.
 * Each feature's functions live in src/features/<feature>.ts; this file composes them.
 */
import { requireString, unwrap } from './boundary.js';
import { ERROR_CODES, isErrorCode, type ErrorCode } from './errors.js';
import { bindAgentExtensions, type AgentExtensionsApi } from './features/agent-extensions.js';
import { bindCallback, type CallbackApi } from './features/callback.js';
import { bindCustomerContext, type CustomerContextApi } from './features/customer-context.js';
import { bindHangUpBy, type HangUpByApi } from './features/hang-up-by.js';
import { bindSegmentLookup, type SegmentLookupApi } from './features/segment-lookup.js';
import { loadRawCore, resetRawCore, type LoadOptions, type RawModule } from './load.js';

export { unwrap } from './boundary.js';
export { CoreError, CoreLoadError, ERROR_CODES, isErrorCode } from './errors.js';
export type { ErrorCode } from './errors.js';
export { REASONS, SID_REASONS, isReason } from './reasons.js';
export type { Reason, ReasonParams, SidReason } from './reasons.js';
export type { LoadOptions } from './load.js';
export type { SegmentLookupApi } from './features/segment-lookup.js';
export type { Attributes, HangUpByApi, HangUpByDecision, HangUpByEvent, HangUpByReason } from './features/hang-up-by.js';
export type {
  ContextDisplayOptions,
  ContextRow,
  ContextValueKind,
  CustomerContextApi,
  SegmentEventRow,
  SegmentEvents,
  SegmentTraits,
} from './features/customer-context.js';
export type {
  AgentExtensionsApi,
  ExtensionColumn,
  ExtensionDiff,
  ExtensionPage,
  ExtensionProblem,
  ExtensionQuery,
  ExtensionRow,
  ExtensionRows,
  ExtensionTable,
  ExtensionValidation,
  ExtensionValidationOptions,
  ExtensionWorker,
  StoredExtensionRow,
} from './features/agent-extensions.js';
export type {
  CallbackApi,
  CallbackParams,
  CallbackTask,
  CallbackView,
  CallbackViewOptions,
  RequeueTaskInput,
  ShapeCallbackOptions,
} from './features/callback.js';

/** Functions every feature relies on: version, error codes, Twilio SIDs. */
export interface FoundationApi {
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
   * The reason ids the loaded module can attach to a problem (`CoreError.reason`, `ExtensionProblem.reason`), in
   * declaration order; equals {@link REASONS} for this package's module.
   * @see wasm/core/include/flexcore/reason.h kAllReasons
   */
  reasons(): string[];
}

/** The loaded core: every feature's functions on one object. Obtain it with {@link loadCore}. */
export interface FlexCore extends FoundationApi, SegmentLookupApi, HangUpByApi, CustomerContextApi, AgentExtensionsApi, CallbackApi {}

function bindFoundation(raw: RawModule): FoundationApi {
  return {
    version: unwrap(raw.version()),
    isValidSid: (value, prefix) => unwrap(raw.isValidSid(requireString(value, 'value'), requireString(prefix, 'prefix'))),
    checkSid: (value, prefix, field) =>
      unwrap(raw.checkSid(requireString(value, 'value'), requireString(prefix, 'prefix'), requireString(field, 'field'))),
    errorCodes: () => unwrap(raw.errorCodes()).map((name) => (isErrorCode(name) ? name : 'Internal')),
    reasons: () => unwrap(raw.reasons()),
  };
}

function wrap(raw: RawModule): FlexCore {
  return Object.freeze({
    ...bindFoundation(raw),
    ...bindSegmentLookup(raw),
    ...bindHangUpBy(raw),
    ...bindCustomerContext(raw),
    ...bindAgentExtensions(raw),
    ...bindCallback(raw),
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
