// Issue 15 item 3: revenue is stored per event as an exact decimal and an ISO 4217 currency,
// from every tracking payload (Plausible's `revenue` / `$`, which Footfall's tracker sends,
// and Umami's `data.revenue` + `data.currency`); bad revenue is a 400 naming the field with
// nothing stored; journal lines written before revenue existed still load.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EventsFile } from '../../src/import/events-file.js';
import { lineProblem } from '../../src/ingest/line-check.js';
import { encodeRow } from '../../src/ingest/row-codec.js';
import { decimalAmount } from '../../src/revenue/money.js';
import { addSite } from '../../src/sites/manage.js';
import { segmentRows } from '../../src/store/clickhouse/load-events.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import { sampleRow } from '../helpers/sample-row.js';
import {
  BROWSER_UA,
  hit,
  removeDir,
  seedSites,
  startTestServer,
  type TestServer,
  tempDir,
} from '../helpers/server.js';

const WEBSITE = '6a1f36f2-1c4e-4d51-9d43-0c0b1a0b9f11';
const KEY = 'revenue-storing-key-0123456789abcdefgh';

describe('revenue on tracked events', () => {
  let server: TestServer;
  let n = 0;

  before(async () => {
    const dataDir = tempDir();
    const store = await openDuckDbStore(dataDir);
    await addSite(store, { domain: 'shop.example.com', umamiId: WEBSITE });
    await store.close();
    server = await startTestServer({ sites: [], dataDir, flags: { adminKey: KEY } });
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  /** Sends one Plausible-shaped event on its own path; resolves with the response. */
  function track(extra: Record<string, unknown>) {
    const page = `/p${++n}`;
    const res = hit(`${server.url}/api/event`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA },
      body: JSON.stringify({
        n: 'Purchase',
        u: `https://shop.example.com${page}`,
        d: 'shop.example.com',
        ...extra,
      }),
    });
    return { page, res };
  }

  function umami(data: Record<string, unknown>) {
    const page = `/u${++n}`;
    const res = hit(`${server.url}/api/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
      body: JSON.stringify({
        type: 'event',
        payload: { website: WEBSITE, hostname: 'shop.example.com', url: page, name: 'Purchase', data },
      }),
    });
    return { page, res };
  }

  async function stored(page: string) {
    return server.query(
      'SELECT revenue_amount::VARCHAR AS amount, revenue_currency AS currency FROM events WHERE pathname = $1',
      [page],
    );
  }

  it("stores Plausible's {amount, currency} exactly, with three decimal places", async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ revenue: { amount: 29.99, currency: 'EUR' } }, '29.990', 'EUR'],
      // The tracker's `$` short form; the object as JSON text; the amount as numeric text; any case.
      [{ $: { amount: '1234.5', currency: 'usd' } }, '1234.500', 'USD'],
      [{ $: '{"amount": 0.1, "currency": "JPY"}' }, '0.100', 'JPY'],
      // Past three places the amount is rounded half away from zero, as a DECIMAL(18,3) cast does.
      [{ revenue: { amount: 1.2345, currency: 'EUR' } }, '1.235', 'EUR'],
      [{ revenue: { amount: '-1.2344', currency: 'EUR' } }, '-1.234', 'EUR'],
      // Refunds are negative, as Plausible keeps them; the largest amount DECIMAL(18,3) holds.
      [{ revenue: { amount: -5, currency: 'GBP' } }, '-5.000', 'GBP'],
      [{ revenue: { amount: '999999999999999.999', currency: 'CHF' } }, '999999999999999.999', 'CHF'],
    ];
    for (const [extra, amount, currency] of cases) {
      const { page, res } = track(extra);
      assert.equal((await res).status, 202, JSON.stringify(extra));
      assert.deepEqual(await stored(page), [{ amount, currency }], JSON.stringify(extra));
    }
    const { page, res } = track({});
    assert.equal((await res).status, 202);
    assert.deepEqual(await stored(page), [{ amount: null, currency: null }], 'no revenue: both NULL');
  });

  it("stores Umami's data.revenue and data.currency (kept as props too)", async () => {
    const { page, res } = umami({ revenue: 19.5, currency: 'EUR', plan: 'pro' });
    assert.equal((await res).status, 200);
    assert.deepEqual(await stored(page), [{ amount: '19.500', currency: 'EUR' }]);
    const [row] = await server.query("SELECT props['currency'] AS c FROM events WHERE pathname = $1", [page]);
    assert.equal(row!.c, 'EUR');
  });

  it('refuses bad revenue on every tracking path with a 400 naming the field, storing nothing', async () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ revenue: { amount: 'abc', currency: 'EUR' } }, /revenue\.amount/],
      [{ revenue: { amount: 'NaN', currency: 'EUR' } }, /revenue\.amount/],
      [{ revenue: { amount: 'Infinity', currency: 'EUR' } }, /revenue\.amount/],
      [{ revenue: { amount: 1e300, currency: 'EUR' } }, /revenue\.amount/],
      [{ revenue: { amount: '1000000000000000', currency: 'EUR' } }, /revenue\.amount/],
      [{ revenue: { amount: true, currency: 'EUR' } }, /revenue\.amount/],
      [{ revenue: { currency: 'EUR' } }, /revenue\.amount/],
      [{ revenue: { amount: 5, currency: 'XYZ' } }, /revenue\.currency/],
      [{ revenue: { amount: 5, currency: 'EURO' } }, /revenue\.currency/],
      [{ revenue: { amount: 5 } }, /revenue\.currency/],
      [{ $: { amount: 5, currency: 'ZZZ' } }, /\$\.currency/],
      [{ $: '{"amount": 5,' }, /\$ is not valid JSON/],
      [{ revenue: 5 }, /revenue must be an object/],
    ];
    const pages: string[] = [];
    for (const [extra, field] of bad) {
      const { page, res } = track(extra);
      pages.push(page);
      const r = await res;
      assert.equal(r.status, 400, JSON.stringify(extra));
      const body = (await r.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'FOOTFALL_ERR_INVALID_REVENUE', JSON.stringify(extra));
      assert.match(body.error.message, field);
    }
    for (const [data, field] of [
      [{ revenue: 'abc', currency: 'EUR' }, /payload\.data\.revenue/],
      [{ revenue: 10 }, /payload\.data\.currency/],
      [{ revenue: 10, currency: 'EURO' }, /payload\.data\.currency/],
    ] as const) {
      const { page, res } = umami(data);
      pages.push(page);
      const r = await res;
      assert.equal(r.status, 400, JSON.stringify(data));
      assert.match(((await r.json()) as { error: { message: string } }).error.message, field);
    }
    const [row] = await server.query(
      `SELECT count(*)::INTEGER AS n FROM events WHERE pathname IN (${pages.map((_, i) => `$${i + 1}`).join(', ')})`,
      pages,
    );
    assert.equal(row!.n, 0, 'nothing stored');
    assert.equal((await hit(`${server.url}/healthz`)).status, 200, 'still serving');
  });

  it('exports carry revenue and `import events` reads it back; an export from before revenue still imports', async () => {
    const res = await fetch(`${server.url}/api/sites/shop.example.com/export?format=csv`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    assert.equal(res.status, 200);
    const csv = await res.text();
    const dir = path.join(os.tmpdir(), `footfall-revenue-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      const read = async (name: string, text: string) => {
        writeFileSync(path.join(dir, name), text);
        const file = await EventsFile.open(path.join(dir, name));
        const rows: [string, string | null | undefined, string | null | undefined][] = [];
        try {
          for await (const item of file.items(Date.now())) {
            if (!('row' in item)) throw new Error(`skipped: ${item.skip}`);
            rows.push([item.row.pathname, item.row.revenueAmount, item.row.revenueCurrency]);
          }
        } finally {
          file.close();
        }
        return rows;
      };
      const now = await read('now.csv', csv);
      assert.ok(now.some(([, a, c]) => a === '29.990' && c === 'EUR'));
      assert.ok(now.some(([, a, c]) => a === '-5.000' && c === 'GBP'));
      // The same export without the two revenue columns, as Footfall wrote them before.
      const lines = csv.trimEnd().split('\n');
      const header = lines[0]!.split(',');
      const keep = header.map((h, i) => (h.startsWith('revenue_') ? -1 : i)).filter((i) => i >= 0);
      // No cell of this site's export holds a comma but props (last before the revenue columns).
      assert.deepEqual(header.slice(-2), ['revenue_amount', 'revenue_currency']);
      const old = lines.map((l) => l.replace(/,[^,]*,[^,]*$/, '')).join('\n');
      assert.equal(keep.length, header.length - 2);
      const before = await read('before.csv', `${old}\n`);
      assert.equal(before.length, now.length);
      assert.ok(before.every(([, a, c]) => a === null && c === null));
    } finally {
      removeDir(dir);
    }
  });
});

describe('decimalAmount (exact, three places)', () => {
  it('keeps every digit a float would lose', () => {
    assert.equal(decimalAmount('123456789012345.678'), '123456789012345.678');
    assert.equal(decimalAmount(0.0005), '0.001');
    assert.equal(decimalAmount(1e-7), '0.000');
    assert.equal(decimalAmount('-0.0001'), '0.000');
    assert.equal(decimalAmount('.5'), '0.500');
    assert.equal(decimalAmount(''), undefined);
    assert.equal(decimalAmount('1e3'), undefined);
    assert.equal(decimalAmount('999999999999999.9995'), undefined, 'rounds past the largest value');
  });
});

describe('journal lines written before revenue existed', () => {
  /** A line as the journal encoded it before the revenue keys were added. */
  const oldLine = (i: number) => {
    const o = JSON.parse(encodeRow({ ...sampleRow(i), pathname: `/old${i}` })) as Record<string, unknown>;
    delete o.ra;
    delete o.rc;
    return JSON.stringify(o);
  };

  it('pass the line check and load into ClickHouse rows without revenue', () => {
    assert.equal(lineProblem(Buffer.from(oldLine(0))), undefined);
    const rows = segmentRows(Buffer.from(`${oldLine(0)}\n${encodeRow(sampleRow(4))}\n`), new Set([1]));
    assert.equal(rows[0]!.revenue_amount, null);
    assert.equal(rows[0]!.revenue_currency, null);
    assert.equal(rows[1]!.revenue_amount, '4.990');
  });

  it('load into DuckDB beside new lines, the old ones without revenue', async () => {
    const dataDir = tempDir();
    try {
      await seedSites(dataDir, ['example.com']);
      const journal = path.join(dataDir, 'journal');
      mkdirSync(journal);
      const fresh = encodeRow({ ...sampleRow(8), pathname: '/new' });
      writeFileSync(path.join(journal, '000000000003.ndjson'), `${oldLine(0)}\n${oldLine(1)}\n${fresh}\n`);
      const server = await startTestServer({ dataDir, sites: [] });
      try {
        const rows = await server.query(
          'SELECT pathname, revenue_amount::VARCHAR AS amount, revenue_currency AS currency FROM events ORDER BY pathname',
        );
        assert.deepEqual(rows, [
          { pathname: '/new', amount: '8.990', currency: 'EUR' },
          { pathname: '/old0', amount: null, currency: null },
          { pathname: '/old1', amount: null, currency: null },
        ]);
      } finally {
        await server.close();
      }
    } finally {
      removeDir(dataDir);
    }
  });
});
