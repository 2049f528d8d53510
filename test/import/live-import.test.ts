// Imports into a running server (issue 16: "imports never disturb live tracking"): the import
// sends its events over the control socket while tracking goes on; visits of the two never
// share a session id; `--follow` keeps importing the lines appended to a log (and to its
// successor after a rotation) until Ctrl-C; a batch the server cannot check or take stores nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { controlRequest, controlSend } from '../../src/cli/control-client.js';
import { openGeo } from '../../src/enrich/geo.js';
import { localTarget } from '../../src/import/import-target.js';
import { importLogs } from '../../src/import/logs-import.js';
import { encodeRow } from '../../src/ingest/row-codec.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import { sendEvent } from '../helpers/dashboard.js';
import { sampleRow } from '../helpers/sample-row.js';
import {
  cliBundle,
  ROOT,
  removeDir,
  runCli,
  seedSites,
  startTestServer,
  type TestServer,
  tempDir,
} from '../helpers/server.js';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function logLine(ms: number, ip: string, target: string): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  const t = `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
  return `${ip} - - [${t}] "GET ${target} HTTP/1.1" 200 512 "-" "${CHROME}"`;
}

async function until(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('imports into a running server', () => {
  let server: TestServer;
  const dir = tempDir('footfall-live-import-');
  const count = async (like: string) =>
    Number((await server.query('SELECT count(*) AS n FROM events WHERE pathname LIKE $1', [like]))[0]!.n);
  before(async () => {
    server = await startTestServer({ flags: { trustProxy: 'loopback' } });
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
    removeDir(dir);
  });

  it('takes an import while tracking goes on; imported and live visits never share a session', async () => {
    const start = Date.now() - 3 * 86_400_000;
    const lines: string[] = [];
    for (let i = 0; i < 1200; i++)
      lines.push(logLine(start + i * 20_000, `10.7.${i % 30}.1`, `/imported/${i % 9}`));
    const file = path.join(dir, 'access.log');
    writeFileSync(file, `${lines.join('\n')}\n`);
    let live = 0;
    let tracking = true;
    const tracker = (async () => {
      while (tracking) {
        await sendEvent(server, {
          domain: 'example.com',
          url: `https://example.com/live/${live % 3}`,
          ip: `10.8.0.${live % 40}`,
        });
        live++;
      }
    })();
    const run = await runCli(['import', 'logs', file, '--site', 'example.com', '--data', server.dataDir]);
    tracking = false;
    await tracker;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /imported 1200 page views into example\.com/);
    assert.ok(live > 0, 'tracking went on during the import');
    assert.equal(await count('/imported/%'), 1200);
    assert.equal(await count('/live/%'), live);
    const shared = await server.query(
      "SELECT count(*) AS n FROM (SELECT session_id FROM events GROUP BY session_id HAVING bool_or(pathname LIKE '/imported/%') AND bool_or(pathname LIKE '/live/%'))",
    );
    assert.equal(Number(shared[0]!.n), 0, 'no visit mixes imported and live events');
    // Visits the server starts afterwards take ids after the block it set aside.
    const [ids] = await server.query(
      "SELECT max(session_id) FILTER (WHERE pathname LIKE '/imported/%') AS imported, max(session_id) FILTER (WHERE pathname LIKE '/live/%') AS live FROM events",
    );
    await sendEvent(server, { domain: 'example.com', url: 'https://example.com/after', ip: '10.9.0.1' });
    const [after] = await server.query("SELECT session_id AS s FROM events WHERE pathname = '/after'");
    assert.ok(BigInt(after!.s as bigint) > BigInt(ids!.imported as bigint), 'after the import block');
    assert.ok(ids!.live !== null);

    const again = await runCli(['import', 'logs', file, '--site', 'example.com', '--data', server.dataDir]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /was imported into example\.com already/);
  });

  it('--follow imports appended lines, from the end, through a rotation, until Ctrl-C', async () => {
    const file = path.join(dir, 'growing.log');
    const now = Date.now() - 60_000;
    writeFileSync(file, `${logLine(now, '10.10.0.1', '/followed/old')}\n`);
    const proc = spawn(
      process.execPath,
      [
        await cliBundle(),
        'import',
        'logs',
        file,
        '--follow',
        '--site',
        'example.com',
        '--data',
        server.dataDir,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    try {
      // Lines appended while it runs (the first write may land before it has opened the file:
      // append until the first arrives).
      await until(async () => {
        appendFileSync(file, `${logLine(now + 1000, '10.10.0.2', '/followed/new')}\n`);
        return (await count('/followed/new')) > 0;
      }, 'the first appended line');
      const before = await count('/followed/new');
      appendFileSync(
        file,
        `${[1, 2, 3].map((i) => logLine(now + 2000 + i, `10.10.1.${i}`, '/followed/more')).join('\n')}\n`,
      );
      await until(async () => (await count('/followed/more')) === 3, 'three more lines');
      // Rotation: the old file moves away, a new one takes its name.
      renameSync(file, `${file}.1`);
      writeFileSync(file, `${logLine(now + 5000, '10.10.2.1', '/followed/rotated')}\n`);
      await until(async () => (await count('/followed/rotated')) === 1, 'the rotated file');
      assert.equal(await count('/followed/old'), 0, 'what the file held at the start is not imported');
      assert.ok(before >= 1);
    } finally {
      proc.kill('SIGINT');
    }
    assert.equal(await exited, 0, out);
    assert.match(out, /imported \d+ page views into example\.com/);
  });

  it('a batch with a bad line, an unknown site or more than the server can take stores nothing', async () => {
    const before = Number((await server.query('SELECT count(*) AS n FROM events'))[0]!.n);
    const good = encodeRow({ ...sampleRow(1), siteId: 1, pathname: '/batch' });
    const cases: [string, number, RegExp][] = [
      [`${good}\n{"s":1,"t":"x"}\n`, 400, /line 2: .*is not a valid/],
      [`${encodeRow({ ...sampleRow(1), siteId: 999 })}\n`, 404, /site id 999/],
      [`${good}\n`.repeat(5001), 400, /at most 5000 events a batch/],
    ];
    for (const [body, status, message] of cases) {
      const res = await controlSend(server.dataDir, 'POST', '/import/events', body, 'application/x-ndjson');
      assert.equal(res?.status, status, JSON.stringify(res?.body));
      assert.match(JSON.stringify(res!.body), message);
    }
    for (const count of [0, -1, 1.5, 'many', 2_000_000]) {
      const res = await controlRequest(server.dataDir, 'POST', '/import/sessions', { count });
      assert.equal(res?.status, 400, String(count));
    }
    assert.equal(Number((await server.query('SELECT count(*) AS n FROM events'))[0]!.n), before);
  });

  it('a batch larger than the room in the queue is refused whole (503), not half taken', async () => {
    const small = await startTestServer({ flags: { queueSize: '10' } });
    try {
      const row = encodeRow({ ...sampleRow(1), siteId: 1, pathname: '/too-many' });
      const res = await controlSend(
        small.dataDir,
        'POST',
        '/import/events',
        `${row}\n`.repeat(20),
        'application/x-ndjson',
      );
      assert.equal(res?.status, 503, JSON.stringify(res?.body));
      const fits = await controlSend(
        small.dataDir,
        'POST',
        '/import/events',
        `${row}\n`.repeat(5),
        'application/x-ndjson',
      );
      assert.deepEqual(fits?.body, { accepted: 5 });
      const rows = await small.query("SELECT count(*) AS n FROM events WHERE pathname = '/too-many'");
      assert.equal(Number(rows[0]!.n), 5);
    } finally {
      await small.close();
      removeDir(small.dataDir);
    }
  });

  it('--follow refuses standard input, gzip and --strict', async () => {
    const gz = path.join(dir, 'x.log.gz');
    writeFileSync(gz, Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
    // Through the CLI once; the other refusals in this process, on a data directory of their own.
    const run = await runCli([
      'import',
      'logs',
      '-',
      '--follow',
      '--site',
      'example.com',
      '--data',
      server.dataDir,
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--follow reads a growing file: give its path/);
    const data = path.join(dir, 'own');
    await seedSites(data, ['example.com']);
    const store = await openDuckDbStore(data);
    const geo = await openGeo({});
    try {
      for (const [file, strict, message] of [
        [gz, false, /--follow reads a growing plain-text log; .* is gzip/],
        [path.join(dir, 'access.log'), true, /--follow reads a growing file/],
      ] as const) {
        await assert.rejects(
          importLogs(localTarget(store, data), {
            file,
            follow: true,
            strict,
            format: 'combined',
            site: 'example.com',
            dataDir: data,
            geo,
          }),
          message,
        );
      }
    } finally {
      await geo.close();
      await store.close();
    }
  });
});
