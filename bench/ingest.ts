// npm run bench:ingest — ingest throughput of the real server (built dist/, a fresh data
// directory) against a bare node:http server answering the same requests, in the same run,
// plus the per-event cost of enrichment measured in-process. The load generator
// (autocannon) is pinned to CPU 1 when taskset exists; the servers are not pinned.
// BENCH_ENGINES=duckdb,clickhouse measures the server on each engine in turn (ClickHouse through
// chdb in the server's process: `npm install --no-save chdb@3.4.0`).
// Prints one table; see BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStore } from '../src/store/create-store.js';
import type { Store } from '../src/store/types.js';
import { enrichmentCost } from './enrich-cost.js';
import { ROOT, start } from './spawn.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ENGINES = (process.env.BENCH_ENGINES ?? 'duckdb').split(',') as Store['engine'][];
const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return true;
  } catch {
    return false;
  }
})();
const pinned = (cpu: number, cmd: string[]) => (hasTaskset ? ['taskset', '-c', String(cpu), ...cmd] : cmd);

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  ok: number;
}

function autocannon(url: string, kind: 'gif' | 'post'): Load {
  const page = encodeURIComponent('https://example.com/blog/post?utm_source=bench');
  const args =
    kind === 'gif'
      ? [`${url}/a.gif?url=${page}&t=Bench&ref=${encodeURIComponent('https://news.ycombinator.com/')}`]
      : [
          '-m',
          'POST',
          '-H',
          'content-type=text/plain',
          '-b',
          JSON.stringify({
            n: 'pageview',
            u: 'https://example.com/blog/post',
            d: 'example.com',
            r: 'https://google.com/',
          }),
          `${url}/api/event`,
        ];
  const cmd = pinned(1, [
    process.execPath,
    path.join(ROOT, 'node_modules/autocannon/autocannon.js'),
    '--json',
    '-H',
    'user-agent=Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
    '-c',
    String(CONNECTIONS),
    '-d',
    String(DURATION),
    ...args,
  ]);
  const json = JSON.parse(
    execFileSync(cmd[0]!, cmd.slice(1), { maxBuffer: 64 * 1024 * 1024 }).toString(),
  ) as {
    requests: { average: number };
    latency: { p50: number; p99: number };
    errors: number;
    non2xx: number;
    '2xx': number;
  };
  return {
    rps: json['2xx'] / DURATION,
    p50: json.latency.p50,
    p99: json.latency.p99,
    errors: json.errors + json.non2xx,
    ok: json['2xx'],
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function runFootfall(kind: 'gif' | 'post', engine: Store['engine']) {
  const data = mkdtempSync(path.join(tmpdir(), 'footfall-bench-'));
  const clickhouseUrl = engine === 'clickhouse' ? `chdb:${path.join(data, 'clickhouse')}` : undefined;
  const store = await createStore({ dataDir: data, clickhouseUrl });
  await store.addSite({ domain: 'example.com', timezone: 'UTC' });
  await store.close();
  const server = await start([
    process.execPath,
    'dist/footfall.js',
    'serve',
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--data',
    data,
    ...(clickhouseUrl ? ['--clickhouse-url', clickhouseUrl] : []),
  ]);
  const load = autocannon(server.url, kind);
  const rss = peakRssMb(server.pid);
  await server.stop();
  const check = await createStore({ dataDir: data, clickhouseUrl });
  const stored = Number(
    (await check.runQuery('SELECT count(*) AS n FROM events', [], { timeoutMs: 60_000 }))[0]!.n,
  );
  await check.close();
  rmSync(data, { recursive: true, force: true });
  return { ...load, rss, stored, durableRps: stored / DURATION };
}

async function runBare(kind: 'gif' | 'post') {
  const server = await start([process.execPath, 'bench/bare-gif-server.mjs']);
  const load = autocannon(server.url, kind);
  const rss = peakRssMb(server.pid);
  await server.stop();
  return { ...load, rss };
}

execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
const rows: string[][] = [];
for (const kind of ['gif', 'post'] as const) {
  const ffs = new Map<Store['engine'], Awaited<ReturnType<typeof runFootfall>>[]>(
    ENGINES.map((e) => [e, []]),
  );
  const bare: Awaited<ReturnType<typeof runBare>>[] = [];
  // Each round measures the bare server and every engine back to back, so a slower minute of
  // a shared machine weighs on all of them alike.
  for (let r = 0; r < ROUNDS; r++) {
    bare.push(await runBare(kind));
    for (const engine of ENGINES) ffs.get(engine)!.push(await runFootfall(kind, engine));
  }
  const b = {
    rps: median(bare.map((x) => x.rps)),
    p50: median(bare.map((x) => x.p50)),
    p99: median(bare.map((x) => x.p99)),
    rss: Math.max(...bare.map((x) => x.rss)),
  };
  const endpoint = kind === 'gif' ? 'GET /a.gif' : 'POST /api/event';
  for (const [engine, ff] of ffs) {
    const f = {
      rps: median(ff.map((x) => x.rps)),
      durable: median(ff.map((x) => x.durableRps)),
      p50: median(ff.map((x) => x.p50)),
      p99: median(ff.map((x) => x.p99)),
      errors: Math.max(...ff.map((x) => x.errors)),
      rss: Math.max(...ff.map((x) => x.rss)),
      lost: Math.max(...ff.map((x) => x.ok - x.stored)),
    };
    rows.push([
      endpoint,
      `footfall (${engine})`,
      f.rps.toFixed(0),
      f.durable.toFixed(0),
      String(f.p50),
      String(f.p99),
      String(f.errors),
      f.rss.toFixed(0),
      (f.rps / b.rps).toFixed(2),
      f.lost <= 0 ? 'yes' : `NO (${f.lost} missing)`,
    ]);
  }
  rows.push([
    endpoint,
    'bare node:http',
    b.rps.toFixed(0),
    '-',
    String(b.p50),
    String(b.p99),
    '0',
    b.rss.toFixed(0),
    '1.00',
    '-',
  ]);
}

const enrichUs = await enrichmentCost();
const header = [
  'endpoint',
  'server',
  'req/s',
  'durable ev/s',
  'p50 ms',
  'p99 ms',
  'errors',
  'peak RSS MB',
  'ratio',
  'all acked stored',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(
  `${ROUNDS} rounds × ${DURATION} s, ${CONNECTIONS} keep-alive connections, medians (RSS: max)${hasTaskset ? ', load generator on CPU 1' : ''}`,
);
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(line(r));
console.log(
  `enrichment (bot check, source/channel, visitor id + session, UA, geo): median ${enrichUs.toFixed(1)} µs/event`,
);
