// `footfall journal replay <dir>`: loads the journal a dead node left in its data directory
// into ClickHouse from another machine, exactly once. Every node acknowledges an event once it
// is in its own journal (src/ingest/journal.ts), so a node that dies for good leaves
// acknowledged events there that only its own restart would load. This does that load in its
// place, the same way: the segments past the directory's own load mark, each inserted with the
// segment's deduplication token (store/clickhouse/load-events.ts) and then recorded in the
// directory's mark — so a second replay, or the node started again on the directory, loads
// nothing twice, and a replay of the segment the node was inserting when it died is dropped
// by ClickHouse as a repeat (while the table's deduplication window still holds its token).
//
// Refused: a directory that is not a Footfall data directory with a journal; one a running
// Footfall holds (the DuckDB file's lock: a running node loads its own journal); one whose
// events are kept in its DuckDB file (a node without --clickhouse-url loads its journal there
// when started); and, without --database-url, one whose node kept its sites in PostgreSQL
// (its events would all look like events of removed sites and be left out).
import { existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { journalDir, leftoverSegments, type Segment } from '../ingest/journal.js';
import { QUARANTINE_FILE, quarantineLines } from '../ingest/quarantine.js';
import { ConfigError } from '../server/config.js';
import { createStore } from '../store/create-store.js';
import { DB_FILE, openDuckDbStore, StoreLockedError } from '../store/duckdb/open.js';
import { EngineConfigError } from '../store/engine-config-error.js';
import type { Store } from '../store/types.js';
import type { Progress } from './progress.js';

export interface ReplayResult {
  segments: number;
  /** Events in the replayed segments. */
  events: number;
  /** Of those, inserted (or found there already, dropped by ClickHouse as repeats). */
  stored: number;
  /** Lines that could not be loaded, moved to the journal's quarantine file. */
  quarantined: number;
  /** The directory's load mark after the replay. */
  mark: number | undefined;
}

export async function replayJournal(
  dir: string,
  engines: { clickhouseUrl: string; databaseUrl?: string },
  progress?: Progress,
): Promise<ReplayResult> {
  const journal = journalDir(dir);
  if (!existsSync(path.join(dir, DB_FILE)) || !existsSync(journal) || !statSync(journal).isDirectory()) {
    throw new ConfigError(
      `${dir} is not a Footfall node's data directory with a journal (it needs ${DB_FILE} and journal/): ` +
        'pass the directory the dead node was started with (its --data)',
    );
  }
  await checkLocal(dir, engines.databaseUrl);
  let store: Store;
  try {
    store = await createStore({ dataDir: dir, ...engines });
  } catch (err) {
    if (err instanceof EngineConfigError || err instanceof StoreLockedError)
      throw new ConfigError(err.message);
    throw err;
  }
  try {
    const segments = leftoverSegments(journal, await store.loadMark());
    const total = segments.reduce((n, s) => n + s.bytes, 0);
    const result: ReplayResult = { segments: 0, events: 0, stored: 0, quarantined: 0, mark: undefined };
    let done = 0;
    for (const segment of segments) {
      const loaded = await replaySegment(store, journal, segment);
      result.segments++;
      result.events += segment.events;
      result.stored += loaded.stored;
      result.quarantined += loaded.quarantined;
      done += segment.bytes;
      progress?.update(done, total, `segment ${segment.number}, ${result.events} events`);
    }
    progress?.end();
    result.mark = (await store.loadMark())?.segment;
    return result;
  } finally {
    await store.close();
  }
}

/** The refusals the node's own DuckDB file can tell: held by a running node, events kept there, sites elsewhere. */
async function checkLocal(dir: string, databaseUrl: string | undefined): Promise<void> {
  let local: Store;
  try {
    local = await openDuckDbStore(dir);
  } catch (err) {
    if (err instanceof StoreLockedError) {
      throw new ConfigError(
        `${err.message.replace(/: stop it.*$/, '')}: a running node loads its own journal; replay only the directory of a node that is stopped for good`,
      );
    }
    throw err;
  }
  try {
    const [events] = await local.queryRows('SELECT count(*) AS n FROM events');
    if (Number(events?.n ?? 0) > 0) {
      throw new ConfigError(
        `${dir} keeps its events in its own DuckDB file (${DB_FILE}), not in ClickHouse: ` +
          `start \`footfall serve --data ${dir}\` there, which loads its journal at start`,
      );
    }
    if (!databaseUrl && (await local.listSites()).length === 0) {
      throw new ConfigError(
        `${dir} has no sites of its own: its node kept them in PostgreSQL; pass --database-url as the node had it`,
      );
    }
  } finally {
    await local.close();
  }
}

/** Loads one segment as the node's writer would: damaged lines to quarantine, then the rest. */
async function replaySegment(
  store: Store,
  journal: string,
  segment: Segment,
): Promise<{ stored: number; quarantined: number }> {
  const load = (bytes: number) =>
    store.loadEvents(bytes > 0 ? segment.file : undefined, { segment: segment.number, offset: bytes });
  let quarantined = 0;
  let stored: number;
  try {
    stored = await load(segment.bytes);
  } catch (err) {
    const q = quarantineLines(journal, segment.file);
    if (q.moved === 0) throw err;
    quarantined = q.moved;
    process.stderr.write(
      `journal: moved ${q.moved} line(s) of segment ${segment.number} that cannot be loaded to ` +
        `${path.join(journal, QUARANTINE_FILE)} (line ${q.first!.line}: ${q.first!.problem})\n`,
    );
    segment.events = q.kept;
    stored = await load(q.bytes);
  }
  // Loaded and marked: the node would delete it now too.
  rmSync(segment.file, { force: true });
  return { stored, quarantined };
}
