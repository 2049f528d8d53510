// Loads data for a component: re-runs when `key` changes, aborts the request it replaces,
// and keeps the previous data on screen while the next arrives (no flicker on a filter
// change). Every panel has its own, so none waits for another.
import { useEffect, useState } from 'preact/hooks';
import { isAbort } from '../api/http.js';

export interface Fetched<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

export function useFetch<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Fetched<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(key !== null);
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (key === null) return;
    const ctl = new AbortController();
    setLoading(true);
    load(ctl.signal).then(
      (value) => {
        if (ctl.signal.aborted) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (err: unknown) => {
        if (ctl.signal.aborted || isAbort(err)) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => ctl.abort();
  }, [key, nonce]);
  return { data, error, loading, reload: () => setNonce((n) => n + 1) };
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
