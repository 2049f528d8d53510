// GET /metrics behind --metrics-token (issue 11.11): without the token a scraper learns
// nothing; with it, the usual Prometheus text. Without the setting /metrics stays open.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resolveServeConfig } from '../../src/server/config.js';
import { removeDir, startTestServer, type TestServer } from '../helpers/server.js';

const TOKEN = 'metrics-token-0123456789abcdefghij';

describe('GET /metrics with --metrics-token', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ flags: { metricsToken: TOKEN } });
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('answers 401 without the token, with a wrong one, or with it sent another way', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token-0123456789abcdefghijkl' },
      { authorization: TOKEN },
      { authorization: `Basic ${TOKEN}` },
    ] as Record<string, string>[]) {
      const res = await fetch(`${server.url}/metrics`, { headers });
      const body = (await res.json()) as { error: { code: string } };
      assert.equal(res.status, 401, JSON.stringify(headers));
      assert.equal(body.error.code, 'FOOTFALL_ERR_UNAUTHORIZED');
      assert.equal(res.headers.get('cache-control'), 'no-store');
    }
  });

  it('answers the counters to a scraper that sends it', async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /^# HELP footfall_events_received_total/m);
  });

  it('/healthz needs no token (load balancers probe it)', async () => {
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  });

  it('a token shorter than 32 characters is refused at start, without echoing it', () => {
    assert.throws(
      () => resolveServeConfig({}, { FOOTFALL_METRICS_TOKEN: 'short-secret' }),
      (e: Error) =>
        /^FOOTFALL_METRICS_TOKEN is 12 characters long; a metrics token needs at least 32/.test(e.message) &&
        !e.message.includes('short-secret'),
    );
    assert.equal(resolveServeConfig({}, {}).metricsToken, undefined);
  });
});
