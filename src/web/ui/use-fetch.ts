// Loads data for a component: re-runs when `key` changes, aborts the request it replaces,
// and keeps the previous data on screen while the next arrives (no flicker on a filter
// change). Every panel has its own, so none waits for another. A RefreshTick above it (the
// dashboard's, while "Today" is shown) re-runs it quietly: same data on screen, not "loading".
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { isAbort } from '../api/http.js';

/** Bumped to reload every useFetch below it in the background. */
export const RefreshTick = createContext(0);

export interface Fetched<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

export function useFetch<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Fetched<T> {
  const [nonce, setNonce] = useState(0);
  // What the last finished request was for: loading is derived from it during render, so
  // the page shows "loading" in the same frame as the change that caused it.
  const tick = useContext(RefreshTick);
  const [done, setDone] = useState<{
    run: string;
    /** What was asked, without the refresh tick: a tick alone does not make a panel "loading". */
    asked: string;
    data: T | undefined;
    error: unknown;
  }>({ run: '', asked: '', data: undefined, error: undefined });
  const asked = `${nonce}:${key}`;
  const run = `${nonce}:${tick}:${key}`;
  useEffect(() => {
    if (key === null) return;
    const ctl = new AbortController();
    load(ctl.signal).then(
      (value) => {
        if (!ctl.signal.aborted) setDone({ run, asked, data: value, error: undefined });
      },
      (err: unknown) => {
        if (!ctl.signal.aborted && !isAbort(err)) setDone((d) => ({ run, asked, data: d.data, error: err }));
      },
    );
    return () => ctl.abort();
  }, [run]);
  return {
    data: done.data,
    error: done.run === run ? done.error : undefined,
    loading: key !== null && done.asked !== asked,
    reload: () => setNonce((n) => n + 1),
  };
}

/** Calls `fn` every `ms` while mounted (and the page is visible), and once at once. */
export function useInterval(fn: () => void, ms: number, deps: unknown[]): void {
  useEffect(() => {
    const tick = () => {
      if (document.visibilityState !== 'hidden') fn();
    };
    const id = setInterval(tick, ms);
    const onVisible = () => {
      if (document.visibilityState === 'visible') fn();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(id);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, deps);
}
