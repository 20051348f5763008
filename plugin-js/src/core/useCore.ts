/**
 * useCore(): the one way plugin components get the WebAssembly core.
 *
 * The core is loaded once per page through the package's memoised `loadCore()`; the first component that
 * mounts starts the load, later ones share it (and, once it has loaded, render "ready" on their first render).
 * A failed load is not cached: the next mount, or `retry()`, tries again (loadCore() forgets failures).
 */
import { useCallback, useEffect, useState } from 'react';
import { loadCore, type FlexCore } from 'flexcore';

/** What useCore() returns. `core` is set only when ready, `error` only on failure. */
export interface CoreState {
  /** 'loading' until loadCore() settles; then 'ready' or 'error'. */
  status: 'loading' | 'ready' | 'error';
  /** The loaded core (status 'ready'). */
  core?: FlexCore;
  /** Why loading failed (status 'error'): a CoreLoadError from the package, or whatever loadCore() rejected with. */
  error?: Error;
  /** Starts another load attempt after an error (no-op while loading or ready). */
  retry: () => void;
}

let loaded: FlexCore | undefined;

/** For tests: forget the page-level loaded core (pair with the package's resetCore()). @internal */
export function forgetLoadedCore(): void {
  loaded = undefined;
}

const asError = (value: unknown): Error => (value instanceof Error ? value : new Error(String(value)));

/**
 * React hook over `loadCore()`.
 * @returns {@link CoreState}; re-renders when the load settles.
 */
export function useCore(): CoreState {
  const [state, setState] = useState<Omit<CoreState, 'retry'>>(() =>
    loaded ? { status: 'ready', core: loaded } : { status: 'loading' },
  );
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (loaded) {
      setState((current) => (current.core === loaded ? current : { status: 'ready', core: loaded }));
      return undefined;
    }
    let live = true;
    setState((current) => (current.status === 'loading' ? current : { status: 'loading' }));
    loadCore().then(
      (core) => {
        loaded = core;
        if (live) setState({ status: 'ready', core });
      },
      (error: unknown) => {
        if (live) setState({ status: 'error', error: asError(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, retry };
}
