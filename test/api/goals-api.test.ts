// /api/sites/<domain>/goals and `footfall goal`: goals are made, listed, changed and removed;
// every bad input is a 400 naming the field (FOOTFALL_ERR_INVALID_GOAL) with nothing stored,
// an unknown id a 404; removing the site removes its goals; queries refuse what Plausible
// refuses with goals, in Plausible's words.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pageMatches, pageRegex } from '../../src/goals/page-pattern.js';
import { call, errorCode } from '../helpers/accounts.js';
import { METADATA_ENGINES, type MetadataEngine } from '../helpers/metadata-engines.js';
import {
  killServers,
  removeDir,
  runCli,
  startTestServer,
  type TestServer,
  tempDir,
} from '../helpers/server.js';

const KEY = 'goals-admin-key-0123456789abcdefghijkl';
const as = { bearer: KEY };
const GOALS = '/api/sites/shop.example/goals';

// Once with the metadata in the data directory, once in PostgreSQL (--database-url).
for (const engine of METADATA_ENGINES)
  describe(`goals through the API (metadata in ${engine.name})`, { skip: engine.skip }, () =>
    goalsApi(engine),
  );

function goalsApi(engine: MetadataEngine): void {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      sites: ['shop.example', 'other.example'],
      ...(await engine.serverOptions({ adminKey: KEY })),
    });
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });
  const goalCount = async () => Number((await server.query('SELECT count(*) AS n FROM goals'))[0]!.n);

  it('makes each kind of goal, with default names, and lists them in order', async () => {
    const made = [];
    for (const body of [
      { page: 'signup*' },
      { event: 'Signup', props: { plan: 'pro' }, name: 'Pro signups' },
      { page: '/pricing', scroll: 75 },
      { event: ' Purchase ' },
    ]) {
      const res = await call(server, 'POST', GOALS, { as, body });
      assert.equal(res.status, 201, res.text);
      made.push((res.body as { goal: unknown }).goal);
    }
    assert.deepEqual(
      made.map((g) => {
        const { id: _id, ...rest } = g as { id: number };
        return rest;
      }),
      [
        {
          name: 'Visit /signup*',
          kind: 'page',
          event: null,
          page: '/signup*',
          scroll: null,
          props: {},
          currency: null,
        },
        {
          name: 'Pro signups',
          kind: 'event',
          event: 'Signup',
          page: null,
          scroll: null,
          props: { plan: 'pro' },
          currency: null,
        },
        {
          name: 'Scroll 75% on /pricing',
          kind: 'scroll',
          event: null,
          page: '/pricing',
          scroll: 75,
          props: {},
          currency: null,
        },
        {
          name: 'Purchase',
          kind: 'event',
          event: 'Purchase',
          page: null,
          scroll: null,
          props: {},
          currency: null,
        },
      ],
    );
    const list = await call(server, 'GET', GOALS, { as });
    assert.deepEqual((list.body as { goals: unknown[] }).goals, made);
    assert.deepEqual((await call(server, 'GET', '/api/sites/other.example/goals', { as })).body, {
      goals: [],
    });
  });

  it('refuses bad input with a 400 naming the field, and stores nothing', async () => {
    const before = await goalCount();
    const cases: [unknown, RegExp][] = [
      [{ page: '/a***' }, /page: invalid wildcard/],
      [{ page: '/a b' }, /page: /],
      [{ page: '/pricing', scroll: 0 }, /scroll: a whole percentage from 1 to 100/],
      [{ page: '/pricing', scroll: 101 }, /scroll: /],
      [{ page: '/pricing', scroll: 50.5 }, /scroll: /],
      [{ page: '/pricing', scroll: '50' }, /scroll: /],
      [{ event: 'Signup', scroll: 50 }, /scroll: a scroll-depth goal needs a page path/],
      [{ event: 'X', props: { a: '1', b: '2', c: '3', d: '4' } }, /props: at most 3 properties/],
      [{ event: 'X', props: { a: 1 } }, /props\.a: /],
      [{ event: 'X', props: ['a'] }, /props: /],
      [{ event: 'Signup', page: '/x' }, /event: give either an event name or a page path/],
      [{}, /event: give either/],
      [{ event: 'engagement' }, /event: 'engagement' is reserved/],
      [{ event: 'x'.repeat(121) }, /event: at most 120 characters/],
      [{ event: 'X', name: '' }, /name: must not be empty/],
      [{ event: 'X', name: 'a\u0007b' }, /name: must not hold control characters/],
      [{ event: 'X', colour: 'red' }, /unknown field "colour"/],
      // Names are unique per site: the event name is the default name.
      [{ event: 'Purchase' }, /name: shop\.example already has a goal named Purchase/],
      [{ page: '/other', name: 'Pro signups' }, /name: .*Pro signups/],
    ];
    for (const [body, message] of cases) {
      const res = await call(server, 'POST', GOALS, { as, body });
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
      // An unknown field is refused as in every other route of the API.
      const code = 'colour' in (body as object) ? 'FOOTFALL_ERR_INVALID_FIELD' : 'FOOTFALL_ERR_INVALID_GOAL';
      assert.equal(errorCode(res), code, res.text);
      assert.match((res.body as { error: { message: string } }).error.message, message, JSON.stringify(body));
    }
    assert.equal(await goalCount(), before);
  });

  it('changes a goal (a name taken by another is refused), and an unknown id is a 404', async () => {
    const goals = (await call(server, 'GET', GOALS, { as })).body as {
      goals: { id: number; name: string }[];
    };
    const [first, second] = goals.goals;
    const renamed = await call(server, 'PATCH', `${GOALS}/${first!.id}`, {
      as,
      body: { name: 'Signups page' },
    });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal((renamed.body as { goal: { name: string; page: string } }).goal.page, '/signup*');
    const taken = await call(server, 'PATCH', `${GOALS}/${second!.id}`, {
      as,
      body: { name: 'Signups page' },
    });
    assert.equal(taken.status, 400);
    assert.equal(errorCode(taken), 'FOOTFALL_ERR_INVALID_GOAL');
    const badScroll = await call(server, 'PATCH', `${GOALS}/${first!.id}`, { as, body: { scroll: 150 } });
    assert.equal(badScroll.status, 400);
    // Another site's goal id is not this site's.
    for (const [method, path] of [
      ['PATCH', `${GOALS}/999`],
      ['DELETE', `${GOALS}/999`],
      ['DELETE', `/api/sites/other.example/goals/${first!.id}`],
    ] as const) {
      const res = await call(server, method, path, {
        as,
        body: method === 'PATCH' ? { name: 'x' } : undefined,
      });
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(errorCode(res), 'FOOTFALL_ERR_GOAL_NOT_FOUND');
    }
    assert.equal((await call(server, 'GET', '/api/sites/nope.example/goals', { as })).status, 404);
    const after = (await call(server, 'GET', GOALS, { as })).body as { goals: { name: string }[] };
    assert.equal(after.goals[1]!.name, 'Pro signups');
    assert.equal((await call(server, 'DELETE', `${GOALS}/${second!.id}`, { as })).status, 204);
    assert.equal(((await call(server, 'GET', GOALS, { as })).body as { goals: unknown[] }).goals.length, 3);
  });

  it('refuses, in Plausible words, the goal queries Plausible refuses', async () => {
    const q = (body: Record<string, unknown>) =>
      call(server, 'POST', '/api/v2/query', {
        as,
        body: { site_id: 'shop.example', date_range: 'all', ...body },
      });
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { metrics: ['conversion_rate'] },
        /Metric `conversion_rate` can only be queried with event:goal filters or dimensions\./,
      ],
      [
        { metrics: ['group_conversion_rate'], dimensions: ['visit:device'] },
        /Metric `group_conversion_rate` can only be queried with event:goal/,
      ],
      [
        { metrics: ['visitors', 'bounce_rate'], dimensions: ['event:goal'] },
        /Session metric\(s\) `bounce_rate` cannot be queried along with event dimensions\./,
      ],
      [
        { metrics: ['visitors'], filters: [['is_not', 'event:goal', ['Purchase']]] },
        /filters\[0\]: event:goal can be filtered with is or contains/,
      ],
      [
        { metrics: ['visitors'], filters: [['not', ['is', 'event:goal', ['Purchase']]]] },
        /event:goal can only be filtered at the top level/,
      ],
      [
        { metrics: ['scroll_depth'], filters: [['is', 'event:goal', ['Purchase']]] },
        /scroll_depth cannot be queried with event:goal/,
      ],
    ];
    for (const [body, message] of cases) {
      const res = await q(body);
      assert.equal(res.status, 400, res.text);
      assert.match((res.body as { error: { message: string } }).error.message, message);
    }
    // Journeys know no goals.
    const journeys = await call(server, 'POST', '/api/v2/journeys', {
      as,
      body: { site_id: 'shop.example', date_range: 'all', filters: [['is', 'event:goal', ['Purchase']]] },
    });
    assert.equal(journeys.status, 400);
    // A goal filter on a site without events: zero, not an error.
    const zero = await q({
      metrics: ['visitors', 'conversion_rate'],
      filters: [['is', 'event:goal', ['Purchase']]],
    });
    assert.deepEqual((zero.body as { results: unknown }).results, [{ dimensions: [], metrics: [0, 0] }]);
  });

  it('removing the site removes its goals', async () => {
    assert.ok((await goalCount()) > 0);
    const res = await call(server, 'DELETE', '/api/sites/shop.example', {
      as,
      body: { confirm: 'shop.example' },
    });
    assert.equal(res.status, 204, res.text);
    assert.equal(await goalCount(), 0);
  });
}

describe('page patterns', () => {
  it('match whole paths, * any characters (slashes too), everything else as itself', () => {
    const cases: [string, string, boolean][] = [
      ['/blog*', '/blog', true],
      ['/blog*', '/blog/a/b', true],
      ['/blog/*', '/blog', false],
      ['/**/post', '/a/b/post', true],
      ['/**/post', '/a/post-1', false],
      ['/a.b', '/axb', false],
      ['/a.b*', '/a.b/c', true],
      ['/(x)|y', '/(x)|y', true],
      ['/(x)|y', '/x', false],
      ['/pricing', '/pricing/', false],
    ];
    for (const [pattern, path, want] of cases) {
      assert.equal(pageMatches(pattern, path), want, `${pattern} ~ ${path}`);
    }
    assert.equal(pageRegex('/a+b*'), '^/a\\+b.*$');
  });
});

describe('footfall goal', () => {
  after(killServers);
  it('add, list and remove on a data directory; bad input is one line and exit code 2', async () => {
    const data = tempDir();
    try {
      assert.equal((await runCli(['site', 'add', 'example.com', '--data', data])).code, 0);
      const add = await runCli([
        'goal',
        'add',
        'example.com',
        '--event',
        'Signup',
        '--prop',
        'plan=pro',
        '--name',
        'Pro',
        '--json',
        '--data',
        data,
      ]);
      assert.equal(add.code, 0, add.stderr);
      assert.deepEqual(JSON.parse(add.stdout).props, { plan: 'pro' });
      const bad = await runCli([
        'goal',
        'add',
        'example.com',
        '--page',
        '/pricing',
        '--scroll',
        '0',
        '--data',
        data,
      ]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /scroll: a whole percentage from 1 to 100/);
      const list = await runCli(['goal', 'list', 'example.com', '--data', data]);
      assert.match(list.stdout, /Pro {2}\(event Signup, props plan=pro\)/);
      const id = JSON.parse(add.stdout).id;
      assert.equal((await runCli(['goal', 'remove', 'example.com', String(id), '--data', data])).code, 0);
      const none = await runCli(['goal', 'list', 'example.com', '--json', '--data', data]);
      assert.deepEqual(JSON.parse(none.stdout), []);
    } finally {
      removeDir(data);
    }
  });
});
