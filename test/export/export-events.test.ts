// Raw event export (issue 16, item 5): GET /api/sites/<domain>/export, the control socket's
// export behind `footfall export events`, and `footfall import events` reading the files back.
// Expected contents come from the events the test sent, not from another Footfall answer.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { openGeo } from '../../src/enrich/geo.js';
import { EventsFile } from '../../src/import/events-file.js';
import { importEvents } from '../../src/import/events-import.js';
import { localTarget } from '../../src/import/import-target.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import { EXPORT_COLUMNS } from '../../src/store/export-format.js';
import { addUser, call, errorCode, login } from '../helpers/accounts.js';
import { askStats } from '../helpers/ask-stats.js';
import { ADMIN_KEY, sendEvent } from '../helpers/dashboard.js';
import {
  removeDir,
  runCli,
  seedSites,
  startTestServer,
  type TestServer,
  tempDir,
} from '../helpers/server.js';

const SITE = 'a.example';
// Titles a spreadsheet would run as formulas, one that starts with the escape itself, plain ones.
const TITLES = ['=SUM(A1:A9)', '+1', "'quoted", '@cmd', 'Plain, "with" commas', 'Home'];

interface Row {
  [column: string]: unknown;
}

async function readWithDuckDb(file: string, reader: string): Promise<Row[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(`SELECT * FROM ${reader}`, [file])).getRowObjectsJS() as Row[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

describe('raw event export and import', () => {
  let server: TestServer;
  const work = tempDir('footfall-export-');
  const exports: Record<string, Buffer> = {};
  before(async () => {
    server = await startTestServer({
      sites: [SITE, 'b.example'],
      flags: { trustProxy: 'loopback', adminKey: ADMIN_KEY },
    });
    for (const [i, title] of TITLES.entries()) {
      await sendEvent(server, {
        domain: SITE,
        url: `https://${SITE}/page-${i}?utm_source=news`,
        ip: `10.0.0.${1 + (i % 3)}`,
        title,
        referrer: 'https://news.ycombinator.com/',
      });
    }
    await sendEvent(server, {
      domain: SITE,
      url: `https://${SITE}/page-0`,
      ip: '10.0.0.1',
      name: 'Signup',
      props: { plan: '=pro' },
    });
    await sendEvent(server, { domain: 'b.example', url: 'https://b.example/', ip: '10.0.0.9' });
    await server.flush();
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
    removeDir(work);
  });

  const get = (
    query: string,
    as: { bearer?: string; cookie?: string } = { bearer: ADMIN_KEY },
    site = SITE,
  ) =>
    fetch(`${server.url}/api/sites/${site}/export?${query}`, {
      headers: as.bearer ? { authorization: `Bearer ${as.bearer}` } : { cookie: as.cookie ?? '' },
    });

  it('NDJSON: every event of the site, every column in order, ids as strings, times in UTC', async () => {
    const res = await get('format=ndjson');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/x-ndjson');
    assert.match(
      res.headers.get('content-disposition') ?? '',
      /^attachment; filename="a\.example-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.ndjson"$/,
    );
    assert.equal(res.headers.get('x-footfall-events'), '7');
    const body = Buffer.from(await res.arrayBuffer());
    exports.ndjson = body;
    const rows = body
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Row);
    assert.equal(rows.length, 7, 'the other site is not in it');
    for (const r of rows) {
      assert.deepEqual(Object.keys(r), EXPORT_COLUMNS);
      assert.match(String(r.ts), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.equal(typeof r.visitor_id, 'string');
      assert.equal(r.hostname, SITE);
    }
    const pageviews = rows.filter((r) => r.name === 'pageview');
    assert.deepEqual(pageviews.map((r) => r.title).sort(), [...TITLES].sort(), 'titles as sent, not escaped');
    assert.deepEqual(rows.find((r) => r.name === 'Signup')!.props, { plan: '=pro' });
    assert.deepEqual(new Set(pageviews.map((r) => r.utm_source)), new Set(['news']));
    assert.equal(new Set(rows.map((r) => r.visitor_id)).size, 3, 'three addresses, three visitors');
  });

  it('CSV: a header of the columns, formula cells escaped with an apostrophe', async () => {
    const res = await get('format=csv');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    const body = Buffer.from(await res.arrayBuffer());
    exports.csv = body;
    const text = body.toString('utf8');
    assert.equal(text.split('\n')[0], EXPORT_COLUMNS.join(','));
    for (const escaped of ["'=SUM(A1:A9)", "'+1", "''quoted", "'@cmd"])
      assert.ok(text.includes(`,${escaped},`), escaped);
    assert.ok(!/,=SUM/.test(text) && !/,\+1,/.test(text), 'no cell starts with a formula character');
    const rows = await readWithDuckDb(
      writeTemp('check.csv', body),
      'read_csv($1, header = true, all_varchar = true)',
    );
    assert.equal(rows.length, 7);
  });

  it('Parquet: the stored types (a UTC timestamp, a map of props, 64-bit ids), compressed with snappy', async () => {
    const res = await get('format=parquet');
    assert.equal(res.status, 200);
    const body = Buffer.from(await res.arrayBuffer());
    exports.parquet = body;
    assert.equal(body.subarray(0, 4).toString(), 'PAR1');
    const file = writeTemp('check.parquet', body);
    const chunks = await readWithDuckDb(file, 'parquet_metadata($1)');
    assert.deepEqual([...new Set(chunks.map((c) => c.compression))], ['SNAPPY']);
    const rows = await readWithDuckDb(file, 'read_parquet($1)');
    assert.equal(rows.length, 7);
    assert.ok(rows[0]!.ts instanceof Date);
    assert.equal(typeof rows[0]!.visitor_id, 'bigint');
    assert.deepEqual(
      rows
        .map((r) => r.title)
        .filter((t) => t !== '')
        .sort(),
      [...TITLES].sort(),
    );
  });

  function writeTemp(name: string, body: Buffer): string {
    mkdirSync(work, { recursive: true });
    const file = path.join(work, name);
    writeFileSync(file, body);
    return file;
  }

  it('a date range in the site time zone; an empty range is an empty file', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const res = await get(`format=ndjson&from=2020-01-01&to=2020-01-31`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
    const csv = await get('format=csv&from=2020-01-01&to=2020-01-31');
    assert.equal((await csv.text()).trim(), EXPORT_COLUMNS.join(','), 'the header, no rows');
    const all = await get(`format=ndjson&from=2026-01-01&to=${today}`);
    assert.equal(all.headers.get('x-footfall-events'), '7');
  });

  it('refuses bad formats and ranges with a 400 naming the field, unknown sites with a 404, and leaves no file', async () => {
    for (const [query, field] of [
      ['format=xml', 'format'],
      ['format=csv&from=2026-01-01', 'from'],
      ['format=csv&from=2026-02-30&to=2026-03-01', 'from/to'],
      ['format=csv&from=2026-03-02&to=2026-03-01', 'from/to'],
      ['format=csv&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z', 'from'],
      [`format=${'x'.repeat(5000)}`, 'format'],
    ] as const) {
      const res = await get(query);
      assert.equal(res.status, 400, query);
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'FOOTFALL_ERR_INVALID_QUERY');
      assert.ok(body.error.message.includes(field), body.error.message);
    }
    const unknown = await get('format=csv', { bearer: ADMIN_KEY }, 'nope.example');
    assert.equal(unknown.status, 404);
    assert.deepEqual(readdirSync(path.join(server.dataDir, 'exports')), [], 'every temp file removed');
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  });

  it('a file a killed export left behind is removed by the next export after an hour', async () => {
    const dir = path.join(server.dataDir, 'exports');
    const old = path.join(dir, 'left-by-a-killed-server.csv');
    const recent = path.join(dir, 'still-streaming.csv');
    writeFileSync(old, 'x');
    writeFileSync(recent, 'y');
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(old, twoHoursAgo, twoHoursAgo);
    const res = await get('format=csv');
    assert.equal(res.status, 200);
    await res.text();
    assert.ok(!existsSync(old), 'the old file is gone');
    assert.ok(existsSync(recent), 'a recent one (an export still streaming) is kept');
    rmSync(recent);
  });

  it('site admins and their read-write keys may export; viewers and read-only keys may not', async () => {
    await addUser(server, 'admin@a.example');
    await server.store.accounts.setMember(SITE, await addUser(server, 'viewer@a.example'), 'viewer');
    const adminId = (await server.store.accounts.findUserByEmail('admin@a.example'))!.id;
    await server.store.accounts.setMember(SITE, adminId, 'admin');
    const admin = await login(server, 'admin@a.example');
    const viewer = await login(server, 'viewer@a.example');
    assert.equal((await get('format=csv', { cookie: admin.cookie })).status, 200);
    assert.equal((await get('format=csv', { cookie: viewer.cookie })).status, 403);
    const rw = await call(server, 'POST', '/api/keys', { as: admin, body: { sites: [SITE] } });
    const ro = await call(server, 'POST', '/api/keys', {
      as: admin,
      body: { sites: [SITE], readOnly: true },
    });
    assert.equal((await get('format=csv', { bearer: (rw.body as { key: string }).key })).status, 200);
    const refused = await get('format=csv', { bearer: (ro.body as { key: string }).key });
    assert.equal(refused.status, 403);
    assert.equal(
      errorCode({ status: 403, body: await refused.json(), text: '', headers: refused.headers }),
      'FOOTFALL_ERR_FORBIDDEN',
    );
  });

  it('footfall export events writes through the running server (control socket)', async () => {
    const out = path.join(work, 'cli.parquet');
    const run = await runCli(['export', 'events', '--site', SITE, '--out', out, '--data', server.dataDir]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /exported 7 events of a\.example as parquet to .*cli\.parquet/);
    assert.equal((await readWithDuckDb(out, 'read_parquet($1)')).length, 7);
    assert.deepEqual(
      readdirSync(work).filter((f) => f.endsWith('.part')),
      [],
      'no partial file left',
    );
  });

  for (const format of ['ndjson', 'csv', 'parquet'] as const) {
    it(`import events reads a ${format} export back: the same rows and the same answers`, async () => {
      const dir = tempDir('footfall-reimport-');
      try {
        await seedSites(dir, [SITE]);
        const file = await EventsFile.open(writeTemp(`round.${format}`, exports[format]!));
        const store = await openDuckDbStore(dir);
        const geo = await openGeo({});
        try {
          const summary = await importEvents(localTarget(store, dir), {
            file,
            site: SITE,
            dataDir: dir,
            geo,
          });
          assert.equal(summary.imported, 7);
          assert.deepEqual(summary.skipped, {});
        } finally {
          file.close();
          await geo.close();
          await store.close();
        }
        const columns = EXPORT_COLUMNS.filter((c) => c !== 'session_id').join(', ');
        const sql = `SELECT ${columns} FROM events WHERE site_id = (SELECT id FROM sites WHERE domain = '${SITE}') ORDER BY ts, name`;
        const original = await server.query(sql);
        const store2 = await openDuckDbStore(dir);
        try {
          assert.deepEqual(await store2.queryRows(sql), original);
        } finally {
          await store2.close();
        }
        const base = { site_id: SITE, date_range: 'day' };
        const queries = [
          { metrics: ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration'] },
          { metrics: ['visitors', 'pageviews'], dimensions: ['event:page'] },
          { metrics: ['visitors', 'events'], dimensions: ['event:props:plan'] },
        ];
        const reimported = await askStats(dir, base, queries);
        const direct = await Promise.all(
          queries.map(async (q) => {
            const res = await call(server, 'POST', '/api/v2/query', {
              as: { bearer: ADMIN_KEY },
              body: { ...base, ...q },
            });
            return (res.body as { results: unknown }).results;
          }),
        );
        assert.deepEqual(reimported, direct);
        // No server on this data directory: the CLI exports from it itself, and the engine's
        // file is moved to --out (or streamed to standard output), nothing left behind.
        const out = path.join(work, `local.${format}`);
        const local = await runCli(['export', 'events', '--site', SITE, '--out', out, '--data', dir]);
        assert.equal(local.code, 0, local.stderr);
        assert.match(local.stderr, new RegExp(`exported 7 events of a\\.example as ${format}`));
        const lines = (text: string) => text.trim().split('\n').length;
        if (format === 'parquet') assert.equal((await readWithDuckDb(out, 'read_parquet($1)')).length, 7);
        else assert.equal(lines(readFileSync(out, 'utf8')), format === 'csv' ? 8 : 7);
        const piped = await runCli([
          'export',
          'events',
          '--site',
          SITE,
          '--format',
          format,
          '--out',
          '-',
          '--data',
          dir,
        ]);
        assert.equal(piped.code, 0, piped.stderr);
        if (format !== 'parquet') assert.equal(piped.stdout, readFileSync(out, 'utf8'));
        const leftovers = path.join(dir, 'exports');
        assert.deepEqual(
          existsSync(leftovers) ? readdirSync(leftovers) : [],
          [],
          'nothing left in <data>/exports',
        );
        if (format === 'ndjson') {
          // The same file again (--again): its visits get new session ids again, so they add up
          // instead of merging with the visits already there.
          const again = await EventsFile.open(writeTemp('round.ndjson', exports.ndjson!));
          const store3 = await openDuckDbStore(dir);
          const geo = await openGeo({});
          try {
            assert.equal(
              (
                await importEvents(localTarget(store3, dir), {
                  file: again,
                  site: SITE,
                  dataDir: dir,
                  geo,
                  again: true,
                })
              ).imported,
              7,
            );
          } finally {
            again.close();
            await geo.close();
            await store3.close();
          }
          const [twice] = await askStats(dir, base, [{ metrics: ['visits', 'pageviews'] }]);
          const visits = (direct[0] as { metrics: number[] }[])[0]!.metrics[1]!;
          assert.deepEqual(twice![0]!.metrics, [2 * visits, 2 * 6]);
        }
      } finally {
        removeDir(dir);
      }
    });
  }

  it('import events refuses files that are not an export, and skips (or with --strict refuses) bad rows', async () => {
    const notExport = writeTemp('other.csv', Buffer.from('a,b\n1,2\n'));
    await assert.rejects(EventsFile.open(notExport), /not a Footfall event export: missing columns ts, name/);
    await assert.rejects(EventsFile.open(path.join(work, 'missing.csv')), /does not exist/);
    await assert.rejects(
      EventsFile.open(writeTemp('x.bin', Buffer.from('x'))),
      /--format parquet\|csv\|ndjson/,
    );
    await assert.rejects(
      EventsFile.open(writeTemp('bad.parquet', Buffer.from('PAR1 truncated'))),
      /cannot be read as parquet/,
    );
    const extra = exports
      .csv!.toString('utf8')
      .trim()
      .split('\n')
      .map((l, i) => `${l},${i === 0 ? 'evil' : 'x'}`)
      .join('\n');
    await assert.rejects(EventsFile.open(writeTemp('extra.csv', Buffer.from(extra))), /unknown columns evil/);

    // Hostile rows: a time in the future, before 1990, not UTC text, a 21-digit id, props not an object.
    const lines = exports.ndjson!.toString('utf8').trim().split('\n');
    const first = JSON.parse(lines[0]!) as Row;
    const bad = [
      { ...first, ts: '2999-01-01T00:00:00.000Z' },
      { ...first, ts: '1989-12-31T23:59:59.000Z' },
      { ...first, ts: '2026-01-01 10:00:00' },
      { ...first, visitor_id: '123456789012345678901' },
      { ...first, props: ['x'] },
      { ...first, name: '' },
      { ...first, title: 't'.repeat(1001) },
    ];
    const hostile = writeTemp(
      'hostile.ndjson',
      Buffer.from([...lines, ...bad.map((b) => JSON.stringify(b))].join('\n')),
    );
    const dir = tempDir('footfall-reimport-');
    try {
      await seedSites(dir, [SITE]);
      const strict = await runCli(['import', 'events', hostile, '--site', SITE, '--strict', '--data', dir]);
      assert.equal(strict.code, 2, strict.stderr);
      assert.match(strict.stderr, /row 8 cannot be imported \(bad_time\); nothing was stored/);
      const file = await EventsFile.open(hostile);
      const store = await openDuckDbStore(dir);
      const geo = await openGeo({});
      try {
        assert.equal(
          Number((await store.queryRows('SELECT count(*) AS n FROM events'))[0]!.n),
          0,
          '--strict stored nothing',
        );
        const summary = await importEvents(localTarget(store, dir), { file, site: SITE, dataDir: dir, geo });
        assert.equal(summary.imported, 7);
        assert.deepEqual(summary.skipped, {
          bad_time: 3,
          bad_visitor_id: 1,
          bad_props: 1,
          bad_name: 1,
          bad_title: 1,
        });
      } finally {
        file.close();
        await geo.close();
        await store.close();
      }
    } finally {
      removeDir(dir);
    }
    assert.ok(readFileSync(hostile).length > 0);
  });
});
