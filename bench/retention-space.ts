// What retention's delete + CHECKPOINT does to the DuckDB file (src/store/duckdb/retention.ts):
// loads N synthetic events a minute apart, deletes the oldest fraction through the store, then
// loads half as many new ones; prints the file size and DuckDB's block counts after each step.
// Run: node --import tsx bench/retention-space.ts [events=500000] [fraction=0.8]   (~1 minute)
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeRow } from '../src/ingest/row-codec.js';
import { addSite } from '../src/sites/manage.js';
import { DB_FILE, openDuckDbStore } from '../src/store/duckdb/open.js';
import type { EventRow } from '../src/store/event-row.js';

const N = Number(process.argv[2] ?? 500_000);
const FRACTION = Number(process.argv[3] ?? 0.8);
const START = Date.parse('2024-01-01T00:00:00Z');
const dir = mkdtempSync(path.join(tmpdir(), 'footfall-retention-'));
const file = path.join(dir, DB_FILE);

function row(i: number, ts: number, session: number): EventRow {
  return {
    siteId: 1,
    ts,
    name: 'pageview',
    hostname: 'example.com',
    pathname: `/p${i % 50}`,
    title: `Page ${i % 50}`,
    referrer: '',
    referrerHost: '',
    utmSource: '',
    utmMedium: '',
    utmCampaign: '',
    utmTerm: '',
    utmContent: '',
    props: [],
    interactive: true,
    visitorId: BigInt(session % 5000),
    sessionId: BigInt(session),
    browser: 'Firefox',
    browserVersion: '130',
    os: 'Linux',
    osVersion: '',
    device: 'Desktop',
    screen: 'Laptop',
    language: 'de',
    country: 'DE',
    region: 'DE-BE',
    city: 'Berlin',
    source: 'Direct / None',
    channel: 'Direct',
    scrollDepth: null,
    engagementMs: null,
  };
}

let store = await openDuckDbStore(dir);
await addSite(store, { domain: 'example.com' });
let segment = 0;
const load = async (from: number, n: number, firstSession: number) => {
  const lines: string[] = [];
  for (let i = 0; i < n; i++)
    lines.push(encodeRow(row(i, from + i * 60_000, firstSession + Math.floor(i / 3))));
  const batch = path.join(dir, 'batch.ndjson');
  writeFileSync(batch, `${lines.join('\n')}\n`);
  await store.loadEvents(batch, { segment: ++segment, offset: 0 });
};
const report = async (step: string) => {
  await store.close();
  const size = statSync(file).size;
  store = await openDuckDbStore(dir);
  const [b] = await store.queryRows(
    "SELECT total_blocks, free_blocks FROM pragma_database_size() WHERE database_name = 'footfall'",
  );
  console.log(
    `${step.padEnd(28)} ${(size / 1e6).toFixed(1)} MB, ${b!.total_blocks} blocks, ${b!.free_blocks} free`,
  );
};

await load(START, N, 0);
await report(`${N} events loaded`);
const deleted = await store.deleteEventsBefore(1, START + N * FRACTION * 60_000);
await report(`${deleted} deleted`);
await load(START + N * 60_000, N / 2, 10_000_000);
await report(`${N / 2} new events loaded`);
await store.close();
rmSync(dir, { recursive: true, force: true });
