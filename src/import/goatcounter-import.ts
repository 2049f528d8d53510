// `footfall import goatcounter <export.csv[.gz]>`: GoatCounter's CSV export (format version 2:
// 2Path, Title, Event, UserAgent, Browser, System, Session, Bot, Referrer, Referrer scheme,
// Screen size, Location, FirstVisit, Date) into Footfall events with their own times. The
// export keeps no IP and no user agent, so each row's browser, system and location are taken
// as GoatCounter recorded them, and its session id stands in for the visitor (hashed with the
// import's salts like an address); visits are cut at 30 idle minutes as everywhere else.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { LIMITS } from '../collect/limits.js';
import { type KnownClient, pageviewEvent } from '../collect/raw-event.js';
import { parseTrackedUrl } from '../collect/tracked-url.js';
import { FootfallError } from '../errors.js';
import { ConfigError } from '../server/config.js';
import type { ImportTarget } from './import-target.js';
import { type ImportItem, type ImportSummary, runImport, type SourceImportOptions } from './run-import.js';
import { TableFile } from './table-file.js';

const COLUMNS = [
  '2Path',
  'Title',
  'Event',
  'UserAgent',
  'Browser',
  'System',
  'Session',
  'Bot',
  'Referrer',
  'Referrer scheme',
  'Screen size',
  'Location',
  'FirstVisit',
  'Date',
] as const;
type Column = (typeof COLUMNS)[number];
const EARLIEST_MS = Date.UTC(1990, 0, 1);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
// GoatCounter's system names where Plausible (and Footfall) name them otherwise.
const OS_NAMES: Readonly<Record<string, string>> = { macOS: 'Mac', Linux: 'GNU/Linux', 'OS X': 'Mac' };
const MOBILE_OS = new Set(['iOS', 'Android']);

export class GoatCounterFile {
  private constructor(
    private readonly table: TableFile,
    private readonly gzip: boolean,
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

  /** Opens and checks the export: one line naming the file and the fix otherwise. */
  static async open(file: string): Promise<GoatCounterFile> {
    if (!existsSync(file)) throw new ConfigError(`${file} does not exist`);
    const gzip = startsWithGzipMagic(file);
    const table = await TableFile.open(
      file,
      reader(gzip),
      (why) =>
        `${file} cannot be read as CSV${gzip ? ' (gzip)' : ''} (${why}): give the file GoatCounter's export made`,
      (names) => {
        if (/^\d+Path$/.test(names[0] ?? '') && names[0] !== '2Path') {
          throw new ConfigError(
            `${file} is GoatCounter export format version ${names[0]!.replace('Path', '')}; only version 2 is read: export again from a current GoatCounter`,
          );
        }
        if (names.join(',') !== COLUMNS.join(',')) {
          throw new ConfigError(
            `${file} is not a GoatCounter export (version 2): its header is ${names.slice(0, 14).join(',').slice(0, 200)}, expected ${COLUMNS.join(',')}`,
          );
        }
      },
    );
    return new GoatCounterFile(table, gzip);
  }

  async *rows(): AsyncGenerator<Record<Column, string>> {
    for await (const r of this.table.rows(`SELECT * FROM ${reader(this.gzip)}`))
      yield r as Record<Column, string>;
  }

  close(): void {
    this.table.close();
  }
}

function reader(gzip: boolean): string {
  return (
    "read_csv($1, header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"', " +
    `null_padding = false, strict_mode = true, compression = '${gzip ? 'gzip' : 'none'}')`
  );
}

function startsWithGzipMagic(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** "Firefox 120" → ["Firefox", "120"]; a name without a version stays whole. */
function nameAndVersion(text: string): [string, string] {
  const m = /^(.*\S)\s+(\d[\w.]*)$/.exec(text.trim());
  return m ? [m[1]!, m[2]!] : [text.trim(), ''];
}

function deviceOf(width: number | null, os: string): KnownClient['device'] {
  if (width !== null) return width < 576 ? 'Mobile' : width < 992 ? 'Tablet' : 'Desktop';
  if (os === '') return '';
  return MOBILE_OS.has(os) ? 'Mobile' : 'Desktop';
}

/** The item a row stands for. */
export function goatCounterItem(
  row: Record<Column, string>,
  n: number,
  ctx: { domain: string; nowMs: number },
): ImportItem {
  const id = `row ${n}`;
  const v = (c: Column) => (row[c] ?? '').replaceAll('\0', '');
  if (v('Bot') !== '' && v('Bot') !== '0') return { id, skip: 'bot' };
  const date = v('Date');
  const ts = RFC3339.test(date) ? Date.parse(date) : Number.NaN;
  if (!Number.isFinite(ts)) return { id, skip: 'bad_date' };
  if (ts < EARLIEST_MS || ts > ctx.nowMs) return { id, skip: 'out_of_range' };
  const isEvent = v('Event') === 'true';
  const path = v('2Path');
  if (path === '' || (isEvent && [...path].length > LIMITS.nameChars)) return { id, skip: 'bad_path' };
  let url: ReturnType<typeof parseTrackedUrl>;
  try {
    // An event's path is its name; it happened on no particular page.
    url = parseTrackedUrl(`https://${ctx.domain}${isEvent ? '/' : path.startsWith('/') ? path : `/${path}`}`);
  } catch (err) {
    if (err instanceof FootfallError) return { id, skip: 'bad_path' };
    throw err;
  }
  const ref = v('Referrer');
  const scheme = v('Referrer scheme');
  let referrer = '';
  let source: string | undefined;
  if (ref !== '' && (scheme === 'h' || scheme === '')) {
    // GoatCounter keeps a link's referrer without its scheme.
    referrer = /^https?:\/\//i.test(ref) ? ref : `https://${ref}`;
  } else if (ref !== '' && scheme === 'c') {
    url = { ...url, utmCampaign: url.utmCampaign || ref.slice(0, 2000) };
  } else if (ref !== '') {
    // g (generated, e.g. "Hacker News") and o (other, e.g. an Android app): a named source.
    source = ref.slice(0, 2000);
  }
  const raw = pageviewEvent(url, [ctx.domain], referrer, v('Title'));
  const width = Number.parseInt(v('Screen size').split(',')[0] ?? '', 10);
  raw.screenWidth = Number.isFinite(width) && width > 0 ? width : null;
  if (isEvent) raw.name = path;
  const [browser, browserVersion] = nameAndVersion(v('Browser'));
  const [system, osVersion] = nameAndVersion(v('System'));
  const os = OS_NAMES[system] ?? system;
  const location = v('Location').toUpperCase();
  const country = /^[A-Z]{2}(-|$)/.test(location) ? location.slice(0, 2) : '';
  const known: KnownClient = {
    browser,
    browserVersion,
    os,
    osVersion,
    device: deviceOf(raw.screenWidth, os),
    country,
    region: country && /^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(location) ? location : '',
    city: '',
    source,
  };
  const session = v('Session');
  return {
    id,
    event: {
      ts,
      raw,
      // The session id stands in for the address (hashed with the import's salt, never stored).
      client: {
        ip: session ? `goatcounter:${session}` : `goatcounter:row:${n}`,
        userAgent: '',
        acceptLanguage: '',
        known,
      },
    },
  };
}

export interface GoatCounterImportOptions extends SourceImportOptions {
  /** The export, opened (and its header checked) before the data directory is. */
  file: GoatCounterFile;
}

export async function importGoatCounter(
  target: ImportTarget,
  options: GoatCounterImportOptions,
): Promise<ImportSummary> {
  const site = await target.site(options.site);
  const { file } = options;
  const ctx = { domain: site.domain, nowMs: (options.now ?? Date.now)() };
  async function* items(): AsyncGenerator<ImportItem> {
    let n = 0;
    for await (const row of file.rows()) yield goatCounterItem(row, ++n, ctx);
  }
  return runImport(
    target,
    {
      kind: 'goatcounter',
      name: file.file,
      sha256: file.sha256,
      total: file.total,
      items,
      notErrors: new Set(['bot']),
      // No user agents: the rows' Bot column says which were bots.
      noUserAgents: true,
    },
    { ...options, site },
  );
}
