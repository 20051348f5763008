/**
 * Helpers every feature module uses to call the raw embind functions: unwrap result records into values
 * or CoreErrors, check argument types before they reach embind, and move large text as bytes. @internal
 */
import { CoreError, isErrorCode, type ErrorCode } from './errors.js';
import type { RawModule } from './load.js';
import type { RawResult } from './raw.js';

/**
 * Turns a raw result record into its value, or throws the {@link CoreError} it carries.
 * An unknown code (a module newer than this facade) becomes `Internal`, keeping the message. A machine-readable
 * `reason` and its `params` (reasons.ts) pass through when the record has them.
 */
export function unwrap<T>(result: RawResult<T>): T {
  if (result.ok) return result.value;
  const code: ErrorCode = isErrorCode(result.error.code) ? result.error.code : 'Internal';
  const message = code === result.error.code ? result.error.message : `${result.error.code}: ${result.error.message}`;
  throw new CoreError(code, message, result.error.reason, result.error.params);
}

/** `value` if it is a string, else CoreError InvalidArgument naming `name` (embind would throw a bare TypeError). */
export function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string') {
    throw new CoreError('InvalidArgument', `${name} must be a string, got ${describeType(value)}`);
  }
  return value;
}

/** JSON object text from a string (kept as is) or a plain object (JSON.stringify); else InvalidArgument. */
export function objectText(value: unknown, name: string): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return JSON.stringify(value);
  throw new CoreError('InvalidArgument', `${name}: expected a JSON object or its text, got ${describeType(value)}`);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

const encoder = typeof TextEncoder === 'function' ? new TextEncoder() : undefined;

/**
 * Copies `text` into the wasm heap as UTF-8 (one TextEncoder pass, no embind string loop), runs
 * `use(address, length)` and frees the buffer.
 * @throws {CoreError} `ResourceExhausted` when the heap cannot hold the text.
 */
export function withUtf8<T>(raw: RawModule, text: string, use: (address: number, length: number) => RawResult<T>): T {
  if (!encoder) throw new CoreError('Internal', 'TextEncoder is not available in this JavaScript environment');
  const capacity = text.length * 3 + 1; // UTF-8 needs at most 3 bytes per UTF-16 code unit
  const address = raw._malloc(capacity);
  if (!address) throw new CoreError('ResourceExhausted', `text: ${capacity} bytes do not fit in the wasm heap`);
  try {
    const { written } = encoder.encodeInto(text, raw.HEAPU8.subarray(address, address + capacity));
    return unwrap(use(address, written === undefined ? 0 : written));
  } finally {
    raw._free(address);
  }
}

/**
 * Like {@link withUtf8} for several texts: encodes them back to back into one heap buffer and runs
 * `use(address, lengths)` with each text's UTF-8 byte length, then frees the buffer.
 * @throws {CoreError} `ResourceExhausted` when the heap cannot hold the texts.
 */
export function withUtf8Parts<T>(
  raw: RawModule,
  texts: readonly string[],
  use: (address: number, lengths: number[]) => RawResult<T>,
): T {
  if (!encoder) throw new CoreError('Internal', 'TextEncoder is not available in this JavaScript environment');
  const capacity = texts.reduce((sum, text) => sum + text.length * 3, 0) + 1;
  const address = raw._malloc(capacity);
  if (!address) throw new CoreError('ResourceExhausted', `text: ${capacity} bytes do not fit in the wasm heap`);
  try {
    const lengths: number[] = [];
    let offset = address;
    for (const text of texts) {
      const { written } = encoder.encodeInto(text, raw.HEAPU8.subarray(offset, address + capacity));
      const length = written === undefined ? 0 : written;
      lengths.push(length);
      offset += length;
    }
    return unwrap(use(address, lengths));
  } finally {
    raw._free(address);
  }
}

const decoder = typeof TextDecoder === 'function' ? new TextDecoder() : undefined;

/** Decodes UTF-8 bytes a raw function returned (one TextDecoder call). */
export function utf8Text(bytes: Uint8Array): string {
  if (!decoder) throw new CoreError('Internal', 'TextDecoder is not available in this JavaScript environment');
  return decoder.decode(bytes);
}
