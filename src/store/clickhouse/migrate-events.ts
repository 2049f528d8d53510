// `footfall migrate events --to <clickhouse-url>`: copies a data directory's events from its
// DuckDB file into ClickHouse, one (site, UTC day) at a time, then checks the counts per site
// and day on both sides. The DuckDB file is opened read-only and left as it was.
//
// Resumable: a (site, day) whose count in ClickHouse already equals DuckDB's is skipped, and
// each chunk is one idempotent insert (journal-encoded, with a deduplication token made from
// its bytes: load-events.ts), so a run stopped at any point — even after an insert the
// server finished but before the client heard — is completed by running it again.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { DB_FILE } from '../duckdb/open.js';
import { MIGRATIONS as DUCKDB_MIGRATIONS } from '../duckdb/schema.js';
import { EngineConfigError } from '../engine-config-error.js';
import { EVENT_COLUMNS } from '../event-columns.js';
import { insertSegment } from './load-events.js';

export interface MigrateProgress {
  done: number;
  total: number;
  events: number;
}

export interface MigrateResult {
  chunks: number;
  copied: number;
  skipped: number;
  events: number;
  /** Site-days whose counts differ after the copy (none when all is well). */
  mismatches: { siteId: number; day: string; duckdb: number; clickhouse: number }[];
}

export interface MigrateDeps {
  onProgress?: (p: MigrateProgress) => void;
  /** Called after each chunk (tests stop the run here to resume it). */
  afterChunk?: (index: number) => void;
}

// Each column encoded as the journal encodes it (row-codec.ts): ts as epoch milliseconds,
// 64-bit ids as decimal strings. Keys and expressions come from EVENT_COLUMNS, not input.
const LINE = `to_json(struct_pack(${EVENT_COLUMNS.map((c) => {
  if (c.name === 'ts') return `"${c.key}" := epoch_ms(ts)`;
  if (c.kind === 'u64' || c.kind === 'decimal') return `"${c.key}" := CAST(${c.name} AS VARCHAR)`;
  return `"${c.key}" := ${c.name}`;
}).join(', ')}))::VARCHAR AS line`;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function migrateEvents(
  dataDir: string,
  client: ClickHouseClient,
  deps: MigrateDeps = {},
): Promise<MigrateResult> {
  const file = path.join(dataDir, DB_FILE);
  if (!existsSync(file)) {
    throw new EngineConfigError(
      `no Footfall data in ${dataDir} (${file} does not exist): pass --data naming it`,
    );
  }
  const waiting = journalBytes(dataDir);
  if (waiting > 0) {
    throw new EngineConfigError(
      `${waiting} bytes of events in ${path.join(dataDir, 'journal')} are not in the database yet: ` +
        'start `footfall serve` on this directory once without --clickhouse-url and stop it, then migrate',
    );
  }
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new EngineConfigError(
      /lock/i.test(message)
        ? `${file} is in use by a running server: stop it, then migrate (the copy must see every event)`
        : `${file} cannot be opened (${message.split('\n')[0]})`,
    );
  }
  const conn = await instance.connect();
  try {
    const [meta] = (
      await conn.runAndReadAll("SELECT value FROM footfall_meta WHERE key = 'schema_version'")
    ).getRowObjectsJS();
    if (Number(meta?.value ?? 0) !== DUCKDB_MIGRATIONS.length) {
      throw new EngineConfigError(
        `${file} is at schema ${String(meta?.value ?? 0)}, not ${DUCKDB_MIGRATIONS.length}: start this Footfall's \`footfall serve\` on it once to upgrade it, then migrate`,
      );
    }
    const source = await counts(conn);
    let target = await targetCounts(client);
    const result: MigrateResult = { chunks: source.size, copied: 0, skipped: 0, events: 0, mismatches: [] };
    const total = source.size;
    let done = 0;
    for (const [key, n] of source) {
      if (target.get(key) === n) {
        result.skipped++;
      } else {
        const [siteId, day] = splitKey(key);
        const lines = (
          await conn.runAndReadAll(
            `SELECT ${LINE} FROM events WHERE site_id = $1 AND ts >= CAST($2 AS DATE) AND ts < CAST($2 AS DATE) + INTERVAL 1 DAY ORDER BY ALL`,
            [siteId, day],
          )
        ).getRowObjectsJS() as { line: string }[];
        const bytes = Buffer.from(lines.map((l) => `${l.line}\n`).join(''));
        await insertSegment(client, bytes, { segment: 0, offset: bytes.length }, new Set([siteId]));
        result.copied++;
      }
      result.events += n;
      done++;
      deps.onProgress?.({ done, total, events: result.events });
      deps.afterChunk?.(done);
    }
    target = await targetCounts(client);
    for (const [key, n] of source) {
      const there = target.get(key) ?? 0;
      if (there !== n) {
        const [siteId, day] = splitKey(key);
        result.mismatches.push({ siteId, day, duckdb: n, clickhouse: there });
      }
    }
    return result;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

const keyOf = (siteId: number, day: string) => `${siteId} ${day}`;
function splitKey(key: string): [number, string] {
  const [site, day] = key.split(' ');
  if (!DAY.test(day!)) throw new Error(`not a day: ${day}`);
  return [Number(site), day!];
}

/** Events per (site, UTC day) of sites that still exist, in order. */
async function counts(conn: DuckDBConnection): Promise<Map<string, number>> {
  const rows = (
    await conn.runAndReadAll(
      "SELECT site_id, strftime(ts, '%Y-%m-%d') AS day, count(*) AS n FROM events " +
        'WHERE site_id IN (SELECT id FROM sites) GROUP BY ALL ORDER BY ALL',
    )
  ).getRowObjectsJS();
  return new Map(rows.map((r) => [keyOf(Number(r.site_id), String(r.day)), Number(r.n)]));
}

async function targetCounts(client: ClickHouseClient): Promise<Map<string, number>> {
  const rows = await (
    await client.query({
      query: 'SELECT site_id, toString(toDate(ts)) AS day, count() AS n FROM events GROUP BY site_id, day',
      format: 'JSONEachRow',
    })
  ).json<{ site_id: number; day: string; n: string | number }>();
  return new Map(rows.map((r) => [keyOf(Number(r.site_id), r.day), Number(r.n)]));
}

/** Bytes in journal segments (events acknowledged but perhaps not loaded). */
function journalBytes(dataDir: string): number {
  const dir = path.join(dataDir, 'journal');
  if (!existsSync(dir)) return 0;
  return readdirSync(dir)
    .filter((f) => /^\d{12}\.ndjson$/.test(f))
    .reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
}
