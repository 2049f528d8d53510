// `footfall import plausible`: a zip in Plausible's export format, written here from known rows,
// is stored as one import (all tables, one id) that can be listed and removed; days Footfall
// tracked itself are left out; the same file is not imported twice; and every bad input — not
// a zip, a truncated zip, a file of another name, an unknown or missing column, a bad date or
// count — is refused with one line naming the entry and the line, storing nothing.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { controlRequest, controlSend, controlStream } from '../../src/cli/control-client.js';
import { unwrap } from '../../src/cli/user-error.js';
import { readPlausibleExport } from '../../src/import/plausible-export.js';
import { importPlausible } from '../../src/import/plausible-import.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import type { Store } from '../../src/store/types.js';
import { csv, zipOf } from '../helpers/plausible-zip.js';
import { removeDir, runCli, seedSites, startTestServer, tempDir } from '../helpers/server.js';

const TODAY = '2026-06-30';

/** A small export: two days, the visitors and sources tables (with a quoted, multi-line cell). */
const FILES = {
  'imported_visitors_20260101_20260102.csv': csv('date,visitors,pageviews,bounces,visits,visit_duration', [
    ['2026-01-01', 10, 30, 4, 12, 600],
    ['2026-01-02', 5, 9, 1, 6, 120],
  ]),
  'imported_sources_20260101_20260102.csv': csv(
    'date,source,referrer,utm_source,utm_medium,utm_campaign,utm_content,utm_term,pageviews,visitors,visits,visit_duration,bounces',
    [
      ['2026-01-01', 'Google', '', '', '', '', '', '', 20, 7, 8, 400, 2],
      ['2026-01-01', '', '', '', '', 'spring, "sale"\nnow', '', '', 10, 3, 4, 200, 2],
      ['2026-01-02', 'Google', '', '', '', '', '', '', 9, 5, 6, 120, 1],
    ],
  ),
};

/** The zip with its entry's uncompressed size in the central directory said to be 805 MB. */
function inflating(zip: Uint8Array): Uint8Array {
  const b = Buffer.from(zip);
  const at = b.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  b.writeUInt32LE(0x30000000, at + 24);
  return b;
}

describe('footfall import plausible', () => {
  const dir = tempDir('footfall-plausible-import-');
  const data = path.join(dir, 'data');
  const zip = path.join(dir, 'export.zip');
  let store: Store;
  before(async () => {
    await seedSites(data, ['example.com', 'tracked.example', 'again.example']);
    writeFileSync(zip, zipOf(FILES));
    store = await openDuckDbStore(data);
  });
  after(async () => {
    await store.close();
    removeDir(dir);
  });
  const site = async (domain: string) => (await store.listSites()).find((s) => s.domain === domain)!;

  it('stores every table of the export as one import, rows as written', async () => {
    const exp = readPlausibleExport(zip, TODAY);
    assert.equal(exp.rows, 5);
    const { record, stored, overlapping } = await importPlausible(store.imported, exp, {
      site: await site('example.com'),
      firstEventMs: undefined,
    });
    assert.deepEqual(stored, { imported_visitors: 2, imported_sources: 3 });
    assert.equal(overlapping, 0);
    assert.equal(record.firstDate, '2026-01-01');
    assert.equal(record.lastDate, '2026-01-02');
    const rows = await store.imported.readImported(
      "SELECT strftime(date, '%Y-%m-%d') AS date, source, utm_campaign, channel, visitors, bounces FROM imported_sources WHERE import_id = $1 ORDER BY date, source",
      [record.id],
    );
    assert.deepEqual(
      rows.map((r) => [r.date, r.source, r.utm_campaign, r.channel, Number(r.visitors), Number(r.bounces)]),
      [
        ['2026-01-01', '', 'spring, "sale"\nnow', 'Unassigned', 3, 2],
        ['2026-01-01', 'Google', '', 'Organic Search', 7, 2],
        ['2026-01-02', 'Google', '', 'Organic Search', 5, 1],
      ],
    );
    // The same file again is refused, naming the import to remove.
    await assert.rejects(
      importPlausible(store.imported, exp, { site: await site('example.com'), firstEventMs: undefined }),
      new RegExp(`imported into example.com already \\(import ${record.id},`),
    );
  });

  it('leaves out the days on and after the first tracked event', async () => {
    const exp = readPlausibleExport(zip, TODAY);
    const { stored, overlapping } = await importPlausible(store.imported, exp, {
      site: await site('tracked.example'),
      firstEventMs: Date.parse('2026-01-02T10:00:00Z'),
    });
    assert.deepEqual(stored, { imported_visitors: 1, imported_sources: 2 });
    assert.equal(overlapping, 2);
  });

  it('refuses bad exports with the entry and line, storing nothing', async () => {
    const cases: [string, Uint8Array | string, RegExp][] = [
      ['not a zip', 'date,visitors\n2026-01-01,1\n', /is not a readable zip archive/],
      ['truncated', zipOf(FILES).slice(0, 200), /is not a readable zip archive/],
      [
        'unknown file',
        zipOf({ 'visits.csv': 'date,visitors\n' }),
        /visits\.csv is not a file of Plausible's export/,
      ],
      [
        'unknown column',
        zipOf({ 'imported_devices.csv': 'date,device,visitors,colour\n' }),
        /imported_devices\.csv line 1: unknown column "colour"/,
      ],
      [
        'missing column',
        zipOf({ 'imported_devices.csv': 'date,visitors\n' }),
        /imported_devices\.csv line 1: the column device is missing/,
      ],
      [
        'bad date',
        zipOf({ 'imported_visitors.csv': 'date,visitors\n2026-01-01,1\n\n2026-13-45,2\n' }),
        /imported_visitors\.csv line 4: date "2026-13-45" is not YYYY-MM-DD/,
      ],
      [
        'future date',
        zipOf({ 'imported_visitors.csv': 'date,visitors\n2026-07-01,1\n' }),
        /line 2: date 2026-07-01 is before 1990 or in the future/,
      ],
      [
        'bad count',
        zipOf({ 'imported_visitors.csv': 'date,visitors\n2026-01-01,-3\n' }),
        /line 2: visitors "-3" is not a whole number/,
      ],
      [
        'short row',
        zipOf({ 'imported_visitors.csv': 'date,visitors,visits\n"2026-01-01",1\n' }),
        /line 2: 2 cells where the header has 3/,
      ],
      [
        'unclosed quote',
        zipOf({ 'imported_visitors.csv': 'date,visitors\n"2026-01-01,1\n' }),
        /line 2: a quoted cell is never closed/,
      ],
      ['empty', zipOf({}), /holds no imported_\*\.csv file/],
      [
        'a bomb',
        inflating(zipOf({ 'imported_visitors.csv': 'date,visitors\n' })),
        /larger than 512 MB a file/,
      ],
    ];
    const before = (await store.imported.listImports()).length;
    for (const [name, content, expected] of cases) {
      const file = path.join(dir, `${name}.zip`);
      writeFileSync(file, content);
      assert.throws(() => readPlausibleExport(file, TODAY), expected, name);
    }
    assert.equal((await store.imported.listImports()).length, before);
  });

  it('with a server running: the import goes through it; list, export and remove too', async () => {
    const [first] = await store.imported.listImports((await site('example.com')).id);
    await store.close();
    const server = await startTestServer({ sites: [], dataDir: data });
    try {
      // The command (one CLI run): the zip is sent, checked and stored by the server.
      const imported = await runCli(['import', 'plausible', zip, '--site', 'again.example', '--data', data]);
      assert.equal(imported.code, 0, imported.stderr);
      assert.match(
        imported.stdout,
        /imported 5 daily rows into again\.example as import \d+ \(2026-01-01 to 2026-01-02\)/,
      );
      // What the other commands ask the server (their answers, here in-process).
      const again = await controlSend(
        data,
        'POST',
        '/aggregates/plausible?site=again.example&file=x.zip',
        readFileSync(zip),
        'application/zip',
      );
      assert.equal(again!.status, 400);
      assert.match(JSON.stringify(again!.body), /was imported into again\.example already/);
      const list = unwrap((await controlRequest(data, 'GET', '/aggregates?site=example.com'))!) as {
        imports: { id: number; rows: number }[];
      };
      assert.deepEqual(
        list.imports.map((i) => [i.id, i.rows]),
        [[first!.id, 5]],
      );
      const exported = await controlStream(data, '/aggregates/plausible/example.com');
      const chunks: Buffer[] = [];
      for await (const c of exported!) chunks.push(c as Buffer);
      const out = path.join(dir, 'live.zip');
      writeFileSync(out, Buffer.concat(chunks));
      assert.equal(readPlausibleExport(out, TODAY).tables.size, 10);
      unwrap((await controlRequest(data, 'DELETE', `/aggregates/${first!.id}`))!);
      const missing = await controlRequest(data, 'DELETE', `/aggregates/${first!.id}`);
      assert.match(JSON.stringify(missing!.body), /there is no import/);
    } finally {
      await server.close();
      store = await openDuckDbStore(data);
    }
    assert.equal((await store.imported.listImports()).filter((i) => i.id === first!.id).length, 0);
    const left = await store.imported.readImported(
      'SELECT count(*) AS n FROM imported_sources WHERE import_id = $1',
      [first!.id],
    );
    assert.equal(Number(left[0]!.n), 0);
  });
});
