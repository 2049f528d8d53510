import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { BROWSER_UA, hit, removeDir, startTestServer, type TestServer } from '../helpers/server.js';

const PAGE = 'https://example.com/page';

function event(overrides: Record<string, unknown>): string {
  return JSON.stringify({ n: 'pageview', u: PAGE, d: 'example.com', ...overrides });
}

function manyProps(n: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
}

/** Raw bytes, so invalid UTF-8 reaches the server unchanged. */
function postBytes(
  server: TestServer,
  body: Buffer,
  contentType = 'text/plain',
): Promise<{ status: number; body: string }> {
  const url = new URL(`${server.url}/api/event`);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': contentType, 'content-length': body.length, 'user-agent': BROWSER_UA },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const BODY_CASES: Array<[string, string | Buffer, number, string?]> = [
  ['a body over 64 KB', event({ p: { big: 'x'.repeat(70 * 1024) } }), 413],
  ['a URL over 2,000 bytes', event({ u: `${PAGE}?q=${'a'.repeat(2000)}` }), 400],
  ['a javascript: URL', event({ u: 'javascript:alert(1)' }), 400],
  ['a data: URL', event({ u: 'data:text/html,<script>alert(1)</script>' }), 400],
  ['a relative URL', event({ u: '/relative/path' }), 400],
  ['a URL that is not a string', event({ u: 42 }), 400],
  ['a missing URL', JSON.stringify({ n: 'pageview', d: 'example.com' }), 400],
  ['invalid JSON', '{"n": "pageview",', 400],
  ['an empty body', '', 400],
  ['a JSON array', '[1,2,3]', 400],
  ['a JSON string', '"pageview"', 400],
  ['JSON null', 'null', 400],
  ['a JSON number', '12', 400],
  [
    'invalid UTF-8 bytes',
    Buffer.concat([Buffer.from('{"n":"page'), Buffer.from([0xc3, 0x28]), Buffer.from(`","u":"${PAGE}"}`)]),
    400,
  ],
  ['a NUL byte in the name', event({ n: 'page\u0000view' }), 400],
  ['a NUL byte in a prop value', event({ p: { a: 'x\u0000y' } }), 400],
  ['a lone surrogate in the title', event({ t: 'bad \ud800 title' }), 400],
  ['more than 30 props', event({ p: manyProps(31) }), 400],
  ['a prop key over 300 bytes', event({ p: { ['k'.repeat(301)]: 'v' } }), 400],
  ['a prop value over 2,000 bytes', event({ p: { k: 'v'.repeat(2001) } }), 400],
  ['a nested prop value', event({ p: { k: { nested: true } } }), 400],
  ['props that are an array', event({ p: ['a', 'b'] }), 400],
  ['props as a broken JSON string', event({ p: '{"a":' }), 400],
  ['an event name over 120 characters', event({ n: 'n'.repeat(121) }), 400],
  ['an empty event name', event({ n: '' }), 400],
  ['an event name that is not a string', event({ n: ['pageview'] }), 400],
  ['a referrer that is not a string', event({ r: { evil: true } }), 400],
  ['a domain that is not a string', event({ d: 7 }), 400],
  ['an out-of-range scroll depth', event({ n: 'engagement', sd: 1000 }), 400],
  ['a wrong content type', event({}), 415, 'application/x-www-form-urlencoded'],
];

describe('bad input is answered 4xx, stores nothing and leaves the server healthy', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ sites: ['example.com'] });
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  async function count(): Promise<number> {
    return Number((await server.query('SELECT count(*) AS n FROM events'))[0]!.n);
  }

  for (const [name, body, status, contentType] of BODY_CASES) {
    it(`POST /api/event with ${name} → ${status}`, async () => {
      const before = await count();
      const res = await postBytes(server, Buffer.isBuffer(body) ? body : Buffer.from(body), contentType);
      assert.equal(res.status, status, res.body);
      const parsed = JSON.parse(res.body) as { error: { code: string; message: string } };
      assert.match(parsed.error.code, /^FOOTFALL_ERR_[A-Z_]+$/);
      assert.ok(parsed.error.message.length > 0);
      assert.equal(await count(), before);
    });
  }

  const BEACON_CASES: Array<[string, string, number]> = [
    ['a query string over 8 KB', `url=${encodeURIComponent(PAGE)}&t=${'a'.repeat(8300)}`, 414],
    ['a URL over 2,000 bytes', `url=${encodeURIComponent(`${PAGE}?${'a'.repeat(2001)}`)}`, 400],
    ['a relative URL', `url=${encodeURIComponent('/page')}`, 400],
    ['invalid UTF-8 in the title', `url=${encodeURIComponent(PAGE)}&t=%C3%28`, 400],
    ['a NUL byte in the title', `url=${encodeURIComponent(PAGE)}&t=a%00b`, 400],
    ['a broken percent-escape', `url=${encodeURIComponent(PAGE)}&t=%E0%A4%A`, 400],
    ['a NUL byte in the URL path', `url=${encodeURIComponent('https://example.com/a%00b')}`, 400],
  ];
  for (const [name, query, status] of BEACON_CASES) {
    it(`GET /a.gif with ${name} → ${status}`, async () => {
      const before = await count();
      const res = await hit(`${server.url}/a.gif?${query}`);
      assert.equal(res.status, status);
      assert.equal(await count(), before);
    });
  }

  it('a long title or referrer is shortened, not refused: a real page must still count', async () => {
    const res = await hit(
      `${server.url}/a.gif?url=${encodeURIComponent(`${PAGE}/long`)}&t=${'T'.repeat(3000)}&ref=${encodeURIComponent(`https://ref.example/${'p'.repeat(2500)}`)}`,
    );
    assert.equal(res.status, 200);
    const rows = await server.query(
      "SELECT length(title) AS t, length(referrer) AS r FROM events WHERE pathname = '/page/long'",
    );
    assert.equal(Number(rows[0]!.t), 1000);
    assert.ok(Number(rows[0]!.r) <= 2000);
  });

  it('random bytes never produce a 5xx (300 bounded fuzz cases on loopback)', async () => {
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const before = await count();
    let accepted = 0;
    const fragments = [
      '{',
      '}',
      '"n"',
      ':',
      '"u"',
      '"https://example.com/x"',
      ',',
      '[',
      ']',
      '\\u0000',
      'null',
      '"p"',
      '{"a":1}',
      '"\\ud800"',
    ];
    for (let i = 0; i < 300; i++) {
      let body: Buffer;
      if (i % 2 === 0) {
        body = Buffer.from(Array.from({ length: Math.floor(rand() * 200) }, () => Math.floor(rand() * 256)));
      } else {
        body = Buffer.from(
          Array.from(
            { length: Math.floor(rand() * 12) },
            () => fragments[Math.floor(rand() * fragments.length)],
          ).join(''),
        );
      }
      const res = await postBytes(server, body);
      assert.ok(res.status < 500, `case ${i}: ${res.status} ${res.body}`);
      if (res.status === 202) accepted++;
    }
    // Fragments can form a valid event by chance: exactly the accepted ones are stored.
    assert.equal(await count(), before + accepted);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  });

  it('the server is still healthy and still stores valid events afterwards', async () => {
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    const res = await postBytes(server, Buffer.from(event({ u: `${PAGE}/after` })));
    assert.equal(res.status, 202);
    const rows = await server.query("SELECT count(*) AS n FROM events WHERE pathname = '/page/after'");
    assert.equal(Number(rows[0]!.n), 1);
  });
});
