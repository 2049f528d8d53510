// Journey samples are the latest visits by their first page view. journeys.ts looks for them
// first among visits with a page view in the 2 days before the range's last one; a visit that
// started earlier and is still viewing pages then is such a candidate but not a recent visit,
// so it must not count toward "enough found there" (else an earlier visit that started later
// is skipped). Hand-made visits on a driven clock show each case.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { journeys, parseJourneyRequest } from '../../src/query/journeys.js';
import { createQueryEngine } from '../../src/query/run-query.js';
import { SiteDirectory } from '../../src/sites/directory.js';
import { BROWSER_UA, hit, removeDir, startTestServer, type TestServer } from '../helpers/server.js';

const MIN = 60_000;
const DAY = 0; // 2026-09-01, UTC
const at = (day: number, hh: number, mm = 0) => Date.UTC(2026, 8, 1 + DAY + day, hh, mm);

describe('journey samples: the latest visits by first page view', () => {
  let server: TestServer;
  let clock = at(0, 0);

  const view = async (who: string, path: string, ms: number) => {
    clock = ms;
    const res = await hit(`${server.url}/api/event`, {
      method: 'POST',
      // A visitor per user agent: the test server takes no client address from headers.
      headers: { 'content-type': 'application/json', 'user-agent': `${BROWSER_UA} ${who}` },
      body: JSON.stringify({ n: 'pageview', u: `https://example.com${path}`, d: 'example.com' }),
    });
    assert.equal(res.status, 202);
  };

  before(async () => {
    server = await startTestServer({ now: () => clock });
    // "early": one page view at 06:00 on day 0.
    // "long": from 00:10 on day 0, a page view every 20 minutes until 14:00 — it starts before
    //   the 2-day window that ends at the last page view, and has page views inside it.
    // "recent": one page view at 12:00 on day 2: the range's last page view.
    for (let t = at(0, 0, 10); t <= at(0, 14); t += 20 * MIN) {
      await view('long', t === at(0, 0, 10) ? '/long-start' : '/long', t);
      if (t <= at(0, 6) && t + 20 * MIN > at(0, 6)) await view('early', '/early', at(0, 6));
    }
    await view('recent', '/recent', at(2, 12));
    await server.flush();
  });
  after(async () => {
    await server?.close();
    if (server) removeDir(server.dataDir);
  });

  /** The samples' first pages, and which statements looked for them. */
  const samples = async (n: number, range = ['2026-09-01', '2026-09-04']) => {
    const sites = new SiteDirectory(server.store);
    await sites.refresh();
    // Those that looked for samples: among the window's candidates, or among every visit.
    const statements: string[] = [];
    const store = Object.create(server.store) as typeof server.store;
    store.runQuery = (...args) => {
      if (args[0].includes('latest AS'))
        statements.push(args[0].includes('HAVING') ? 'window' : 'every visit');
      return server.store.runQuery(...args);
    };
    const engine = createQueryEngine({ store, site: (d) => sites.lookup(d), now: () => clock });
    const req = { site_id: 'example.com', date_range: range, samples: n, steps: 2 };
    const res = await journeys(engine, parseJourneyRequest(req));
    return { first: res.samples.map((s) => s.pages[0]), statements };
  };

  it('enough visits start in the window: the latest of them', async () => {
    // From the window alone.
    assert.deepEqual(await samples(1), { first: ['/recent'], statements: ['window'] });
  });

  it('a range that ends weeks after now (this month, a year) looks in the week before now', async () => {
    assert.deepEqual(await samples(1, ['2026-09-01', '2026-09-30']), {
      first: ['/recent'],
      statements: ['window'],
    });
  });

  it('a visit that only continues in the window does not count as one that starts there', async () => {
    // Latest first: recent (day 2), early (day 0 06:00), long (day 0 00:10).
    // The window (one visit starts there), then every visit.
    assert.deepEqual(await samples(2), {
      first: ['/recent', '/early'],
      statements: ['window', 'every visit'],
    });
    assert.deepEqual(await samples(3), {
      first: ['/recent', '/early', '/long-start'],
      statements: ['window', 'every visit'],
    });
  });
});
