/**
 * The only module that imports the emscripten factory. Loads the wasm core once per JS realm
 * (memoised promise); a failed load is forgotten so the next loadCore() call tries again.
 */
import createFlexCore from './core.js';
import { CoreLoadError } from './errors.js';
import type { RawApi, RawHeap, RawModuleOptions } from './raw.js';

/** The raw module: embind functions plus heap access. @internal */
export type RawModule = RawApi & RawHeap;

let pending: Promise<RawModule> | undefined;

/** Options for {@link loadRawCore}. */
export interface LoadOptions {
  /** Module stdout/stderr sinks (defaults: console). */
  print?: (line: string) => void;
  printErr?: (line: string) => void;
}

/**
 * The raw embind module, memoised. @internal (use loadCore() from the package root).
 * @throws {CoreLoadError} when the module cannot be instantiated.
 */
export function loadRawCore(options: LoadOptions = {}): Promise<RawModule> {
  if (pending) return pending;
  const attempt = instantiate(options);
  pending = attempt;
  attempt.catch(() => {
    if (pending === attempt) pending = undefined;
  });
  return attempt;
}

/** Forgets the loaded module, so the next load instantiates a fresh one. @internal */
export function resetRawCore(): void {
  pending = undefined;
}

async function instantiate(options: LoadOptions): Promise<RawModule> {
  let aborted: unknown;
  const moduleOptions: RawModuleOptions = {
    onAbort: (what) => {
      aborted = what;
    },
  };
  if (options.print) moduleOptions.print = options.print;
  if (options.printErr) moduleOptions.printErr = options.printErr;
  let raw: RawModule;
  try {
    raw = await createFlexCore(moduleOptions);
  } catch (cause) {
    throw new CoreLoadError(`flexcore: the WebAssembly core could not be loaded (${describe(cause)})`, cause);
  }
  if (aborted !== undefined || !raw || typeof raw.version !== 'function') {
    throw new CoreLoadError('flexcore: the WebAssembly core aborted while loading', aborted);
  }
  return raw;
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return String(cause);
}
