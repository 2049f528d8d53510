// npm run bench:attacks — tracking latency while the server is attacked (issue 11.4, 11.5),
// against the real server (built dist/) on loopback only. Three phases, each bounded:
// - baseline: tracking alone;
// - slow clients: 8 loopback addresses each open 500 connections that send a POST's headers
//   and then trickle the body one byte every 5 s (the per-address cap and the 30 s request
//   timeout are what bound them);
// - query flood: one identity sends 12 heavy all-time queries at once, twice, while another
//   identity sends a light query every 500 ms.
// Tracking (GET /a.gif, 8 at a time, kept-alive, from 127.0.0.1) runs through every phase;
// p50/p99 are its latencies. RSS is the server's, sampled from /proc every 100 ms.
// Data: one site with BENCH_EVENTS (2 M) events over a year, generated once into the temp dir.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApiKey } from '../src/auth/keys.js';
import { PasswordHasher } from '../src/auth/passwords.js';
import { createUser } from '../src/auth/users.js';
import { addSite } from '../src/sites/manage.js';
import { openDuckDbStore } from '../src/store/duckdb/open.js';
import { generateTraffic } from './generate/events.js';
import { loadRows } from './generate/load.js';
import { ROOT, serveBuilt, type Target } from './spawn.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000_000);
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef0123456789abcdef';
const SITE = 'big.example';
const DAYS = 365;
const EVENTS_PER_VISIT = 5.1;

async function prepare(dir: string): Promise<{ readerKey: string }> {
  const marker = path.join(dir, 'ready.json');
  if (existsSync(marker) && !process.env.BENCH_FRESH) return JSON.parse(readFileSync(marker, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  const store = await openDuckDbStore(dir);
  try {
    const site = await addSite(store, { domain: SITE, timezone: 'UTC' });
    const visitsPerDay = Math.round(EVENTS / DAYS / EVENTS_PER_VISIT);
    const startDate = new Date(Date.now() - (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
    await loadRows(
      store,
      generateTraffic({ seed: 3, siteId: site.id, startDate, days: DAYS, visitsPerDay, pages: 2000 }),
      { onProgress: (n) => process.stderr.write(`\r${(n / 1e6).toFixed(1)} M events loaded`) },
    );
    process.stderr.write('\n');
    const user = await createUser(
      store.accounts,
      new PasswordHasher(),
      { email: 'reader@example.com', password: 'a long enough password', role: 'owner' },
      Date.now(),
    );
    const { key } = await createApiKey(store.accounts, randomBytes, user, { sites: [SITE] }, Date.now());
    writeFileSync(marker, JSON.stringify({ readerKey: key }));
    return { readerKey: key };
  } finally {
    await store.close();
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const openFds = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

/** Samples the server's RSS until stopped; returns the peak. */
function sampleRss(pid: number): () => number {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 100);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

/** Tracking load: `workers` kept-alive beacon loops from 127.0.0.1 until stopped. */
function trackingLoad(url: string, workers = 8): () => Promise<{ ms: number[]; failed: number }> {
  const { hostname, port } = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: workers, localAddress: '127.0.0.1' });
  const ms: number[] = [];
  let failed = 0;
  let running = true;
  let n = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const page = encodeURIComponent(`https://${SITE}/bench/${n++ % 500}`);
      const req = http.get(
        {
          host: hostname,
          port,
          path: `/a.gif?url=${page}`,
          agent,
          timeout: 30_000,
          headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36' },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) ms.push(performance.now() - t0);
            else failed++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.on('timeout', () => req.destroy());
    });
  const loops = Array.from({ length: workers }, async () => {
    while (running) await one();
  });
  return async () => {
    running = false;
    await Promise.all(loops);
    agent.destroy();
    return { ms, failed };
  };
}

interface Row {
  phase: string;
  p50: number;
  p99: number;
  requests: number;
  failed: number;
  peakRss: number;
  notes: string;
}

async function phase(server: Target, name: string, attack: () => Promise<string>): Promise<Row> {
  const stopRss = sampleRss(server.pid);
  const stopLoad = trackingLoad(server.url);
  const notes = await attack();
  const { ms, failed } = await stopLoad();
  return {
    phase: name,
    p50: pct(ms, 50),
    p99: pct(ms, 99),
    requests: ms.length,
    failed,
    peakRss: stopRss(),
    notes,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens slow-body connections from 127.0.0.{2..9}; returns them and how many the server let stay. */
async function slowClients(url: string, perAddress: number, addresses: number): Promise<Socket[]> {
  const { hostname, port } = new URL(url);
  const sockets: Socket[] = [];
  for (let a = 0; a < addresses; a++) {
    for (let i = 0; i < perAddress; i++) {
      const s = connect({ host: hostname, port: Number(port), localAddress: `127.0.0.${a + 2}` });
      s.on('error', () => {});
      s.on('connect', () =>
        s.write(
          'POST /api/event HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n{',
        ),
      );
      sockets.push(s);
    }
    await sleep(20);
  }
  return sockets;
}

async function slowClientPhase(server: Target): Promise<string> {
  // The server's open file descriptors are the resource the attack goes after.
  const fdsBefore = openFds(server.pid);
  let peakFds = fdsBefore;
  const fdTimer = setInterval(() => {
    peakFds = Math.max(peakFds, openFds(server.pid));
  }, 200);
  const sockets = await slowClients(server.url, 500, 8);
  const drip = setInterval(() => {
    for (const s of sockets) if (!s.destroyed) s.write('x');
  }, 5_000);
  await sleep(35_000);
  const fdsLate = openFds(server.pid) - fdsBefore;
  clearInterval(drip);
  clearInterval(fdTimer);
  for (const s of sockets) s.destroy();
  return (
    `${sockets.length} slow-body connections from 8 addresses: server fds +${peakFds - fdsBefore} at peak, ` +
    `+${fdsLate} after 35 s`
  );
}

async function queryFloodPhase(server: Target, readerKey: string): Promise<string> {
  const ask = async (key: string, body: unknown) => {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/v2/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - t0 };
  };
  const heavy = {
    site_id: SITE,
    metrics: ['visitors', 'visits', 'bounce_rate', 'visit_duration', 'pageviews'],
    date_range: 'all',
    dimensions: ['event:page', 'visit:city', 'visit:browser_version', 'visit:referrer'],
    filters: [['matches', 'event:title', ['(?i).*[aeiou].*[0-9]+$']]],
    pagination: { limit: 10000 },
  };
  const light = { site_id: SITE, metrics: ['visitors'], date_range: 'day' };
  const lightMs: number[] = [];
  let reading = true;
  const reader = (async () => {
    while (reading) {
      lightMs.push((await ask(readerKey, light)).ms);
      await sleep(500);
    }
  })();
  const t0 = performance.now();
  const statuses: Record<string, number> = {};
  for (let round = 0; round < 2; round++) {
    const answers = await Promise.all(Array.from({ length: 12 }, () => ask(ADMIN_KEY, heavy)));
    for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  }
  const floodS = (performance.now() - t0) / 1000;
  reading = false;
  await reader;
  const codes = Object.entries(statuses)
    .map(([s, n]) => `${n}× ${s}`)
    .join(', ');
  return (
    `2 × 12 heavy queries from one key: ${codes}, all answered in ${floodS.toFixed(1)} s; ` +
    `light query from another key: max ${Math.max(...lightMs).toFixed(0)} ms over ${lightMs.length}`
  );
}

async function main(): Promise<void> {
  const dir = path.join(tmpdir(), `footfall-bench-robustness-${EVENTS}`);
  // BENCH_ROOT: another checkout's built dist/ (to measure a version before these limits).
  const root = process.env.BENCH_ROOT ?? ROOT;
  const { readerKey } = await prepare(dir);
  const server = await serveBuilt(dir, ADMIN_KEY, { root });
  const rows: Row[] = [];
  try {
    // Warm up (JIT, today's salt, the first batches) outside the measured phases.
    const { ms } = await (async () => {
      const stop = trackingLoad(server.url);
      await sleep(3_000);
      return stop();
    })();
    if (ms.length === 0) throw new Error('tracking does not answer');
    rows.push(
      await phase(server, 'baseline', async () => {
        await sleep(10_000);
        return 'tracking alone, 10 s';
      }),
    );
    rows.push(await phase(server, 'slow clients', () => slowClientPhase(server)));
    rows.push(await phase(server, 'query flood', () => queryFloodPhase(server, readerKey)));
  } finally {
    await server.stop();
  }
  console.log(`| phase | tracking p50 ms | p99 ms | requests | failed | peak RSS MB | what happened |`);
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.phase} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.requests} | ${r.failed} | ` +
        `${r.peakRss.toFixed(0)} | ${r.notes} |`,
    );
  }
}

await main();
