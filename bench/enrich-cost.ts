// The per-event cost of enrichment, in-process: the real enricher (isbot, ua-parser-js with
// its cache, sources and channels, visitor hash and sessions, the DB-IP reader) over events
// from a mix of user agents, IPs and referrers. Median µs per event over batches of 1,000.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClientInfo, RawEvent } from '../src/collect/raw-event.js';
import { createEnricher } from '../src/enrich/enrich.js';
import { openGeo } from '../src/enrich/geo.js';
import { SaltKeeper } from '../src/enrich/salts.js';
import { SessionTracker } from '../src/enrich/sessions.js';
import { createUserAgentParser } from '../src/enrich/user-agent.js';
import { openDuckDbStore } from '../src/store/duckdb/open.js';

const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0',
];
const REFERRERS = [
  '',
  'https://www.google.com/',
  'https://news.ycombinator.com/',
  'https://t.co/abc',
  'https://blog.example.org/post',
];

export async function enrichmentCost(): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'footfall-enrich-'));
  const store = await openDuckDbStore(dir);
  const geo = await openGeo();
  try {
    const enricher = createEnricher({
      parseUserAgent: createUserAgentParser(),
      geo,
      salts: await SaltKeeper.open(store, { now: Date.now, randomBytes }),
      sessions: new SessionTracker({}),
    });
    const site = { id: 1, domain: 'example.com', timezone: 'UTC', umamiId: null, createdAt: new Date() };
    const events: Array<[RawEvent, ClientInfo]> = Array.from({ length: 1000 }, (_, i) => [
      {
        name: 'pageview',
        url: {
          hostname: 'example.com',
          pathname: `/p/${i % 50}`,
          utmSource: '',
          utmMedium: '',
          utmCampaign: '',
          utmTerm: '',
          utmContent: '',
        },
        domains: ['example.com'],
        referrer: REFERRERS[i % REFERRERS.length]!,
        title: 'Title',
        props: [],
        interactive: true,
        screenWidth: 1280,
        language: 'en-US',
        scrollDepth: null,
        engagementMs: null,
      },
      {
        ip: `${1 + (i % 200)}.${(i * 7) % 256}.${(i * 13) % 256}.${(i * 31) % 256}`,
        userAgent: AGENTS[i % AGENTS.length]!,
        acceptLanguage: 'en-US,en;q=0.9',
      },
    ]);
    const perEvent: number[] = [];
    for (let round = 0; round < 50; round++) {
      const started = performance.now();
      for (const [raw, client] of events) enricher.enrich(raw, client, site, Date.now());
      perEvent.push(((performance.now() - started) * 1000) / events.length);
    }
    perEvent.sort((a, b) => a - b);
    return perEvent[Math.floor(perEvent.length / 2)]!;
  } finally {
    await geo.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
