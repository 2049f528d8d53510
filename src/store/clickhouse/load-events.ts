// Inserts a journal segment (newline-delimited JSON keyed as in EVENT_COLUMNS) into the
// ClickHouse events table, idempotently: the insert carries a deduplication token made of the
// segment's number, its length and a hash of its bytes, and the table remembers the tokens of
// its recent inserts (schema.ts), so inserting the same segment again — a crash after the
// insert and before the mark, or a timeout on an insert the server did finish — stores nothing
// twice. The hash is part of the token because segment numbers start again at 1 in an empty
// journal directory: number and length alone could name different events.
//
// Why not ReplacingMergeTree keyed by an event id: duplicates there disappear only when parts
// merge, so every query would need FINAL (several times slower) to count exactly once.
//
// The lines are parsed here rather than by ClickHouse: chdb ignores the data of an
// `INSERT … SELECT … FROM input()` sent with the statement, and the journal's short keys
// must become column names. Events of sites that no longer exist are left out, as on DuckDB.
// A line that is not a JSON object with every NOT NULL column makes the load fail; the writer
// then moves the damaged lines to quarantine (ingest/quarantine.ts) and loads the rest.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ClickHouseClient } from '@clickhouse/client';
import { EVENT_COLUMNS } from '../event-columns.js';
import type { LoadMark } from '../types.js';

const SITE_KEY = EVENT_COLUMNS.find((c) => c.name === 'site_id')!.key;

/** The token of one segment's insert (exported for the test that inserts it twice). */
export function segmentToken(mark: LoadMark, bytes: Buffer): string {
  return `footfall:${mark.segment}:${mark.offset}:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Rows with column names, those of removed sites left out. Throws on a damaged line. */
export function segmentRows(bytes: Buffer, siteIds: ReadonlySet<number>): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const text = bytes.toString('utf8');
  let start = 0;
  let line = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    const o = JSON.parse(text.slice(start, end)) as Record<string, unknown>;
    start = end + 1;
    if (typeof o !== 'object' || o === null) throw new Error(`journal line ${line} is not a JSON object`);
    if (!siteIds.has(o[SITE_KEY] as number)) continue;
    const row: Record<string, unknown> = {};
    for (const c of EVENT_COLUMNS) {
      const v = o[c.key];
      // Lines written before a nullable column was added lack its key: NULL, as on DuckDB.
      if ((v === undefined || v === null) && c.nullable) {
        row[c.name] = null;
        continue;
      }
      if (v === undefined || v === null) {
        throw new Error(`journal line ${line} has no ${c.name} ("${c.key}")`);
      }
      row[c.name] = v;
    }
    rows.push(row);
  }
  return rows;
}

/** Inserts the segment's events; resolves with how many were inserted (or were there already). */
export async function loadEventsInto(
  client: ClickHouseClient,
  file: string,
  mark: LoadMark,
  siteIds: ReadonlySet<number>,
): Promise<number> {
  const bytes = await readFile(file);
  return insertSegment(client, bytes.subarray(0, mark.offset), mark, siteIds);
}

/**
 * Inserts journal-encoded lines as one idempotent insert (also used by `footfall migrate
 * events`, whose chunks are encoded the same way).
 */
export async function insertSegment(
  client: ClickHouseClient,
  bytes: Buffer,
  mark: LoadMark,
  siteIds: ReadonlySet<number>,
): Promise<number> {
  const rows = segmentRows(bytes, siteIds);
  if (rows.length === 0) return 0;
  await client.insert({
    table: 'events',
    values: rows,
    format: 'JSONEachRow',
    clickhouse_settings: {
      insert_deduplicate: 1,
      insert_deduplication_token: segmentToken(mark, bytes),
      // One block per insert (ClickHouse's default splits past ~1 M rows): the token then
      // names exactly one block per partition, and a repeated insert splits the same way.
      max_insert_block_size: '100000000',
    },
  });
  return rows.length;
}
