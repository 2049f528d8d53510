// Enrichment through the real server: what a stored event learns on the way in, and what
// is never stored.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BROWSER_UA,
  hit,
  killServers,
  metricValue,
  removeDir,
  runCli,
  startTestServer,
  type TestServer,
  tempDir,
} from '../helpers/server.js';

const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const MIN = 60_000;

function beacon(
  server: TestServer,
  path: string,
  opts: { ref?: string; ua?: string; headers?: Record<string, string>; site?: string } = {},
) {
  const url = encodeURIComponent(`https://${opts.site ?? 'example.com'}${path}`);
  return hit(`${server.url}/a.gif?url=${url}&ref=${encodeURIComponent(opts.ref ?? '')}`, {
    headers: { 'user-agent': opts.ua ?? BROWSER_UA, ...opts.headers },
  });
}

async function rowFor(server: TestServer, pathname: string): Promise<Record<string, unknown>> {
  const rows = await server.query('SELECT * FROM events WHERE pathname = $1', [pathname]);
  assert.equal(rows.length, 1, `one event stored for ${pathname}`);
  return rows[0]!;
}

describe('enriched events (default: proxy headers ignored)', () => {
  let server: TestServer;
  const clock = { now: Date.parse('2026-06-01T10:00:00Z') };

  before(async () => {
    server = await startTestServer({ sites: ['example.com', 'other.example.org'], now: () => clock.now });
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
    killServers();
  });

  it('the same IP and user agent on one site and day are one visitor; another site sees another visitor', async () => {
    await beacon(server, '/v1');
    await beacon(server, '/v2');
    await beacon(server, '/v3', { site: 'other.example.org' });
    const a = await rowFor(server, '/v1');
    const b = await rowFor(server, '/v2');
    const c = await rowFor(server, '/v3');
    assert.notEqual(a.visitor_id, 0n);
    assert.equal(a.visitor_id, b.visitor_id);
    assert.equal(a.session_id, b.session_id);
    assert.notEqual(a.visitor_id, c.visitor_id);
  });

  it("a visit's later page views carry the source, referrer and UTM tags its first event came with", async () => {
    const ua = `${BROWSER_UA} origin-test`;
    await hit(
      `${server.url}/a.gif?url=${encodeURIComponent('https://example.com/o1?utm_campaign=spring')}&ref=${encodeURIComponent('https://news.ycombinator.com/item?id=1')}`,
      { headers: { 'user-agent': ua } },
    );
    await beacon(server, '/o2', { ref: 'https://example.com/o1', ua });
    const first = await rowFor(server, '/o1');
    const second = await rowFor(server, '/o2');
    assert.equal(first.source, 'Hacker News');
    for (const column of ['source', 'channel', 'referrer', 'referrer_host', 'utm_campaign']) {
      assert.equal(second[column], first[column], column);
    }
    assert.equal(second.utm_campaign, 'spring');
  });

  it('another user agent from the same IP is another visitor', async () => {
    await beacon(server, '/ua-a');
    await beacon(server, '/ua-b', { ua: IPHONE_UA });
    assert.notEqual((await rowFor(server, '/ua-a')).visitor_id, (await rowFor(server, '/ua-b')).visitor_id);
  });

  it('a forged X-Forwarded-For is ignored without --trust-proxy', async () => {
    await beacon(server, '/xff-1', { headers: { 'x-forwarded-for': '8.8.8.8' } });
    await beacon(server, '/xff-2', {
      headers: { 'x-forwarded-for': '193.99.144.80', 'x-real-ip': '1.1.1.1' },
    });
    const a = await rowFor(server, '/xff-1');
    const b = await rowFor(server, '/xff-2');
    assert.equal(a.visitor_id, b.visitor_id, 'both are the loopback client');
    assert.equal(a.country, '', 'loopback has no location');
  });

  it('a visit ends after 30 minutes without events (clock driven, no sleeping)', async () => {
    clock.now = Date.parse('2026-06-01T12:00:00Z');
    await beacon(server, '/s1', { ua: IPHONE_UA });
    clock.now += 29 * MIN;
    await beacon(server, '/s2', { ua: IPHONE_UA });
    clock.now += 31 * MIN;
    await beacon(server, '/s3', { ua: IPHONE_UA });
    const [s1, s2, s3] = [
      await rowFor(server, '/s1'),
      await rowFor(server, '/s2'),
      await rowFor(server, '/s3'),
    ];
    assert.equal(s1.session_id, s2.session_id);
    assert.notEqual(s2.session_id, s3.session_id);
    assert.equal(s2.visitor_id, s3.visitor_id);
  });

  it('a visit crossing midnight stays one visit with one visitor id', async () => {
    const ua = `${IPHONE_UA} midnight`;
    clock.now = Date.parse('2026-06-01T23:50:00Z');
    await beacon(server, '/m1', { ua });
    clock.now = Date.parse('2026-06-02T00:10:00Z');
    await beacon(server, '/m2', { ua });
    const [m1, m2] = [await rowFor(server, '/m1'), await rowFor(server, '/m2')];
    assert.equal(m1.session_id, m2.session_id);
    assert.equal(m1.visitor_id, m2.visitor_id);
  });

  it('browser, OS, device, screen class, language, source and channel are filled', async () => {
    const url = encodeURIComponent('https://example.com/enriched');
    const res = await hit(`${server.url}/api/event`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': IPHONE_UA, 'accept-language': 'fr-CH,fr;q=0.9' },
      body: JSON.stringify({
        n: 'pageview',
        u: decodeURIComponent(url),
        d: 'example.com',
        r: 'https://www.google.de/',
        w: 390,
      }),
    });
    assert.equal(res.status, 202);
    const e = await rowFor(server, '/enriched');
    assert.deepEqual(
      [e.browser, e.os, e.device, e.screen, e.language, e.source, e.channel, e.referrer_host],
      ['Safari', 'iOS', 'Mobile', 'Mobile', 'fr', 'Google', 'Organic Search', 'google.de'],
    );
    assert.equal(e.browser_version, '17');
    assert.equal(e.os_version, '17.5');
  });

  it('utm_source wins over the referrer; a referral from the site itself is not a source', async () => {
    // Three visitors (user agents), so each event starts its own visit.
    await beacon(server, '/utm?utm_source=newsletter&utm_medium=email', {
      ref: 'https://news.ycombinator.com/',
      ua: `${BROWSER_UA} v1`,
    });
    await beacon(server, '/self', { ref: 'https://www.example.com/elsewhere', ua: `${BROWSER_UA} v2` });
    await beacon(server, '/direct', { ua: `${BROWSER_UA} v3` });
    const utm = await rowFor(server, '/utm');
    assert.deepEqual([utm.source, utm.channel], ['newsletter', 'Email']);
    const self = await rowFor(server, '/self');
    assert.deepEqual([self.source, self.channel], ['Direct / None', 'Direct']);
    const direct = await rowFor(server, '/direct');
    assert.deepEqual([direct.source, direct.channel], ['Direct / None', 'Direct']);
  });

  it('bots, crawlers and headless browsers are answered but not stored, and counted', async () => {
    const before = await metricValue(server, 'footfall_events_dropped_total{reason="bot"}');
    const agents = [
      GOOGLEBOT,
      'curl/8.5.0',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
      '',
    ];
    for (const ua of agents) {
      const res = await beacon(server, '/bot', { ua });
      assert.equal(res.status, 200);
    }
    const rows = await server.query("SELECT count(*) AS n FROM events WHERE pathname = '/bot'");
    assert.equal(Number(rows[0]!.n), 0);
    assert.equal(
      await metricValue(server, 'footfall_events_dropped_total{reason="bot"}'),
      before + agents.length,
    );
  });

  it('referrer spam is answered but not stored, and counted', async () => {
    const res = await beacon(server, '/spam', { ref: 'http://semalt.com/' });
    assert.equal(res.status, 200);
    const rows = await server.query("SELECT count(*) AS n FROM events WHERE pathname = '/spam'");
    assert.equal(Number(rows[0]!.n), 0);
    assert.equal(await metricValue(server, 'footfall_events_dropped_total{reason="referrer_spam"}'), 1);
  });

  it('the salt table never holds more than today and yesterday', async () => {
    const days = await server.store.listSalts();
    assert.ok(days.length <= 2, JSON.stringify(days.map((d) => d.day)));
  });
});

describe('enriched events behind a trusted proxy', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ flags: { trustProxy: 'loopback', excludeIp: '203.0.113.0/24' } });
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('X-Forwarded-For from a trusted proxy names the visitor and their location', async () => {
    await beacon(server, '/p-us', { headers: { 'x-forwarded-for': '8.8.8.8' } });
    await beacon(server, '/p-de', { headers: { 'x-forwarded-for': '193.99.144.80' } });
    await beacon(server, '/p-private', { headers: { 'x-real-ip': '192.168.1.20' } });
    const us = await rowFor(server, '/p-us');
    const de = await rowFor(server, '/p-de');
    assert.equal(us.country, 'US');
    assert.equal(de.country, 'DE');
    assert.match(String(de.region), /^(DE-[A-Z0-9]+|)$/);
    assert.notEqual(us.visitor_id, de.visitor_id);
    assert.equal((await rowFor(server, '/p-private')).country, '');
  });

  it('--exclude-ip drops events from the listed ranges', async () => {
    const res = await beacon(server, '/excluded', { headers: { 'x-forwarded-for': '203.0.113.9' } });
    assert.equal(res.status, 200);
    const rows = await server.query("SELECT count(*) AS n FROM events WHERE pathname = '/excluded'");
    assert.equal(Number(rows[0]!.n), 0);
  });

  it('no IP address is stored in any column', async () => {
    const rows = await server.query('SELECT * FROM events');
    const text = JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    for (const ip of ['8.8.8.8', '193.99.144.80', '192.168.1.20', '127.0.0.1'])
      assert.ok(!text.includes(ip), ip);
  });
});

describe('geo database errors at start', () => {
  it('a missing or corrupt --geoip-db stops the server with a clear error', async () => {
    const data = tempDir();
    try {
      const missing = await runCli([
        'serve',
        '--port',
        '0',
        '--data',
        data,
        '--geoip-db',
        '/nonexistent/GeoLite2-City.mmdb',
      ]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /\/nonexistent\/GeoLite2-City\.mmdb.*not found/);
      const corrupt = await runCli([
        'serve',
        '--port',
        '0',
        '--data',
        data,
        '--geoip-db',
        'test/fixtures/geo/corrupt.mmdb',
      ]);
      assert.equal(corrupt.code, 2);
      assert.match(corrupt.stderr, /corrupt\.mmdb/);
    } finally {
      removeDir(data);
    }
  });

  it('a bad --trust-proxy or --exclude-ip value stops the server with the fix', async () => {
    const bad = await runCli(['serve', '--trust-proxy', '10.0.0.300']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--trust-proxy "10\.0\.0\.300" is not valid.*CIDR/);
    const env = await runCli(['serve'], { env: { FOOTFALL_EXCLUDE_IP: 'not-an-ip' } });
    assert.equal(env.code, 2);
    assert.match(env.stderr, /FOOTFALL_EXCLUDE_IP "not-an-ip" is not valid/);
  });
});

describe('session ids across a restart', () => {
  it('a restarted server hands out ids after every stored one, so no two visits share an id', async () => {
    const first = await startTestServer();
    await beacon(first, '/before', { ua: `${BROWSER_UA} a` });
    await beacon(first, '/before', { ua: `${BROWSER_UA} b` });
    const [{ max: before }] = (await first.query('SELECT max(session_id) AS max FROM events')) as [
      { max: bigint },
    ];
    await first.close();
    const second = await startTestServer({ dataDir: first.dataDir, sites: [] });
    try {
      await beacon(second, '/after', { ua: `${BROWSER_UA} c` });
      const rows = await second.query("SELECT session_id FROM events WHERE pathname = '/after'");
      assert.equal(rows[0]!.session_id, before + 1n);
    } finally {
      await second.close();
      removeDir(first.dataDir);
    }
  });
});
