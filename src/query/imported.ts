// `include: {imports: true}`: imported daily aggregates (src/import/plausible-tables.ts) merged
// into a Stats API answer the way Plausible does (its lib/plausible/stats/imported/): a query
// reads ONE imported table — the one that holds every dimension it groups or filters by
// (`imported_visitors` when there is none) — over the range's days, and each row's counts are
// added to the tracked row with the same dimension values.
//
// What cannot be answered from daily aggregates is left out and said so in `meta`, never
// guessed: dimensions or filters from two tables (sources by country), hours and parts of a
// day (`unsupported_interval`), goals, properties and cities (Plausible keeps GeoNames ids)
// (`unsupported_query`). Scroll depth and time on page stay the tracked values. A compared period gets its
// own imported days merged in the same way.
//
// Counts: visitors, visits, page views and events add up. Rates are weighted by their visits:
// bounce rate = (tracked bounces + imported bounces) / (tracked visits + imported visits),
// likewise visit duration and views per visit; rows of imported_pages carry no visit facts
// (weight 0), so a page's rates stay the tracked ones, as in Plausible. Visitors are a sum of
// daily counts per value: one person on two days is two imported visitors (Plausible too).
import type { PlausibleTableName } from '../import/plausible-tables.js';
import type { AggregateImport, ImportedStore } from '../store/imported.js';
import { compileFilters } from './compile-filter.js';
import type { ResolvedRange } from './date-range.js';
import { Params } from './dialect.js';
import { duckdbDialect } from './dialects/duckdb.js';
import { dimensionSource, isBucketDimension, isTimeDimension } from './dimensions.js';
import { filterDimensions } from './event-scope.js';
import { usesGoals } from './goal-rules.js';
import { holdsBehavioural, type Metric, type Query, type TimeUnit } from './model.js';
import type { Raw } from './shape-rows.js';

export type ImportsSkipReason =
  | 'no_imported_data'
  | 'out_of_range'
  | 'unsupported_query'
  | 'unsupported_interval';

/** Plausible's words for a skip a client should show. */
export const IMPORTS_WARNINGS: Partial<Record<ImportsSkipReason, string>> = {
  unsupported_query:
    'Imported stats are not included in the results because query parameters are not supported. For more information, see the README: "Imported stats".',
  unsupported_interval:
    'Imported stats are not included because the time dimension (i.e. the interval) is too short.',
};

/** Which table holds a dimension, and under which column. */
const DIMENSION_COLUMNS: Readonly<Record<string, readonly [PlausibleTableName, string]>> = {
  'visit:source': ['imported_sources', 'source'],
  'visit:referrer': ['imported_sources', 'referrer'],
  'visit:channel': ['imported_sources', 'channel'],
  'visit:utm_source': ['imported_sources', 'utm_source'],
  'visit:utm_medium': ['imported_sources', 'utm_medium'],
  'visit:utm_campaign': ['imported_sources', 'utm_campaign'],
  'visit:utm_content': ['imported_sources', 'utm_content'],
  'visit:utm_term': ['imported_sources', 'utm_term'],
  'visit:entry_page': ['imported_entry_pages', 'entry_page'],
  'visit:exit_page': ['imported_exit_pages', 'exit_page'],
  'visit:country': ['imported_locations', 'country'],
  'visit:region': ['imported_locations', 'region'],
  // Plausible's device is the screen-size class: Footfall's visit:screen (README, "differs").
  'visit:screen': ['imported_devices', 'device'],
  'visit:browser': ['imported_browsers', 'browser'],
  'visit:browser_version': ['imported_browsers', 'browser_version'],
  'visit:os': ['imported_operating_systems', 'operating_system'],
  'visit:os_version': ['imported_operating_systems', 'operating_system_version'],
  'event:page': ['imported_pages', 'page'],
  'event:hostname': ['imported_pages', 'hostname'],
  'event:name': ['imported_custom_events', 'name'],
};
/** Dimensions shown by name whose filters read a names table the metadata file lacks: breakdowns only. */
const NAMED: Readonly<Record<string, string>> = {
  'visit:country_name': 'visit:country',
  'visit:region_name': 'visit:region',
};
const MERGEABLE: ReadonlySet<Metric> = new Set([
  'visitors',
  'visits',
  'pageviews',
  'events',
  'percentage',
  'bounce_rate',
  'visit_duration',
  'views_per_visit',
  // Engagement stays the tracked one: an export's pages carry no engagement Footfall can
  // weigh against its own (see mergeRows), as their bounce rates carry no visits.
  'scroll_depth',
  'time_on_page',
]);
const RATES: readonly Metric[] = ['bounce_rate', 'visit_duration', 'views_per_visit'];

/** The visits a table's visit facts are over (0: it has none), and its visits. */
const VISITS_OF: Readonly<Record<PlausibleTableName, { visits: string; weight: string }>> = {
  imported_visitors: { visits: 'visits', weight: 'visits' },
  imported_sources: { visits: 'visits', weight: 'visits' },
  imported_pages: { visits: 'visits', weight: '0' },
  imported_entry_pages: { visits: 'entrances', weight: 'entrances' },
  imported_exit_pages: { visits: 'exits', weight: 'exits' },
  imported_custom_events: { visits: '0', weight: '0' },
  imported_locations: { visits: 'visits', weight: 'visits' },
  imported_devices: { visits: 'visits', weight: 'visits' },
  imported_browsers: { visits: 'visits', weight: 'visits' },
  imported_operating_systems: { visits: 'visits', weight: 'visits' },
};

export interface ImportsPlan {
  table: PlausibleTableName;
  /** The time unit of a bucket dimension, if the query has one. */
  unit: TimeUnit | undefined;
}

/** The table a query reads, or why imports cannot answer it (before looking at the data). */
export function planImports(q: Query, autoUnit: TimeUnit): ImportsPlan | { skip: ImportsSkipReason } {
  // Daily aggregates know no goals and no visits (behavioural filters).
  if (usesGoals(q) || holdsBehavioural(q.filters)) return { skip: 'unsupported_query' };
  if (q.metrics.some((m) => !MERGEABLE.has(m))) return { skip: 'unsupported_query' };
  let unit: TimeUnit | undefined;
  const tables = new Set<PlausibleTableName>();
  for (const d of q.dimensions) {
    if (isTimeDimension(d)) {
      if (!isBucketDimension(d)) return { skip: 'unsupported_query' };
      unit = d === 'time' ? autoUnit : (d.slice(5) as TimeUnit);
      if (unit === 'hour') return { skip: 'unsupported_interval' };
      continue;
    }
    const column = DIMENSION_COLUMNS[NAMED[d] ?? d];
    if (!column) return { skip: 'unsupported_query' };
    tables.add(column[0]);
  }
  for (const d of filterDimensions(q.filters)) {
    const column = DIMENSION_COLUMNS[d];
    if (!column) return { skip: 'unsupported_query' };
    tables.add(column[0]);
  }
  if (tables.size > 1) return { skip: 'unsupported_query' };
  return { table: [...tables][0] ?? 'imported_visitors', unit };
}

/** Whether any import of the site has a day in the range (`out_of_range` otherwise). */
export function importsInRange(imports: readonly AggregateImport[], range: ResolvedRange): boolean {
  return imports.some(
    (i) =>
      i.firstDate !== null &&
      i.lastDate !== null &&
      i.firstDate <= range.lastDate &&
      i.lastDate >= range.firstDate,
  );
}

/** The imported rows of a query: d0… as the compiler names them, and the counts to merge. */
export async function importedRows(
  store: ImportedStore,
  q: Query,
  plan: ImportsPlan,
  siteId: number,
  range: ResolvedRange,
  grouped = true,
): Promise<Raw[]> {
  const params = new Params(duckdbDialect);
  const t = plan.table;
  const dims = grouped
    ? q.dimensions.map((d) => {
        if (isTimeDimension(d)) {
          // Weeks start on Mondays, the first at the range's first day (as tracked buckets do).
          const first = plan.unit === 'week' ? params.add(range.firstDate) : '';
          return duckdbDialect.bucketText(duckdbDialect.timeBucket(plan.unit!, 'date', first));
        }
        const column = DIMENSION_COLUMNS[NAMED[d] ?? d]![1];
        const empty = dimensionSource(d);
        const shown = empty?.from === 'column' ? empty.empty : undefined;
        // As the tracked rows show an empty value: "(not set)", "Direct / None".
        return shown === undefined
          ? column
          : `CASE WHEN ${column} = '' THEN ${params.add(shown)} ELSE ${column} END`;
      })
    : [];
  const filter = compileFilters(q.filters, {
    dialect: duckdbDialect,
    params,
    dimension: (name) => DIMENSION_COLUMNS[name]![1],
    presence: () => undefined,
    // planImports sends goal and behavioural filters to the tracked events alone.
    goal: () => {
      throw new Error('imported aggregates take no goal filter');
    },
    done: () => {
      throw new Error('imported aggregates take no behavioural filter');
    },
  });
  const { visits, weight } = VISITS_OF[t];
  const events = t === 'imported_custom_events' ? 'events' : 'pageviews';
  const pageviews = t === 'imported_custom_events' ? '0' : 'pageviews';
  const bounces = weight === '0' ? '0' : 'bounces';
  const duration = weight === '0' ? '0' : 'visit_duration';
  const sql =
    `SELECT ${dims.map((x, i) => `${x} AS d${i}, `).join('')}sum(visitors) AS visitors, sum(${visits}) AS visits, ` +
    `sum(${pageviews}) AS pageviews, sum(${events}) AS events, sum(${bounces}) AS bounces, ` +
    `sum(${duration}) AS duration, sum(${weight === '0' ? '0' : pageviews}) AS rate_pageviews, sum(${weight}) AS weight ` +
    `FROM ${t} WHERE site_id = ${params.add(siteId)} ` +
    `AND date BETWEEN CAST(${params.add(range.firstDate)} AS DATE) AND CAST(${params.add(range.lastDate)} AS DATE) ` +
    `AND (${filter})${dims.length > 0 ? ' GROUP BY ALL' : ''}`;
  const rows = await store.readImported(sql, params.values);
  // An aggregate over no rows is one row of NULLs; a breakdown has no such row.
  return rows.filter((r) => r.visitors !== null && r.visitors !== undefined);
}

/** The metrics a tracked query must also select: visits to weight the rates, visitors for shares. */
export function nativeMetrics(q: Query): Metric[] {
  const extra: Metric[] = [];
  if (q.metrics.some((m) => RATES.includes(m)) && !q.metrics.includes('visits')) extra.push('visits');
  if (q.metrics.includes('percentage') && !q.metrics.includes('visitors')) extra.push('visitors');
  return [...q.metrics, ...extra];
}

/**
 * Tracked rows (unpaged, with nativeMetrics) + imported rows → the merged rows, ordered and
 * paged as the query asks (unless `paged` is false), each with `total_rows`. `totals` are the tracked and imported
 * visitors of the whole range (for `percentage`).
 */
export function mergeRows(
  q: Query,
  orderBy: readonly [string, 'asc' | 'desc'][],
  native: readonly Raw[],
  imported: readonly Raw[],
  totals: { native: number; imported: number },
  paged = true,
): Raw[] {
  const dimKeys = q.dimensions.map((_, i) => `d${i}`);
  const keyOf = (r: Raw) => JSON.stringify(dimKeys.map((k) => r[k] ?? null));
  const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
  const byKey = new Map<string, { n?: Raw; i?: Raw }>();
  for (const r of native) byKey.set(keyOf(r), { n: r });
  for (const r of imported) {
    const k = keyOf(r);
    const e = byKey.get(k);
    if (e) e.i = r;
    else byKey.set(k, { i: r });
  }
  const allVisitors = totals.native + totals.imported;
  const rows: Raw[] = [];
  for (const { n, i } of byKey.values()) {
    const out: Raw = {};
    for (const k of dimKeys) out[k] = (n ?? i)![k];
    const nw = num(n?.visits);
    const iw = num(i?.weight);
    const weighted = (nativeRate: unknown, scale: number, importedSum: unknown) =>
      nw + iw === 0 ? 0 : ((num(nativeRate) * nw) / scale + num(importedSum)) / (nw + iw);
    for (const m of q.metrics) {
      switch (m) {
        case 'visitors':
        case 'visits':
        case 'pageviews':
        case 'events':
          out[m] = num(n?.[m]) + num(i?.[m]);
          break;
        case 'percentage':
          out[m] = allVisitors === 0 ? 0 : (100 * (num(n?.visitors) + num(i?.visitors))) / allVisitors;
          break;
        case 'bounce_rate':
          out[m] = 100 * weighted(n?.bounce_rate, 100, i?.bounces);
          break;
        case 'visit_duration':
          out[m] = weighted(n?.visit_duration, 1, i?.duration);
          break;
        case 'views_per_visit':
          out[m] = weighted(n?.views_per_visit, 1, i?.rate_pageviews);
          break;
        default:
          // scroll_depth, time_on_page: the tracked value (planImports refuses the others).
          out[m] = n?.[m] ?? null;
      }
    }
    // A breakdown lists a value only where someone was seen, tracked or imported.
    if (q.dimensions.length === 0 || n || num(i?.visitors) > 0) rows.push(out);
  }
  if (q.dimensions.length === 0 && rows.length === 0) rows.push(emptyRow(q));
  const column = (name: string) => {
    const d = q.dimensions.indexOf(name);
    return d >= 0 ? `d${d}` : name;
  };
  const compare = (a: unknown, b: unknown) => {
    if (typeof a === 'number' || typeof b === 'number') return num(a) - num(b);
    return String(a ?? '') < String(b ?? '') ? -1 : String(a ?? '') > String(b ?? '') ? 1 : 0;
  };
  rows.sort((a, b) => {
    for (const [name, dir] of orderBy) {
      const c = compare(a[column(name)], b[column(name)]);
      if (c !== 0) return dir === 'asc' ? c : -c;
    }
    for (const k of dimKeys) {
      const c = compare(a[k], b[k]);
      if (c !== 0) return c;
    }
    return 0;
  });
  const total = rows.length;
  return (paged ? rows.slice(q.pagination.offset, q.pagination.offset + q.pagination.limit) : rows).map(
    (r) => ({
      ...r,
      total_rows: total,
    }),
  );
}

function emptyRow(q: Query): Raw {
  return Object.fromEntries(q.metrics.map((m) => [m, 0]));
}
