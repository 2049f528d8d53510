// Revenue goals: a custom-event goal may carry an ISO 4217 currency, through the goals API and
// `footfall goal add --currency`; a currency on a page or scroll goal, or one that is not ISO
// 4217, is a 400 naming the field with nothing stored.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addSite } from '../../src/sites/manage.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import { call, errorCode } from '../helpers/accounts.js';
import {
  killServers,
  removeDir,
  runCli,
  startTestServer,
  type TestServer,
  tempDir,
} from '../helpers/server.js';

const KEY = 'revenue-admin-key-0123456789abcdefghij';
const as = { bearer: KEY };
const GOALS = '/api/sites/shop.example/goals';

type GoalBody = { goal: { id: number; currency: string | null; kind: string } };

describe('revenue goals through the API', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ sites: ['shop.example'], flags: { adminKey: KEY } });
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });
  const goalCount = async () => Number((await server.query('SELECT count(*) AS n FROM goals'))[0]!.n);

  it('an event goal keeps its currency (upper-cased); a PATCH changes or clears it; a change of kind drops it', async () => {
    const made = await call(server, 'POST', GOALS, { as, body: { event: 'Purchase', currency: 'eur' } });
    assert.equal(made.status, 201, made.text);
    const { id, currency } = (made.body as GoalBody).goal;
    assert.equal(currency, 'EUR');
    const list = (await call(server, 'GET', GOALS, { as })).body as { goals: { currency: string | null }[] };
    assert.equal(list.goals[0]!.currency, 'EUR');
    const usd = await call(server, 'PATCH', `${GOALS}/${id}`, { as, body: { currency: 'USD' } });
    assert.equal((usd.body as GoalBody).goal.currency, 'USD', usd.text);
    const cleared = await call(server, 'PATCH', `${GOALS}/${id}`, { as, body: { currency: null } });
    assert.equal((cleared.body as GoalBody).goal.currency, null, cleared.text);
    await call(server, 'PATCH', `${GOALS}/${id}`, { as, body: { currency: 'GBP' } });
    const page = await call(server, 'PATCH', `${GOALS}/${id}`, { as, body: { page: '/thanks' } });
    assert.equal((page.body as GoalBody).goal.kind, 'page', page.text);
    assert.equal((page.body as GoalBody).goal.currency, null);
  });

  it('refuses a currency on a page or scroll goal, or one that is not ISO 4217, storing nothing', async () => {
    const before = await goalCount();
    for (const [body, message] of [
      [{ page: '/checkout', currency: 'EUR' }, /currency: only a custom-event goal/],
      [{ page: '/checkout', scroll: 50, currency: 'EUR' }, /currency: only a custom-event goal/],
      [{ event: 'Order', currency: 'XYZ' }, /currency: must be an ISO 4217 currency code/],
      [{ event: 'Order', currency: 'EURO' }, /currency: must be an ISO 4217/],
      [{ event: 'Order', currency: 978 }, /currency: must be an ISO 4217/],
    ] as const) {
      const res = await call(server, 'POST', GOALS, { as, body });
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
      assert.equal(errorCode(res), 'FOOTFALL_ERR_INVALID_GOAL');
      assert.match((res.body as { error: { message: string } }).error.message, message);
    }
    assert.equal(await goalCount(), before);
  });
});

describe('footfall goal add --currency', () => {
  after(killServers);
  it('makes a revenue goal and refuses an unknown currency (exit 2), storing nothing for it', async () => {
    const data = tempDir();
    try {
      // The site in-process: two CLI spawns are what this test is about.
      const store = await openDuckDbStore(data);
      await addSite(store, { domain: 'example.com' });
      await store.close();
      const add = await runCli([
        'goal',
        'add',
        'example.com',
        '--event',
        'Purchase',
        '--currency',
        'EUR',
        '--data',
        data,
      ]);
      assert.equal(add.code, 0, add.stderr);
      assert.match(add.stdout, /Purchase {2}\(event Purchase, revenue in EUR\)/);
      const bad = await runCli([
        'goal',
        'add',
        'example.com',
        '--event',
        'Order',
        '--currency',
        'ABC',
        '--data',
        data,
      ]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /currency: must be an ISO 4217 currency code/);
      const again = await openDuckDbStore(data);
      try {
        const goals = await again.goals.listGoals('example.com');
        assert.deepEqual(
          goals.map((g) => [g.name, g.currency]),
          [['Purchase', 'EUR']],
        );
      } finally {
        await again.close();
      }
    } finally {
      removeDir(data);
    }
  });
});
