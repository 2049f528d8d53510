// Issue 11.2: a line of the journal that cannot be loaded (half a line from a full disk, a
// hand-edited segment) is moved to <data>/journal/quarantine.ndjson — counted in /metrics
// and logged — and never blocks the lines after it or the server's start.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { encodeRow } from '../../src/ingest/row-codec.js';
import type { EventRow } from '../../src/store/event-row.js';
import { hit, metricValue, removeDir, seedSites, startTestServer, tempDir } from '../helpers/server.js';

function row(pathname: string): EventRow {
  return {
    siteId: 1,
    ts: 1_780_000_000_000,
    name: 'pageview',
    hostname: 'example.com',
    pathname,
    title: '',
    referrer: '',
    referrerHost: '',
    utmSource: '',
    utmMedium: '',
    utmCampaign: '',
    utmTerm: '',
    utmContent: '',
    props: [],
    interactive: true,
    visitorId: 1n,
    sessionId: 1n,
    browser: 'Firefox',
    browserVersion: '130',
    os: 'Linux',
    osVersion: '',
    device: 'desktop',
    screen: 'laptop',
    language: 'de',
    country: 'DE',
    region: '',
    city: '',
    source: 'Direct / None',
    channel: 'Direct',
    scrollDepth: null,
    engagementMs: null,
  };
}

const line = (p: string) => `${encodeRow(row(p))}\n`;

describe('journal quarantine', () => {
  it('a segment with damaged lines starts: the damaged lines are quarantined, counted and logged, the rest stored', async () => {
    const dataDir = tempDir();
    try {
      await seedSites(dataDir, ['example.com']);
      const journal = path.join(dataDir, 'journal');
      mkdirSync(journal);
      const damaged = [
        '{"s":1,"t":17800', // half a line, as a write cut short by a full disk leaves it
        JSON.stringify({ ...JSON.parse(encodeRow(row('/typed'))), v: -1 }), // a visitor id that is no UBIGINT
        'not json at all',
      ];
      // A segment a previous run left behind, damaged in the middle (line 2, 4 and 5).
      writeFileSync(
        path.join(journal, '000000000007.ndjson'),
        [line('/a'), `${damaged[0]}\n`, line('/b'), `${damaged[1]}\n`, `${damaged[2]}\n`, line('/c')].join(
          '',
        ),
      );
      const server = await startTestServer({ dataDir, sites: [] });
      try {
        const rows = await server.query('SELECT pathname FROM events ORDER BY pathname');
        assert.deepEqual(
          rows.map((r) => r.pathname),
          ['/a', '/b', '/c'],
        );
        assert.equal(await metricValue(server, 'footfall_journal_quarantined_total'), 3);
        assert.equal(
          readFileSync(path.join(journal, 'quarantine.ndjson'), 'utf8'),
          damaged.map((d) => `${d}\n`).join(''),
          'the damaged lines are kept byte for byte',
        );
        assert.ok(
          server.logs.some((l) =>
            /journal: moved 3 line\(s\) of segment 7 .*quarantine\.ndjson \(line 2: not valid JSON\)/.test(l),
          ),
          server.logs.join('\n'),
        );
        assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
        // New events flow as usual.
        const res = await hit(`${server.url}/api/event`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ n: 'pageview', u: 'https://example.com/new', d: 'example.com' }),
        });
        assert.equal(res.status, 202);
        assert.equal(
          (await server.query("SELECT count(*) AS n FROM events WHERE pathname = '/new'"))[0]!.n,
          1n,
        );
      } finally {
        await server.close();
      }
      assert.deepEqual(readdirSync(journal), ['quarantine.ndjson'], 'the segment was loaded and deleted');
    } finally {
      removeDir(dataDir);
    }
  });
});
