// Reads the seed's SQLite file: the Flask app's peewee model `PageView`, one row a page view.
// sql.js (SQLite compiled to WebAssembly) reads it without a native build or a network
// download; it holds the whole file in memory, which is fine for the seed's databases (a
// million page views is a few hundred MB of headers at most) — the size is checked first.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Database } from 'sql.js';
import { ConfigError } from '../server/config.js';

/** One stored row, as the seed wrote it. */
export interface SeedRow {
  id: number;
  domain: string;
  /** The path (the seed stored `urlparse(url).path`). */
  url: string;
  /** The server's naive local time: `YYYY-MM-DD HH:MM:SS[.ffffff]`. */
  timestamp: string;
  title: string;
  ip: string;
  referrer: string;
  /** JSON of the request headers. */
  headers: string;
  /** JSON of the page URL's query. */
  params: string;
}

const COLUMNS = ['id', 'domain', 'url', 'timestamp', 'title', 'ip', 'referrer', 'headers', 'params'] as const;
/** Beyond this the file is refused rather than read into memory. */
export const MAX_SEED_BYTES = 2 * 1024 ** 3;
const SQLITE_MAGIC = 'SQLite format 3\0';

export class SeedDb {
  private constructor(
    private readonly db: Database,
    readonly file: string,
    /** The file's SHA-256, from the bytes already read (the import record's key). */
    readonly sha256: string,
  ) {}

  /** Opens the file; a file that is not the seed's schema is a ConfigError naming the fix. */
  static async open(file: string): Promise<SeedDb> {
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      throw new ConfigError(
        `${file} does not exist: give the path of the seed's SQLite database (analytics.db)`,
      );
    }
    if (size > MAX_SEED_BYTES)
      throw new ConfigError(`${file} is ${size} bytes; Footfall reads seed databases up to 2 GB`);
    const bytes = readFileSync(file);
    if (bytes.subarray(0, 16).toString('latin1') !== SQLITE_MAGIC) {
      throw new ConfigError(`${file} is not an SQLite database: give the seed's analytics.db`);
    }
    // sql.js is loaded by the seed import only, not at every start of the CLI.
    const SQL = await (await import('sql.js')).default();
    let db: Database;
    try {
      db = new SQL.Database(bytes);
      db.exec('SELECT 1');
    } catch (err) {
      throw new ConfigError(`${file} cannot be read as SQLite (${(err as Error).message}): is it truncated?`);
    }
    const have = new Set<string>();
    try {
      const res = db.exec(`SELECT name FROM pragma_table_info('pageview')`);
      for (const [name] of res[0]?.values ?? []) have.add(String(name));
    } catch (err) {
      db.close();
      throw new ConfigError(`${file} cannot be read as SQLite (${(err as Error).message}): is it truncated?`);
    }
    const missing = COLUMNS.filter((c) => !have.has(c));
    if (missing.length > 0) {
      db.close();
      const what =
        have.size === 0 ? 'has no pageview table' : `has a pageview table without ${missing.join(', ')}`;
      throw new ConfigError(`${file} ${what}: it is not the seed's database (peewee model PageView)`);
    }
    return new SeedDb(db, file, createHash('sha256').update(bytes).digest('hex'));
  }

  count(): number {
    return Number(this.db.exec('SELECT count(*) FROM pageview')[0]!.values[0]![0]);
  }

  /** Every row in the order it was stored (by time, then id), `batch` at a time. */
  *rows(batch = 5000): Generator<SeedRow> {
    let after = { timestamp: '', id: -1 };
    for (;;) {
      const stmt = this.db.prepare(
        `SELECT ${COLUMNS.join(', ')} FROM pageview WHERE (timestamp, id) > (?, ?) ORDER BY timestamp, id LIMIT ?`,
      );
      stmt.bind([after.timestamp, after.id, batch]);
      let n = 0;
      while (stmt.step()) {
        const r = stmt.getAsObject();
        const row: SeedRow = {
          id: Number(r.id),
          domain: text(r.domain),
          url: text(r.url),
          timestamp: text(r.timestamp),
          title: text(r.title),
          ip: text(r.ip),
          referrer: text(r.referrer),
          headers: text(r.headers),
          params: text(r.params),
        };
        after = { timestamp: row.timestamp, id: row.id };
        n++;
        yield row;
      }
      stmt.free();
      if (n < batch) return;
    }
  }

  close(): void {
    this.db.close();
  }
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return String(v);
}
