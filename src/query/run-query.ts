// Runs a validated Query against a store: resolves the range in the site's time zone, compiles,
// runs (bounded by a timeout), runs the comparison when asked, and shapes Plausible's response.
import { FootfallError, footfallError } from '../errors.js';
import type { QueryStore, Site } from '../store/types.js';
import { compileQuery } from './compile.js';
import { autoUnit, comparisonRange, type ResolvedRange, resolveRange, timeLabels } from './date-range.js';
import { type Dialect, duckdbDialect } from './dialect.js';
import { dimensionSource, isBucketDimension, isTimeDimension } from './dimensions.js';
import { countryName, geoNameRows, regionName } from './geo-names.js';
import { METRIC_DEFS } from './metrics.js';
import {
  type DateRangeInput,
  type Filter,
  isLeaf,
  type Metric,
  type Query,
  type QueryResult,
  type ResultRow,
  type TimeUnit,
} from './model.js';
import { toZonedIso } from './zoned-time.js';

export interface QueryEngineDeps {
  store: QueryStore;
  /** The site a `site_id` (domain) names. */
  site: (domain: string) => Site | undefined;
  now: () => number;
  /** Longest a statement may run before it is interrupted (default 10 s). */
  timeoutMs?: number;
}

export interface QueryEngine {
  query(q: Query): Promise<QueryResult>;
  /** The site or FOOTFALL_ERR_SITE_NOT_FOUND. */
  site(domain: string): Site;
  /** Runs SQL built by src/query with the engine's timeout and names table in place. */
  run(sql: string, params: (string | number | boolean | null)[]): Promise<Record<string, unknown>[]>;
  validatePatterns(filters: readonly Filter[]): Promise<void>;
  /** A date range in the site's time zone (`all` starts at the site's first event). */
  resolve(site: Site, dateRange: DateRangeInput): Promise<ResolvedRange>;
  dialect: Dialect;
  namesTable: string;
}

const NAMES_TABLE = 'ref.geo_names';

type Raw = Record<string, unknown>;

export function createQueryEngine(deps: QueryEngineDeps): QueryEngine {
  const dialect = duckdbDialect;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  let namesReady: Promise<void> | undefined;

  const ensureNames = () => {
    namesReady ??= (async () => {
      const rows = geoNameRows().map((r) => ({ k: r.kind, c: r.code, n: r.name }));
      await deps.store.runQuery(
        `CREATE OR REPLACE TABLE ${NAMES_TABLE} AS SELECT u.k AS kind, u.c AS code, u.n AS name FROM ` +
          `(SELECT unnest(from_json($1, '[{"k":"VARCHAR","c":"VARCHAR","n":"VARCHAR"}]')) AS u)`,
        [JSON.stringify(rows)],
        { timeoutMs },
      );
    })();
    namesReady.catch(() => {
      namesReady = undefined;
    });
    return namesReady;
  };

  const run = async (sql: string, params: (string | number | boolean | null)[]) => {
    await ensureNames();
    return deps.store.runQuery(sql, params, { timeoutMs });
  };

  const site = (domain: string): Site => {
    const s = deps.site(domain);
    if (!s) throw footfallError('FOOTFALL_ERR_SITE_NOT_FOUND', domain);
    return s;
  };

  const validatePatterns = async (filters: readonly Filter[]) => {
    const patterns: { field: string; pattern: string }[] = [];
    const walk = (fs: readonly Filter[], field: string) =>
      fs.forEach((f, i) => {
        const here = `${field}[${i}]`;
        if (!isLeaf(f)) walk(f.op === 'not' ? [f.filter] : f.filters, `${here}[1]`);
        else if (f.op === 'matches' || f.op === 'matches_not') {
          for (const v of f.values) patterns.push({ field: `${here}[2]`, pattern: v });
        }
      });
    walk(filters, 'filters');
    for (const p of patterns) {
      try {
        await deps.store.runQuery(`SELECT ${dialect.regexMatch("''", '$1')} AS m`, [p.pattern], {
          timeoutMs,
        });
      } catch (err) {
        // A timeout or a full query line is not the pattern's fault: pass it on as it is.
        if (err instanceof FootfallError) throw err;
        const why = err instanceof Error ? err.message.replace(/^[^:]*Error: /, '') : String(err);
        throw footfallError(
          'FOOTFALL_ERR_INVALID_QUERY',
          `${p.field}: not a valid RE2 regular expression (${why})`,
        );
      }
    }
  };

  const resolve = async (s: Site, dateRange: DateRangeInput): Promise<ResolvedRange> => {
    let firstEventMs: number | undefined;
    if (dateRange === 'all') {
      const rows = await run('SELECT epoch_ms(min(ts)) AS first FROM events WHERE site_id = $1', [s.id]);
      const first = rows[0]?.first;
      firstEventMs = first === null || first === undefined ? undefined : Number(first);
    }
    return resolveRange(dateRange, s.timezone, deps.now(), firstEventMs);
  };

  return {
    dialect,
    namesTable: NAMES_TABLE,
    site,
    run,
    validatePatterns,
    resolve,
    async query(q) {
      const s = site(q.siteId);
      await validatePatterns(q.filters);
      const range = await resolve(s, q.dateRange);
      const unit = autoUnit(range);
      const compile = (r: ResolvedRange, extra?: Filter[], unpaged?: boolean) =>
        compileQuery({
          query: q,
          siteKey: s.id,
          range: r,
          timeUnit: unit,
          extraFilters: extra,
          unpaged,
          dialect,
          namesTable: NAMES_TABLE,
        });

      const main = compile(range);
      const cRange = q.include.comparisons ? comparisonRange(range, q.include.comparisons) : undefined;
      // A comparison of a breakdown needs the main rows first (to fetch only those); one
      // without non-time dimensions runs alongside the main query.
      const alongside = cRange && q.dimensions.every((d) => isTimeDimension(d));
      const compareAlongside = alongside ? compile(cRange, undefined, true) : undefined;
      const [rows, earlyComparison] = await Promise.all([
        run(main.sql, main.params),
        compareAlongside ? run(compareAlongside.sql, compareAlongside.params) : undefined,
      ]);
      const results = rows.map((r) => shapeRow(q, r));

      if (cRange) {
        let cRows = earlyComparison;
        if (!cRows) {
          const comp = compile(cRange, restrictTo(q, rows), true);
          cRows = await run(comp.sql, comp.params);
        }
        attachComparisons(q, results, rows, cRows, range, cRange, unit);
      }

      const meta: QueryResult['meta'] = {};
      if (q.include.timeLabels) {
        const timeDim = q.dimensions.find(isBucketDimension);
        if (timeDim) meta.time_labels = timeLabels(unitOf(timeDim, unit), range);
      }
      if (q.include.totalRows) meta.total_rows = rows.length > 0 ? Number(rows[0]!.total_rows) : 0;
      return { results, meta, query: echo(q, s, range) };
    },
  };
}

function unitOf(dimension: string, auto: TimeUnit): TimeUnit {
  return dimension === 'time' ? auto : (dimension.slice(5) as TimeUnit);
}

function dimensionValue(name: string, raw: unknown): string | number {
  if (typeof raw === 'number' || typeof raw === 'bigint') return Number(raw);
  const v = raw === null || raw === undefined ? '' : String(raw);
  const source = dimensionSource(name);
  if (source?.from === 'column' && source.names === 'country') return countryName(v);
  if (source?.from === 'column' && source.names === 'region') return regionName(v);
  return v;
}

function shapeRow(q: Query, r: Raw): ResultRow {
  return {
    dimensions: q.dimensions.map((d, i) => dimensionValue(d, r[`d${i}`])),
    metrics: q.metrics.map((m) => metricValue(m, r[m])),
  };
}

function metricValue(m: Metric, raw: unknown): number | null {
  if (raw === null || raw === undefined) return null;
  return METRIC_DEFS[m].round(Number(raw));
}

/** A comparison only needs the rows the main result shows: restrict each non-time dimension to its values. */
function restrictTo(q: Query, rows: Raw[]): Filter[] {
  const out: Filter[] = [];
  if (rows.length === 0 || rows.length > 1000) return out;
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

function change(m: Metric, current: number | null, previous: number | null): number | null {
  if (current === null || previous === null) return null;
  if (m === 'bounce_rate') return current - previous;
  if (previous === 0) return current > 0 ? 100 : 0;
  return Math.round(((current - previous) / previous) * 100);
}

function attachComparisons(
  q: Query,
  results: ResultRow[],
  rows: Raw[],
  cRows: Raw[],
  range: ResolvedRange,
  cRange: ResolvedRange,
  auto: TimeUnit,
): void {
  const timeIndex = q.dimensions.findIndex(isBucketDimension);
  const labels = timeIndex >= 0 ? timeLabels(unitOf(q.dimensions[timeIndex]!, auto), range) : [];
  const cLabels = timeIndex >= 0 ? timeLabels(unitOf(q.dimensions[timeIndex]!, auto), cRange) : [];
  // Rows match on their dimension values; a time bucket matches the bucket at the same position.
  const key = (r: Raw, ownLabels: string[]) =>
    JSON.stringify(
      q.dimensions.map((_, i) => {
        const v = r[`d${i}`];
        if (i === timeIndex) return ownLabels.indexOf(String(v));
        return typeof v === 'bigint' ? Number(v) : v;
      }),
    );
  const byKey = new Map(cRows.map((r) => [key(r, cLabels), r]));
  results.forEach((res, n) => {
    const c = byKey.get(key(rows[n]!, labels));
    const cShaped = c ? shapeRow(q, c) : { dimensions: res.dimensions, metrics: q.metrics.map(() => 0) };
    res.comparison = {
      dimensions: cShaped.dimensions,
      metrics: cShaped.metrics,
      change: q.metrics.map((m, i) => change(m, res.metrics[i] ?? null, cShaped.metrics[i] ?? null)),
    };
  });
}

function echo(q: Query, site: Site, range: ResolvedRange): Record<string, unknown> {
  const include: Record<string, unknown> = {};
  if (q.include.timeLabels) include.time_labels = true;
  if (q.include.totalRows) include.total_rows = true;
  if (q.include.comparisons) include.comparisons = q.include.comparisons;
  return {
    site_id: site.domain,
    metrics: q.metrics,
    date_range: [toZonedIso(range.fromMs, range.timezone), toZonedIso(range.toMs - 1, range.timezone)],
    filters: q.filters.map(filterJson),
    dimensions: q.dimensions,
    order_by: q.orderBy ?? null,
    include,
    pagination: q.pagination,
  };
}

function filterJson(f: Filter): unknown {
  if (!isLeaf(f)) return f.op === 'not' ? ['not', filterJson(f.filter)] : [f.op, f.filters.map(filterJson)];
  return f.caseSensitive
    ? [f.op, f.dimension, f.values]
    : [f.op, f.dimension, f.values, { case_sensitive: false }];
}
