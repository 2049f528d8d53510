// `GET /api/sites/<domain>/export`, the control socket's export and `footfall export events`:
// a site's raw events over a date range, written by the engine into a private temp file in the
// data directory (Parquet, CSV or NDJSON; see store/export-format.ts), then streamed to the
// caller and removed. The range is in the site's time zone, both dates inclusive (as the Stats
// API's date_range); without one, everything from the first event to today.
import { rmSync } from 'node:fs';
import { footfallError } from '../errors.js';
import type { DateRangeInput } from '../query/model.js';
import { parseDateRange } from '../query/parse.js';
import type { QueryEngine } from '../query/run-query.js';
import { EXPORT_FORMATS, type ExportFormat, isExportFormat } from '../store/export-format.js';
import type { ExportStore } from '../store/types.js';
import { tempFileIn } from './temp-file.js';

/** How long an export may run: a year of a busy site is millions of rows, not a dashboard panel. */
export const EXPORT_TIMEOUT_MS = 10 * 60_000;

export interface ExportInput {
  format: ExportFormat;
  dateRange: DateRangeInput;
}

function invalid(field: string, what: string): never {
  throw footfallError('FOOTFALL_ERR_INVALID_QUERY', `${field}: ${what}`);
}

/** Reads format, from and to (query-string values); a clear 400 naming the field otherwise. */
export function parseExportInput(input: Record<string, unknown>): ExportInput {
  const { format = 'ndjson', from, to } = input;
  if (typeof format !== 'string' || !isExportFormat(format)) {
    invalid('format', `use one of ${EXPORT_FORMATS.join(', ')}`);
  }
  if (from === undefined && to === undefined) return { format, dateRange: 'all' };
  if (typeof from !== 'string' || typeof to !== 'string')
    invalid('from', 'give both from and to (YYYY-MM-DD)');
  if (from.length !== 10 || to.length !== 10) invalid('from', 'give both from and to as dates (YYYY-MM-DD)');
  return { format, dateRange: parseDateRange([from, to], 'from/to') };
}

export interface WrittenExport {
  file: string;
  count: number;
  format: ExportFormat;
  /** A download name: <domain>-<first date>-<last date>.<ext>. */
  name: string;
}

/** Writes the export into <data>/exports/; the caller streams the file and then removes it. */
export async function writeExport(
  engine: QueryEngine,
  store: ExportStore,
  dataDir: string,
  domain: string,
  input: ExportInput,
): Promise<WrittenExport> {
  const site = engine.site(domain);
  const range = await engine.resolve(site, input.dateRange);
  const ext = input.format;
  const file = tempFileIn(dataDir, ext);
  try {
    const count = await store.exportEvents(
      { siteKey: site.id, fromMs: range.fromMs, toMs: range.toMs, format: input.format },
      file,
      { timeoutMs: EXPORT_TIMEOUT_MS },
    );
    return {
      file,
      count,
      format: input.format,
      name: `${site.domain}-${range.firstDate}-${range.lastDate}.${ext}`,
    };
  } catch (err) {
    rmSync(file, { force: true });
    throw err;
  }
}
