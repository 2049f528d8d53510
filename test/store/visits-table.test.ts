// The visits table (src/store/duckdb/visits.ts) equals a rebuild from the stored events however
// the events were batched and ordered when loaded: the loader folds each batch into the rows
// exactly (imports of old events into visits already stored, engagement-only tails, visits
// across midnight, a visit whose device or place changed). Removing a site removes its visits;
// the migration fills the table from the events of an older data directory.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { generateTraffic } from '../../bench/generate/events.js';
import { loadRows } from '../../bench/generate/load.js';
import { Random } from '../../bench/generate/random.js';
import { addSite, removeSite } from '../../src/sites/manage.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import { MIGRATIONS } from '../../src/store/duckdb/schema.js';
import { VISITS_MIGRATION, visitRowsSql } from '../../src/store/duckdb/visits.js';
import type { EventRow } from '../../src/store/event-row.js';
import type { Store } from '../../src/store/types.js';
import { removeDir, tempDir } from '../helpers/server.js';
import { visitDaysDrift } from '../helpers/visit-days.js';
import { makeDataDir } from '../install/data-dir-fixture.js';

const MIN = 60_000;
const dirs: string[] = [];
after(() => {
  for (const d of dirs) removeDir(d);
});

/** Generated traffic of two sites plus the visits the generator never makes. */
function traffic(siteA: number, siteB: number): EventRow[] {
  const rows: EventRow[] = [];
  for (const [site, seed] of [
    [siteA, 3],
    [siteB, 4],
  ] as const) {
    for (const day of generateTraffic({
      seed,
      siteId: site,
      startDate: '2026-10-24',
      days: 3,
      visitsPerDay: 25,
    }))
      rows.push(...day);
  }
  const base = rows[0]!;
  const at = (sessionId: bigint, ts: number, over: Partial<EventRow> = {}): EventRow => ({
    ...base,
    sessionId,
    ts,
    name: 'pageview',
    props: [],
    scrollDepth: null,
    engagementMs: null,
    ...over,
  });
  const t0 = Date.parse('2026-10-25T23:50:00Z');
  const ping = { name: 'engagement', interactive: false, scrollDepth: 40, engagementMs: 3000 };
  rows.push(
    // Across UTC midnight, ending in an engagement ping (a tail that lengthens nothing).
    at(9001n, t0, { pathname: '/a' }),
    at(9001n, t0 + 15 * MIN, { pathname: '/b', hostname: 'www.example.com' }),
    at(9001n, t0 + 20 * MIN, ping),
    // Only an engagement ping.
    at(9002n, t0 + 2 * MIN, ping),
    // Its place changed within the visit (a reloaded geo database).
    at(9003n, t0, { country: 'DE' }),
    at(9003n, t0 + MIN, { country: 'FR', name: 'Signup', props: [['plan', 'pro']] }),
  );
  return rows;
}

async function storeWith(batches: EventRow[][]): Promise<Store> {
  const dir = tempDir();
  dirs.push(dir);
  const store = await openDuckDbStore(dir);
  const a = await addSite(store, { domain: 'a.example', timezone: 'Europe/Berlin' });
  const b = await addSite(store, { domain: 'b.example', timezone: 'UTC' });
  assert.deepEqual([a.id, b.id], [1, 2]);
  for (const batch of batches) await loadRows(store, [batch]);
  return store;
}

const ORDER = ' ORDER BY site_id, session_id';
const tableRows = (store: Store) => store.queryRows(`SELECT * FROM visits${ORDER}`);
const rebuilt = (store: Store) =>
  // Through a temporary copy, so the rebuilt rows take the table's column types.
  store.queryRows(
    `CREATE OR REPLACE TEMP TABLE rebuilt AS SELECT * FROM visits LIMIT 0; ` +
      `INSERT INTO rebuilt ${visitRowsSql('events')}; SELECT * FROM rebuilt${ORDER}`,
  );

function chunks<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

describe('the visits table', () => {
  const rows = traffic(1, 2).sort((x, y) => x.ts - y.ts);
  const rnd = new Random(11);
  const shuffled = [...rows];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  // Old events imported after newer ones of the same visits: the second half of time first.
  const half = Math.floor(rows.length / 2);
  const batchings: Record<string, EventRow[][]> = {
    'one load': [rows],
    'loads of 20 events in time order': chunks(rows, 20),
    'loads of 40 events in random order': chunks(shuffled, 40),
    'newer events first, then the older ones (an import)': [
      ...chunks(rows.slice(half), 50),
      ...chunks(rows.slice(0, half), 50),
    ],
  };
  let first: Record<string, unknown>[] | undefined;
  for (const [name, batches] of Object.entries(batchings)) {
    it(`equals a rebuild from the events after ${name}`, async () => {
      const store = await storeWith(batches);
      try {
        const got = await tableRows(store);
        assert.deepEqual(got, await rebuilt(store));
        assert.deepEqual(await visitDaysDrift(store), [], "each day's last event, kept with the visits");
        first ??= got;
        assert.deepEqual(got, first, 'every batching gives the same rows');
        const special = got.filter((r) => Number(r.session_id) > 9000);
        assert.deepEqual(
          special.map((r) => [
            r.events,
            r.pageviews,
            r.entry_page,
            r.exit_hostname,
            r.uniform,
            r.start_ts === null,
          ]),
          [
            [2, 2, '/a', 'www.example.com', true, false],
            [0, 0, null, null, true, true],
            [2, 1, base(rows).pathname, base(rows).hostname, false, false],
          ],
        );
      } finally {
        await store.close();
      }
    });
  }

  it('removing a site removes its visits', async () => {
    const store = await storeWith([rows]);
    try {
      await removeSite(store, 'b.example');
      const left = await store.queryRows('SELECT DISTINCT site_id FROM visits ORDER BY site_id');
      assert.deepEqual(
        left.map((r) => r.site_id),
        [1],
      );
      assert.deepEqual(await tableRows(store), await rebuilt(store));
      assert.deepEqual(await visitDaysDrift(store), []);
    } finally {
      await store.close();
    }
  });

  it('the migration fills the table from the events of an older data directory', async () => {
    // As it was before this migration, wherever the migration list puts it.
    const dir = await makeDataDir(MIGRATIONS.indexOf(VISITS_MIGRATION), { events: 5000 });
    dirs.push(dir);
    const store = await openDuckDbStore(dir);
    try {
      const got = await tableRows(store);
      assert.equal(got.length, 5000, 'one visit per session id');
      assert.deepEqual(got, await rebuilt(store));
      assert.deepEqual(await visitDaysDrift(store), [], 'the days filled from the visits too');
    } finally {
      await store.close();
    }
  });
});

function base(rows: EventRow[]): EventRow {
  return rows.find((r) => r.sessionId === 9003n)!;
}
