// Database rows → Plausible's result rows: dimension values in the order asked (country and
// region codes as names), metrics rounded as Plausible rounds them; and the order a query
// answers in when it names none.
import { dimensionSource, isTimeDimension } from './dimensions.js';
import { countryName, regionName } from './geo-names.js';
import { METRIC_DEFS } from './metrics.js';
import type { Metric, Query, ResultRow } from './model.js';

export type Raw = Record<string, unknown>;

function dimensionValue(name: string, raw: unknown): string | number {
  if (typeof raw === 'number' || typeof raw === 'bigint') return Number(raw);
  const v = raw === null || raw === undefined ? '' : String(raw);
  const source = dimensionSource(name);
  if (source?.from === 'column' && source.names === 'country') return countryName(v);
  if (source?.from === 'column' && source.names === 'region') return regionName(v);
  return v;
}

export function metricValue(m: Metric, raw: unknown): number | null {
  if (raw === null || raw === undefined) return null;
  return METRIC_DEFS[m].round(Number(raw));
}

export function shapeRow(q: Query, r: Raw): ResultRow {
  return {
    dimensions: q.dimensions.map((d, i) => dimensionValue(d, r[`d${i}`])),
    metrics: q.metrics.map((m) => metricValue(m, r[m])),
  };
}

/** The metrics of a bucket where nothing happened. */
export function emptyMetrics(q: Query): (number | null)[] {
  return q.metrics.map((m) => METRIC_DEFS[m].empty);
}

/**
 * Plausible's order when a query names none: time ascending, then the first metric
 * descending (so a breakdown by time and page lists each day's busiest page first). The
 * compiler breaks remaining ties by the dimensions, so pages never overlap.
 */
export function defaultOrder(q: Query): [string, 'asc' | 'desc'][] {
  const time = q.dimensions.find(isTimeDimension);
  const first: [string, 'desc'] = [q.metrics[0]!, 'desc'];
  return time ? [[time, 'asc'], first] : [first];
}
