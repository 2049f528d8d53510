import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hit, removeDir, startTestServer, type TestServer } from '../helpers/server.js';

describe('GET /healthz', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close().catch(() => {});
    removeDir(server.dataDir);
  });

  it('answers 200 while events are journaled and loaded', async () => {
    assert.equal(
      (await hit(`${server.url}/a.gif?url=${encodeURIComponent('https://example.com/ok')}`)).status,
      200,
    );
    await server.flush();
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  });

  it('answers 503 while loads into the store fail, and 200 again once they succeed', async () => {
    // Break the store under the running server: loads now fail, the journal keeps the events.
    await server.store.queryRows('ALTER TABLE events RENAME TO events_away');
    assert.equal(
      (await hit(`${server.url}/a.gif?url=${encodeURIComponent('https://example.com/kept')}`)).status,
      200,
    );
    await assert.rejects(server.flush());
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 503);
    const body = (await res.json()) as { status: string; reason: string; error: { code: string } };
    assert.equal(body.error.code, 'FOOTFALL_ERR_STORE_UNAVAILABLE');
    assert.equal(body.status, 'degraded');
    assert.match(
      body.reason,
      /^loads into the store fail \(.+\); 1 events wait in the journal, \d+ s behind; tracking still answers$/,
    );

    await server.store.queryRows('ALTER TABLE events_away RENAME TO events');
    await server.flush();
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    const rows = await server.query("SELECT count(*) AS n FROM events WHERE pathname = '/kept'");
    assert.equal(Number(rows[0]!.n), 1, 'the event acknowledged during the failure is stored once');
  });
});
