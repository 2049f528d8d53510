// The server serves the dashboard: the HTML shell at every view's path with a strict CSP
// and no caching, and content-hashed assets with a long cache, gzipped when asked.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;

before(async () => {
  server = await startTestServer({ flags: { publicUrl: 'https://stats.example.org/"><script>x</script>' } });
});
after(() => server.close());

const VIEWS = [
  '/',
  '/login',
  '/setup?token=abc',
  '/invite?token=1.abc',
  '/account',
  '/sites/example.com',
  '/sites/example.com?period=7d&f=is,event:page,/a',
  '/sites/example.com/settings',
  '/share/t0k3n',
];

test('every view answers the same HTML shell, never cached, with a strict CSP', async () => {
  let first: string | undefined;
  for (const view of VIEWS) {
    const res = await fetch(server.url + view);
    assert.equal(res.status, 200, view);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.match(csp, /default-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|http/);
    assert.match(csp, /frame-ancestors 'none'/, 'no framing (an unknown share link is not embeddable)');
    const html = await res.text();
    first ??= html;
    assert.equal(html, first, view);
  }
});

test('the shell has no inline script, style block or style attribute, and loads only /assets/', async () => {
  const html = await (await fetch(`${server.url}/`)).text();
  assert.doesNotMatch(html, /<style|style=/i);
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    assert.match(m[1]!, /src="\/assets\/app-[\w-]+\.js"/);
    assert.equal(m[2], '');
  }
  for (const m of html.matchAll(/(?:src|href)="([^"]*)"/g)) assert.match(m[1]!, /^\/assets\//);
});

test('the public URL reaches the page as an attribute value, never as markup', async () => {
  const html = await (await fetch(`${server.url}/`)).text();
  const meta = /<meta name="footfall-public-url" content="([^"]*)">/.exec(html);
  assert.equal(meta?.[1], 'https://stats.example.org/%22%3E%3Cscript%3Ex%3C/script%3E');
  assert.equal(html.match(/<script/g)?.length, 1);
});

test('assets are served with their type, a one-year immutable cache, and gzip when accepted', async () => {
  const html = await (await fetch(`${server.url}/`)).text();
  const urls = [...html.matchAll(/(?:src|href|content)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  const types: Record<string, RegExp> = {
    js: /^text\/javascript/,
    css: /^text\/css/,
    svg: /^image\/svg\+xml/,
    json: /^application\/json/,
  };
  assert.deepEqual(new Set(urls.map((u) => u.split('.').pop())), new Set(Object.keys(types)));
  for (const url of urls) {
    const plain = await fetch(server.url + url, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(plain.status, 200, url);
    assert.match(plain.headers.get('content-type') ?? '', types[url.split('.').pop()!]!);
    assert.equal(plain.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(plain.headers.get('content-encoding'), null);
    const body = Buffer.from(await plain.arrayBuffer());
    // fetch() would decode gzip itself; read the raw bytes through node:http instead.
    const raw = await rawGet(server.url + url, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(raw.headers['content-encoding'], 'gzip', url);
    assert.ok(gunzipSync(raw.body).equals(body), url);
    // Gzipped at the first request, kept for the next.
    const again = await rawGet(server.url + url, { 'accept-encoding': 'gzip' });
    assert.equal(again.headers['content-encoding'], 'gzip', url);
    assert.ok(again.body.equals(raw.body), url);
  }
});

test('an unknown asset is a JSON 404', async () => {
  const res = await fetch(`${server.url}/assets/app-nothere.js`);
  assert.equal(res.status, 404);
  assert.deepEqual(((await res.json()) as { error: { code: string } }).error.code, 'FOOTFALL_ERR_NOT_FOUND');
});

async function rawGet(url: string, headers: Record<string, string>) {
  const http = await import('node:http');
  return new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      http
        .get(url, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    },
  );
}
