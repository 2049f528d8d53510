// The selected metric over time, with the previous period as a dashed line when comparing.
// The previous period is a second query for the range before the one the API resolved.
import { query } from '../api/stats.js';
import { LineChart } from '../chart/LineChart.js';
import { previousRange, toSeries } from '../chart/series.js';
import { METRIC_LABELS } from '../format/number.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { useFetch } from '../ui/use-fetch.js';
import { useDash } from './context.js';
import { timeseriesRequest } from './requests.js';

export function MainChart() {
  const dash = useDash();
  const metric = dash.state.metric;
  const req = timeseriesRequest(dash.scope, metric);
  // Comparing is not part of the request (the previous period is a second one): key on it too.
  const res = useFetch(JSON.stringify({ req, compare: dash.scope.compare }), async (signal) => {
    const current = await query(dash.api, req, signal);
    const before = dash.scope.compare ? previousRange(current.query.date_range) : undefined;
    const previous = before ? await query(dash.api, { ...req, date_range: before }, signal) : undefined;
    return toSeries(current, previous);
  });
  const label = `${METRIC_LABELS[metric]} by ${dash.scope.interval}`;
  return (
    <section class={res.loading ? 'panel chart-panel is-loading' : 'panel chart-panel'} aria-label={label}>
      {res.error !== undefined ? (
        <ErrorNote error={res.error} retry={res.reload} />
      ) : res.data ? (
        <LineChart series={res.data} metric={metric} interval={dash.scope.interval} label={label} />
      ) : (
        <Loading />
      )}
    </section>
  );
}
