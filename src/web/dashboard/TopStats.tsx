// The top row: one card per headline metric, each a button that picks the chart's metric,
// with the change against the previous period when comparing.
import { query } from '../api/stats.js';
import { formatChange, formatExact, formatMetric, formatMoney, METRIC_LABELS } from '../format/number.js';
import { useFetch } from '../ui/use-fetch.js';
import { compareLabel } from './ComparePicker.js';
import { useDash } from './context.js';
import { PanelError } from './failures.js';
import { importsNotice } from './imports.js';
import { hasGoalFilter, revenueCards, topMetrics, topStatsRequest } from './requests.js';

/** With a goal filter the top row counts conversions (Plausible's words). */
const GOAL_LABELS: Partial<Record<string, string>> = {
  visitors: 'Unique conversions',
  events: 'Total conversions',
  conversion_rate: 'Conversion rate',
  total_revenue: 'Total revenue',
  average_revenue: 'Average revenue',
};

export function TopStats() {
  const dash = useDash();
  const req = topStatsRequest(dash.scope);
  // What a person reads first: it goes before the panels' requests (request-queue.ts).
  const res = useFetch(JSON.stringify(req), (signal) => query(dash.api, req, signal, 'high'));
  if (res.error !== undefined) return <PanelError error={res.error} retry={res.reload} />;
  const row = res.data?.results[0];
  // The first metric is visitors: no visitors then means nothing to compare with.
  const previousEmpty = row?.comparison?.metrics[0] === 0;
  const currentEmpty = (row?.metrics[0] ?? 0) === 0;
  const since = compareLabel(dash.state).toLowerCase();
  const goals = hasGoalFilter(dash.scope.filters);
  return (
    <div class={res.loading ? 'top-stats is-loading' : 'top-stats'} aria-busy={res.loading}>
      {topMetrics(dash.scope.filters).map((m, i) => {
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
            <span class="stat-label">{(goals && GOAL_LABELS[m]) || METRIC_LABELS[m]}</span>
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
      {revenueCards(dash.scope).map((m, j) => {
        // After the top row's own metrics; shown only when the filtered goals are revenue goals.
        const money = row?.money?.[topMetrics(dash.scope.filters).length + j];
        return money ? (
          <div key={m} class="stat" data-metric={m}>
            <span class="stat-label">{GOAL_LABELS[m]}</span>
            <span class="stat-value">{formatMoney(money)}</span>
          </div>
        ) : null;
      })}
      {importsNotice(res.data) && <p class="imports-notice">{importsNotice(res.data)}</p>}
    </div>
  );
}
