// createTrack on its own: the site directory, the enricher, the salts and the sessions are the
// real ones (sites and salts held in memory); the writer is a sink that records the rows it is
// handed and commits when the test says so — the real writer behind the same interface is run
// by plausible-api.test.ts end to end. Fast; written for the mutants of track.ts (issue 20).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { ClientInfo, RawEvent } from '../../src/collect/raw-event.js';
import { pageviewEvent } from '../../src/collect/raw-event.js';
import { createTrack, type EventSink } from '../../src/collect/track.js';
import { parseTrackedUrl } from '../../src/collect/tracked-url.js';
import { createEnricher } from '../../src/enrich/enrich.js';
import { type GeoLookup, openGeo } from '../../src/enrich/geo.js';
import { SaltKeeper } from '../../src/enrich/salts.js';
import { SessionTracker } from '../../src/enrich/sessions.js';
import { createUserAgentParser } from '../../src/enrich/user-agent.js';
import { createMetrics, type Metrics } from '../../src/ops/metrics.js';
import { SiteDirectory } from '../../src/sites/directory.js';
import type { EventRow } from '../../src/store/event-row.js';
import type { Salt, SaltStore, Site, SiteStore } from '../../src/store/types.js';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
const VISITOR: ClientInfo = { ip: '203.0.113.7', userAgent: BROWSER, acceptLanguage: 'de' };
const BOT: ClientInfo = { ...VISITOR, userAgent: 'Googlebot/2.1 (+http://www.google.com/bot.html)' };

/** Sites as the store lists them; the directory only ever lists. */
class FixedSites implements SiteStore {
  constructor(private readonly sites: Site[]) {}
  async listSites(): Promise<Site[]> {
    return this.sites;
  }
  addSite(): Promise<Site> {
    throw new Error('not used by tracking');
  }
  removeSite(): Promise<boolean> {
    throw new Error('not used by tracking');
  }
  setSiteTimezone(): Promise<Site | undefined> {
    throw new Error('not used by tracking');
  }
}

/** Salts in memory, keeping the first written for a day as the stores do. */
class MemorySalts implements SaltStore {
  private readonly salts = new Map<string, Buffer>();
  async listSalts(): Promise<Salt[]> {
    return [...this.salts].map(([day, salt]) => ({ day, salt }));
  }
  async addSalt(salt: Salt): Promise<Salt> {
    if (!this.salts.has(salt.day)) this.salts.set(salt.day, salt.salt);
    return { day: salt.day, salt: this.salts.get(salt.day) as Buffer };
  }
  async deleteSaltsBefore(day: string): Promise<void> {
    for (const d of this.salts.keys()) if (d < day) this.salts.delete(d);
  }
}

/** Records each row and holds its write open until commit() (or fail()) is called. */
class HeldSink implements EventSink {
  readonly rows: EventRow[] = [];
  private readonly open: { resolve: () => void; reject: (err: Error) => void }[] = [];
  write(row: EventRow): Promise<void> {
    this.rows.push(row);
    return new Promise((resolve, reject) => this.open.push({ resolve, reject }));
  }
  /** Commits the write at `index` (in the order the rows came). */
  commit(index: number): void {
    this.open[index]?.resolve();
  }
  fail(index: number, err: Error): void {
    this.open[index]?.reject(err);
  }
}

const SITES: Site[] = [
  { id: 1, domain: 'shop.example', timezone: 'UTC', umamiId: null, createdAt: new Date(0) },
  { id: 2, domain: 'blog.example', timezone: 'UTC', umamiId: null, createdAt: new Date(0) },
];

let geo: GeoLookup;
before(async () => {
  geo = await openGeo();
});
after(async () => {
  await geo.close();
});

async function setup() {
  const sites = new SiteDirectory(new FixedSites(SITES));
  await sites.refresh();
  const enricher = createEnricher({
    parseUserAgent: createUserAgentParser(),
    geo,
    salts: await SaltKeeper.open(new MemorySalts(), { now: () => NOW, randomBytes }),
    sessions: new SessionTracker({ firstSessionId: 1n }),
  });
  const metrics = createMetrics();
  const sink = new HeldSink();
  let clock = NOW;
  const track = createTrack({ sites, enricher, sink, metrics, now: () => clock++ });
  return { track, sink, metrics };
}

/** The dropped-events counter by reason. */
async function dropped(metrics: Metrics): Promise<Record<string, number>> {
  const metric = metrics.registry.getSingleMetric('footfall_events_dropped_total');
  const values = (await metric?.get())?.values ?? [];
  return Object.fromEntries(values.map((v) => [String(v.labels.reason), v.value]));
}

function page(url: string, domains?: string[]): RawEvent {
  const tracked = parseTrackedUrl(url);
  return pageviewEvent(tracked, domains ?? [tracked.hostname], 'https://news.example/a', 'Title');
}

/** Whether `promise` has settled once pending callbacks have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('createTrack', () => {
  it('an event of a known site is enriched and handed to the writer, stamped with the clock', async () => {
    const { track, sink } = await setup();
    const done = track(page('https://www.shop.example/cart?utm_source=news'), VISITOR);
    sink.commit(0);
    await done;
    assert.equal(sink.rows.length, 1);
    const row = sink.rows[0] as EventRow;
    assert.equal(row.siteId, 1);
    assert.equal(row.ts, NOW);
    assert.equal(row.hostname, 'www.shop.example');
    assert.equal(row.pathname, '/cart');
    assert.equal(row.utmSource, 'news');
    assert.equal(row.browser, 'Chrome');
    assert.equal(row.name, 'pageview');
    assert.equal(row.referrerHost, 'news.example');
  });

  it('the request is answered only once the write is committed', async () => {
    const { track, sink } = await setup();
    const done = track(page('https://shop.example/'), VISITOR);
    assert.equal(await settled(done), false);
    sink.commit(0);
    assert.equal(await settled(done), true);
  });

  it('a failed write fails the request', async () => {
    const { track, sink } = await setup();
    const done = track(page('https://shop.example/'), VISITOR);
    sink.fail(0, new Error('disk full'));
    await assert.rejects(done, /disk full/);
  });

  it('an event for an unknown site is answered, not written, and counted as unknown_site', async () => {
    const { track, sink, metrics } = await setup();
    await track(page('https://nobody.example/'), VISITOR);
    assert.equal(sink.rows.length, 0);
    assert.deepEqual(await dropped(metrics), { unknown_site: 1 });
  });

  it('an event the enricher drops (a bot) is answered, not written, and counted with its reason', async () => {
    const { track, sink, metrics } = await setup();
    await track(page('https://shop.example/'), BOT);
    assert.equal(sink.rows.length, 0);
    assert.deepEqual(await dropped(metrics), { bot: 1 });
  });

  it('a list of domains stores one event per site, skipping unknown ones, and waits for every write', async () => {
    const { track, sink, metrics } = await setup();
    const done = track(
      page('https://shop.example/', ['shop.example', 'nobody.example', 'blog.example']),
      VISITOR,
    );
    assert.deepEqual(
      sink.rows.map((r) => r.siteId),
      [1, 2],
    );
    sink.commit(0);
    assert.equal(await settled(done), false, 'answered before the second write committed');
    sink.commit(1);
    await done;
    assert.deepEqual(await dropped(metrics), { unknown_site: 1 });
  });

  it('the second of two writes failing fails the request', async () => {
    const { track, sink } = await setup();
    const done = track(page('https://shop.example/', ['shop.example', 'blog.example']), VISITOR);
    sink.commit(0);
    sink.fail(1, new Error('second failed'));
    await assert.rejects(done, /second failed/);
  });

  it('domains that name one site store one event for it (issue 11.9)', async () => {
    const { track, sink } = await setup();
    const done = track(
      page('https://shop.example/', [
        'shop.example',
        'www.shop.example',
        'SHOP.EXAMPLE.',
        'blog.example',
        'www.blog.example',
      ]),
      VISITOR,
    );
    assert.deepEqual(
      sink.rows.map((r) => r.siteId),
      [1, 2],
    );
    sink.commit(0);
    sink.commit(1);
    await done;
  });

  it('each event takes the clock once per site it is written for', async () => {
    const { track, sink } = await setup();
    const done = track(page('https://shop.example/', ['shop.example', 'blog.example']), VISITOR);
    sink.commit(0);
    sink.commit(1);
    await done;
    assert.deepEqual(
      sink.rows.map((r) => r.ts),
      [NOW, NOW + 1],
    );
  });

  it('no domain at all writes nothing and resolves', async () => {
    const { track, sink, metrics } = await setup();
    await track(page('https://shop.example/', []), VISITOR);
    assert.equal(sink.rows.length, 0);
    assert.deepEqual(await dropped(metrics), {});
  });
});
