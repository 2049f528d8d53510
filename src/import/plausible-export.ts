// Reading Plausible's CSV export: a zip of `imported_*.csv` files (plausible-tables.ts), each
// with a header row. Everything is checked before anything is stored, and a file that cannot
// be read is refused with one line naming the entry, the line and the fix: not a zip, a
// truncated zip, a file of another name, an unknown or missing column, a bad date or count.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { ConfigError } from '../server/config.js';
import { CSV_ESCAPED_START } from '../store/export-format.js';
import { CsvSyntaxError, csvRecords } from './csv-text.js';
import {
  IMPORTED_TABLES,
  type ImportedRow,
  type PlausibleTableName,
  tableOfFile,
} from './plausible-tables.js';

/** An entry larger than this (uncompressed) is refused: years of daily rows are far smaller. */
const MAX_ENTRY_BYTES = 512 * 1024 * 1024;
/** All entries together: a zip that would inflate past this is refused before it is inflated. */
const MAX_TOTAL_BYTES = 1024 * 1024 * 1024;
const EARLIEST = '1990-01-01';

export interface PlausibleExport {
  file: string;
  sha256: string;
  tables: Map<PlausibleTableName, ImportedRow[]>;
  /** The first and last day of any row (undefined when the export has no rows). */
  firstDate: string | undefined;
  lastDate: string | undefined;
  rows: number;
}

/** The latest day an export may hold at `nowMs`: Plausible's zones run to UTC+14, so a day begun anywhere is not in the future. */
export function latestExportDay(nowMs: number): string {
  return new Date(nowMs + 14 * 3_600_000).toISOString().slice(0, 10);
}

/** Reads and checks the zip at `file`; `today` (YYYY-MM-DD) bounds the dates. */
export function readPlausibleExport(file: string, today: string): PlausibleExport {
  if (!existsSync(file)) throw new ConfigError(`${file} does not exist`);
  return readPlausibleZip(file, readFileSync(file), today);
}

/** The same for a zip's bytes (sent to a running server); `file` names it in messages. */
export function readPlausibleZip(file: string, bytes: Uint8Array, today: string): PlausibleExport {
  let entries: Record<string, Uint8Array>;
  let total = 0;
  try {
    entries = unzipSync(bytes, {
      filter: (e) => {
        total += e.originalSize;
        if (e.originalSize > MAX_ENTRY_BYTES || total > MAX_TOTAL_BYTES) {
          throw new ConfigError(
            `${file}: ${e.name} makes it larger than 512 MB a file or 1 GB in all uncompressed; not a Plausible export`,
          );
        }
        return !e.name.endsWith('/');
      },
    });
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(
      `${file} is not a readable zip archive (${(err as Error).message}): give the .zip Plausible's "Export data" made, downloaded whole`,
    );
  }
  const tables = new Map<PlausibleTableName, ImportedRow[]>();
  let firstDate: string | undefined;
  let lastDate: string | undefined;
  let rows = 0;
  for (const [name, data] of Object.entries(entries)) {
    const base = name.split('/').pop() ?? name;
    if (base.startsWith('.') || name.startsWith('__MACOSX/')) continue; // a desktop's zip litter
    const target = tableOfFile(name);
    if (!target) {
      throw new ConfigError(
        `${file}: ${name} is not a file of Plausible's export (expected imported_visitors, imported_sources, … .csv)`,
      );
    }
    if (tables.has(target.table)) {
      throw new ConfigError(`${file}: ${name} is the second file of ${target.table}; give one of each`);
    }
    const parsed = readTable(`${file}: ${name}`, target.table, data, today);
    tables.set(target.table, parsed);
    for (const r of parsed) {
      const d = r.date as string;
      if (firstDate === undefined || d < firstDate) firstDate = d;
      if (lastDate === undefined || d > lastDate) lastDate = d;
    }
    rows += parsed.length;
  }
  if (tables.size === 0) {
    throw new ConfigError(
      `${file} holds no imported_*.csv file: give the .zip Plausible's "Export data" made`,
    );
  }
  return {
    file,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    tables,
    firstDate,
    lastDate,
    rows,
  };
}

function readTable(where: string, table: PlausibleTableName, data: Uint8Array, today: string): ImportedRow[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new ConfigError(`${where} is not UTF-8 text`);
  }
  const def = IMPORTED_TABLES[table];
  const out: ImportedRow[] = [];
  let header: string[] | undefined;
  try {
    for (const { line, cells } of csvRecords(text)) {
      if (!header) {
        header = cells;
        checkHeader(where, table, header);
        continue;
      }
      if (cells.length !== header.length) {
        throw new ConfigError(
          `${where} line ${line}: ${cells.length} cells where the header has ${header.length}`,
        );
      }
      const byName = new Map(header.map((h, i) => [h, cells[i]!]));
      const date = byName.get('date')!;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
        throw new ConfigError(`${where} line ${line}: date ${JSON.stringify(date)} is not YYYY-MM-DD`);
      }
      if (date < EARLIEST || date > today) {
        throw new ConfigError(`${where} line ${line}: date ${date} is before 1990 or in the future`);
      }
      const row: ImportedRow = { date };
      for (const c of def.columns) {
        const v = byName.get(c.name);
        if (c.kind === 'text') {
          row[c.name] = unescapeCell(v ?? '');
        } else if (v === undefined || v === '') {
          row[c.name] = 0;
        } else if (/^\d{1,15}$/.test(v)) {
          row[c.name] = Number(v);
        } else {
          throw new ConfigError(
            `${where} line ${line}: ${c.name} ${JSON.stringify(v.slice(0, 40))} is not a whole number`,
          );
        }
      }
      out.push(row);
    }
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new ConfigError(`${where} line ${err.line}: ${err.message}`);
    throw err;
  }
  if (!header) throw new ConfigError(`${where} is empty: it needs at least its header line`);
  return out;
}

function checkHeader(where: string, table: PlausibleTableName, header: string[]): void {
  const def = IMPORTED_TABLES[table];
  const known = new Set(['date', ...def.columns.map((c) => c.name), ...(def.ignored ?? [])]);
  const unknown = header.filter((h) => !known.has(h));
  if (unknown.length > 0) {
    throw new ConfigError(
      `${where} line 1: unknown column ${unknown.map((u) => JSON.stringify(u.slice(0, 40))).join(', ')}; ${table} has ${[...known].join(', ')}`,
    );
  }
  const missing = ['date', ...def.columns.filter((c) => c.required).map((c) => c.name)].filter(
    (c) => !header.includes(c),
  );
  if (missing.length > 0)
    throw new ConfigError(`${where} line 1: the column ${missing.join(', ')} is missing`);
  if (new Set(header).size !== header.length)
    throw new ConfigError(`${where} line 1: a column is named twice`);
}

/** Footfall's own export escapes formula cells with an apostrophe (plausible-zip.ts): undone here. */
function unescapeCell(v: string): string {
  return v.length > 1 && v[0] === "'" && CSV_ESCAPED_START.test(v.slice(1)) ? v.slice(1) : v;
}
