// "Events reach queries within about a quarter of a second" (README, Durability), through
// the real server: the store is read directly — not through flush(), which would load at
// once — so the test sees the loader's own pace. Bounded at 1 s to leave room for a busy
// machine; a load interval of seconds fails it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hit, removeDir, startTestServer, type TestServer } from '../helpers/server.js';

describe('load interval', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  async function send(pathname: string): Promise<void> {
    const res = await hit(`${server.url}/api/event`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ n: 'pageview', u: `https://example.com${pathname}`, d: 'example.com' }),
    });
    assert.equal(res.status, 202);
  }

  /** Milliseconds until the event is in the store, polling for at most 5 s. */
  async function msUntilStored(pathname: string): Promise<number> {
    const started = performance.now();
    while (performance.now() - started < 5000) {
      const rows = await server.store.queryRows('SELECT 1 FROM events WHERE pathname = $1', [pathname]);
      if (rows.length > 0) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return Number.POSITIVE_INFINITY;
  }

  it('an acknowledged event is queryable within 1 s, even one sent just after a load', async () => {
    await send('/first');
    assert.ok((await msUntilStored('/first')) < 5000, 'the first event was loaded');
    // A load has just run: the next event waits for the whole interval.
    for (const i of [1, 2, 3]) {
      await send(`/next/${i}`);
      const ms = await msUntilStored(`/next/${i}`);
      assert.ok(ms <= 1000, `stored after ${Math.round(ms)} ms`);
    }
  });
});
