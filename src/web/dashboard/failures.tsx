// One clear retry for a failing dashboard. When the API is down every panel fails at once,
// and eight "Retry" links say the same thing eight times. Each panel reports its failure
// here; from two failures on, one banner at the top names the error and retries everything
// (by remounting the panels), and the panels only say they were not loaded.
import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useId, useMemo, useState } from 'preact/hooks';
import { errorText } from '../api/http.js';
import { ErrorNote } from '../ui/Status.js';

/** Failures before the panels hand their retry to the banner. */
const SHARED_FROM = 2;

interface Failures {
  failed: ReadonlyMap<string, unknown>;
  report: (id: string, error: unknown | undefined) => void;
}

const FailuresContext = createContext<Failures | undefined>(undefined);

/** Wraps a dashboard's panels: the banner above them, and a fresh mount of them on retry. */
export function FailureScope(props: { children: ComponentChildren }) {
  const [failed, setFailed] = useState<ReadonlyMap<string, unknown>>(new Map());
  const [round, setRound] = useState(0);
  const report = useCallback((id: string, error: unknown | undefined) => {
    setFailed((now) => {
      if (error === undefined ? !now.has(id) : now.get(id) === error) return now;
      const next = new Map(now);
      if (error === undefined) next.delete(id);
      else next.set(id, error);
      return next;
    });
  }, []);
  const value = useMemo(() => ({ failed, report }), [failed, report]);
  const first = failed.values().next();
  return (
    <FailuresContext.Provider value={value}>
      {failed.size >= SHARED_FROM && !first.done && (
        <div class="status status-error dash-failure" role="alert">
          <span>The dashboard could not be loaded: {errorText(first.value)}</span>
          <button
            type="button"
            class="btn"
            onClick={() => {
              setFailed(new Map());
              setRound((n) => n + 1);
            }}
          >
            Retry
          </button>
        </div>
      )}
      <div key={round} class="failure-round">
        {props.children}
      </div>
    </FailuresContext.Provider>
  );
}

/** A panel's error: its own note and retry, or a quiet line while the banner speaks for all. */
export function PanelError(props: { error: unknown; retry: () => void }) {
  const failures = useContext(FailuresContext);
  const id = useId();
  const report = failures?.report;
  useEffect(() => {
    report?.(id, props.error);
    return () => report?.(id, undefined);
  }, [report, id, props.error]);
  if (failures && failures.failed.size >= SHARED_FROM) {
    return <p class="status status-error">Not loaded</p>;
  }
  return <ErrorNote error={props.error} retry={props.retry} />;
}
