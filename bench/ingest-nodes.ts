// npm run bench:ingest-nodes — tracked events per second through the test load balancer
// (test/helpers/load-balancer.ts, client-IP affinity) to one Footfall node, then to two, each on
// the same PostgreSQL and the same ClickHouse (chdb in this process behind the test HTTP front,
// test/helpers/clickhouse-http-front.ts). The load generator (autocannon, 256 client addresses
// in the balancer's test header, so both nodes get visitors) runs in its own process, pinned to
// CPU 1 when taskset exists. On a 2-core machine the second node shares the same cores with the
// first, the balancer, the ClickHouse engine and the load generator: this shows what a second
// node costs or gains here, not what a second machine would. Prints one table; see BENCHMARKS.md.
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { startClickHouseFront } from '../test/helpers/clickhouse-http-front.js';
import { startLoadBalancer, TEST_CLIENT_IP } from '../test/helpers/load-balancer.js';
import { startPostgres } from '../test/helpers/postgres.js';
import { BROWSER_UA, removeDir, seedSites, tempDir } from '../test/helpers/server.js';
import { ROOT, start, type Target } from './spawn.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);

interface Load {
  ok: number;
  non2xx: number;
  errors: number;
  p50: number;
  p99: number;
}

/** The load generator's side: run as `… ingest-nodes.ts --load <url>`, prints autocannon's JSON. */
async function generate(url: string): Promise<void> {
  // autocannon has no types of its own; a variable keeps tsc from looking for them.
  const name = 'autocannon';
  const { default: autocannon } = (await import(name)) as {
    default: (opts: object) => Promise<{
      '2xx': number;
      non2xx: number;
      errors: number;
      latency: { p50: number; p99: number };
    }>;
  };
  const requests = Array.from({ length: 256 }, (_, i) => ({
    method: 'POST',
    path: '/api/event',
    headers: {
      'content-type': 'text/plain',
      'user-agent': BROWSER_UA,
      [TEST_CLIENT_IP]: `10.9.${i >> 4}.${i & 15}`,
    },
    body: JSON.stringify({ n: 'pageview', u: `https://example.com/p/${i % 16}`, d: 'example.com' }),
  }));
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, requests });
  const out: Load = {
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    p50: r.latency.p50,
    p99: r.latency.p99,
  };
  process.stdout.write(JSON.stringify(out));
}

/** Asynchronously: the balancer and the ClickHouse front answer from this process meanwhile. */
async function load(url: string): Promise<Load> {
  const cmd = [process.execPath, '--import', 'tsx', path.join(ROOT, 'bench/ingest-nodes.ts'), '--load', url];
  let pinned = cmd;
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    pinned = ['taskset', '-c', '1', ...cmd];
  } catch {}
  const { stdout } = await promisify(execFile)(pinned[0]!, pinned.slice(1), { cwd: ROOT });
  return JSON.parse(stdout) as Load;
}

async function measure(nodeCount: number, direct = false) {
  const pg = await startPostgres();
  const chdbDir = tempDir('footfall-bench-chdb-');
  const front = await startClickHouseFront({ dir: chdbDir });
  const dirs = Array.from({ length: nodeCount }, () => tempDir('footfall-bench-node-'));
  const nodes: Target[] = [];
  try {
    const databaseUrl = await pg.freshDatabase();
    const clickhouseUrl = `${front.url}/footfall`;
    await seedSites(dirs[0]!, ['example.com'], { clickhouseUrl, databaseUrl });
    for (const dir of dirs) {
      nodes.push(
        await start([
          process.execPath,
          'dist/footfall.js',
          'serve',
          ...['--port', '0', '--host', '127.0.0.1', '--data', dir, '--trust-proxy', 'loopback'],
          ...['--clickhouse-url', clickhouseUrl, '--database-url', databaseUrl],
        ]),
      );
    }
    const lb = await startLoadBalancer(nodes.map((n) => n.url));
    // direct: the load generator to the one node, the balancer left out (what it costs).
    const result = await load(direct ? nodes[0]!.url : lb.url);
    const perNode = lb.counts();
    await lb.close();
    for (const n of nodes.splice(0)) await n.stop();
    const [row] = await front.rows('SELECT count() AS n FROM footfall.events');
    return { ...result, stored: Number(row?.n ?? 0), perNode };
  } finally {
    for (const n of nodes) await n.stop();
    await front.close();
    await pg.stop();
    for (const dir of [...dirs, chdbDir]) removeDir(dir);
  }
}

if (process.argv[2] === '--load') {
  await generate(process.argv[3]!);
} else {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  const bare = await measure(1, true);
  const one = await measure(1);
  const two = await measure(2);
  console.log(
    `POST /api/event through the test balancer, ${DURATION} s, ${CONNECTIONS} keep-alive connections, 256 client addresses`,
  );
  // Stored counts also hold the events answered after autocannon's window closed (up to one per connection).
  console.log('| nodes | acked ev/s | stored | p50 ms | p99 ms | non-2xx | errors | requests per node |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [n, r] of [
    ['1, no balancer', bare],
    ['1', one],
    ['2', two],
  ] as const) {
    console.log(
      `| ${n} | ${(r.ok / DURATION).toFixed(0)} | ${r.stored >= r.ok ? `${r.stored} (all acked)` : `${r.stored} of ${r.ok}`} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} | ${r.perNode.join(' / ')} |`,
    );
  }
  console.log(`two nodes ÷ one: ${(two.ok / one.ok).toFixed(2)}`);
}
