// The selected metric over time, with the compared period as a dashed line when comparing.
// The compared period is a second query: the range before the one the API resolved, the
// same dates a year earlier, or the custom range. Buckets still to come are left blank.
import { query } from '../api/stats.js';
import { LineChart } from '../chart/LineChart.js';
import { comparisonRange, toSeries, withoutFuture } from '../chart/series.js';
import { METRIC_LABELS } from '../format/number.js';
import { nowIn } from '../time/range.js';
import { Skeleton } from '../ui/Status.js';
import { useFetch } from '../ui/use-fetch.js';
import { compareLabel } from './ComparePicker.js';
import { useDash } from './context.js';
import { PanelError } from './failures.js';
import { IntervalPicker } from './IntervalPicker.js';
import { chartMetric, timeseriesRequest } from './requests.js';

export function MainChart() {
  const dash = useDash();
  const metric = chartMetric(dash.state);
  const req = timeseriesRequest(dash.scope, metric);
  const { compare, comparison = { mode: 'previous_period' } } = dash.scope;
  // Comparing is not part of the request (the compared period is a second one): key on it too.
  const res = useFetch(JSON.stringify({ req, compare, comparison }), async (signal) => {
    const current = await query(dash.api, req, signal);
    const before = compare ? comparisonRange(current.query.date_range, comparison) : undefined;
    // Asked only once the first answer is in, behind the panels' requests: it goes first.
    const previous = before
      ? await query(dash.api, { ...req, date_range: before }, signal, 'high')
      : undefined;
    return withoutFuture(toSeries(current, previous), nowIn(dash.timezone));
  });
  const label = `${METRIC_LABELS[metric]} by ${dash.scope.interval}`;
  return (
    <section class={res.loading ? 'panel chart-panel is-loading' : 'panel chart-panel'} aria-label={label}>
      <IntervalPicker />
      {res.error !== undefined ? (
        <PanelError error={res.error} retry={res.reload} />
      ) : res.data ? (
        <LineChart
          series={res.data}
          metric={metric}
          interval={dash.scope.interval}
          label={label}
          compareLabel={compareLabel(dash.state)}
        />
      ) : (
        <Skeleton block />
      )}
    </section>
  );
}
