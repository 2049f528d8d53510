// Durability promises: an acknowledged event is committed (kill -9 loses none), SIGTERM
// drains and exits 0, and a full queue answers 503 instead of growing or dropping.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fireEvents } from '../helpers/load.js';
import { killServers, readEvents, removeDir, seedSites, spawnServer, tempDir } from '../helpers/server.js';

/** The stored paths; each event is stored exactly once (a replayed journal adds no copies). */
async function storedPaths(dataDir: string): Promise<Set<string>> {
  const rows = await readEvents(dataDir, 'SELECT pathname FROM events');
  const paths = new Set(rows.map((r) => String(r.pathname)));
  assert.equal(paths.size, rows.length, 'no event stored twice');
  return paths;
}

describe('durability', () => {
  after(killServers);

  for (const round of [1, 2, 3]) {
    it(`kill -9 mid-stream loses no acknowledged event (round ${round})`, async () => {
      const dataDir = tempDir();
      try {
        await seedSites(dataDir, ['example.com']);
        const server = await spawnServer(dataDir);
        let killed = false;
        const killAt = 600 + round * 300;
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
        const exit = await server.exited;
        assert.equal(exit.signal, 'SIGKILL', 'the server was killed mid-stream');
        assert.ok(load.acked.size >= killAt, `acked ${load.acked.size}`);
        assert.ok(load.acked.size < 2500, 'the kill happened before the stream ended');

        // Restart on the same data directory, then stop it and read what is stored.
        const again = await spawnServer(dataDir);
        const health = await fetch(`${again.url}/healthz`);
        assert.equal(health.status, 200);
        again.proc.kill('SIGTERM');
        assert.equal((await again.exited).code, 0);

        const stored = await storedPaths(dataDir);
        const lost = [...load.acked].filter((i) => !stored.has(`/e/${i}`));
        assert.deepEqual(lost, [], `${lost.length} acknowledged events lost of ${load.acked.size}`);
      } finally {
        removeDir(dataDir);
      }
    });
  }

  it('SIGTERM during load: exit code 0 and every acknowledged event stored', async () => {
    const dataDir = tempDir();
    try {
      await seedSites(dataDir, ['example.com']);
      const server = await spawnServer(dataDir);
      let signalled = false;
      const started = { at: 0 };
      const load = await fireEvents({
        url: server.url,
        total: 3000,
        concurrency: 64,
        onAck: (n) => {
          if (n >= 800 && !signalled) {
            signalled = true;
            started.at = Date.now();
            server.proc.kill('SIGTERM');
          }
        },
      });
      const exit = await server.exited;
      assert.equal(exit.code, 0, server.output());
      assert.ok(Date.now() - started.at < 5000, 'exited within 5 s');
      const stored = await storedPaths(dataDir);
      const lost = [...load.acked].filter((i) => !stored.has(`/e/${i}`));
      assert.deepEqual(lost, []);
      assert.ok(load.acked.size >= 800);
    } finally {
      removeDir(dataDir);
    }
  });

  it('a full queue answers 503 with Retry-After and memory stays bounded', async () => {
    const dataDir = tempDir();
    try {
      await seedSites(dataDir, ['example.com']);
      const server = await spawnServer(dataDir, ['--queue-size', '4']);
      const load = await fireEvents({ url: server.url, total: 4000, concurrency: 200 });
      const statuses = [...load.statuses.values()];
      const overloaded = statuses.filter((s) => s === 503).length;
      assert.ok(overloaded > 0, 'some requests were refused with 503');
      assert.ok(
        statuses.every((s) => s === 202 || s === 503),
        `only 202 or 503: ${[...new Set(statuses)]}`,
      );
      assert.deepEqual([...load.retryAfter], ['1']);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      const rss = Number(/^footfall_process_resident_memory_bytes (\S+)/m.exec(metrics)?.[1]);
      assert.ok(rss > 0 && rss < 250 * 1024 * 1024, `RSS ${Math.round(rss / 1e6)} MB`);
      server.proc.kill('SIGTERM');
      assert.equal((await server.exited).code, 0);
      // Nothing dropped silently: exactly the acknowledged events are stored.
      const stored = await storedPaths(dataDir);
      assert.equal(stored.size, load.acked.size);
    } finally {
      removeDir(dataDir);
    }
  });
});
