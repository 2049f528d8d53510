// Comparisons as Plausible answers them: each row of the main period carries the matching row
// of the compared period (`comparison.dimensions`, `metrics`, `change`). A time bucket matches
// the bucket at the same position and shows the compared period's own label; a compared time
// series lists every bucket of the range, empty ones as 0. Work here is linear in the rows
// and labels (maps, no scans per row), and both are bounded by the query's limits.
import { dimensionSource, isBucketDimension } from './dimensions.js';
import { type Filter, type Metric, metricNumber, type Query, type ResultRow } from './model.js';
import { emptyMetrics, type Raw } from './shape-rows.js';

/**
 * A comparison only needs the rows the main result shows: restrict each non-time dimension to
 * its values. Always, up to a page of 10,000 rows: unrestricted, a compared breakdown of a big
 * site returned every page ever seen into JavaScript (an IN list of 10,000 values took 2 s on
 * 2 M rows here under load, against 0.5 s for 1,000).
 */
export function restrictTo(q: Query, rows: Raw[]): Filter[] {
  const out: Filter[] = [];
  if (rows.length === 0) return out;
  q.dimensions.forEach((d, i) => {
    const source = dimensionSource(d);
    if (!source || source.from === 'time') return;
    // Name dimensions are filtered on their codes (the raw column values).
    const column =
      source.from === 'column' && source.names
        ? source.names === 'country'
          ? 'visit:country'
          : 'visit:region'
        : d;
    const values = [...new Set(rows.map((r) => String(r[`d${i}`] ?? '')))];
    out.push({ op: 'is', dimension: column, values, caseSensitive: true });
  });
  return out;
}

/**
 * Plausible's change: percent (rounded), 100 from nothing; bounce rate in points, and none
 * (null) from a period without a bounce rate; conversion rate in points to one decimal.
 */
export function change(m: Metric, current: number | null, previous: number | null): number | null {
  if (current === null || previous === null) return null;
  if (m === 'bounce_rate') return previous > 0 ? current - previous : null;
  // Plausible: a conversion rate changes in percentage points, to one decimal.
  if (m === 'conversion_rate') return Math.round((current - previous) * 10) / 10;
  if (previous === 0) return current > 0 ? 100 : 0;
  return Math.round(((current - previous) / previous) * 100);
}

/** NULLs last in either direction, as the SQL orders them. */
function compareValues(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/**
 * The rows of a compared time series (its only dimension a time bucket): one per label of the
 * range, those without data as empty metrics, in the query's order (time ascending unless
 * order_by says otherwise, then time ascending for ties).
 */
export function fillSeries(q: Query, rows: ResultRow[], labels: readonly string[]): ResultRow[] {
  const byLabel = new Map(rows.map((r) => [String(r.dimensions[0]), r]));
  const out = labels.map((l) => byLabel.get(l) ?? { dimensions: [l], metrics: emptyMetrics(q) });
  const labelled = new Set(labels);
  for (const r of rows) if (!labelled.has(String(r.dimensions[0]))) out.push(r);
  const order = q.orderBy;
  // Labels are in time order: ordered by time first, there is nothing to sort.
  if (!order || order[0]?.[0] === q.dimensions[0]) return order?.[0]?.[1] === 'desc' ? out.reverse() : out;
  const value = (r: ResultRow, name: string) => {
    const m = q.metrics.indexOf(name as Metric);
    return m >= 0 ? metricNumber(r.metrics[m]) : (r.dimensions[0] ?? null);
  };
  const position = new Map(out.map((r, i) => [r, i]));
  return out.sort((a, b) => {
    for (const [name, dir] of order) {
      const va = value(a, name);
      const vb = value(b, name);
      const c = compareValues(va, vb);
      if (c !== 0) return dir === 'desc' && va !== null && vb !== null ? -c : c;
    }
    return position.get(a)! - position.get(b)!;
  });
}

/**
 * Gives each main row its compared row: matched on the dimension values, a time bucket on its
 * position among the labels. `labels` are the main range's, `cLabels` the compared range's
 * (as many as the main range has at most).
 */
export function attachComparisons(
  q: Query,
  results: ResultRow[],
  cResults: ResultRow[],
  labels: readonly string[],
  cLabels: readonly string[],
): void {
  const timeIndex = q.dimensions.findIndex(isBucketDimension);
  const position = new Map(labels.map((l, i) => [l, i]));
  const cPosition = new Map(cLabels.map((l, i) => [l, i]));
  // One dimension keys by itself (a long series needs no JSON per row); several by their JSON.
  const key = (dims: readonly (string | number | null)[], pos: Map<string, number>) => {
    const at = (v: string | number | null, i: number) => (i === timeIndex ? (pos.get(String(v)) ?? -1) : v);
    return dims.length === 1 ? at(dims[0]!, 0) : JSON.stringify(dims.map(at));
  };
  const byKey = new Map(cResults.map((r) => [key(r.dimensions, cPosition), r]));
  for (const res of results) {
    const c = byKey.get(key(res.dimensions, position));
    const dimensions = res.dimensions.map((v, i) =>
      i === timeIndex ? (cLabels[position.get(String(v)) ?? -1] ?? null) : v,
    );
    const metrics = c ? c.metrics : emptyMetrics(q);
    res.comparison = {
      dimensions,
      metrics: metrics.map(metricNumber),
      change: q.metrics.map((m, i) => change(m, metricNumber(res.metrics[i]), metricNumber(metrics[i]))),
    };
  }
}
