// "N current visitors" (the last five minutes), refreshed every 30 seconds.
import { useEffect, useState } from 'preact/hooks';
import { realtime } from '../api/stats.js';
import { formatExact } from '../format/number.js';
import { useInterval } from '../ui/use-fetch.js';
import { useDash } from './context.js';

export const REALTIME_MS = 30_000;

export function Realtime() {
  const dash = useDash();
  const [visitors, setVisitors] = useState<number | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  const poll = () => {
    realtime(dash.api, dash.domain).then(
      (r) => {
        setVisitors(typeof r.visitors === 'number' ? r.visitors : 0);
        setFailed(false);
      },
      () => setFailed(true),
    );
  };
  // First poll now, then every 30 s while the tab is visible.
  useEffect(poll, [dash.domain]);
  useInterval(poll, REALTIME_MS, [dash.domain]);
  return (
    <p class={failed ? 'realtime is-stale' : 'realtime'} aria-live="polite" data-testid="realtime">
      <span class="pulse" aria-hidden="true" />
      {visitors === undefined ? '…' : formatExact(visitors)} current visitor{visitors === 1 ? '' : 's'}
    </p>
  );
}
