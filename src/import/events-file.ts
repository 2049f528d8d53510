// Reads a raw event export (store/export-format.ts: Parquet, CSV or NDJSON, as `footfall export
// events` writes them) with an in-memory DuckDB, and turns each row into a stored event's row,
// checked as strictly as tracking checks its input. Rows keep their own visitor and session
// ids; run-import.ts gives the sessions new ids in the data directory they go into.
import { existsSync } from 'node:fs';
import { LIMITS } from '../collect/limits.js';
import { currencyCode, decimalAmount } from '../revenue/money.js';
import { ConfigError } from '../server/config.js';
import type { EventRow } from '../store/event-row.js';
import { EXPORT_COLUMNS, type ExportFormat, formatOfFile, TEXT_COLUMNS } from '../store/export-format.js';
import { TableFile } from './table-file.js';

/** An exported event: a stored row without its site (the import's site) and with its old session id. */
export type ExportedRow = Omit<EventRow, 'siteId'>;

export type ExportedItem = { id: string; row: ExportedRow } | { id: string; skip: string };

/** Events from before this are refused, as the log and seed imports refuse them. */
const FIRST_MS = Date.UTC(1990, 0, 1);
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const ID = /^\d{1,20}$/;
const U64_MAX = (1n << 64n) - 1n;

// NDJSON's columns are named when reading rows: detected types would turn an ISO time into a
// TIMESTAMP (and its text into another form) and ids into numbers.
const NDJSON_COLUMNS = `{${EXPORT_COLUMNS.map((c) => `'${c}': '${c === 'props' ? 'JSON' : 'VARCHAR'}'`).join(', ')}}`;

function reader(format: ExportFormat, typed = false): string {
  if (typed && format === 'ndjson')
    return `read_json($1, format = 'newline_delimited', columns = ${NDJSON_COLUMNS})`;
  switch (format) {
    case 'parquet':
      return 'read_parquet($1)';
    case 'csv':
      return "read_csv($1, header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')";
    case 'ndjson':
      return "read_json($1, format = 'newline_delimited', records = true)";
  }
}

/** Columns added after exports were first written: a file without them is an older export. */
const LATER_COLUMNS: ReadonlySet<string> = new Set(['revenue_amount', 'revenue_currency']);

/** Every column as text, props as a JSON object's text, in export order (NULL where absent). */
function selectText(format: ExportFormat, present: ReadonlySet<string>): string {
  return EXPORT_COLUMNS.map((c) => {
    if (!present.has(c)) return `NULL::VARCHAR AS ${c}`;
    if (c === 'props')
      return format === 'parquet' ? 'to_json(props)::VARCHAR AS props' : 'props::VARCHAR AS props';
    if (c === 'ts' && format === 'parquet') return "strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS ts";
    return `${c}::VARCHAR AS ${c}`;
  }).join(', ');
}

export class EventsFile {
  private constructor(
    private readonly table: TableFile,
    readonly format: ExportFormat,
    private readonly present: ReadonlySet<string>,
  ) {}

  get file(): string {
    return this.table.file;
  }
  get sha256(): string {
    return this.table.sha256;
  }
  get total(): number {
    return this.table.total;
  }

  /** Opens and checks the file: a clear ConfigError naming it and the fix otherwise. */
  static async open(file: string, format?: ExportFormat): Promise<EventsFile> {
    const fmt = format ?? formatOfFile(file);
    if (!existsSync(file)) throw new ConfigError(`${file} does not exist`);
    if (!fmt) {
      throw new ConfigError(
        `${file}: say which format it is with --format parquet|csv|ndjson (or name it .parquet, .csv, .ndjson)`,
      );
    }
    let present: ReadonlySet<string> = new Set(EXPORT_COLUMNS);
    const table = await TableFile.open(
      file,
      reader(fmt),
      (why) => `${file} cannot be read as ${fmt} (${why}): import a file \`footfall export events\` wrote`,
      (names) => {
        present = new Set(names);
        const missing = EXPORT_COLUMNS.filter((c) => !names.includes(c) && !LATER_COLUMNS.has(c));
        const unknown = names.filter((n) => !EXPORT_COLUMNS.includes(n));
        if (missing.length > 0 || unknown.length > 0) {
          throw new ConfigError(
            `${file} is not a Footfall event export: ${[
              missing.length > 0 ? `missing columns ${missing.join(', ')}` : '',
              unknown.length > 0 ? `unknown columns ${unknown.join(', ')}` : '',
            ]
              .filter(Boolean)
              .join('; ')}`,
          );
        }
      },
    );
    // The typed NDJSON reader names every column itself (an absent key reads as NULL).
    return new EventsFile(table, fmt, fmt === 'ndjson' ? new Set(EXPORT_COLUMNS) : present);
  }

  /** The rows in file order, each an event or the reason it is skipped. */
  async *items(nowMs: number): AsyncGenerator<ExportedItem> {
    let n = 0;
    for await (const r of this.table.rows(
      `SELECT ${selectText(this.format, this.present)} FROM ${reader(this.format, true)}`,
    )) {
      n++;
      const id = `row ${n}`;
      const row = toRow(r as Record<string, string | null>, this.format === 'csv', nowMs);
      yield typeof row === 'string' ? { id, skip: row } : { id, row };
    }
  }

  close(): void {
    this.table.close();
  }
}

/** A CSV cell as exported: a leading apostrophe escapes a formula character (or itself). */
function unescapeCell(v: string): string {
  return v.length > 1 && v[0] === "'" && "'=+-@\t\r".includes(v[1]!) ? v.slice(1) : v;
}

const TEXT_LIMITS: Readonly<Record<string, number>> = {
  name: LIMITS.nameChars,
  title: LIMITS.titleChars,
  referrer: LIMITS.referrerBytes,
};

/** The row, or why it cannot be stored. */
function toRow(r: Record<string, string | null>, csv: boolean, nowMs: number): ExportedRow | string {
  const text: Record<string, string> = {};
  for (const c of TEXT_COLUMNS) {
    const raw = r[c] ?? '';
    const v = csv ? unescapeCell(raw) : raw;
    if (v.includes('\0') || v.length > (TEXT_LIMITS[c] ?? LIMITS.urlBytes)) return `bad_${c}`;
    text[c] = v;
  }
  if (text.name === '') return 'bad_name';
  const ts = r.ts ?? '';
  const ms = ISO_UTC.test(ts) ? Date.parse(ts) : Number.NaN;
  if (!Number.isFinite(ms) || ms < FIRST_MS || ms > nowMs + 60_000) return 'bad_time';
  const ids: bigint[] = [];
  for (const c of ['visitor_id', 'session_id']) {
    const v = r[c] ?? '';
    if (!ID.test(v) || BigInt(v) > U64_MAX) return `bad_${c}`;
    ids.push(BigInt(v));
  }
  if (r.interactive !== 'true' && r.interactive !== 'false') return 'bad_interactive';
  const num = (v: string | null, max: number): number | null | undefined => {
    if (v === null || v === '') return null;
    if (!/^\d{1,10}$/.test(v) || Number(v) > max) return undefined;
    return Number(v);
  };
  const scrollDepth = num(r.scroll_depth ?? null, 100);
  const engagementMs = num(r.engagement_ms ?? null, 0xffffffff);
  if (scrollDepth === undefined) return 'bad_scroll_depth';
  if (engagementMs === undefined) return 'bad_engagement_ms';
  const props = parseProps(r.props ?? '{}');
  if (!props) return 'bad_props';
  // Revenue: both or neither (exports made before revenue have neither column).
  const amount = r.revenue_amount ?? '';
  const currency = r.revenue_currency ?? '';
  const revenueAmount = amount === '' ? null : decimalAmount(amount);
  const revenueCurrency = currency === '' ? null : currencyCode(currency);
  if (
    revenueAmount === undefined ||
    revenueCurrency === undefined ||
    (revenueAmount === null) !== (revenueCurrency === null)
  )
    return 'bad_revenue';
  return {
    ts: ms,
    name: text.name!,
    hostname: text.hostname!,
    pathname: text.pathname!,
    title: text.title!,
    referrer: text.referrer!,
    referrerHost: text.referrer_host!,
    utmSource: text.utm_source!,
    utmMedium: text.utm_medium!,
    utmCampaign: text.utm_campaign!,
    utmTerm: text.utm_term!,
    utmContent: text.utm_content!,
    props,
    interactive: r.interactive === 'true',
    visitorId: ids[0]!,
    sessionId: ids[1]!,
    browser: text.browser!,
    browserVersion: text.browser_version!,
    os: text.os!,
    osVersion: text.os_version!,
    device: text.device!,
    screen: text.screen!,
    language: text.language!,
    country: text.country!,
    region: text.region!,
    city: text.city!,
    source: text.source!,
    channel: text.channel!,
    scrollDepth,
    engagementMs,
    revenueAmount,
    revenueCurrency,
  };
}

function parseProps(json: string): [string, string][] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > LIMITS.props) return undefined;
  const out: [string, string][] = [];
  for (const [k, v] of entries) {
    if (
      typeof v !== 'string' ||
      Buffer.byteLength(k) > LIMITS.propKeyBytes ||
      Buffer.byteLength(v) > LIMITS.propValueBytes
    ) {
      return undefined;
    }
    out.push([k, v]);
  }
  return out;
}
