// SQL in any string a query carries is a bound value or a 400, on every engine: the hostile
// strings reach the engine as values (filters, property keys, country names), or are refused
// before any SQL is written (dimension, metric, operator and order names, dates).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { killServers, removeDir } from '../../helpers/server.js';
import { type EngineName, SITE, type StatsFixture, startStatsFixture } from '../fixture.js';

const OK = { site_id: SITE, metrics: ['visitors'], date_range: '7d' };

export function injectionCases(engine: EngineName): void {
  describe('SQL injection through the stats API', () => {
    let f: StatsFixture;
    let events: number;
    // Counted through the API, the same on every engine.
    const countEvents = async () =>
      (await f.query({ metrics: ['events'], date_range: 'all' })).results[0].metrics[0];
    before(async () => {
      f = await startStatsFixture(undefined, engine);
      events = await countEvents();
      assert.ok(events > 1000, `${events} events`);
    });
    after(async () => {
      await f.server.close();
      removeDir(f.server.dataDir);
      killServers();
    });

    it('SQL in every string field is a literal value or a 400', async () => {
      const sql = ["' OR 1=1 --", "'); DROP TABLE events; --", '" OR ""="', "\\x00'; SELECT 1;"];
      for (const s of sql) {
        assert.equal((await f.post('/api/v2/query', { ...OK, site_id: `example.com${s}` })).status, 404);
        for (const op of ['is', 'is_not', 'contains', 'contains_not']) {
          const res = await f.post('/api/v2/query', { ...OK, filters: [[op, 'event:page', [s]]] });
          assert.equal(res.status, 200);
        }
        const only = await f.post('/api/v2/query', { ...OK, filters: [['is', 'visit:country_name', [s]]] });
        assert.deepEqual(only.body.results[0].metrics, [0]);
        const prop = await f.post('/api/v2/query', { ...OK, dimensions: [`event:props:${s}`] });
        assert.equal(prop.status, 200);
        for (const r of prop.body.results) assert.deepEqual(r.dimensions, ['(none)']);
        assert.equal((await f.post('/api/v2/query', { ...OK, dimensions: [`event:page${s}`] })).status, 400);
        assert.equal(
          (await f.post('/api/v2/query', { ...OK, order_by: [[`visitors${s}`, 'desc']] })).status,
          400,
        );
        assert.equal(
          (await f.post('/api/v2/query', { ...OK, date_range: [`2026-01-01${s}`, '2026-01-02'] })).status,
          400,
        );
        assert.equal((await f.post('/api/v2/query', { ...OK, metrics: [`visitors${s}`] })).status, 400);
        assert.equal(
          (await f.post('/api/v2/query', { ...OK, filters: [[`is${s}`, 'event:page', ['/']]] })).status,
          400,
        );
      }
      assert.equal(await countEvents(), events, 'every event is still there');
      assert.equal((await fetch(`${f.server.url}/healthz`)).status, 200);
    });
  });
}
