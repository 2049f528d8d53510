// A server over a data directory filled with generated traffic whose every event the test
// keeps, so expected answers can be computed from the events themselves. The events are kept
// by either engine (DuckDB in the data directory, or ClickHouse through chdb), loaded through
// the store's own loadEvents as ingest loads them.
import { generateTraffic } from '../../bench/generate/events.js';
import { loadRows } from '../../bench/generate/load.js';
import type { QueryPath } from '../../src/query/plan.js';
import { addSite } from '../../src/sites/manage.js';
import { createStore } from '../../src/store/create-store.js';
import type { EventRow } from '../../src/store/event-row.js';
import type { Store } from '../../src/store/types.js';
import { chdbUrl } from '../clickhouse/chdb.js';
import { startTestServer, type TestServer, tempDir } from '../helpers/server.js';
import { edgeVisits } from './edge-visits.js';

export type EngineName = Store['engine'];

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef0123456789';
/** 00:30 UTC on 1 November 2026: 01:30 in Berlin, a week after the DST change of 25 October. */
export const NOW = Date.parse('2026-11-01T00:30:00Z');
export const SITE = 'example.com';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read by the assertions that check them
export type Json = any;

export interface StatsFixture {
  server: TestServer;
  events: EventRow[];
  siteId: number;
  post(path: string, body: unknown, key?: string): Promise<{ status: number; body: Json }>;
  query(body: Record<string, unknown>): Promise<Json>;
}

/** --clickhouse-url for the engine over a data directory (none for DuckDB). */
export function engineUrl(engine: EngineName, dataDir: string): string | undefined {
  return engine === 'clickhouse' ? chdbUrl(dataDir) : undefined;
}

/**
 * Where a ClickHouse fixture keeps its metadata: set `databaseUrl` (a fresh PostgreSQL
 * database per fixture) for the layout several nodes use; unset, the data directory's DuckDB file.
 */
export const clickhouseMetadata: { databaseUrl?: () => Promise<string> } = {};

/** A data directory with example.com (Europe/Berlin) and other.example, filled with traffic. */
export async function seedDataDir(
  engine: EngineName = 'duckdb',
): Promise<{ dataDir: string; events: EventRow[]; siteId: number; databaseUrl?: string }> {
  const dataDir = tempDir();
  const databaseUrl = engine === 'clickhouse' ? await clickhouseMetadata.databaseUrl?.() : undefined;
  const store = await createStore({ dataDir, clickhouseUrl: engineUrl(engine, dataDir), databaseUrl });
  const events: EventRow[] = [];
  let siteId: number;
  try {
    const site = await addSite(store, { domain: SITE, timezone: 'Europe/Berlin' });
    const other = await addSite(store, { domain: 'other.example', timezone: 'UTC' });
    siteId = site.id;
    const keep = function* (batches: Iterable<EventRow[]>) {
      for (const b of batches) {
        events.push(...b);
        yield b;
      }
    };
    // Six weeks up to the end of 31 October (UTC), and noise on another site.
    await loadRows(
      store,
      keep(
        generateTraffic({ seed: 7, siteId: site.id, startDate: '2026-09-20', days: 42, visitsPerDay: 30 }),
      ),
    );
    // The finished days rolled up (DuckDB: store/duckdb/rollups.ts) before the edge visits are
    // loaded, so those forget the days they touch and the rollup path meets gaps too.
    await store.rollUp?.(NOW, 1000);
    // Loaded on their own, after: visits across range edges and midnight, and an import.
    await loadRows(store, keep([edgeVisits(events)]));
    await loadRows(
      store,
      generateTraffic({ seed: 8, siteId: other.id, startDate: '2026-09-20', days: 42, visitsPerDay: 10 }),
    );
  } finally {
    await store.close();
  }
  return { dataDir, events, siteId, databaseUrl };
}

/**
 * The query planner's paths for every fixture this test file starts: `visitsTable: false`
 * sends every statement to the events; `seen` collects the paths the statements took.
 */
export const plannerPaths: { visitsTable: boolean; seen: Set<QueryPath> } = {
  visitsTable: true,
  seen: new Set(),
};

export async function startStatsFixture(
  clock: { now: number } = { now: NOW },
  engine: EngineName = 'duckdb',
): Promise<StatsFixture> {
  const { dataDir, events, siteId, databaseUrl } = await seedDataDir(engine);
  const server = await startTestServer({
    sites: [],
    dataDir,
    flags: {
      adminKey: ADMIN_KEY,
      trustProxy: 'loopback',
      clickhouseUrl: engineUrl(engine, dataDir),
      databaseUrl,
    },
    now: () => clock.now,
    query: { visitsTable: plannerPaths.visitsTable, onPlan: (p) => plannerPaths.seen.add(p) },
  });
  const post = async (path: string, body: unknown, key = ADMIN_KEY) => {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const query = async (body: Record<string, unknown>) => {
    const res = await post('/api/v2/query', { site_id: SITE, ...body });
    if (res.status !== 200) throw new Error(`query answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  return { server, events, siteId, post, query };
}
