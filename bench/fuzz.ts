// npm run bench:fuzz — hostile and malformed input against every input path of a real server
// (built dist/, loopback only, bounded): tracking (the seed's GIF, Plausible's and Umami's
// APIs), the Stats API (queries, journeys, realtime), sign-in and unknown paths. Seeded, so a
// run can be repeated. Prints, per path: inputs sent, answers by class, 5xx, and at the end
// whether the process is alive and healthy and the slowest /healthz answer seen while it ran
// (no single request may hold the event loop).
//
//   npm run bench:fuzz                  20,000 inputs (default)
//   FUZZ_INPUTS=2000 npm run bench:fuzz fewer
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addSite } from '../src/sites/manage.js';
import { openDuckDbStore } from '../src/store/duckdb/open.js';
import { serveBuilt, type Target } from './spawn.js';

const INPUTS = Number(process.env.FUZZ_INPUTS ?? 20_000);
const IN_FLIGHT = 16;
const ADMIN_KEY = 'bench-fuzz-admin-key-0123456789abcdef0123456789';
const SITE = 'fuzz.example';
const UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

let seed = 20261130;
function rand(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const int = (n: number) => Math.floor(rand() * n);

/** Values an attacker reaches for: wrong types, huge, control characters, injection, traversal. */
const HOSTILE: readonly unknown[] = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '%00',
  '../../etc/passwd',
  "' OR 1=1 --",
  '"); DROP TABLE events; --',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  '=HYPERLINK("x")',
  'x'.repeat(70_000),
  '🦶'.repeat(2_000),
  -1,
  0,
  1e308,
  Number.MAX_SAFE_INTEGER,
  Number.NaN,
  true,
  null,
  [],
  {},
  [[[[[[[[[[]]]]]]]]]],
  { __proto__: { polluted: 1 } },
  { constructor: { prototype: { polluted: 1 } } },
  `https://${SITE}/page`,
  `https://${SITE}/${'p'.repeat(2100)}`,
  'ftp://fuzz.example/x',
  '0001-01-01',
  '9999-12-31',
  '2026-02-30',
  '1000-01-01T00:00:00Z',
];

const METRICS = [
  'visitors',
  'visits',
  'pageviews',
  'bounce_rate',
  'visit_duration',
  'events',
  'percentage',
  'nope',
];
const DIMENSIONS = [
  'event:page',
  'visit:source',
  'time:hour',
  'time:day',
  'time',
  'event:props:x',
  'visit:city',
  'x',
];
const RANGES: readonly unknown[] = [
  'day',
  '7d',
  '30d',
  '12mo',
  'all',
  ['2026-01-01', '2026-12-31'],
  ['0001-01-01', '3000-12-31'],
];

function hostile(depth = 0): unknown {
  if (depth < 2 && rand() < 0.2) return Array.from({ length: int(4) }, () => hostile(depth + 1));
  if (depth < 2 && rand() < 0.1) return { [String(pick(HOSTILE)).slice(0, 40)]: hostile(depth + 1) };
  return pick(HOSTILE);
}

/** A well-formed query of random shape with up to three fields replaced by hostile values. */
function fuzzQuery(): unknown {
  const q: Record<string, unknown> = {
    site_id: SITE,
    metrics: [pick(METRICS), pick(METRICS)],
    date_range: pick(RANGES),
    dimensions: rand() < 0.7 ? [pick(DIMENSIONS)] : [],
    filters:
      rand() < 0.5
        ? [
            [
              pick(['is', 'is_not', 'matches', 'contains']),
              pick(DIMENSIONS),
              [String(pick(HOSTILE)).slice(0, 500)],
            ],
          ]
        : [],
    include:
      rand() < 0.3
        ? { time_labels: true, comparisons: { mode: pick(['previous_period', 'year_over_year']) } }
        : {},
    pagination: rand() < 0.3 ? { limit: 1 + int(100), offset: int(100) } : undefined,
  };
  const keys = Object.keys(q);
  for (let i = 0, n = int(4); i < n; i++) q[pick(keys)] = hostile();
  if (rand() < 0.05) q[String(pick(HOSTILE)).slice(0, 30)] = 1;
  return q;
}

function fuzzEvent(): unknown {
  const e: Record<string, unknown> = { n: 'pageview', u: `https://${SITE}/p${int(50)}`, d: SITE, r: null };
  const keys = ['n', 'u', 'd', 'r', 'p', 'w', 'h', 'i', '$', 'sd', 'e', 'props', 'revenue', 'interactive'];
  for (let i = 0, n = int(4); i < n; i++) e[pick(keys)] = hostile();
  return e;
}

/** Percent-encoding that survives a lone surrogate (sent as the invalid UTF-8 it would be). */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return `%ED%A0%80${encodeURIComponent(text.replace(/[\ud800-\udfff]/g, ''))}`;
  }
}

function randomBytes(): Buffer {
  return Buffer.from(Array.from({ length: int(300) }, () => int(256)));
}

interface Input {
  path: string;
  init: RequestInit;
}

type Kind =
  | 'GET /a.gif'
  | 'POST /api/event'
  | 'POST /api/send'
  | 'POST /api/v2/query'
  | 'POST /api/v2/journeys'
  | 'GET /api/v2/realtime'
  | 'POST /api/auth/login'
  | 'GET (other paths)';

const JSON_HEADERS = { 'content-type': 'application/json', 'user-agent': UA };
const asBody = (v: unknown) => (rand() < 0.15 ? randomBytes() : JSON.stringify(v));

function nextInput(): [Kind, Input] {
  const r = rand();
  if (r < 0.2) {
    const params = new URLSearchParams();
    for (const k of ['url', 't', 'ref', pick(['x', 'url', 'utm_source'])]) {
      if (rand() < 0.8)
        params.set(k, String(k === 'url' && rand() < 0.5 ? `https://${SITE}/p` : hostile()).slice(0, 3000));
    }
    return ['GET /a.gif', { path: `/a.gif?${params}`, init: { headers: { 'user-agent': UA } } }];
  }
  if (r < 0.4) {
    return [
      'POST /api/event',
      { path: '/api/event', init: { method: 'POST', headers: JSON_HEADERS, body: asBody(fuzzEvent()) } },
    ];
  }
  if (r < 0.5) {
    const body = {
      type: pick(['event', 'identify', hostile()]),
      payload: { website: hostile(), hostname: SITE, url: hostile(), name: hostile(), data: hostile() },
    };
    return [
      'POST /api/send',
      { path: '/api/send', init: { method: 'POST', headers: JSON_HEADERS, body: asBody(body) } },
    ];
  }
  const auth = { ...JSON_HEADERS, authorization: `Bearer ${ADMIN_KEY}` };
  if (r < 0.75) {
    return [
      'POST /api/v2/query',
      { path: '/api/v2/query', init: { method: 'POST', headers: auth, body: asBody(fuzzQuery()) } },
    ];
  }
  if (r < 0.82) {
    const body = {
      site_id: SITE,
      date_range: pick(RANGES),
      steps: rand() < 0.3 ? hostile() : 2 + int(4),
      limit: rand() < 0.3 ? hostile() : 1 + int(20),
      samples: rand() < 0.3 ? hostile() : int(10),
      filters: [],
    };
    return [
      'POST /api/v2/journeys',
      { path: '/api/v2/journeys', init: { method: 'POST', headers: auth, body: asBody(body) } },
    ];
  }
  if (r < 0.87) {
    return [
      'GET /api/v2/realtime',
      {
        path: `/api/v2/realtime?site_id=${encode(rand() < 0.5 ? SITE : String(hostile()).slice(0, 3000))}`,
        init: { headers: auth },
      },
    ];
  }
  if (r < 0.92) {
    const body = { email: hostile(), password: hostile() };
    return [
      'POST /api/auth/login',
      { path: '/api/auth/login', init: { method: 'POST', headers: JSON_HEADERS, body: asBody(body) } },
    ];
  }
  const junk = encode(String(hostile()).slice(0, 1500));
  return [
    'GET (other paths)',
    {
      path: pick([`/${junk}`, `/sites/${junk}`, `/api/sites/${junk}`, `/assets/${junk}`, `/share/${junk}`]),
      init: {},
    },
  ];
}

interface Tally {
  sent: number;
  s2: number;
  s4: number;
  s5: number;
  other: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'footfall-fuzz-'));
  const store = await openDuckDbStore(dir);
  await addSite(store, { domain: SITE, timezone: 'Europe/Berlin' });
  await store.close();
  const server: Target = await serveBuilt(dir, ADMIN_KEY);
  const tallies = new Map<Kind, Tally>();
  const fiveHundreds: string[] = [];
  const noAnswers: string[] = [];
  let accepted = 0;
  let slowestHealth = 0;
  const healthFailures: string[] = [];
  let done = false;
  const prober = (async () => {
    while (!done) {
      const t0 = performance.now();
      const res = await fetch(`${server.url}/healthz`).catch((err: Error) => err);
      slowestHealth = Math.max(slowestHealth, performance.now() - t0);
      if (res instanceof Error) healthFailures.push(`no answer: ${res.message} ${String(res.cause ?? '')}`);
      else if (res.status !== 200) healthFailures.push(`${res.status} ${await res.text()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < INPUTS) {
      next++;
      const [kind, input] = nextInput();
      const t = tallies.get(kind) ?? { sent: 0, s2: 0, s4: 0, s5: 0, other: 0 };
      tallies.set(kind, t);
      t.sent++;
      const res = await fetch(`${server.url}${input.path}`, input.init).catch((err: Error) => err);
      if (res instanceof Error) {
        t.other++;
        if (noAnswers.length < 5) noAnswers.push(`${kind}: ${res.message} ${String(res.cause ?? '')}`);
        continue;
      }
      await res.arrayBuffer();
      if (res.status >= 500) {
        t.s5++;
        if (fiveHundreds.length < 10)
          fiveHundreds.push(`${kind} → ${res.status} ${String(input.init.body ?? input.path).slice(0, 200)}`);
      } else if (res.status >= 400) t.s4++;
      else {
        t.s2++;
        if (kind === 'GET /a.gif' || kind === 'POST /api/event' || kind === 'POST /api/send') accepted++;
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (performance.now() - started) / 1000;
  done = true;
  await prober;
  const health = await fetch(`${server.url}/healthz`).then(
    (r) => r.status,
    () => 0,
  );
  await server.stop();

  console.log(`${INPUTS} inputs in ${seconds.toFixed(0)} s, ${IN_FLIGHT} in flight, seed 20261130\n`);
  console.log('| input path | sent | 2xx | 4xx | 5xx | no answer |');
  console.log('|---|---|---|---|---|---|');
  for (const [kind, t] of [...tallies].sort((a, b) => b[1].sent - a[1].sent)) {
    console.log(`| ${kind} | ${t.sent} | ${t.s2} | ${t.s4} | ${t.s5} | ${t.other} |`);
  }
  console.log(
    `\n/healthz after: ${health}; slowest /healthz during the run: ${slowestHealth.toFixed(0)} ms; failed probes: ${healthFailures.length}`,
  );
  console.log(
    `tracking answers with 2xx (accepted, may be dropped later as bot or unknown site): ${accepted}`,
  );
  for (const line of fiveHundreds) console.log(`5xx: ${line}`);
  for (const line of noAnswers) console.log(`no answer: ${line.slice(0, 200)}`);
  rmSync(dir, { recursive: true, force: true });
}

await main();
