/**
 * Errors thrown by the flexcore facade. The codes are the C++ `flexcore::ErrorCode` enumerator names
 * (wasm/core/include/flexcore/error.h); the same strings appear in flexcore-server's JSON error bodies
 * (`{"error": message, "code": code}`).
 */

/** Every error code the core can report, in the C++ declaration order. */
export const ERROR_CODES = [
  'InvalidArgument',
  'NotFound',
  'AlreadyExists',
  'Conflict',
  'PermissionDenied',
  'Unauthenticated',
  'PayloadTooLarge',
  'ResourceExhausted',
  'NotConfigured',
  'Unavailable',
  'UpstreamError',
  'DeadlineExceeded',
  'Internal',
] as const;

/** A flexcore error code, e.g. `'InvalidArgument'`. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** True when `value` is one of {@link ERROR_CODES}. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).indexOf(value) >= 0;
}

/**
 * A core function rejected its input or failed. `code` says why (see {@link ErrorCode});
 * `message` names the field and what was expected.
 */
export class CoreError extends Error {
  /** Why the call failed. */
  readonly code: ErrorCode;
  /**
   * What exactly is wrong, machine-readable, when the core says so (`checkSid`, `checkTaskSid`): a reason id of
   * reasons.ts `REASONS` (or a newer id this package does not list yet); undefined otherwise.
   */
  readonly reason?: string;
  /** The reason's parameters (e.g. `{ prefix: 'WT', length: '5' }`); `{}` when it has none; undefined without a reason. */
  readonly params?: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, reason?: string, params?: Readonly<Record<string, string>>) {
    super(message);
    this.name = 'CoreError';
    this.code = code;
    if (reason !== undefined) {
      this.reason = reason;
      this.params = params ?? {};
    }
    // ES2017 output: keep instanceof working for subclasses of Error.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** The WebAssembly module could not be loaded or instantiated. `cause` holds the original failure. */
export class CoreLoadError extends Error {
  /** What the loader threw (an Error, or whatever the emscripten factory rejected with). */
  readonly cause: unknown;

  constructor(message: string, cause: unknown) {
    super(message);
    this.name = 'CoreLoadError';
    this.cause = cause;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
