// The top row: one card per headline metric, each a button that picks the chart's metric,
// with the change against the previous period when comparing.
import { query } from '../api/stats.js';
import { formatChange, formatExact, formatMetric, METRIC_LABELS } from '../format/number.js';
import { TOP_METRICS } from '../state/url-state.js';
import { useFetch } from '../ui/use-fetch.js';
import { compareLabel } from './ComparePicker.js';
import { useDash } from './context.js';
import { PanelError } from './failures.js';
import { topStatsRequest } from './requests.js';

export function TopStats() {
  const dash = useDash();
  const req = topStatsRequest(dash.scope);
  const res = useFetch(JSON.stringify(req), (signal) => query(dash.api, req, signal));
  if (res.error !== undefined) return <PanelError error={res.error} retry={res.reload} />;
  const row = res.data?.results[0];
  // TOP_METRICS[0] is visitors: no visitors then means nothing to compare with.
  const previousEmpty = row?.comparison?.metrics[0] === 0;
  const currentEmpty = (row?.metrics[0] ?? 0) === 0;
  const since = compareLabel(dash.state).toLowerCase();
  return (
    <div class={res.loading ? 'top-stats is-loading' : 'top-stats'} aria-busy={res.loading}>
      {TOP_METRICS.map((m, i) => {
        const value = res.data ? (row?.metrics[i] ?? 0) : undefined;
        // Both periods empty: nothing to say.
        const change =
          dash.state.compare && !(previousEmpty && currentEmpty)
            ? formatChange(m, row?.comparison?.change[i], previousEmpty)
            : undefined;
        return (
          <button
            type="button"
            key={m}
            class="stat"
            data-metric={m}
            aria-pressed={dash.state.metric === m}
            onClick={() => dash.update({ ...dash.state, metric: m })}
          >
            <span class="stat-label">{METRIC_LABELS[m]}</span>
            <span class="stat-value" title={value === undefined ? '' : formatExact(value)}>
              {value === undefined ? '…' : formatMetric(m, value)}
            </span>
            {change && (
              <span
                class={`stat-change tone-${change.tone}`}
                title={
                  previousEmpty ? `Nothing in the ${since} to compare with` : `Change against the ${since}`
                }
              >
                {change.text}
              </span>
            )}
          </button>
        );
      })}
    </div>
  );
}
