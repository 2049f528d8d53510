// Saved segments (issue 15.5): made, listed, changed and removed through the API by those
// allowed to; used in queries as Plausible's `["is", "segment", [ids]]` filter (one id: its
// filters AND-ed; several: an OR; at most 10; a segment the asker may not see is refused as
// missing); a share link limited to a site segment sees the site only through it. Expected
// counts come from the visitors this file sends, not from the query layer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Answer, addUser, call, errorCode, login } from '../helpers/accounts.js';
import { METADATA_ENGINES, type MetadataEngine } from '../helpers/metadata-engines.js';
import { BROWSER_UA, removeDir, startTestServer, type TestServer } from '../helpers/server.js';

const KEY = 'segments-admin-key-0123456789abcdefghij';
const admin = { bearer: KEY };
const SITE = 'seg.example';
const SEGMENTS = `/api/sites/${SITE}/segments`;

// Four visitors (one user agent each): page and referrer → source.
const VISITS = [
  { ua: 'A', page: '/pricing', ref: 'https://www.google.com/' }, // Google
  { ua: 'B', page: '/blog/x', ref: 'https://news.ycombinator.com/' }, // Hacker News
  { ua: 'C', page: '/pricing', ref: undefined }, // Direct / None
  { ua: 'D', page: '/blog/y', ref: 'https://www.google.com/' }, // Google
];
/** The error message (the body's JSON escapes quotes). */
const message = (res: Answer) => (res.body as { error?: { message?: string } }).error?.message ?? res.text;

const GOOGLE = [['is', 'visit:source', ['Google']]];
const BLOG = [['contains', 'event:page', ['/blog']]];

// Once with the metadata in the data directory, once in PostgreSQL (--database-url).
for (const engine of METADATA_ENGINES)
  describe(`saved segments (metadata in ${engine.name})`, { skip: engine.skip }, () => savedSegments(engine));

function savedSegments(engine: MetadataEngine): void {
  let server: TestServer;
  let owner: { cookie?: string; csrf?: string };
  let viewer: { cookie?: string; csrf?: string };
  let ownerId: number;
  let google: number; // a site segment
  let blog: number; // the owner's personal segment

  const visitors = async (as: object, filters: unknown[], extra: object = {}) => {
    const res = await call(server, 'POST', '/api/v2/query', {
      as,
      body: { site_id: SITE, metrics: ['visitors'], date_range: 'all', filters, ...extra },
    });
    return res;
  };
  const count = async (as: object, filters: unknown[]) => {
    const res = await visitors(as, filters);
    assert.equal(res.status, 200, res.text);
    return (res.body as { results: { metrics: number[] }[] }).results[0]!.metrics[0];
  };
  const segmentCount = async () => Number((await server.query('SELECT count(*) AS n FROM segments'))[0]!.n);

  before(async () => {
    server = await startTestServer({
      sites: [SITE, 'other.example'],
      ...(await engine.serverOptions({ adminKey: KEY })),
    });
    for (const v of VISITS) {
      const res = await fetch(`${server.url}/api/event`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': `${BROWSER_UA} ${v.ua}` },
        body: JSON.stringify({ n: 'pageview', u: `https://${SITE}${v.page}`, d: SITE, r: v.ref }),
      });
      assert.equal(res.status, 202);
    }
    await server.flush();
    ownerId = await addUser(server, 'owner@example.com', 'owner');
    const viewerId = await addUser(server, 'viewer@example.com');
    await server.store.accounts.setMember(SITE, viewerId, 'viewer');
    owner = await login(server, 'owner@example.com');
    viewer = await login(server, 'viewer@example.com');
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('saves a site segment and a personal one; each person lists what they may use', async () => {
    const site = await call(server, 'POST', SEGMENTS, {
      as: owner,
      body: { name: 'From Google', type: 'site', filters: GOOGLE },
    });
    assert.equal(site.status, 201, site.text);
    google = (site.body as { segment: { id: number } }).segment.id;
    const mine = await call(server, 'POST', SEGMENTS, {
      as: owner,
      body: { name: ' Blog readers ', filters: BLOG },
    });
    assert.equal(mine.status, 201, mine.text);
    const made = (mine.body as { segment: Record<string, unknown> }).segment;
    blog = made.id as number;
    assert.equal(made.name, 'Blog readers');
    assert.equal(made.type, 'personal');
    assert.equal(made.ownerId, ownerId);
    assert.deepEqual(made.filters, BLOG);
    const names = async (as: object) =>
      ((await call(server, 'GET', SEGMENTS, { as })).body as { segments: { name: string }[] }).segments.map(
        (s) => s.name,
      );
    assert.deepEqual(await names(owner), ['From Google', 'Blog readers']);
    assert.deepEqual(await names(viewer), ['From Google']);
    assert.deepEqual(await names(admin), ['From Google']);
  });

  it('a segment filter stands for its filters: AND-ed alone, OR-ed with several ids, negated with not', async () => {
    assert.equal(await count(owner, []), 4);
    assert.equal(await count(owner, [['is', 'segment', [google]]]), 2); // A, D
    assert.equal(await count(owner, [['is', 'segment', [blog]]]), 2); // B, D
    assert.equal(await count(owner, [['is', 'segment', [google, blog]]]), 3); // A, B, D
    assert.equal(
      await count(owner, [
        ['is', 'segment', [google]],
        ['is', 'segment', [blog]],
      ]),
      1,
    ); // D
    assert.equal(await count(owner, [['not', ['is', 'segment', [google]]]]), 2); // B, C
    assert.equal(
      await count(owner, [
        ['is', 'segment', [String(google)]],
        ['is', 'event:page', ['/pricing']],
      ]),
      1,
    );
    const pages = await call(server, 'POST', '/api/v2/query', {
      as: owner,
      body: {
        site_id: SITE,
        metrics: ['visitors'],
        date_range: 'all',
        dimensions: ['event:page'],
        filters: [['is', 'segment', [google]]],
      },
    });
    assert.deepEqual(
      (pages.body as { results: { dimensions: string[] }[] }).results.map((r) => r.dimensions[0]).sort(),
      ['/blog/y', '/pricing'],
    );
  });

  it('journeys and prop-keys resolve segments the same way (usable ones answered, others refused as missing)', async () => {
    for (const path of ['/api/v2/journeys', '/api/v2/prop-keys']) {
      const body = (id: number) => ({ site_id: SITE, date_range: 'all', filters: [['is', 'segment', [id]]] });
      const mine = await call(server, 'POST', path, { as: owner, body: body(blog) });
      assert.equal(mine.status, 200, `${path}: ${mine.text}`);
      const theirs = await call(server, 'POST', path, { as: viewer, body: body(blog) });
      assert.equal(theirs.status, 400, path);
      assert.match(message(theirs), /Some segments don't exist or aren't accessible/);
    }
  });

  it('a segment with a goal filter works in queries and is refused by name where goals are not taken', async () => {
    const goal = await call(server, 'POST', `/api/sites/${SITE}/goals`, {
      as: admin,
      body: { page: '/pricing' },
    });
    assert.equal(goal.status, 201, goal.text);
    const made = await call(server, 'POST', SEGMENTS, {
      as: owner,
      body: { name: 'Pricing visitors', type: 'site', filters: [['is', 'event:goal', ['Visit /pricing']]] },
    });
    assert.equal(made.status, 201, made.text);
    const id = (made.body as { segment: { id: number } }).segment.id;
    assert.equal(await count(owner, [['is', 'segment', [id]]]), 2); // A, C
    for (const path of ['/api/v2/journeys', '/api/v2/prop-keys']) {
      const res = await call(server, 'POST', path, {
        as: owner,
        body: { site_id: SITE, date_range: 'all', filters: [['is', 'segment', [id]]] },
      });
      assert.equal(res.status, 400, path);
      assert.match(message(res), new RegExp(`Segment ${id} holds goal or behavioural filters`));
    }
    assert.equal((await call(server, 'DELETE', `${SEGMENTS}/${id}`, { as: owner })).status, 204);
  });

  it("refuses another person's personal segment, too many ids and other operators, in Plausible's words", async () => {
    for (const as of [viewer, admin]) {
      const res = await visitors(as, [['is', 'segment', [blog]]]);
      assert.equal(res.status, 400);
      assert.match(res.text, /Some segments don't exist or aren't accessible/);
    }
    const missing = await visitors(owner, [['is', 'segment', [999]]]);
    assert.match(missing.text, /Some segments don't exist or aren't accessible/);
    const many = await visitors(owner, [['is', 'segment', Array.from({ length: 11 }, (_, i) => i + 1)]]);
    assert.equal(many.status, 400);
    assert.match(many.text, /up to 10 segment filters/);
    const op = await visitors(owner, [['is_not', 'segment', [google]]]);
    assert.equal(op.status, 400);
    assert.match(message(op), /wrap it in "not"/);
    const id = await visitors(owner, [['is', 'segment', ['1 OR 1=1']]]);
    assert.equal(errorCode(id), 'FOOTFALL_ERR_INVALID_QUERY');
  });

  it('refuses bad segments with a 400 naming the field, and stores nothing', async () => {
    const before = await segmentCount();
    const cases: [unknown, RegExp][] = [
      [{ filters: GOOGLE }, /name: must be a non-empty string/],
      [{ name: '  ', filters: GOOGLE }, /name: must be a non-empty string/],
      [{ name: 'x'.repeat(256), filters: GOOGLE }, /name: at most 255 bytes/],
      [{ name: 'a\u0000b', filters: GOOGLE }, /name: must not hold control characters/],
      [{ name: 'n', type: 'team', filters: GOOGLE }, /type: must be "personal" or "site"/],
      [{ name: 'n', filters: [] }, /filters: must be a list of at least one filter/],
      [{ name: 'n', filters: 'visit:source' }, /filters: must be a list/],
      [{ name: 'n', filters: [['is', 'visit:nope', ['x']]] }, /filters\[0\]\[1\].*unknown dimension/],
      [{ name: 'n', filters: [['is', 'segment', [google]]] }, /unknown dimension "segment"/],
      [
        {
          name: 'n',
          filters: [['is', 'event:page', ['x'.repeat(1500), 'y'.repeat(1500), 'z'.repeat(2100)]]],
        },
        /at most 5120 bytes/,
      ],
    ];
    for (const [body, expected] of cases) {
      const res = await call(server, 'POST', SEGMENTS, { as: owner, body });
      assert.equal(res.status, 400, `${JSON.stringify(body).slice(0, 80)}: ${res.text}`);
      assert.equal(errorCode(res), 'FOOTFALL_ERR_INVALID_SEGMENT');
      assert.match(message(res), expected);
    }
    const unknown = await call(server, 'POST', SEGMENTS, {
      as: owner,
      body: { name: 'n', filters: GOOGLE, owner: 1 },
    });
    assert.equal(unknown.status, 400);
    assert.equal(await segmentCount(), before);
  });

  it('personal segments take a person; site segments take write access; shares and read-only keys save nothing', async () => {
    const before = await segmentCount();
    const viewerSite = await call(server, 'POST', SEGMENTS, {
      as: viewer,
      body: { name: 'v', type: 'site', filters: GOOGLE },
    });
    assert.equal(viewerSite.status, 403);
    const adminPersonal = await call(server, 'POST', SEGMENTS, {
      as: admin,
      body: { name: 'a', filters: GOOGLE },
    });
    assert.equal(errorCode(adminPersonal), 'FOOTFALL_ERR_INVALID_SEGMENT');
    const key = await call(server, 'POST', '/api/keys', {
      as: viewer,
      body: { name: 'ro', readOnly: true, sites: [SITE] },
    });
    assert.equal(key.status, 201, key.text);
    const readOnly = { bearer: (key.body as { key: string }).key };
    const roWrite = await call(server, 'POST', SEGMENTS, {
      as: readOnly,
      body: { name: 'r', filters: GOOGLE },
    });
    assert.equal(roWrite.status, 403);
    assert.equal(await segmentCount(), before);
    // The viewer may keep segments of their own, and nobody else sees or changes them.
    const own = await call(server, 'POST', SEGMENTS, { as: viewer, body: { name: 'Mine', filters: BLOG } });
    assert.equal(own.status, 201, own.text);
    const ownId = (own.body as { segment: { id: number } }).segment.id;
    const byOwner = await call(server, 'PATCH', `${SEGMENTS}/${ownId}`, {
      as: owner,
      body: { name: 'Taken' },
    });
    assert.equal(byOwner.status, 404);
    assert.equal((await call(server, 'DELETE', `${SEGMENTS}/${ownId}`, { as: admin })).status, 404);
    const rename = await call(server, 'PATCH', `${SEGMENTS}/${ownId}`, {
      as: viewer,
      body: { name: 'Renamed' },
    });
    assert.equal((rename.body as { segment: { name: string } }).segment.name, 'Renamed');
    const promote = await call(server, 'PATCH', `${SEGMENTS}/${ownId}`, {
      as: viewer,
      body: { type: 'site' },
    });
    assert.equal(promote.status, 403);
    assert.equal((await call(server, 'DELETE', `${SEGMENTS}/${ownId}`, { as: viewer })).status, 204);
    // Another site's id is not this site's segment.
    assert.equal(
      (await call(server, 'GET', '/api/sites/other.example/segments', { as: owner })).text,
      '{"segments":[]}',
    );
    assert.equal(
      (await call(server, 'DELETE', `/api/sites/other.example/segments/${google}`, { as: owner })).status,
      404,
    );
  });

  it('a share link limited to a site segment sees the site only through it, and goes with the segment', async () => {
    const personal = await call(server, 'POST', `/api/sites/${SITE}/shares`, {
      as: owner,
      body: { segment_id: blog },
    });
    assert.equal(errorCode(personal), 'FOOTFALL_ERR_SEGMENT_NOT_FOUND');
    const bad = await call(server, 'POST', `/api/sites/${SITE}/shares`, {
      as: owner,
      body: { segment_id: 'x' },
    });
    assert.equal(bad.status, 400);
    const made = await call(server, 'POST', `/api/sites/${SITE}/shares`, {
      as: owner,
      body: { segment_id: google },
    });
    assert.equal(made.status, 201, made.text);
    const share = { share: (made.body as { share: { url: string } }).share.url.split('/share/')[1]! };
    assert.equal(await count(share, []), 2);
    assert.equal(await count(share, [['is', 'event:page', ['/pricing']]]), 1);
    // Its own filters narrow the segment, never widen it.
    assert.equal(await count(share, [['not', ['is', 'segment', [google]]]]), 0);
    const listed = await call(server, 'GET', SEGMENTS, { as: share });
    assert.deepEqual(
      (listed.body as { segments: { id: number }[] }).segments.map((s) => s.id),
      [google],
    );
    // Realtime takes no filters: refused rather than showing pages and sources outside the segment.
    const live = await call(server, 'GET', `/api/v2/realtime?site_id=${SITE}`, { as: share });
    assert.equal(live.status, 403, live.text);
    const info = await call(server, 'GET', `/api/share/info?auth=${share.share}`);
    assert.equal((info.body as { segmentId: number }).segmentId, google);
    // Removing the segment removes the link: it would otherwise show the whole site.
    assert.equal((await call(server, 'DELETE', `${SEGMENTS}/${google}`, { as: owner })).status, 204);
    assert.equal((await visitors(share, [])).status, 401);
  });

  it('removing a person removes their personal segments; removing the site removes all of them', async () => {
    const temp = await addUser(server, 'temp@example.com');
    await server.store.accounts.setMember(SITE, temp, 'admin');
    const as = await login(server, 'temp@example.com');
    for (const [name, type] of [
      ['t personal', 'personal'],
      ['t site', 'site'],
    ]) {
      const res = await call(server, 'POST', SEGMENTS, { as, body: { name, type, filters: GOOGLE } });
      assert.equal(res.status, 201, res.text);
    }
    // Whoever changes a site segment becomes its owner (as in Plausible).
    const shared = await call(server, 'POST', SEGMENTS, {
      as: owner,
      body: { name: 'owner site', type: 'site', filters: GOOGLE },
    });
    const sharedId = (shared.body as { segment: { id: number } }).segment.id;
    const edited = await call(server, 'PATCH', `${SEGMENTS}/${sharedId}`, { as, body: { filters: BLOG } });
    assert.equal((edited.body as { segment: { ownerId: number } }).segment.ownerId, temp);
    await server.store.accounts.removeUser(temp);
    const left = await server.query('SELECT name, owner_id FROM segments ORDER BY id');
    assert.ok(!left.some((r) => r.name === 't personal'));
    assert.deepEqual(
      left.filter((r) => r.name === 't site' || r.name === 'owner site'),
      [
        { name: 't site', owner_id: null },
        { name: 'owner site', owner_id: null },
      ],
    );
    assert.equal(
      (await call(server, 'DELETE', `/api/sites/${SITE}`, { as: admin, body: { confirm: SITE } })).status,
      204,
    );
    assert.equal(await segmentCount(), 0);
  });
}
