// Revenue goals and metrics (total_revenue, average_revenue) against answers computed from the
// events, with mixed currencies: per goal, per breakdown group, under goal filters that select
// one, several or no revenue goals, and amounts in another currency than the goal's, which
// are never summed into it. The same cases run on DuckDB (test/query/revenue.test.ts) and
// ClickHouse (test/clickhouse/engine-suite.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadRows } from '../../../bench/generate/load.js';
import { addSite } from '../../../src/sites/manage.js';
import { createStore } from '../../../src/store/create-store.js';
import type { EventRow } from '../../../src/store/event-row.js';
import { sampleRow } from '../../helpers/sample-row.js';
import { killServers, removeDir, startTestServer, type TestServer, tempDir } from '../../helpers/server.js';
import { ADMIN_KEY, type EngineName, engineUrl, type Json } from '../fixture.js';

const SITE = 'shop.example';
const RANGE = ['2026-10-01', '2026-10-31'];
const NOW = Date.parse('2026-11-01T00:30:00Z');

const GOALS = [
  { name: 'Purchase', event: 'Purchase', currency: 'EUR' },
  { name: 'Pro purchase', event: 'Purchase', props: { plan: 'pro' }, currency: 'EUR' },
  { name: 'Donation', event: 'Donation', currency: 'USD' },
  { name: 'Signup', event: 'Signup' },
];

/** A small deterministic generator (no Math.random: the answers must not change per run). */
function* rng(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    yield x / 2_147_483_648;
  }
}

/** 80 visitors over October: page views on three pages, purchases (mostly EUR, some USD, some
 * without revenue), donations in USD, signups (one carrying revenue: its goal has no currency). */
function events(siteId: number): EventRow[] {
  const r = rng(15);
  const next = () => r.next().value as number;
  const rows: EventRow[] = [];
  for (let v = 0; v < 80; v++) {
    const ts = Date.parse('2026-10-02T08:00:00Z') + v * 8 * 3_600_000;
    const page = `/p${v % 3}`;
    const base = {
      ...sampleRow(1),
      siteId,
      visitorId: BigInt(1000 + v),
      sessionId: BigInt(5000 + v),
      pathname: page,
    };
    rows.push({ ...base, ts, name: 'pageview', props: [] });
    const amount = (n: number) =>
      `${Math.floor(n * 100_000)}.${String(Math.floor(next() * 1000)).padStart(3, '0')}`;
    const roll = next();
    if (roll < 0.5) {
      const currency = next() < 0.2 ? 'USD' : 'EUR';
      const withRevenue = next() < 0.85;
      rows.push({
        ...base,
        ts: ts + 60_000,
        name: 'Purchase',
        props: [['plan', next() < 0.4 ? 'pro' : 'free']],
        revenueAmount: withRevenue ? amount(next() / 1000) : null,
        revenueCurrency: withRevenue ? currency : null,
      });
    } else if (roll < 0.7) {
      rows.push({
        ...base,
        ts: ts + 60_000,
        name: 'Donation',
        props: [],
        revenueAmount: amount(next() / 5000),
        revenueCurrency: 'USD',
      });
    } else if (roll < 0.85) {
      rows.push({
        ...base,
        ts: ts + 60_000,
        name: 'Signup',
        props: [],
        revenueAmount: v % 2 ? '9.990' : null,
        revenueCurrency: v % 2 ? 'EUR' : null,
      });
    }
  }
  return rows;
}

/** Exact sums in thousandths (as the stores' DECIMAL(18,3)); averages over events with revenue. */
function oracle(rows: readonly EventRow[], counts: (e: EventRow) => boolean, currency: string) {
  const inCurrency = rows.filter((e) => counts(e) && e.revenueCurrency === currency);
  const other = rows.filter((e) => counts(e) && e.revenueCurrency && e.revenueCurrency !== currency).length;
  const thousandths = inCurrency.reduce((n, e) => n + BigInt(e.revenueAmount!.replace('.', '')), 0n);
  const total = Number(thousandths) / 1000;
  return { total, average: inCurrency.length ? total / inCurrency.length : 0, n: inCurrency.length, other };
}

type Money = { value: number; currency: string; short: string; long: string } | null;

function assertMoney(got: Money, currency: string, value: number, what: string) {
  assert.ok(got, `${what}: a value`);
  assert.equal(got.currency, currency, what);
  assert.ok(Math.abs(got.value - value) < 0.0015, `${what}: ${got.value} ≠ ${value}`);
}

export function revenueCases(engine: EngineName): void {
  describe('revenue metrics equal sums computed from the events, currency by currency', () => {
    let server: TestServer;
    let rows: EventRow[];
    const query = async (body: Record<string, unknown>) => {
      const res = await fetch(`${server.url}/api/v2/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
        body: JSON.stringify({ site_id: SITE, date_range: RANGE, ...body }),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };
    const isPurchase = (e: EventRow) => e.name === 'Purchase';

    before(async () => {
      const dataDir = tempDir();
      const store = await createStore({ dataDir, clickhouseUrl: engineUrl(engine, dataDir) });
      try {
        const site = await addSite(store, { domain: SITE, timezone: 'UTC' });
        rows = events(site.id);
        await loadRows(store, [rows]);
      } finally {
        await store.close();
      }
      server = await startTestServer({
        sites: [],
        dataDir,
        flags: { adminKey: ADMIN_KEY, clickhouseUrl: engineUrl(engine, dataDir) },
        now: () => NOW,
      });
      for (const g of GOALS) {
        const res = await fetch(`${server.url}/api/sites/${SITE}/goals`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
          body: JSON.stringify(g),
        });
        assert.equal(res.status, 201, await res.text());
      }
    });
    after(async () => {
      await server.close();
      removeDir(server.dataDir);
      killServers();
    });

    it('a revenue goal filter: the sum and average of its amounts in the goal currency; other currencies left out and counted', async () => {
      const want = oracle(rows, isPurchase, 'EUR');
      assert.ok(want.n > 10 && want.other > 0, 'the data holds EUR purchases and USD ones');
      const { status, body } = await query({
        metrics: ['events', 'total_revenue', 'average_revenue'],
        filters: [['is', 'event:goal', ['Purchase']]],
      });
      assert.equal(status, 200, JSON.stringify(body));
      const [events, total, average] = body.results[0].metrics;
      assert.equal(events, rows.filter(isPurchase).length, 'every purchase converts, with revenue or not');
      assertMoney(total, 'EUR', want.total, 'total');
      assertMoney(average, 'EUR', want.average, 'average over the purchases with EUR revenue');
      assert.equal(
        total.long,
        new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(total.value),
      );
      assert.equal(body.meta.metric_warnings.total_revenue.code, 'revenue_in_other_currencies');
      assert.match(body.meta.metric_warnings.total_revenue.warning, new RegExp(`^${want.other} conversions`));
    });

    it('a breakdown by event:goal: each revenue goal in its own currency, null for a goal without one', async () => {
      const { body } = await query({
        metrics: ['visitors', 'total_revenue', 'average_revenue'],
        dimensions: ['event:goal'],
      });
      const byGoal = new Map<string, Money[]>(
        body.results.map((r: Json) => [r.dimensions[0], r.metrics.slice(1)]),
      );
      const pro = (e: EventRow) => isPurchase(e) && e.props.some(([k, v]) => k === 'plan' && v === 'pro');
      for (const [goal, counts, currency] of [
        ['Purchase', isPurchase, 'EUR'],
        ['Pro purchase', pro, 'EUR'],
        ['Donation', (e: EventRow) => e.name === 'Donation', 'USD'],
      ] as const) {
        const want = oracle(rows, counts, currency);
        assertMoney(byGoal.get(goal)![0]!, currency, want.total, `${goal} total`);
        assertMoney(byGoal.get(goal)![1]!, currency, want.average, `${goal} average`);
      }
      assert.deepEqual(
        byGoal.get('Signup'),
        [null, null],
        'a goal without a currency has no revenue, even if its events carry some',
      );
    });

    it('a revenue goal filter with a breakdown by page: each group its own sum and average', async () => {
      const { body } = await query({
        metrics: ['total_revenue', 'average_revenue'],
        dimensions: ['event:page'],
        filters: [['is', 'event:goal', ['Purchase']]],
      });
      assert.equal(body.results.length, 3);
      for (const r of body.results) {
        const want = oracle(rows, (e) => isPurchase(e) && e.pathname === r.dimensions[0], 'EUR');
        assertMoney(r.metrics[0], 'EUR', want.total, `${r.dimensions[0]} total`);
        assertMoney(r.metrics[1], 'EUR', want.average, `${r.dimensions[0]} average`);
      }
    });

    it('two revenue goals in one currency (contains): their conversions summed once each', async () => {
      const { body } = await query({
        metrics: ['total_revenue'],
        filters: [['contains', 'event:goal', ['urchase']]],
      });
      assertMoney(body.results[0].metrics[0], 'EUR', oracle(rows, isPurchase, 'EUR').total, 'total');
    });

    it('goals in two currencies without a breakdown by goal, or no revenue goal: null, and the warning says why', async () => {
      const mixed = await query({
        metrics: ['visitors', 'total_revenue', 'average_revenue'],
        filters: [['is', 'event:goal', ['Purchase', 'Donation']]],
      });
      assert.deepEqual(mixed.body.results[0].metrics.slice(1), [null, null]);
      assert.equal(mixed.body.meta.metric_warnings.average_revenue.code, 'no_single_revenue_currency');
      const none = await query({ metrics: ['total_revenue'], filters: [['is', 'event:goal', ['Signup']]] });
      assert.deepEqual(none.body.results[0].metrics, [null]);
      assert.deepEqual(none.body.meta.metric_warnings.total_revenue, {
        code: 'no_revenue_goals_matching',
        warning: 'Revenue metrics are null as there are no matching revenue goals.',
      });
    });

    it('revenue metrics without an event:goal filter or breakdown are refused', async () => {
      const { status, body } = await query({ metrics: ['total_revenue'] });
      assert.equal(status, 400);
      assert.equal(body.error.code, 'FOOTFALL_ERR_INVALID_QUERY');
      assert.match(body.error.message, /total_revenue.*event:goal/);
    });
  });
}
