// /api/sites/<domain>/funnels, `footfall funnel` and /api/v2/funnel's saved funnels: funnels
// are made, listed, changed and removed; every bad input is a 400 naming the field
// (FOOTFALL_ERR_INVALID_FUNNEL) with nothing stored, an unknown id a 404; removing a goal
// removes the funnels it is a step of. (Funnel numbers: test/query/cases/funnels.ts.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, errorCode } from '../helpers/accounts.js';
import { METADATA_ENGINES, type MetadataEngine } from '../helpers/metadata-engines.js';
import { removeDir, runCli, startTestServer, type TestServer } from '../helpers/server.js';

const KEY = 'funnels-admin-key-0123456789abcdefghij';
const as = { bearer: KEY };
const SITE = 'shop.example';
const FUNNELS = `/api/sites/${SITE}/funnels`;
const HOSTILE = '<img src=x onerror=alert(1)> "funnel"';

// Once with the metadata in the data directory, once in PostgreSQL (--database-url).
for (const engine of METADATA_ENGINES)
  describe(`funnels through the API and the CLI (metadata in ${engine.name})`, { skip: engine.skip }, () =>
    funnelsApi(engine),
  );

function funnelsApi(engine: MetadataEngine): void {
  let server: TestServer;
  const goalIds: Record<string, number> = {};
  before(async () => {
    server = await startTestServer({
      sites: [SITE, 'other.example'],
      ...(await engine.serverOptions({ adminKey: KEY })),
    });
    const names = ['Home', 'Pricing', 'Signup', 'G4', 'G5', 'G6', 'G7', 'G8', 'G9'];
    for (const [i, name] of names.entries()) {
      const body = i === 2 ? { event: 'Signup', name } : { page: i === 0 ? '/' : `/p${i}`, name };
      const res = await call(server, 'POST', `/api/sites/${SITE}/goals`, { as, body });
      assert.equal(res.status, 201, res.text);
      goalIds[name] = (res.body as { goal: { id: number } }).goal.id;
    }
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });
  const count = async () => Number((await server.query('SELECT count(*) AS n FROM funnels'))[0]!.n);
  type View = { id: number; name: string; type: string; steps: { goal_id: number; name: string }[] };

  it('makes a funnel from goal names or ids, lists it, changes it and removes it', async () => {
    const made = await call(server, 'POST', FUNNELS, {
      as,
      body: { name: 'Signup path', steps: ['Home', goalIds.Pricing, 'Signup'] },
    });
    assert.equal(made.status, 201, made.text);
    const funnel = (made.body as { funnel: View }).funnel;
    assert.deepEqual(
      { ...funnel, id: 0 },
      {
        id: 0,
        name: 'Signup path',
        type: 'sequential',
        steps: ['Home', 'Pricing', 'Signup'].map((name) => ({ goal_id: goalIds[name], name })),
      },
    );
    assert.deepEqual((await call(server, 'GET', FUNNELS, { as })).body, { funnels: [funnel] });
    const patched = await call(server, 'PATCH', `${FUNNELS}/${funnel.id}`, { as, body: { type: 'strict' } });
    assert.equal(patched.status, 200, patched.text);
    assert.equal((patched.body as { funnel: View }).funnel.type, 'strict');
    assert.equal((patched.body as { funnel: View }).funnel.name, 'Signup path');
    assert.equal((await call(server, 'DELETE', `${FUNNELS}/${funnel.id}`, { as })).status, 204);
    assert.equal(await count(), 0);
    const again = await call(server, 'DELETE', `${FUNNELS}/${funnel.id}`, { as });
    assert.equal(again.status, 404);
    assert.equal(errorCode(again), 'FOOTFALL_ERR_FUNNEL_NOT_FOUND');
  });

  it('refuses bad funnels with a 400 naming the field, and stores nothing', async () => {
    await call(server, 'POST', FUNNELS, { as, body: { name: 'Taken', steps: ['Home', 'Signup'] } });
    const before = await count();
    const nine = ['Home', 'Pricing', 'Signup', 'G4', 'G5', 'G6', 'G7', 'G8', 'G9'];
    const cases: [unknown, RegExp][] = [
      [{ name: 'One', steps: ['Home'] }, /: steps: give 2 to 8 steps/],
      [{ name: 'Nine', steps: nine }, /: steps: give 2 to 8 steps/],
      [
        { name: 'Unknown', steps: ['Home', 'Nope'] },
        /: steps\[1\]: the site has no goal "Nope"; its goals: "Home"/,
      ],
      [{ name: 'Twice', steps: ['Home', 'Signup', 'Home'] }, /: steps\[2\]: "Home" is already a step/],
      [
        { name: 'Bad type', steps: ['Home', 'Signup'], type: 'loose' },
        /: type: one of sequential, strict, flexible/,
      ],
      [
        { name: 'Taken', steps: ['Home', 'Pricing'] },
        /: name: shop.example already has a funnel named Taken/,
      ],
      [{ name: '', steps: ['Home', 'Pricing'] }, /: name: give the funnel a name/],
      [{ name: 'Odd', steps: ['Home', { id: 1 }] }, /: steps\[1\]: a goal's name or id/],
    ];
    for (const [body, message] of cases) {
      const res = await call(server, 'POST', FUNNELS, { as, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(errorCode(res), 'FOOTFALL_ERR_INVALID_FUNNEL', res.text);
      assert.match((res.body as { error: { message: string } }).error.message, message);
    }
    // Unknown fields are refused as in every settings route (src/api/input.ts).
    const extra = await call(server, 'POST', FUNNELS, {
      as,
      body: { name: 'Extra', steps: ['Home', 'Signup'], window: 3 },
    });
    assert.equal(errorCode(extra), 'FOOTFALL_ERR_INVALID_FIELD');
    // Another site's goals are not this site's.
    const other = await call(server, 'POST', '/api/sites/other.example/funnels', {
      as,
      body: { name: 'Elsewhere', steps: ['Home', 'Signup'] },
    });
    assert.equal(other.status, 400);
    assert.equal(await count(), before);
  });

  it('a hostile name is stored and returned as the text it is', async () => {
    const res = await call(server, 'POST', FUNNELS, {
      as,
      body: { name: HOSTILE, steps: ['Pricing', 'Signup'] },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal((res.body as { funnel: View }).funnel.name, HOSTILE);
  });

  it('/api/v2/funnel answers a saved funnel by id, and refuses bad requests naming the field', async () => {
    const saved = ((await call(server, 'GET', FUNNELS, { as })).body as { funnels: View[] }).funnels[0]!;
    const res = await call(server, 'POST', '/api/v2/funnel', {
      as,
      body: { site_id: SITE, date_range: '7d', funnel_id: saved.id },
    });
    assert.equal(res.status, 200, res.text);
    const body = res.body as Record<string, unknown> & { steps: { label: string; visitors: number }[] };
    assert.equal(body.name, saved.name);
    assert.equal(body.funnel_type, 'sequential');
    assert.deepEqual(
      body.steps.map((s) => [s.label, s.visitors]),
      saved.steps.map((s) => [s.name, 0]),
    );
    const bad: [Record<string, unknown>, string, RegExp][] = [
      [{ funnel_id: 999_999 }, 'FOOTFALL_ERR_FUNNEL_NOT_FOUND', /999999/],
      [{ funnel_id: saved.id, steps: ['Home', 'Signup'] }, 'FOOTFALL_ERR_INVALID_FUNNEL', /: funnel_id: /],
      [{}, 'FOOTFALL_ERR_INVALID_FUNNEL', /: funnel_id: give a saved funnel_id or the steps/],
      [
        { steps: ['Home', 'Nope'] },
        'FOOTFALL_ERR_INVALID_FUNNEL',
        /: steps\[1\]: the site has no goal "Nope"/,
      ],
      [{ steps: ['Home', 'Signup'], type: 'any' }, 'FOOTFALL_ERR_INVALID_FUNNEL', /: type: /],
      [
        { steps: ['Home', 'Signup'], within: 'session' },
        'FOOTFALL_ERR_INVALID_FUNNEL',
        /: within: one of visitor, visit/,
      ],
      [
        { steps: ['Home', 'Signup'], filters: [['is', 'visit:planet', ['x']]] },
        'FOOTFALL_ERR_INVALID_QUERY',
        /filters\[0\]\[1\]/,
      ],
    ];
    for (const [extra, code, message] of bad) {
      const r = await call(server, 'POST', '/api/v2/funnel', {
        as,
        body: { site_id: SITE, date_range: '7d', ...extra },
      });
      assert.equal(errorCode(r), code, JSON.stringify(extra));
      assert.match((r.body as { error: { message: string } }).error.message, message);
    }
  });

  it('removing a goal removes the funnels it is a step of, and no others', async () => {
    await call(server, 'POST', FUNNELS, { as, body: { name: 'Via G4', steps: ['Home', 'G4'] } });
    const names = async () =>
      ((await call(server, 'GET', FUNNELS, { as })).body as { funnels: View[] }).funnels.map((f) => f.name);
    assert.ok((await names()).includes('Via G4'));
    assert.equal(
      (await call(server, 'DELETE', `/api/sites/${SITE}/goals/${goalIds.G4}`, { as })).status,
      204,
    );
    assert.deepEqual(await names(), ['Taken', HOSTILE]);
  });

  it('footfall funnel add and list (through the running server)', async () => {
    const add = await runCli([
      'funnel',
      'add',
      SITE,
      '--name',
      'From the CLI',
      '--step',
      'Pricing',
      '--step',
      'Signup',
      '--type',
      'flexible',
      '--json',
      '--data',
      server.dataDir,
    ]);
    assert.equal(add.code, 0, add.stderr);
    const made = JSON.parse(add.stdout) as View;
    assert.equal(made.type, 'flexible');
    const list = await runCli(['funnel', 'list', SITE, '--data', server.dataDir]);
    assert.match(list.stdout, /From the CLI {2}\(flexible: Pricing → Signup\)/);
  });

  it('renaming a goal renames its step; removing the site removes its funnels', async () => {
    const renamed = await call(server, 'PATCH', `/api/sites/${SITE}/goals/${goalIds.Pricing}`, {
      as,
      body: { name: 'Pricing page' },
    });
    assert.equal(renamed.status, 200, renamed.text);
    const funnels = ((await call(server, 'GET', FUNNELS, { as })).body as { funnels: View[] }).funnels;
    const hostile = funnels.find((f) => f.name === HOSTILE)!;
    assert.deepEqual(
      hostile.steps.map((st) => st.name),
      ['Pricing page', 'Signup'],
    );
    assert.ok((await count()) > 0);
    const gone = await call(server, 'DELETE', `/api/sites/${SITE}`, { as, body: { confirm: SITE } });
    assert.equal(gone.status, 204, gone.text);
    assert.equal(await count(), 0);
  });
}
