// A log file is read and parsed in a worker thread (src/import/log-worker.ts), which sends the
// import's thread each page view by columns, URLs by number (in a table of slots both sides
// keep) and the place of each address it looked up. What comes out must be what the same rule
// gives on the import's own thread (standard input's path), line for line — across more URLs
// than either table holds — with each place the geo database's; a damaged gzip file is said as
// it is; and an import refused before it reads leaves no thread behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { type GeoLookup, openGeo } from '../../src/enrich/geo.js';
import { lineItem, lineRule, URL_CACHE } from '../../src/import/log-lines.js';
import { startLogReader } from '../../src/import/log-worker.js';
import type { ImportItem } from '../../src/import/run-import.js';
import { ConfigError } from '../../src/server/config.js';
import { removeDir, seedSites, tempDir } from '../helpers/server.js';

const HELPERS = path.join(import.meta.dirname, '../helpers');
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const BOT = 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)';
const IPS = [
  '8.8.8.8',
  '1.1.1.1',
  '81.2.69.142',
  '202.12.27.33',
  '91.198.174.192',
  '200.160.2.3',
  '198.51.100.7',
];
const NOW = Date.UTC(2026, 6, 1);

/**
 * A log of `n` lines: pages from a set of 2.5 × URL_CACHE paths that comes back to old ones
 * (so both URL tables wrap and old numbers are named again), assets, bots, POSTs, 404s, lines
 * that do not parse, blank lines, an over-long line, addresses in several countries.
 */
function mixedLog(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const minute = String(Math.floor(i / 60) % 60).padStart(2, '0');
    const second = String(i % 60).padStart(2, '0');
    const path =
      i % 11 === 10 ? '/app.css' : `/p/${(i * 7919) % Math.floor(URL_CACHE * 2.5)}?utm_source=s${i % 3}`;
    const method = i % 13 === 12 ? 'POST' : 'GET';
    const status = i % 17 === 16 ? 404 : i % 5 === 4 ? 304 : 200;
    const ua = i % 9 === 8 ? BOT : CHROME;
    const referrer = i % 4 === 0 ? `https://news.example.org/item/${i % 50}` : '-';
    if (i % 1000 === 500) lines.push('');
    if (i % 1000 === 700) lines.push('not a log line at all');
    if (i === 1234)
      lines.push(
        `${IPS[0]} - - [01/Jun/2026:10:00:00 +0000] "GET /${'x'.repeat(20_000)} HTTP/1.1" 200 1 "-" "${CHROME}"`,
      );
    lines.push(
      `${IPS[i % IPS.length]} - - [01/Jun/2026:10:${minute}:${second} +0000] "${method} ${path} HTTP/1.1" ${status} 512 "${referrer}" "${ua}"`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The items standard input's path makes on this thread, each page view placed by `geo` here. */
function expectedItems(text: string, geo: GeoLookup): ImportItem[] {
  const rule = lineRule({ format: 'combined', domain: 'example.com', nowMs: NOW });
  const out: ImportItem[] = [];
  text
    .split('\n')
    .slice(0, -1)
    .forEach((line, i) => {
      const v = rule(line);
      if (v === undefined) return;
      const item = lineItem(i + 1, v, ['example.com']);
      if ('event' in item) item.event.client.place = geo.lookup(item.event.client.ip);
      out.push(item);
    });
  return out;
}

async function readAll(file: string, gzip: boolean, geo: GeoLookup): Promise<ImportItem[]> {
  const reader = startLogReader(
    { format: 'combined', domain: 'example.com', nowMs: NOW, file, gzip, geo: geo.opened },
    ['example.com'],
  );
  const out: ImportItem[] = [];
  for await (const items of reader.items()) out.push(...items);
  return out;
}

describe("a log file read in the import's worker thread", () => {
  let dir: string;
  let geo: GeoLookup;
  before(async () => {
    dir = tempDir();
    geo = await openGeo({});
  });
  after(async () => {
    await geo.close();
    removeDir(dir);
  });

  it("gives, line for line, the items the import's own thread makes, with each place the geo database's", async () => {
    const text = mixedLog(60_000);
    const file = path.join(dir, 'access.log');
    writeFileSync(file, text);
    const expected = expectedItems(text, geo);
    const got = await readAll(file, false, geo);
    assert.equal(got.length, expected.length);
    for (let i = 0; i < got.length; i++) assert.deepEqual(got[i], expected[i], `item ${i}`);
    // The comparison means something: page views in several countries, and each kind of line.
    const events = got.filter((it) => 'event' in it);
    const countries = new Set(events.map((it) => ('event' in it ? it.event.client.place?.country : '')));
    assert.ok(countries.size >= 6, [...countries].join());
    const reasons = new Set(got.map((it) => ('skip' in it ? it.skip : 'page')));
    for (const r of ['page', 'not_a_page', 'not_get', 'status', 'unparsed', 'line_too_long'])
      assert.ok(reasons.has(r), r);

    // The same file gzipped: the same items.
    const gz = path.join(dir, 'access.log.gz');
    writeFileSync(gz, gzipSync(text));
    assert.deepEqual(await readAll(gz, true, geo), got);
  });

  it('says a damaged gzip file as it is, naming the file and the last line read', async () => {
    const whole = gzipSync(mixedLog(30_000));
    const file = path.join(dir, 'truncated.log.gz');
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length * 0.6)));
    await assert.rejects(readAll(file, true, geo), (err: Error) => {
      assert.ok(err instanceof ConfigError, String(err));
      assert.match(err.message, /truncated\.log\.gz is a damaged or truncated gzip file after line \d+/);
      return true;
    });
  });

  it('an import refused before reading (done before) stops its reading thread: the process ends by itself', async () => {
    const data = path.join(dir, 'refused');
    await seedSites(data, ['example.com']);
    const file = path.join(dir, 'small.log');
    writeFileSync(file, mixedLog(2_000));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(HELPERS, 'import-twice-child.ts'), file, data],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    // A thread left running would keep the process alive (nothing calls process.exit).
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      child.on('exit', (c, s) => resolve([c, s])),
    );
    clearTimeout(timer);
    assert.equal(signal, null, `the process did not end by itself: ${out}`);
    assert.equal(code, 0);
    assert.match(out, /first: imported \d+\nsecond: refused: .*was imported into example\.com already/);
  });
});
