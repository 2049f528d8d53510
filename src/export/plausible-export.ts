// `footfall export plausible`: a site's tracked events as Plausible's CSV export (the zip its
// "Export data" makes: ten imported_*.csv daily aggregates, plausible-tables.ts), so the data
// can move to Plausible — or into another Footfall with `footfall import plausible`.
//
// Each table is a Stats API breakdown by day and the table's dimensions, compiled and run by
// Footfall's own query compiler (unrounded), so an exported day reads exactly as Footfall
// answers for that day: visitors, visits, page views, bounces (bounce rate × visits) and visit
// duration (mean × visits). As Plausible's export, it holds tracked events only (not earlier
// imports). Footfall keeps city names where Plausible keeps GeoNames ids, so `city` is 0;
// scroll depth, time on page, exits of pages and the URLs of link-click goals are left empty.
import { zipSync } from 'fflate';
import {
  IMPORTED_TABLES,
  type ImportedRow,
  PLAUSIBLE_TABLE_NAMES,
  type PlausibleTableName,
} from '../import/plausible-tables.js';
import { compileQuery } from '../query/compile.js';
import { dimensionSource } from '../query/dimensions.js';
import type { Filter, Metric, Query } from '../query/model.js';
import type { QueryEngine } from '../query/run-query.js';
import { CSV_ESCAPED_START } from '../store/export-format.js';
import type { Site } from '../store/types.js';
import { csvCell } from './csv.js';

/** A table's breakdown: the dimensions after the day, and the column each one fills. */
interface TableQuery {
  dimensions: [string, string][];
  metrics: Metric[];
  filters?: Filter[];
  /** The table's count columns from a row's unrounded metrics. */
  counts(m: Record<string, number>): Record<string, number>;
}

const VISIT_METRICS: Metric[] = [
  'visitors',
  'visits',
  'pageviews',
  'bounce_rate',
  'visit_duration',
  'views_per_visit',
];
/** A visits table's counts: its page views are its visits' (Plausible's sessions table). */
const visitCounts = (m: Record<string, number>) => ({
  visitors: m.visitors!,
  visits: m.visits!,
  pageviews: Math.round(m.views_per_visit! * m.visits!),
  bounces: Math.round((m.bounce_rate! * m.visits!) / 100),
  visit_duration: Math.round(m.visit_duration! * m.visits!),
});

const QUERIES: Readonly<Record<PlausibleTableName, TableQuery>> = {
  imported_visitors: {
    dimensions: [],
    metrics: VISIT_METRICS,
    // Page views by the day they happened, as Plausible's export counts them here.
    counts: (m) => ({ ...visitCounts(m), pageviews: m.pageviews! }),
  },
  imported_sources: {
    dimensions: [
      ['visit:source', 'source'],
      ['visit:referrer', 'referrer'],
      ['visit:utm_source', 'utm_source'],
      ['visit:utm_medium', 'utm_medium'],
      ['visit:utm_campaign', 'utm_campaign'],
      ['visit:utm_content', 'utm_content'],
      ['visit:utm_term', 'utm_term'],
    ],
    metrics: VISIT_METRICS,
    counts: visitCounts,
  },
  imported_pages: {
    dimensions: [
      ['event:hostname', 'hostname'],
      ['event:page', 'page'],
    ],
    metrics: ['visitors', 'visits', 'pageviews'],
    counts: (m) => ({ visitors: m.visitors!, visits: m.visits!, pageviews: m.pageviews! }),
  },
  imported_entry_pages: {
    dimensions: [['visit:entry_page', 'entry_page']],
    metrics: VISIT_METRICS,
    counts: (m) => {
      const { visits, ...rest } = visitCounts(m);
      return { ...rest, entrances: visits };
    },
  },
  imported_exit_pages: {
    dimensions: [['visit:exit_page', 'exit_page']],
    metrics: VISIT_METRICS,
    counts: (m) => {
      const { visits, ...rest } = visitCounts(m);
      return { ...rest, exits: visits };
    },
  },
  imported_custom_events: {
    dimensions: [['event:name', 'name']],
    metrics: ['visitors', 'events'],
    filters: [{ op: 'is_not', dimension: 'event:name', values: ['pageview'], caseSensitive: true }],
    counts: (m) => ({ visitors: m.visitors!, events: m.events! }),
  },
  imported_locations: {
    dimensions: [
      ['visit:country', 'country'],
      ['visit:region', 'region'],
    ],
    metrics: VISIT_METRICS,
    // Plausible leaves visits without a known country out of this table.
    filters: [{ op: 'is_not', dimension: 'visit:country', values: [''], caseSensitive: true }],
    counts: visitCounts,
  },
  imported_devices: { dimensions: [['visit:screen', 'device']], metrics: VISIT_METRICS, counts: visitCounts },
  imported_browsers: {
    dimensions: [
      ['visit:browser', 'browser'],
      ['visit:browser_version', 'browser_version'],
    ],
    metrics: VISIT_METRICS,
    counts: visitCounts,
  },
  imported_operating_systems: {
    dimensions: [
      ['visit:os', 'operating_system'],
      ['visit:os_version', 'operating_system_version'],
    ],
    metrics: VISIT_METRICS,
    counts: visitCounts,
  },
};

export interface PlausibleZip {
  zip: Uint8Array;
  /** File name → data rows written. */
  rows: Record<string, number>;
  firstDate: string;
  lastDate: string;
}

/** The site's tracked days as Plausible's export zip (empty tables when it has no events). */
export async function plausibleZip(engine: QueryEngine, site: Site): Promise<PlausibleZip> {
  const range = await engine.resolve(site, 'all');
  const tables = new Map<PlausibleTableName, ImportedRow[]>();
  const tableRows = async (table: PlausibleTableName): Promise<ImportedRow[]> => {
    const spec = QUERIES[table];
    const query: Query = {
      siteId: site.domain,
      metrics: spec.metrics,
      dateRange: 'all',
      dimensions: ['time:day', ...spec.dimensions.map(([d]) => d)],
      filters: spec.filters ?? [],
      orderBy: [['time:day', 'asc']],
      include: { timeLabels: false, totalRows: false, comparisons: undefined },
      pagination: { limit: Number.MAX_SAFE_INTEGER, offset: 0 },
    };
    const compiled = compileQuery({
      query,
      siteKey: site.id,
      range,
      timeUnit: 'day',
      unpaged: true,
      dialect: engine.dialect,
    });
    const rows: ImportedRow[] = [];
    for (const r of await engine.run(compiled.sql, compiled.params)) {
      const metrics = Object.fromEntries(spec.metrics.map((m) => [m, Number(r[m] ?? 0)]));
      // A day where no visit of the value began has nothing Plausible would keep.
      if (metrics.visitors === 0 && (metrics.visits ?? 0) === 0 && (metrics.events ?? 0) === 0) continue;
      const row: ImportedRow = { date: String(r.d0) };
      spec.dimensions.forEach(([d, column], i) => {
        row[column] = storedValue(d, r[`d${i + 1}`]);
      });
      Object.assign(row, spec.counts(metrics));
      rows.push(row);
    }
    return rows;
  };
  // Two statements at a time (a third connection stays free for dashboards): 954,501 events
  // over 180 days took 22 s one table after another, 15 s this way (2 cores, shared).
  const queue = [...PLAUSIBLE_TABLE_NAMES];
  const worker = async () => {
    for (let t = queue.shift(); t; t = queue.shift()) tables.set(t, await tableRows(t));
  };
  await Promise.all([worker(), worker()]);
  // Named by the first and last day with data, as Plausible names its files.
  const days = tables.get('imported_visitors')!.map((r) => String(r.date));
  const firstDate = days[0] ?? range.firstDate;
  const lastDate = days.at(-1) ?? range.lastDate;
  const suffix = `_${firstDate.replaceAll('-', '')}_${lastDate.replaceAll('-', '')}.csv`;
  const files: Record<string, Uint8Array> = {};
  const counts: Record<string, number> = {};
  for (const table of PLAUSIBLE_TABLE_NAMES) {
    const rows = tables.get(table)!;
    files[`${table}${suffix}`] = new TextEncoder().encode(csvText(table, rows));
    counts[`${table}${suffix}`] = rows.length;
  }
  return { zip: zipSync(files, { level: 6 }), rows: counts, firstDate, lastDate };
}

/** What a shown value was stored as: "(not set)" and "Direct / None" are Plausible's ''. */
function storedValue(dimension: string, raw: unknown): string {
  const v = raw === null || raw === undefined ? '' : String(raw);
  const source = dimensionSource(dimension);
  return source?.from === 'column' && source.empty === v ? '' : v;
}

function csvText(table: PlausibleTableName, rows: readonly ImportedRow[]): string {
  const columns = ['date', ...IMPORTED_TABLES[table].columns.map((c) => c.name)];
  const lines = [columns.join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(r[c] ?? (isCount(table, c) ? 0 : ''))).join(','));
  return `${lines.join('\n')}\n`;
}

function isCount(table: PlausibleTableName, column: string): boolean {
  return IMPORTED_TABLES[table].columns.some((c) => c.name === column && c.kind === 'count');
}

/**
 * A formula-safe CSV cell: text a spreadsheet would run (= + - @ tab CR) or that starts with
 * an apostrophe gets a leading apostrophe, which `footfall import plausible` removes again.
 */
function cell(value: string | number): string {
  return typeof value === 'number' ? String(value) : csvCell(value, CSV_ESCAPED_START);
}
