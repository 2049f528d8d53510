// `footfall import logs`: access logs written here from a known plan, in every format
// (combined, gzip, common, combined-vhost, Caddy's JSON, a custom template), imported, and
// the answers checked against the plan: page views, visitors, visits (cut at 30 idle minutes
// on the log's own times, across a day where the lines are hours apart), top pages, sources;
// assets, other methods and statuses, bots and other hosts left out; the same file twice
// refused; bad input answered with one line and nothing stored.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { askStats } from '../helpers/ask-stats.js';
import { removeDir, runCli, tempDir } from '../helpers/server.js';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0';
const BOT = 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface Hit {
  ts: number;
  ip: string;
  ua: string;
  method: string;
  target: string;
  status: number;
  referrer: string;
  host: string;
}

/** `10/Oct/2000:13:55:36 +0200`: the log's local time with its offset (+02:00 here). */
function timeLocal(ms: number): string {
  const d = new Date(ms + 2 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0200`;
}

const combined = (h: Hit) =>
  `${h.ip} - - [${timeLocal(h.ts)}] "${h.method} ${h.target} HTTP/1.1" ${h.status} 512 "${h.referrer || '-'}" "${h.ua}"`;
const common = (h: Hit) =>
  `${h.ip} - - [${timeLocal(h.ts)}] "${h.method} ${h.target} HTTP/1.1" ${h.status} 512`;
const vhost = (h: Hit) => `${h.host}:443 ${combined(h)}`;
const caddy = (h: Hit) =>
  JSON.stringify({
    level: 'info',
    ts: h.ts / 1000,
    logger: 'http.log.access',
    msg: 'handled request',
    request: {
      remote_ip: h.ip,
      client_ip: h.ip,
      proto: 'HTTP/2.0',
      method: h.method,
      host: h.host,
      uri: h.target,
      headers: { 'User-Agent': [h.ua], ...(h.referrer ? { Referer: [h.referrer] } : {}) },
    },
    status: h.status,
  });
const TEMPLATE = '$datetime|$remote_addr|$method|$path|$query|$status|$http_referer|$http_user_agent';
const custom = (h: Hit) => {
  const [p, q = ''] = h.target.split('?');
  return `${new Date(h.ts).toISOString()}|${h.ip}|${h.method}|${p}|${q}|${h.status}|${h.referrer || '-'}|${h.ua}`;
};

interface Plan {
  hits: Hit[];
  /** Requests for another virtual host: only formats that log the host can tell them apart. */
  otherHost: Hit[];
  pageviews: number;
  visitors: number;
  visits: number;
  pages: Map<string, number>;
  google: number;
}

/**
 * Three days in June; 12 people, each with one to three visits a day (pages a minute apart,
 * visits at least 40 minutes apart); each page pulls a stylesheet and an image; some POSTs,
 * 404s, redirects, bot hits and another host's requests besides.
 */
function plan(): Plan {
  let seed = 11;
  const rnd = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const p: Plan = {
    hits: [],
    otherHost: [],
    pageviews: 0,
    visitors: 0,
    visits: 0,
    pages: new Map(),
    google: 0,
  };
  const base = { method: 'GET', status: 200, referrer: '', host: 'example.com' };
  for (let day = 0; day < 3; day++) {
    const dayStart = Date.UTC(2026, 5, 10 + day, 7);
    for (let person = 0; person < 12; person++) {
      if (rnd() < 0.3) continue;
      p.visitors++;
      const who = { ip: `198.51.100.${person + 1}`, ua: person % 2 ? CHROME : FIREFOX };
      let t = dayStart + Math.floor(rnd() * 3_600_000);
      const visits = 1 + Math.floor(rnd() * 3);
      for (let v = 0; v < visits; v++) {
        p.visits++;
        const referrer = rnd() < 0.4 ? 'https://www.google.com/' : '';
        const pages = 1 + Math.floor(rnd() * 3);
        for (let n = 0; n < pages; n++) {
          const page = ['/', '/docs/', '/docs/install', '/blog/launch'][Math.floor(rnd() * 4)]!;
          const query = rnd() < 0.2 ? '?utm_source=newsletter' : '';
          const status = rnd() < 0.2 ? 304 : 200;
          // A utm_source names the source instead of the referrer (as in Plausible).
          if (n === 0 && referrer && !query) p.google++;
          p.pageviews++;
          p.pages.set(page, (p.pages.get(page) ?? 0) + 1);
          p.hits.push({
            ...base,
            ...who,
            ts: t,
            target: page + query,
            status,
            referrer: n === 0 ? referrer : '',
          });
          p.hits.push({ ...base, ...who, ts: t + 200, target: '/assets/site.css?v=3', referrer: '' });
          p.hits.push({ ...base, ...who, ts: t + 300, target: '/img/logo.png', referrer: '' });
          t += 60_000;
        }
        if (rnd() < 0.3) p.hits.push({ ...base, ...who, ts: t, method: 'POST', target: '/contact' });
        if (rnd() < 0.3) p.hits.push({ ...base, ...who, ts: t, target: '/missing', status: 404 });
        if (rnd() < 0.2) p.hits.push({ ...base, ...who, ts: t, target: '/old', status: 301 });
        t += 40 * 60_000 + Math.floor(rnd() * 3_600_000);
      }
    }
    for (let b = 0; b < 4; b++)
      p.hits.push({ ...base, ip: '157.55.39.1', ua: BOT, ts: dayStart + b * 1000, target: '/' });
    p.otherHost.push({
      ...base,
      ip: '192.0.2.9',
      ua: CHROME,
      ts: dayStart + 5000,
      target: '/',
      host: 'other.org',
    });
  }
  p.hits.sort((a, b) => a.ts - b.ts);
  return p;
}

const ask = (dataDir: string, queries: Record<string, unknown>[]) =>
  askStats(dataDir, { site_id: 'example.com', date_range: ['2026-06-01', '2026-06-30'] }, queries);

describe('footfall import logs', () => {
  const p = plan();
  let dir: string;
  const write = (name: string, text: string | Buffer) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const freshData = async (name: string) => {
    const data = path.join(dir, name);
    const added = await runCli(['site', 'add', 'example.com', '--data', data]);
    assert.equal(added.code, 0, added.stderr);
    return data;
  };
  const top = async (data: string) =>
    (await ask(data, [{ metrics: ['pageviews', 'visitors', 'visits'] }]))[0]![0]?.metrics ?? [0, 0, 0];

  before(() => {
    dir = tempDir();
  });
  after(() => removeDir(dir));

  it('a combined log: page views, visitors, visits, pages and sources as planned; the rest left out', async () => {
    const data = await freshData('combined');
    const lines = p.hits.map(combined);
    lines.splice(5, 0, 'this is not a log line', '');
    const file = write('access.log', `${lines.join('\n')}\n`);
    const out = await runCli(['import', 'logs', file, '--site', 'example.com', '--data', data]);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, new RegExp(`imported ${p.pageviews} page views`));
    assert.match(out.stdout, /left out as tracking would: 12 bot/);
    assert.match(out.stdout, /1 unparsed/);
    assert.deepEqual(await top(data), [p.pageviews, p.visitors, p.visits]);
    const [pages, sources] = await ask(data, [
      { metrics: ['pageviews'], dimensions: ['event:page'] },
      { metrics: ['visits'], dimensions: ['visit:source'] },
    ]);
    assert.deepEqual(new Map(pages!.map((r) => [r.dimensions[0], r.metrics[0]])), p.pages);
    assert.equal(sources!.find((r) => r.dimensions[0] === 'Google')?.metrics[0], p.google);

    const again = await runCli(['import', 'logs', file, '--site', 'example.com', '--data', data]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /was imported into example\.com already .* add --again/);
    assert.deepEqual(await top(data), [p.pageviews, p.visitors, p.visits]);
  });

  it('gzip, combined-vhost, Caddy JSON and a custom template give the same answer', async () => {
    const withHosts = [...p.hits, ...p.otherHost].sort((a, b) => a.ts - b.ts);
    const cases: [string, string, string | Buffer][] = [
      ['combined', 'access.log.gz', gzipSync(`${p.hits.map(combined).join('\n')}\n`)],
      ['combined-vhost', 'vhost.log', `${withHosts.map(vhost).join('\n')}\n`],
      ['caddy', 'caddy.json', `${withHosts.map(caddy).join('\n')}\n`],
      [`log:${TEMPLATE}`, 'custom.log', `${p.hits.map(custom).join('\n')}\n`],
    ];
    for (const [format, name, text] of cases) {
      const data = await freshData(`fmt-${name}`);
      const out = await runCli([
        'import',
        'logs',
        write(name, text),
        '--format',
        format,
        '--site',
        'example.com',
        '--data',
        data,
      ]);
      assert.equal(out.code, 0, `${format}: ${out.stderr}`);
      if (format === 'caddy' || format === 'combined-vhost') assert.match(out.stdout, /3 other site/, format);
      assert.deepEqual(await top(data), [p.pageviews, p.visitors, p.visits], format);
    }
  });

  it('- reads standard input, which is neither recorded nor refused the second time', async () => {
    const data = await freshData('stdin');
    const input = `${p.hits.map(combined).join('\n')}\n`;
    for (const round of [1, 2]) {
      const out = await runCli(['import', 'logs', '-', '--site', 'example.com', '--data', data], { input });
      assert.equal(out.code, 0, out.stderr);
      assert.equal((await top(data))[0], round * p.pageviews);
    }
  });

  it('a common log has no user agents: visitors are IPs, and nothing is taken for a bot', async () => {
    const data = await freshData('common');
    const file = write('common.log', `${p.hits.map(common).join('\n')}\n`);
    const out = await runCli([
      'import',
      'logs',
      file,
      '--format',
      'common',
      '--site',
      'example.com',
      '--data',
      data,
    ]);
    assert.equal(out.code, 0, out.stderr);
    // Every page request counts, the bots' too: nothing tells them apart.
    assert.equal((await top(data))[0], p.pageviews + 12);
  });

  it('--include and --exclude choose the paths', async () => {
    const data = await freshData('globs');
    const file = write('globs.log', `${p.hits.map(combined).join('\n')}\n`);
    const out = await runCli([
      'import',
      'logs',
      file,
      '--site',
      'example.com',
      '--data',
      data,
      '--include',
      '/docs/**',
      '--include',
      '/assets/*.css',
      '--exclude',
      '/docs/install',
    ]);
    assert.equal(out.code, 0, out.stderr);
    const [pages] = await ask(data, [{ metrics: ['pageviews'], dimensions: ['event:page'] }]);
    const got = new Map(pages!.map((r) => [r.dimensions[0], r.metrics[0]]));
    assert.deepEqual([...got.keys()].sort(), ['/assets/site.css', '/docs/']);
    assert.equal(got.get('/docs/'), p.pages.get('/docs/'));
    assert.equal(got.get('/assets/site.css'), p.pageviews);
  });

  it('bad input: one line naming the fix, nothing stored', { timeout: 120_000 }, async () => {
    const data = await freshData('bad');
    const good = `${p.hits.map(combined).join('\n')}\n`;
    const truncated = write('cut.log.gz', gzipSync(good).subarray(0, 2000));
    const huge = write(
      'huge.log',
      `${combined(p.hits[0]!).replace('"GET /', `"GET /${'a'.repeat(20_000)}`)}\n`,
    );
    // A line built to make a backtracking pattern work hard: it must still be skipped at once.
    const hostile = write('hostile.log', `${'- '.repeat(4000)}[${'" '.repeat(4000)}\n${good}`);
    const cases: [string[], RegExp][] = [
      [[truncated], /cut\.log\.gz is a damaged or truncated gzip file/],
      [[path.join(dir, 'nope.log')], /nope\.log is not a readable file/],
      [[write('x.log', good), '--format', 'apache2'], /unknown log format "apache2": use combined/],
      [[write('y.log', good), '--format', 'log:$when $remote_addr'], /unknown field \$when/],
      [
        [write('z.log', good), '--format', 'log:$remote_addr $path'],
        /has no time: name \$time_local or \$datetime/,
      ],
      [[write('w.log', good), '--site', 'nosuch.example'], /no site nosuch\.example: add it first/],
      [['-', '--strict'], /--strict reads the log twice: give a file/],
    ];
    for (const [args, message] of cases) {
      const site = args.includes('--site') ? [] : ['--site', 'example.com'];
      const out = await runCli(['import', 'logs', ...args, ...site, '--data', data]);
      assert.equal(out.code, 2, `${args.join(' ')}: ${out.stdout} ${out.stderr}`);
      assert.match(out.stderr, message);
      assert.equal(out.stderr.trim().split('\n').length, 1, out.stderr);
    }
    assert.deepEqual(await top(data), [0, 0, 0]);

    const started = Date.now();
    const skipped = await runCli(['import', 'logs', huge, '--site', 'example.com', '--data', data]);
    assert.equal(skipped.code, 0, skipped.stderr);
    assert.match(skipped.stdout, /imported 0 page views .* 1 rows[\s\S]*1 line too long/);
    const slow = await runCli([
      'import',
      'logs',
      hostile,
      '--site',
      'example.com',
      '--data',
      data,
      '--strict',
    ]);
    assert.equal(slow.code, 2);
    assert.match(slow.stderr, /hostile\.log: line 1 cannot be imported \(unparsed\); nothing was stored/);
    assert.ok(Date.now() - started < 30_000, 'hostile lines are refused quickly');
    assert.deepEqual(await top(data), [0, 0, 0]);
  });
});
