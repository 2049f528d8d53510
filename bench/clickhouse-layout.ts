// npm run bench:clickhouse-layout — the ClickHouse events table's sort key and string types,
// measured on ClickHouse's own engine (chdb, `npm install --no-save chdb@3.4.0`). The same
// synthetic events as bench/layout.ts (12 months, 5 sites of unequal size, ~3 events a visit)
// go into tables that differ only in ORDER BY (or only in LowCardinality); for each: bytes per
// event on disk (compressed, active parts) and three dashboard-shaped queries, medians of 7.
// Then removing the smallest site both ways ClickHouse can: a lightweight DELETE and an
// ALTER TABLE … DELETE mutation waited for.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ClickHouseClientConfigOptions, createClient } from '@clickhouse/client';
import { MIGRATIONS } from '../src/store/clickhouse/schema.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const YEAR_MS = 365 * 86_400_000;
const END = Date.parse('2026-11-01T00:00:00Z');
const START = END - YEAR_MS;
const STEP = YEAR_MS / EVENTS;

const SHIPPED = MIGRATIONS[0]![0]!;
const SHIPPED_KEY = /ORDER BY \(.*\)\n/.exec(SHIPPED)![0];

// Columns in the events table's order (bench/layout.ts's generator, in ClickHouse SQL).
const GENERATE = `
  SELECT
    toUInt32(multiIf(number % 10 < 4, 1, number % 10 < 7, 2, number % 10 < 9, 3, 4 + number % 2)),
    fromUnixTimestamp64Milli(toInt64(${START} + number * ${STEP})),
    if(number % 17 = 0, 'Signup', 'pageview'),
    'example.com', concat('/page/', toString(cityHash64(intDiv(number, 3)) % 300)),
    concat('Page ', toString(cityHash64(intDiv(number, 3)) % 300)),
    '', if(number % 3 = 0, 'google.com', ''), '', '', '', '', '', map(), true,
    cityHash64(intDiv(number, 3) * 7), cityHash64(intDiv(number, 3)),
    if(number % 4 = 0, 'Safari', 'Chrome'), '130', if(number % 4 = 0, 'iOS', 'Windows'), '10',
    if(number % 4 = 0, 'Mobile', 'Desktop'), 'Desktop', 'en', if(number % 5 = 0, 'DE', 'US'), '', '',
    'Google', 'Organic Search', NULL, NULL
  FROM numbers(${EVENTS})`;

const ms = (t: number) => `fromUnixTimestamp64Milli(toInt64(${t}))`;
const QUERIES: Record<string, string> = {
  'visitors+pageviews, site 3, 30 days': `SELECT uniqExact(visitor_id), countIf(name = 'pageview') FROM {t}
    WHERE site_id = 3 AND ts >= ${ms(END - 30 * 86_400_000)} AND ts < ${ms(END)}`,
  'top pages, site 1, 30 days': `SELECT pathname, uniqExact(visitor_id) v FROM {t}
    WHERE site_id = 1 AND ts >= ${ms(END - 30 * 86_400_000)} AND ts < ${ms(END)}
    GROUP BY pathname ORDER BY v DESC LIMIT 10`,
  'daily visitors, site 5, 12 months': `SELECT toDate(ts) d, uniqExact(visitor_id) FROM {t} WHERE site_id = 5 GROUP BY d`,
  'bounce rate (per visit), site 1, 30 days': `SELECT countIf(n = 1) / count() FROM (SELECT session_id, count() n
    FROM {t} WHERE site_id = 1 AND ts >= ${ms(END - 30 * 86_400_000)} AND ts < ${ms(END)} GROUP BY session_id)`,
};

const LAYOUTS: Array<[string, string]> = [
  ['ORDER BY (site_id, ts) — Footfall', SHIPPED],
  [
    'ORDER BY (site_id, toDate(ts), visitor_id, ts)',
    SHIPPED.replace(SHIPPED_KEY, 'ORDER BY (site_id, toDate(ts), visitor_id, ts)\n'),
  ],
  [
    'ORDER BY (site_id, visitor_id, ts)',
    SHIPPED.replace(SHIPPED_KEY, 'ORDER BY (site_id, visitor_id, ts)\n'),
  ],
  ["Footfall's, every string plain String", SHIPPED.replaceAll('LowCardinality(String)', 'String')],
];

const dir = mkdtempSync(path.join(tmpdir(), 'footfall-ch-layout-'));
const { createChdbConnection } = (await import('chdb/connection' as string)) as {
  createChdbConnection: (o: { path: string }) => unknown;
};
const client = createClient({
  connection: createChdbConnection({ path: dir }) as ClickHouseClientConfigOptions['connection'],
});
const run = (query: string) => client.command({ query });
const rows = async <T>(query: string) => (await client.query({ query, format: 'JSONEachRow' })).json<T>();

async function median(sql: string): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    await rows(sql);
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  return runs[3]!;
}

const table: string[][] = [];
try {
  for (const [i, [label, ddl]] of LAYOUTS.entries()) {
    const name = `events_${i}`;
    await run(ddl.replace('CREATE TABLE IF NOT EXISTS events', `CREATE TABLE ${name}`));
    const t = performance.now();
    await run(`INSERT INTO ${name} ${GENERATE}`);
    const insertS = (performance.now() - t) / 1000;
    await run(`OPTIMIZE TABLE ${name} FINAL`);
    const [size] = await rows<{ b: string }>(
      `SELECT sum(data_compressed_bytes) AS b FROM system.parts WHERE active AND table = '${name}'`,
    );
    table.push([label, (Number(size!.b) / EVENTS).toFixed(1), (EVENTS / insertS / 1000).toFixed(0)]);
  }
  // Query by query, layout after layout, after one warm-up run of everything: on a shared
  // machine, timing one layout's queries together gave whichever ran first the noisy minute.
  for (const [i] of LAYOUTS.entries())
    for (const sql of Object.values(QUERIES)) await rows(sql.replaceAll('{t}', `events_${i}`));
  for (const sql of Object.values(QUERIES)) {
    for (const [i] of LAYOUTS.entries())
      table[i]!.push((await median(sql.replaceAll('{t}', `events_${i}`))).toFixed(1));
  }
  const header = [
    'layout',
    'bytes/event',
    'insert (k ev/s)',
    ...Object.keys(QUERIES).map((q) => `${q} (ms)`),
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(
    `${EVENTS.toLocaleString('en')} synthetic events over 12 months, 5 sites; query medians of 7 runs`,
  );
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of table) console.log(line(r));

  // Removing site 5 (10% of the events) from a copy of Footfall's table, each way.
  for (const [label, sql] of [
    ['lightweight DELETE', 'DELETE FROM {t} WHERE site_id = 5'],
    [
      'ALTER TABLE … DELETE (mutations_sync = 2)',
      'ALTER TABLE {t} DELETE WHERE site_id = 5 SETTINGS mutations_sync = 2',
    ],
  ] as const) {
    await run('DROP TABLE IF EXISTS events_copy');
    await run('CREATE TABLE events_copy AS events_0');
    await run('INSERT INTO events_copy SELECT * FROM events_0');
    const t = performance.now();
    await run(sql.replace('{t}', 'events_copy'));
    const took = performance.now() - t;
    const q = await median(QUERIES['visitors+pageviews, site 3, 30 days']!.replace('{t}', 'events_copy'));
    console.log(
      `remove a site (10% of events), ${label}: ${took.toFixed(0)} ms; afterwards site 3, 30 days: ${q.toFixed(1)} ms`,
    );
  }
} finally {
  await client.close();
  rmSync(dir, { recursive: true, force: true });
}
