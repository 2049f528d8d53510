// npm run bench:layout — the events table's physical order, measured. Footfall appends
// events in arrival order (= time order), so DuckDB's per-row-group min/max on `ts` prunes
// a date range; the alternative is to keep rows ordered by (site, time), which also
// prunes by site but needs a periodic rewrite. Same rows, same queries, medians of 7 runs.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { MIGRATIONS } from '../src/store/duckdb/schema.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000_000);
const SITES = 5;
const YEAR_MS = 365 * 86_400_000;
const END = Date.parse('2026-11-01T00:00:00Z');

// Synthetic events over a year: 5 sites of unequal size, ~3 events a visit, 300 pages.
const GENERATE = `
  SELECT
    (CASE WHEN i % 10 < 4 THEN 1 WHEN i % 10 < 7 THEN 2 WHEN i % 10 < 9 THEN 3 ELSE 4 + (i % 2) END)::UINTEGER,
    epoch_ms(${END - YEAR_MS} + (i * ${YEAR_MS / EVENTS})::BIGINT),
    CASE WHEN i % 17 = 0 THEN 'Signup' ELSE 'pageview' END,
    'example.com', '/page/' || (hash(i // 3) % 300)::VARCHAR, 'Page ' || (hash(i // 3) % 300)::VARCHAR,
    '', CASE WHEN i % 3 = 0 THEN 'google.com' ELSE '' END, '', '', '', '', '', MAP {}, true,
    hash(i // 3 * 7) , hash(i // 3), CASE WHEN i % 4 = 0 THEN 'Safari' ELSE 'Chrome' END, '130',
    CASE WHEN i % 4 = 0 THEN 'iOS' ELSE 'Windows' END, '10', CASE WHEN i % 4 = 0 THEN 'mobile' ELSE 'desktop' END,
    'desktop', 'en', CASE WHEN i % 5 = 0 THEN 'DE' ELSE 'US' END, '', '', 'Google', 'Organic Search', NULL, NULL
  FROM range(${EVENTS}) t(i)`;

const QUERIES: Record<string, string> = {
  'visitors+pageviews, site 3, 30 days': `SELECT count(DISTINCT visitor_id), count(*) FILTER (WHERE name = 'pageview')
    FROM events WHERE site_id = 3 AND ts >= epoch_ms(${END - 30 * 86_400_000}) AND ts < epoch_ms(${END})`,
  'top pages, site 1, 30 days': `SELECT pathname, count(DISTINCT visitor_id) v FROM events
    WHERE site_id = 1 AND ts >= epoch_ms(${END - 30 * 86_400_000}) AND ts < epoch_ms(${END})
    GROUP BY 1 ORDER BY 2 DESC LIMIT 10`,
  'daily visitors, site 5, 12 months': `SELECT date_trunc('day', ts), count(DISTINCT visitor_id) FROM events
    WHERE site_id = 5 GROUP BY 1`,
};

async function build(order: string): Promise<{ file: string; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'footfall-layout-'));
  const file = path.join(dir, 'footfall.duckdb');
  const db = await DuckDBInstance.create(file);
  const c = await db.connect();
  for (const m of MIGRATIONS) await c.run(m);
  await c.run(`INSERT INTO events ${order ? `SELECT * FROM (${GENERATE}) ORDER BY ${order}` : GENERATE}`);
  await c.run('CHECKPOINT');
  c.closeSync();
  db.closeSync();
  return { file, dir };
}

async function time(file: string, sql: string): Promise<number> {
  const db = await DuckDBInstance.create(file);
  const c = await db.connect();
  const runs: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    await c.runAndReadAll(sql);
    runs.push(performance.now() - t);
  }
  c.closeSync();
  db.closeSync();
  runs.sort((a, b) => a - b);
  return runs[3]!;
}

const layouts: Array<[string, string]> = [
  ['arrival (time) order — Footfall', ''],
  ['ordered by (site, time)', '1, 2'],
];
const rows: string[][] = [];
for (const [label, order] of layouts) {
  const { file, dir } = await build(order);
  const bytes = statSync(file).size;
  const cells = [label, (bytes / EVENTS).toFixed(1)];
  for (const sql of Object.values(QUERIES)) cells.push((await time(file, sql)).toFixed(1));
  rows.push(cells);
  rmSync(dir, { recursive: true, force: true });
}
const header = ['layout', 'bytes/event', ...Object.keys(QUERIES).map((q) => `${q} (ms)`)];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(
  `${EVENTS.toLocaleString('en')} synthetic events over 12 months, ${SITES} sites; query medians of 7 runs`,
);
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(line(r));
