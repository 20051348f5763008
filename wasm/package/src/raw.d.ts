/**
 * Hand-written types of the embind surface of the flexcore wasm module (@internal).
 * Mirrors wasm/bindings/register_api.cpp function by function; test/surface.test.mjs checks that every
 * function named in `RawCore` exists with this arity and that the module exposes nothing else.
 * Emscripten 3.1.6 has no --emit-tsd, so this file is the source of truth for the boundary types.
 */

/** Error record built by guard() in wasm/bindings/marshal.h. @internal */
export interface RawError {
  /** A flexcore::ErrorCode enumerator name, e.g. "InvalidArgument". */
  code: string;
  message: string;
  /** A flexcore::kAllReasons id, for the calls that attach one (marshal.h attach_reason). */
  reason?: string;
  /** The reason's parameters by name. */
  params?: Record<string, string>;
}

/** What every bound function returns: a value or an error record, never a thrown C++ exception. @internal */
export type RawResult<T> = { ok: true; value: T } | { ok: false; error: RawError };

/**
 * The embind functions of the module, one interface per wasm/bindings/register_*.cpp file.
 * test/surface.test.mjs reads every `export interface Raw<Name> {` block whose members return RawResult.
 * @internal
 */
export interface RawCore {
  /** flexcore::version(): "MAJOR.MINOR.PATCH". @see wasm/core/include/flexcore/version.h */
  version(): RawResult<string>;
  /** Every flexcore::ErrorCode name in declaration order. @see wasm/core/include/flexcore/error.h */
  errorCodes(): RawResult<string[]>;
  /** flexcore::is_valid_sid(value, prefix). @see wasm/core/include/flexcore/sid.h */
  isValidSid(value: string, prefix: string): RawResult<boolean>;
  /** flexcore::check_sid(value, prefix, field): the value, or InvalidArgument with sid_reason's reason. @see sid.h */
  checkSid(value: string, prefix: string, field: string): RawResult<string>;
  /**
   * Diagnostic: makes guard() handle one kind of failure ("ok" | "error" | "bad_alloc" | "exception" |
   * "unknown"), so tests prove no C++ exception escapes into JS.
   */
  _guardProbe(kind: string): RawResult<string>;
  /** Every flexcore::kAllReasons id in declaration order. @see wasm/core/include/flexcore/reason.h */
  reasons(): RawResult<string[]>;
}

/** Segment lookup (wasm/bindings/register_segment_lookup.cpp). @internal */
export interface RawSegmentLookup {
  /** segment_lookup::is_valid_task_sid(value). @see wasm/core/include/flexcore/segment_lookup.h */
  isValidTaskSid(value: string): RawResult<boolean>;
  /** segment_lookup::check_task_sid(raw): the trimmed Task SID, or InvalidArgument with task_sid_reason's reason. @see segment_lookup.h */
  checkTaskSid(value: string): RawResult<string>;
  /**
   * segment_lookup::parse_segment_csv over UTF-8 bytes at heap offset `address` (`length` bytes) that the
   * caller allocated with `_malloc` and frees afterwards. @see segment_lookup.h
   */
  _parseSegmentCsv(address: number, length: number): RawResult<Uint8Array | string[]>;
}

/** Hang up by and task-attribute merges (wasm/bindings/register_hang_up_by.cpp). @internal */
export interface RawHangUpBy {
  /**
   * hang_up_by::decide. `endingCallSid` is read only when `hasEndingCallSid` (null means in progress).
   * @see wasm/core/include/flexcore/hang_up_by.h
   */
  _decideHangUpBy(eventType: string, taskChannel: string, attributesJson: string, conferenceFound: boolean,
    hasEndingCallSid: boolean, endingCallSid: string): RawResult<RawHangUpByDecision>;
  /** task_attributes::merge_conversations. @see wasm/core/include/flexcore/task_attributes.h */
  _mergeConversations(attributesJson: string, patchJson: string): RawResult<string>;
  /** hang_up_by::agent_hang_up_attributes: merged attributes JSON, or null for non-voice channels. */
  _agentHangUpAttributes(attributesJson: string, taskChannel: string): RawResult<string | null>;
}

/** hang_up_by::Decision as a record. @internal */
export interface RawHangUpByDecision {
  write: boolean;
  value?: 'customer' | 'disconnect';
  reason: string;
}

/** Callback and voicemail (wasm/bindings/register_callback.cpp). @internal */
export interface RawCallback {
  /** callback::shape_callback_task over params_from_json(paramsJson). @see wasm/core/include/flexcore/callback.h */
  _shapeCallbackTask(paramsJson: string, nowUtc: string, timeZone: string, defaultWorkflowSid: string): RawResult<RawCallbackTask>;
  /** callback::callback_view: the view record, or null for other task types. */
  _callbackView(attributesJson: string, maxAttempts: number, nowUtc: string, agentTimeZone: string): RawResult<Record<string, unknown> | null>;
  /** callback::requeue_params as an object of form parameters (insertion order kept). */
  _requeueParams(taskSid: string, attributesJson: string, workflowSid: string, timeout: number, priority: number,
    maxAttempts: number): RawResult<Record<string, string>>;
  /** callback::outbound_call_attributes: JSON text. */
  _outboundCallAttributes(attributesJson: string, taskSid: string, reservationSid: string): RawResult<string>;
  /** callback::max_attempts_from_config. */
  maxAttemptsFromConfig(text: string): RawResult<number>;
}

/** callback::CallbackTask as a record. @internal */
export interface RawCallbackTask {
  attributes: string;
  workflowSid: string;
  taskChannel: string;
  priority: number;
  timeout: number;
  virtualStartTime: string;
  taskType: string;
}

/** Customer context (wasm/bindings/register_customer_context.cpp). @internal */
export interface RawCustomerContext {
  /**
   * customer_context::context_rows over UTF-8 attributes JSON at heap `address` (`length` bytes). Options:
   * -1 = core default. Returns the rows as UTF-8 bytes: key, value, kind, truncated ("1" | "") per row, all
   * fields joined by U+001F. @see wasm/core/include/flexcore/customer_context.h
   */
  _contextRows(address: number, length: number, flatten: boolean, maxDepth: number, maxKeyLength: number,
    maxValueLength: number, maxRows: number): RawResult<Uint8Array>;
  /** customer_context::trait_rows; same byte layout as _contextRows. @see customer_context.h */
  _traitRows(address: number, length: number, flatten: boolean, maxDepth: number, maxKeyLength: number,
    maxValueLength: number, maxRows: number): RawResult<Uint8Array>;
  /**
   * customer_context::event_rows: per event name, type, timestamp, displayTime, propertyCount, then that
   * many rows (4 fields each), all joined by U+001F. @see customer_context.h
   */
  _eventRows(address: number, length: number, flatten: boolean, maxDepth: number, maxKeyLength: number,
    maxValueLength: number, maxRows: number): RawResult<Uint8Array>;
  /** customer_context::display_timestamp: "YYYY-MM-DD hh:mm:ss UTC", or null. @see customer_context.h */
  displayTimestamp(text: string): RawResult<string | null>;
  /** customer_context::normalize_profile_identifier. @see customer_context.h */
  normalizeProfileIdentifier(idType: string, identifier: string): RawResult<string>;
  /** customer_context::profile_path. @see customer_context.h */
  profilePath(spaceId: string, idType: string, identifier: string): RawResult<string>;
}

/**
 * Agent extensions (wasm/bindings/register_agent_extensions.cpp). Row sets are UTF-8 JSON at heap
 * `address`; two texts sit back to back. Results are UTF-8 JSON bytes (agent_extensions.h to_json shapes).
 * @internal
 */
export interface RawAgentExtensions {
  /** agent_extensions::validate_extension(entry, existing, options JSON). @see agent_extensions.h */
  _validateExtension(address: number, entryLength: number, existingLength: number, optionsJson: string): RawResult<Uint8Array>;
  /** agent_extensions::query_extensions(rows, query JSON) → Page JSON. @see agent_extensions.h */
  _queryExtensions(address: number, length: number, queryJson: string): RawResult<Uint8Array>;
  /** agent_extensions::diff_extensions(draft, published) → Diff JSON. @see agent_extensions.h */
  _diffExtensions(address: number, draftLength: number, publishedLength: number): RawResult<Uint8Array>;
  /** agent_extensions::build_lookup_table(published) → entries JSON. @see agent_extensions.h */
  _buildLookupTable(address: number, length: number): RawResult<Uint8Array>;
  /** embind class agent_extensions::ExtensionTable held in the module (load once, query many times). */
  _ExtensionTable: new () => NativeExtensionTable;
}

/** An embind ExtensionTable instance; JS owns it and must call delete(). @internal */
export interface NativeExtensionTable {
  /** Replaces the rows with the JSON array of `length` bytes at `address` → the row count. */
  load(address: number, length: number): RawResult<number>;
  /** One page (Page JSON bytes) for a query JSON. */
  query(queryJson: string): RawResult<Uint8Array>;
  /** Rows held. */
  size(): number;
  /** Frees the C++ object (embind). */
  delete(): void;
}

/** Heap access the facade needs to pass large inputs as bytes. @internal */
export interface RawHeap {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(address: number): void;
}

/** Options the emscripten MODULARIZE factory accepts (the subset flexcore uses). @internal */
export interface RawModuleOptions {
  /** Receives the module's stdout lines. */
  print?: (line: string) => void;
  /** Receives the module's stderr lines. */
  printErr?: (line: string) => void;
  /** Called by emscripten on abort(); flexcore treats it as a load failure. */
  onAbort?: (what: unknown) => void;
}

/** The emscripten factory exported by core.web.js / core.node.js (EXPORT_NAME createFlexCore). @internal */
/** Every bound function. @internal */
export type RawApi = RawCore & RawSegmentLookup & RawHangUpBy & RawCustomerContext & RawAgentExtensions & RawCallback;

export type RawFactory = (options?: RawModuleOptions) => Promise<RawApi & RawHeap>;
