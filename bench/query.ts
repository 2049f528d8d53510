// npm run bench:query — the queries a dashboard sends for the last 30 days (top metrics with
// comparison, daily series, top pages, sources, countries, browsers, devices) plus a filtered
// variant, a 4-step funnel, and goal conversions (the Goals panel, a goal-filtered top row and a source
// breakdown with conversion rates), against the real server (built dist/) over a site with 10 M events in a year and one
// with 1 M. Medians of several runs, each query alone and the whole set in parallel, the
// server's RSS, and bytes of disk per event. Baseline in the same run: GET /healthz.
// The generated data directory is kept in the temp dir and reused (BENCH_FRESH=1 rebuilds it).
// BENCH_ENGINES=duckdb,clickhouse runs the same set on each engine in turn, ClickHouse through
// chdb in the server's process (`npm install --no-save chdb@3.4.0`), each over its own copy
// of the same generated events. BENCH_DIR=<dir> uses (and fills, if empty) that directory instead.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addSite } from '../src/sites/manage.js';
import { createStore } from '../src/store/create-store.js';
import { DB_FILE } from '../src/store/duckdb/open.js';
import type { Store } from '../src/store/types.js';
import { generateTraffic } from './generate/events.js';
import { loadRows } from './generate/load.js';
import { serveBuilt, type Target } from './spawn.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const BIG = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const KEY = 'bench-admin-key-0123456789abcdef0123456789abcdef';
const DAYS = 365;
// Events per visit in the generator, measured: ~5.1 (page views, custom and engagement events).
const EVENTS_PER_VISIT = 5.1;
const ENGINES = (process.env.BENCH_ENGINES ?? 'duckdb').split(',') as Store['engine'][];

/** --clickhouse-url of the engine's copy of the data (none for DuckDB). */
const engineUrl = (engine: Store['engine'], dir: string) =>
  engine === 'clickhouse' ? `chdb:${path.join(dir, 'clickhouse')}` : undefined;

/** Bytes the engine keeps the events in: the DuckDB file, or ClickHouse's directory. */
function storedBytes(engine: Store['engine'], dir: string): number {
  if (engine === 'duckdb') return statSync(path.join(dir, DB_FILE)).size;
  const walk = (d: string): number =>
    readdirSync(d, { withFileTypes: true }).reduce(
      (n, e) => n + (e.isDirectory() ? walk(path.join(d, e.name)) : statSync(path.join(d, e.name)).size),
      0,
    );
  return walk(path.join(dir, 'clickhouse'));
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function daysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

/** Days a generated directory is reused: its year of events ends the day it was made, so a few days later the 30-day queries still read ~30 days. */
const REUSE_DAYS = 7;

async function prepare(dir: string, engine: Store['engine']): Promise<Record<string, number>> {
  const marker = path.join(dir, `ready-${today()}`);
  // Made within REUSE_DAYS: reused (a run that crossed midnight used to throw away an hour of
  // generated ClickHouse data and start again).
  const recent = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /^ready-\d{4}-\d{2}-\d{2}$/.test(f))
        .find((f) => Date.now() - Date.parse(f.slice(6)) < REUSE_DAYS * 86_400_000)
    : undefined;
  if (recent && !process.env.BENCH_FRESH) {
    return JSON.parse(readFileSync(path.join(dir, recent), 'utf8')) as Record<string, number>;
  }
  rmSync(dir, { recursive: true, force: true });
  const store = await createStore({ dataDir: dir, clickhouseUrl: engineUrl(engine, dir) });
  const counts: Record<string, number> = {};
  try {
    for (const [domain, events, seed] of [
      ['big.example', BIG, 1],
      ['small.example', BIG / 10, 2],
    ] as const) {
      const site = await addSite(store, { domain, timezone: 'Europe/Berlin' });
      const visitsPerDay = Math.round(events / DAYS / EVENTS_PER_VISIT);
      const t0 = performance.now();
      counts[domain] = await loadRows(
        store,
        generateTraffic({
          seed,
          siteId: site.id,
          startDate: daysAgo(DAYS - 1),
          days: DAYS,
          visitsPerDay,
          pages: 2000,
          visitors: visitsPerDay * 4,
        }),
        { onProgress: (n) => process.stderr.write(`\r${domain}: ${(n / 1e6).toFixed(1)} M events loaded`) },
      );
      process.stderr.write(
        `\r${domain}: ${counts[domain]} events in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
      );
    }
    // The rollups by salt day, as the server's job makes them (store/duckdb/rollups.ts): all of
    // them here, so the queries meet what a server that has run for a while has.
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const rolled = (await store.rollUp?.(Date.now(), 1_000_000)) ?? 0;
    const cpu = process.cpuUsage(cpu0);
    process.stderr.write(
      `rolled ${rolled} salt days in ${((performance.now() - t0) / 1000).toFixed(1)} s ` +
        `(${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of CPU)\n`,
    );
  } finally {
    await store.close();
  }
  writeFileSync(marker, JSON.stringify(counts));
  return counts;
}

function startServer(dir: string, engine: Store['engine']): Promise<Target> {
  const extra = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
  const url = engineUrl(engine, dir);
  return serveBuilt(dir, KEY, { args: [...extra, ...(url ? ['--clickhouse-url', url] : [])] });
}

function rssMb(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

function dashboard(site: string, filters: unknown[] = []): Record<string, Record<string, unknown>> {
  const base = { site_id: site, date_range: '30d', filters };
  return {
    'top metrics + comparison': {
      ...base,
      metrics: ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration'],
      include: { comparisons: { mode: 'previous_period' } },
    },
    'daily series': {
      ...base,
      metrics: ['visitors'],
      dimensions: ['time:day'],
      include: { time_labels: true },
    },
    'top pages': {
      ...base,
      metrics: ['visitors', 'pageviews'],
      dimensions: ['event:page'],
      pagination: { limit: 9 },
    },
    sources: { ...base, metrics: ['visitors'], dimensions: ['visit:source'], pagination: { limit: 9 } },
    countries: {
      ...base,
      metrics: ['visitors', 'percentage'],
      dimensions: ['visit:country_name'],
      pagination: { limit: 9 },
    },
    browsers: {
      ...base,
      metrics: ['visitors', 'percentage'],
      dimensions: ['visit:browser'],
      pagination: { limit: 9 },
    },
    devices: {
      ...base,
      metrics: ['visitors', 'percentage'],
      dimensions: ['visit:device'],
      pagination: { limit: 9 },
    },
  };
}

/** Goals each site gets (through the API) for the goal queries: one of each kind (and the home page for the funnel). */
const GOALS = [
  { event: 'Signup' },
  { page: '/blog/post-1*', name: 'Posts 1x' },
  { page: '/', scroll: 75 },
  { page: '/', name: 'Home' },
];
/** The saved segment the third variant of every query applies (`["is", "segment", [id]]`). */
const SEGMENT = {
  name: 'DE from Google',
  type: 'site',
  filters: [
    ['is', 'visit:country', ['DE']],
    ['is', 'visit:source', ['Google']],
  ],
};

/** A 4-step funnel (POST /api/v2/funnel), sequential over 24 hours. */
const FUNNEL_STEPS = ['Home', 'Scroll 75% on /', 'Posts 1x', 'Signup'];

/** Goal conversions, measured apart from the dashboard set (so its figures stay comparable). */
function goalQueries(site: string, filters: unknown[] = []): Record<string, Record<string, unknown>> {
  const base = { site_id: site, date_range: '30d' };
  return {
    'goal conversions (Goals panel)': {
      ...base,
      filters,
      metrics: ['visitors', 'events', 'conversion_rate'],
      dimensions: ['event:goal'],
    },
    'goal-filtered top row': {
      ...base,
      filters: [...filters, ['is', 'event:goal', ['Signup']]],
      metrics: ['visitors', 'events', 'conversion_rate'],
    },
    'sources by conversion rate': {
      ...base,
      filters: [...filters, ['is', 'event:goal', ['Signup', 'Posts 1x']]],
      metrics: ['visitors', 'group_conversion_rate'],
      dimensions: ['visit:source'],
      pagination: { limit: 9 },
    },
  };
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(engine: Store['engine']): Promise<void> {
  // BENCH_DIR: another directory (e.g. a copy, so a newer schema's upgrade leaves the shared one alone).
  const dir =
    process.env.BENCH_DIR ??
    path.join(tmpdir(), `footfall-bench-query-${engine === 'duckdb' ? '' : `${engine}-`}${BIG}`);
  const counts = await prepare(dir, engine);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const bytes = storedBytes(engine, dir);
  const server = await startServer(dir, engine);
  const post = async (body: unknown, path = '/api/v2/query') => {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`${res.status}: ${await res.text()}`);
    await res.json();
  };
  const rows: string[][] = [];
  try {
    for (const site of ['big.example', 'small.example']) {
      const have = await fetch(`${server.url}/api/sites/${site}/goals`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      // A reused directory keeps its goals: only the missing ones are added.
      const names = new Set(((await have.json()) as { goals: { name: string }[] }).goals.map((g) => g.name));
      for (const goal of GOALS) {
        if (
          names.has(goal.name ?? goal.event ?? (goal.scroll ? `Scroll ${goal.scroll}% on ${goal.page}` : ''))
        )
          continue;
        const res = await fetch(`${server.url}/api/sites/${site}/goals`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
          body: JSON.stringify(goal),
        });
        if (res.status !== 201) throw new Error(`goal: ${res.status} ${await res.text()}`);
      }
    }
    // A saved site segment per site (issue 15): the dashboard set, the goal queries and the
    // funnel run once more filtered by it, so resolving a segment is measured end to end.
    const segmentOf = new Map<string, number>();
    for (const site of ['big.example', 'small.example']) {
      const have = await fetch(`${server.url}/api/sites/${site}/segments`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      const found = ((await have.json()) as { segments: { id: number; name: string }[] }).segments.find(
        (x) => x.name === SEGMENT.name,
      );
      if (found) {
        segmentOf.set(site, found.id);
        continue;
      }
      const res = await fetch(`${server.url}/api/sites/${site}/segments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify(SEGMENT),
      });
      if (res.status !== 201) throw new Error(`segment: ${res.status} ${await res.text()}`);
      segmentOf.set(site, ((await res.json()) as { segment: { id: number } }).segment.id);
    }
    const baseline: number[] = [];
    for (let i = 0; i < RUNS; i++)
      baseline.push(await timed(async () => void (await (await fetch(`${server.url}/healthz`)).text())));
    const base = median(baseline);
    rows.push(['GET /healthz (baseline)', '', base.toFixed(1), '1.0']);
    for (const [site, label] of [
      ['big.example', `${(counts['big.example']! / 1e6).toFixed(1)} M`],
      ['small.example', `${(counts['small.example']! / 1e6).toFixed(1)} M`],
    ] as const) {
      for (const [variant, filters] of [
        ['', []],
        [' (filtered: country DE)', [['is', 'visit:country', ['DE']]]],
        [' (segment: DE from Google)', [['is', 'segment', [segmentOf.get(site)!]]]],
      ] as const) {
        const set = dashboard(site, [...filters]);
        for (const body of Object.values(set)) await post(body); // warm up
        for (const [name, body] of Object.entries(set)) {
          const times: number[] = [];
          for (let i = 0; i < RUNS; i++) times.push(await timed(() => post(body)));
          const m = median(times);
          rows.push([`${name}${variant}`, label, m.toFixed(1), (m / base).toFixed(0)]);
        }
        const whole: number[] = [];
        for (let i = 0; i < RUNS; i++)
          whole.push(
            await timed(async () => void (await Promise.all(Object.values(set).map((b) => post(b))))),
          );
        const m = median(whole);
        rows.push([
          `whole 30-day dashboard, in parallel${variant}`,
          label,
          m.toFixed(1),
          (m / base).toFixed(0),
        ]);
        for (const [name, body] of Object.entries(goalQueries(site, [...filters]))) {
          await post(body); // warm up
          const times: number[] = [];
          for (let i = 0; i < RUNS; i++) times.push(await timed(() => post(body)));
          const g = median(times);
          rows.push([`${name}${variant}`, label, g.toFixed(1), (g / base).toFixed(0)]);
        }
        const funnelBody = { site_id: site, date_range: '30d', filters, steps: FUNNEL_STEPS };
        await post(funnelBody, '/api/v2/funnel'); // warm up
        const funnelTimes: number[] = [];
        for (let i = 0; i < RUNS; i++)
          funnelTimes.push(await timed(() => post(funnelBody, '/api/v2/funnel')));
        const fm = median(funnelTimes);
        rows.push([`4-step funnel${variant}`, label, fm.toFixed(1), (fm / base).toFixed(0)]);
      }
    }
    const rss = rssMb(server.pid);
    const header = ['query (last 30 days)', 'site', 'median ms', '× baseline'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    console.log(`\n${engine}:\n`);
    console.log(line(header));
    console.log(line(widths.map((w) => '-'.repeat(w))));
    for (const r of rows) console.log(line(r));
    console.log(
      `\n${total.toLocaleString('en')} events; ${engine} ${(bytes / 1e6).toFixed(0)} MB = ${(bytes / total).toFixed(1)} bytes/event; ` +
        `server RSS after the run ${rss.now.toFixed(0)} MB, peak ${rss.peak.toFixed(0)} MB; ${RUNS} runs each.`,
    );
  } finally {
    await server.stop();
  }
}

for (const engine of ENGINES) await main(engine);
