import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BROWSER_UA, hit, removeDir, startTestServer, type TestServer } from '../helpers/server.js';

// The seed's 1×1 GIF, byte for byte (base64 from the seed's analytics.py).
const SEED_GIF = Buffer.from('R0lGODlhAQABAIAAANvf7wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

describe("the seed's script and beacon", () => {
  let server: TestServer;
  const clock = { now: Date.parse('2026-11-20T10:11:12.345Z') };

  before(async () => {
    server = await startTestServer({
      sites: ['example.com'],
      flags: { publicUrl: 'https://stats.example.net' },
      now: () => clock.now,
    });
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('/a.js builds the beacon URL from the configured public URL, as the seed did', async () => {
    const res = await fetch(`${server.url}/a.js`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /javascript/);
    const js = await res.text();
    assert.ok(js.includes('"https://stats.example.net/a.gif?url="'), js);
    assert.ok(js.includes('new Image'));
    assert.ok(js.includes("'&ref='+e(d.referrer)+'&t='+e(d.title)"));
  });

  it('/a.js runs in a page and requests the beacon with url, ref and t encoded', async () => {
    const js = await (await fetch(`${server.url}/a.js`)).text();
    const images: { src?: string }[] = [];
    class FakeImage {
      src?: string;
      constructor() {
        images.push(this);
      }
    }
    const document = {
      location: { href: 'https://example.com/a b?x=1&y=2' },
      referrer: 'https://news.ycombinator.com/item?id=1',
      title: 'Hello & welcome',
    };
    new Function('document', 'Image', js)(document, FakeImage);
    assert.equal(
      images[0]?.src,
      'https://stats.example.net/a.gif?url=' +
        encodeURIComponent(document.location.href) +
        '&ref=' +
        encodeURIComponent(document.referrer) +
        '&t=' +
        encodeURIComponent(document.title),
    );
  });

  it('a beacon hit answers the 43-byte transparent GIF, never cached', async () => {
    const url = encodeURIComponent(
      'https://www.example.com/blog/post?utm_source=newsletter&utm_medium=email',
    );
    const res = await hit(`${server.url}/a.gif?url=${url}&t=Post&ref=`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/gif');
    assert.equal(res.headers.get('cache-control'), 'no-store, no-cache, private');
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(body.length, 43);
    assert.deepEqual(body, SEED_GIF);
  });

  it('a beacon hit is stored with every field', async () => {
    clock.now = Date.parse('2026-11-21T08:00:00.123Z');
    const page =
      'https://www.Example.com/caf%C3%A9/menu?utm_source=hn&utm_medium=social&utm_campaign=launch&utm_term=beans&utm_content=top';
    const ref = 'https://news.ycombinator.com/item?id=42';
    const res = await hit(
      `${server.url}/a.gif?url=${encodeURIComponent(page)}&t=${encodeURIComponent('Café — Menu')}&ref=${encodeURIComponent(ref)}`,
      { headers: { 'accept-language': 'de-DE,de;q=0.9' } },
    );
    assert.equal(res.status, 200);
    const rows = await server.query("SELECT *, epoch_ms(ts) AS ms FROM events WHERE title = 'Café — Menu'");
    assert.equal(rows.length, 1);
    const e = rows[0]!;
    assert.equal(Number(e.ms), Date.parse('2026-11-21T08:00:00.123Z'));
    assert.equal(e.name, 'pageview');
    assert.equal(e.hostname, 'www.example.com');
    assert.equal(e.pathname, '/café/menu');
    assert.equal(e.referrer, ref);
    assert.equal(e.referrer_host, 'news.ycombinator.com');
    assert.equal(e.utm_source, 'hn');
    assert.equal(e.utm_medium, 'social');
    assert.equal(e.utm_campaign, 'launch');
    assert.equal(e.utm_term, 'beans');
    assert.equal(e.utm_content, 'top');
    assert.equal(e.language, 'de');
    assert.equal(e.interactive, true);
    const site = await server.query("SELECT id FROM sites WHERE domain = 'example.com'");
    assert.equal(e.site_id, site[0]!.id);
  });

  it('stores no IP address, cookie or raw header anywhere in the event', async () => {
    const res = await hit(`${server.url}/a.gif?url=${encodeURIComponent('https://example.com/private')}`, {
      headers: { cookie: 'secret=cookie-value-123', 'user-agent': `${BROWSER_UA} UA-marker-xyz` },
    });
    assert.equal(res.status, 200);
    const rows = await server.query("SELECT * FROM events WHERE pathname = '/private'");
    assert.equal(rows.length, 1);
    const text = JSON.stringify(rows[0], (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    for (const secret of ['127.0.0.1', 'cookie-value-123', 'UA-marker-xyz'])
      assert.ok(!text.includes(secret), secret);
  });

  it('a missing or non-http(s) url answers 400 and stores nothing', async () => {
    const before = await server.query('SELECT count(*) AS n FROM events');
    for (const q of [
      '',
      '?t=x',
      '?url=',
      `?url=${encodeURIComponent('javascript:alert(1)')}`,
      `?url=${encodeURIComponent('ftp://example.com/')}`,
    ]) {
      const res = await hit(`${server.url}/a.gif${q}`);
      assert.equal(res.status, 400, q);
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.match(body.error.code, /^FOOTFALL_ERR_/);
    }
    const afterRows = await server.query('SELECT count(*) AS n FROM events');
    assert.equal(afterRows[0]!.n, before[0]!.n);
  });
});
