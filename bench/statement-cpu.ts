// node --import tsx bench/statement-cpu.ts <footfall.duckdb> [runs] — the statements the query
// compiler writes for a year of events, each as it was and as it is now, alternating on one
// read-only connection: the CPU each takes (the process's, DuckDB's threads included; the
// machine is shared, so CPU rather than wall time) and whether both give the same rows. The
// file is bench:query's 10 M-event one (site 1, Europe/Berlin, 2026). Decisions it measured:
// typed time buckets (dialects/duckdb.ts), the Pages panel's engaged visitors (compile.ts), and
// journey samples from the range's last days (journeys.ts).
import { DuckDBInstance } from '@duckdb/node-api';

const [file, runsArg = '5'] = process.argv.slice(2);
if (!file) throw new Error('usage: bench/statement-cpu.ts <footfall.duckdb> [runs]');
const RUNS = Number(runsArg);
const RANGE =
  "site_id = 1 AND ts >= TIMESTAMP '2025-12-31 23:00:00' AND ts < TIMESTAMP '2026-12-31 23:00:00'";
const LOCAL =
  "(ts + to_minutes(CASE WHEN ts < TIMESTAMP '2026-03-29 01:00:00' THEN 60 WHEN ts < TIMESTAMP '2026-10-25 01:00:00' THEN 120 ELSE 60 END))";
const e = (cols: string) => `WITH e AS (SELECT ${cols} FROM events WHERE ${RANGE})`;
const series = (bucket: string, text: string) =>
  `${e(`ts, name, visitor_id, ${LOCAL} AS lt`)}, ev AS (SELECT ${bucket} AS d0, count(DISTINCT visitor_id) AS visitors ` +
  `FROM e WHERE name <> 'engagement' GROUP BY ALL) SELECT ${text} AS d0, visitors FROM ev ORDER BY d0`;
const engaged = (extra: string, count: string) =>
  `${e('name, visitor_id, pathname, scroll_depth, engagement_ms')}, en_visitor AS (SELECT pathname AS d0, visitor_id${extra}, ` +
  "max(scroll_depth) AS max_scroll, sum(engagement_ms) AS engaged_ms FROM e WHERE name = 'engagement' GROUP BY ALL) " +
  `SELECT d0, avg(max_scroll) AS scroll_depth, sum(engaged_ms) AS engaged_ms, ${count} FILTER (WHERE engaged_ms IS NOT NULL) AS n ` +
  'FROM en_visitor GROUP BY ALL ORDER BY d0';
const steps =
  "SELECT session_id, ts, pathname FROM (SELECT session_id, ts, pathname, lag(pathname) OVER w AS prev FROM e WHERE name = 'pageview' " +
  'AND session_id IN (SELECT session_id FROM latest) WINDOW w AS (PARTITION BY session_id ORDER BY ts)) WHERE prev IS NULL OR prev <> pathname';
const samples = (tail: boolean) =>
  `${e('ts, name, session_id, pathname')}, ` +
  (tail ? "tail AS (SELECT max(ts) - INTERVAL 2 DAY AS since FROM e WHERE name = 'pageview'), " : '') +
  "latest AS (SELECT session_id, min(ts) AS start_ts FROM e WHERE name = 'pageview'" +
  (tail
    ? " AND session_id IN (SELECT session_id FROM e WHERE name = 'pageview' AND ts >= (SELECT since FROM tail)) GROUP BY session_id HAVING min(ts) >= (SELECT since FROM tail)"
    : ' GROUP BY session_id') +
  ` ORDER BY start_ts DESC, session_id LIMIT 5) SELECT l.session_id, list_slice(list(d.pathname ORDER BY d.ts), 1, 100) AS pages FROM (${steps}) d ` +
  'JOIN latest l USING (session_id) GROUP BY l.session_id, l.start_ts ORDER BY l.start_ts DESC, l.session_id';

const PAIRS: [string, string, string][] = [
  [
    'daily series (time:day)',
    series("strftime(lt, '%Y-%m-%d')", 'd0'),
    series('CAST(lt AS DATE)', 'CAST(d0 AS VARCHAR)'),
  ],
  [
    'hourly series (time:hour)',
    series("strftime(date_trunc('hour', lt), '%Y-%m-%d %H:00:00')", 'd0'),
    series("date_trunc('hour', lt)", 'CAST(d0 AS VARCHAR)'),
  ],
  [
    'weekly series (time:week)',
    series("strftime(greatest(date_trunc('week', lt), CAST('2026-01-01' AS DATE)), '%Y-%m-%d')", 'd0'),
    series(
      "greatest(CAST(date_trunc('week', lt) AS DATE), CAST('2026-01-01' AS DATE))",
      'CAST(d0 AS VARCHAR)',
    ),
  ],
  [
    'monthly series (time:month)',
    series("strftime(lt, '%Y-%m-01')", 'd0'),
    series("CAST(date_trunc('month', lt) AS DATE)", 'CAST(d0 AS VARCHAR)'),
  ],
  [
    'Pages: time on page, scroll depth',
    engaged(', pathname', 'count(DISTINCT visitor_id)'),
    engaged('', 'count(*)'),
  ],
  ['journey samples (5 latest visits)', samples(false), samples(true)],
];

const db = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
const conn = await db.connect();
async function run(sql: string): Promise<{ cpu: number; rows: string }> {
  const c0 = process.cpuUsage();
  const reader = await conn.runAndReadAll(sql);
  const c = process.cpuUsage(c0);
  return {
    cpu: (c.user + c.system) / 1000,
    rows: JSON.stringify(reader.getRows(), (_, v) => (typeof v === 'bigint' ? String(v) : v)),
  };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  '| statement (12 months, 10 M events) | before, CPU ms | now, CPU ms | ratio | same rows |\n|---|---|---|---|---|',
);
for (const [name, before, now] of PAIRS) {
  const cpu = { before: [] as number[], now: [] as number[] };
  let same = true;
  for (let i = 0; i < RUNS; i++) {
    const a = await run(before);
    const b = await run(now);
    cpu.before.push(a.cpu);
    cpu.now.push(b.cpu);
    same &&= a.rows === b.rows;
  }
  const [x, y] = [median(cpu.before), median(cpu.now)];
  console.log(
    `| ${name} | ${x.toFixed(0)} | ${y.toFixed(0)} | ${(y / x).toFixed(2)} | ${same ? 'yes' : 'NO'} |`,
  );
}
