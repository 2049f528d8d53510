// The ten daily-aggregate tables of Plausible's CSV export (its lib/plausible/exports.ex writes
// them, lib/plausible/imported/csv_importer.ex reads them), defined once: the import reads
// their columns by name, the store keeps them in tables of the same names (schema.ts), the
// Stats API merges them (query/imported.ts) and `footfall export plausible` writes them.
//
// Each row is one day (in the site's time zone) and one value of the table's dimensions.
// Visitors are counted per day and value, so they cannot be added across days or values: a
// range's imported visitors are a sum of daily counts (Plausible does the same).
//
// Plausible's export has grown columns over the years (pageviews in every visit table,
// referrer and utm_source in sources, versions in browsers and systems, scroll depth and time
// on page in pages); a file from an older Plausible lacks some, and those read as 0 or ''.

export type ColumnKind = 'text' | 'count';

export interface ImportedColumn {
  name: string;
  kind: ColumnKind;
  /** A file must have it (older exports lack the others). */
  required?: boolean;
}

export interface ImportedTable {
  /** Plausible's table (and file) name, and the store's. */
  name: PlausibleTableName;
  /** Every column after `date`, in the order Plausible's export writes them. */
  columns: readonly ImportedColumn[];
  /** Columns older exports have and Footfall reads past (their meaning changed since). */
  ignored?: readonly string[];
}

export const PLAUSIBLE_TABLE_NAMES = [
  'imported_visitors',
  'imported_sources',
  'imported_pages',
  'imported_entry_pages',
  'imported_exit_pages',
  'imported_custom_events',
  'imported_locations',
  'imported_devices',
  'imported_browsers',
  'imported_operating_systems',
] as const;
export type PlausibleTableName = (typeof PLAUSIBLE_TABLE_NAMES)[number];

const text = (name: string, required = false): ImportedColumn => ({ name, kind: 'text', required });
const count = (name: string, required = false): ImportedColumn => ({ name, kind: 'count', required });
/** What every table of visits holds per row. */
const VISIT_COUNTS = [
  count('visitors', true),
  count('visits'),
  count('visit_duration'),
  count('bounces'),
  count('pageviews'),
];

export const IMPORTED_TABLES: Readonly<Record<PlausibleTableName, ImportedTable>> = {
  imported_visitors: {
    name: 'imported_visitors',
    columns: [
      count('visitors', true),
      count('pageviews'),
      count('bounces'),
      count('visits'),
      count('visit_duration'),
    ],
  },
  imported_sources: {
    name: 'imported_sources',
    columns: [
      text('source', true),
      text('referrer'),
      text('utm_source'),
      text('utm_medium'),
      text('utm_campaign'),
      text('utm_content'),
      text('utm_term'),
      count('pageviews'),
      count('visitors', true),
      count('visits'),
      count('visit_duration'),
      count('bounces'),
    ],
  },
  imported_pages: {
    name: 'imported_pages',
    columns: [
      text('hostname'),
      text('page', true),
      count('visits'),
      count('visitors', true),
      count('pageviews'),
      count('exits'),
      count('total_scroll_depth'),
      count('total_scroll_depth_visits'),
      count('total_time_on_page'),
      count('total_time_on_page_visits'),
    ],
    ignored: ['time_on_page', 'scroll_depth', 'pageleave_visitors'],
  },
  imported_entry_pages: {
    name: 'imported_entry_pages',
    columns: [
      text('entry_page', true),
      count('visitors', true),
      count('entrances'),
      count('visit_duration'),
      count('bounces'),
      count('pageviews'),
    ],
  },
  imported_exit_pages: {
    name: 'imported_exit_pages',
    columns: [
      text('exit_page', true),
      count('visitors', true),
      count('visit_duration'),
      count('exits'),
      count('bounces'),
      count('pageviews'),
    ],
  },
  imported_custom_events: {
    name: 'imported_custom_events',
    columns: [text('name', true), text('link_url'), text('path'), count('visitors', true), count('events')],
  },
  imported_locations: {
    name: 'imported_locations',
    // city: a GeoNames id (0 for none), as Plausible keeps it.
    columns: [text('country', true), text('region'), count('city'), ...VISIT_COUNTS],
  },
  imported_devices: { name: 'imported_devices', columns: [text('device', true), ...VISIT_COUNTS] },
  imported_browsers: {
    name: 'imported_browsers',
    columns: [text('browser', true), text('browser_version'), ...VISIT_COUNTS],
  },
  imported_operating_systems: {
    name: 'imported_operating_systems',
    columns: [text('operating_system', true), text('operating_system_version'), ...VISIT_COUNTS],
  },
};

/** A row of an imported table: `date` (YYYY-MM-DD) and the table's columns. */
export type ImportedRow = Record<string, string | number>;

/**
 * The table a file of the export holds: `imported_visitors.csv`, or with the export's range
 * `imported_visitors_20240101_20241231.csv`; Plausible also takes the names without
 * `imported_`. Undefined for any other name.
 */
export function tableOfFile(
  file: string,
): { table: PlausibleTableName; from?: string; to?: string } | undefined {
  const base = file.split('/').pop() ?? file;
  const m = /^(?:imported_)?([a-z_]+?)(?:_(\d{8})_(\d{8}))?\.csv$/.exec(base);
  if (!m) return undefined;
  const table = `imported_${m[1]}`;
  if (!(PLAUSIBLE_TABLE_NAMES as readonly string[]).includes(table)) return undefined;
  const day = (d: string | undefined) => d && `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
  return { table: table as PlausibleTableName, from: day(m[2]), to: day(m[3]) };
}
