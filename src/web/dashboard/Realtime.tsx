// Realtime: "N current visitors" (the last five minutes) in the dashboard's header, and the
// pages and sources of the last 30 minutes (RealtimePanel, shown with "Today"), from one poll
// every 30 seconds while the tab is visible.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/http.js';
import { realtime } from '../api/stats.js';
import type { RealtimeResponse } from '../api/types.js';
import { formatExact } from '../format/number.js';
import { useInterval } from '../ui/use-fetch.js';
import { useDash } from './context.js';

/** How often realtime numbers and, while "Today" is shown, every panel reload. */
export const REFRESH_MS = 30_000;

export interface RealtimeState {
  data: RealtimeResponse | undefined;
  failed: boolean;
  /** Refused (a share link limited to a segment: realtime would show the whole site). */
  refused?: boolean;
}

export function useRealtime(): RealtimeState {
  const dash = useDash();
  const [state, setState] = useState<RealtimeState>({ data: undefined, failed: false });
  const poll = () => {
    if (state.refused) return;
    realtime(dash.api, dash.domain).then(
      (data) => setState({ data, failed: false }),
      (err: unknown) =>
        setState((s) =>
          err instanceof ApiError && err.status === 403
            ? { data: undefined, failed: false, refused: true }
            : { data: s.data, failed: true },
        ),
    );
  };
  // First poll now, then every 30 s while the tab is visible (not again once refused: the
  // interval's poll is the one of the render that started it, hence `refused` in its deps).
  useEffect(poll, [dash.domain]);
  useInterval(poll, REFRESH_MS, [dash.domain, state.refused]);
  return state;
}

export function Realtime(props: { state: RealtimeState }) {
  if (props.state.refused) return null;
  const raw = props.state.data?.visitors;
  const visitors = props.state.data ? (typeof raw === 'number' ? raw : 0) : undefined;
  return (
    <p
      class={props.state.failed ? 'realtime is-stale' : 'realtime'}
      aria-live="polite"
      data-testid="realtime"
    >
      <span class="pulse" aria-hidden="true" />
      {visitors === undefined ? '…' : formatExact(visitors)} current visitor{visitors === 1 ? '' : 's'}
    </p>
  );
}
