// Ingest into ClickHouse keeps DuckDB's promise: through the real HTTP server and journal into
// ClickHouse's engine (chdb), every acknowledged event is stored exactly once — also when the
// server is killed with SIGKILL mid-stream and started again.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fireEvents } from '../helpers/load.js';
import { killServers, removeDir, runCli, seedSites, spawnServer, tempDir } from '../helpers/server.js';
import { CHDB_SKIP, chdbUrl, readClickHouse } from './chdb.js';

/** The stored paths; fails when one is stored twice. */
async function storedPaths(dataDir: string): Promise<Set<string>> {
  const rows = await readClickHouse(dataDir, 'SELECT pathname FROM events');
  const paths = new Set(rows.map((r) => String(r.pathname)));
  assert.equal(paths.size, rows.length, `no event stored twice (${rows.length - paths.size} doubled)`);
  return paths;
}

describe('ingest into ClickHouse (chdb)', { skip: CHDB_SKIP }, () => {
  after(killServers);

  it('events sent over HTTP are stored once each, and SIGTERM exits after storing them', async () => {
    const dataDir = tempDir();
    try {
      await seedSites(dataDir, ['example.com']);
      const server = await spawnServer(dataDir, ['--clickhouse-url', chdbUrl(dataDir)]);
      const load = await fireEvents({ url: server.url, total: 1500, concurrency: 32 });
      assert.equal(load.acked.size, 1500);
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200, await health.text());
      // A second server on the same directories stops at the data directory's lock, with the
      // usual message, before it reaches for the chdb directory the first one holds.
      const second = await runCli([
        'serve',
        '--port',
        '0',
        '--data',
        dataDir,
        '--clickhouse-url',
        chdbUrl(dataDir),
      ]);
      assert.equal(second.code, 2);
      assert.match(
        second.stderr,
        /^footfall: the database .* is in use by another process \(PID \d+\): stop it/,
      );
      server.proc.kill('SIGTERM');
      assert.equal((await server.exited).code, 0, server.output());
      const stored = await storedPaths(dataDir);
      assert.equal(stored.size, 1500);
    } finally {
      removeDir(dataDir);
    }
  });

  for (const round of [1, 2]) {
    it(`kill -9 mid-stream loses and doubles no acknowledged event (round ${round})`, async () => {
      const dataDir = tempDir();
      try {
        await seedSites(dataDir, ['example.com']);
        const url = chdbUrl(dataDir);
        const server = await spawnServer(dataDir, ['--clickhouse-url', url]);
        let killed = false;
        const killAt = 500 + round * 400;
        const load = await fireEvents({
          url: server.url,
          total: 2500,
          concurrency: 64,
          onAck: (n) => {
            if (n >= killAt && !killed) {
              killed = true;
              server.proc.kill('SIGKILL');
            }
          },
        });
        assert.equal((await server.exited).signal, 'SIGKILL');
        assert.ok(load.acked.size >= killAt && load.acked.size < 2500, `acked ${load.acked.size}`);

        const again = await spawnServer(dataDir, ['--clickhouse-url', url]);
        assert.equal((await fetch(`${again.url}/healthz`)).status, 200);
        again.proc.kill('SIGTERM');
        assert.equal((await again.exited).code, 0, again.output());

        const stored = await storedPaths(dataDir);
        const lost = [...load.acked].filter((i) => !stored.has(`/e/${i}`));
        assert.deepEqual(lost, [], `${lost.length} acknowledged events lost of ${load.acked.size}`);
      } finally {
        removeDir(dataDir);
      }
    });
  }
});
