// Issue 11.2: a full disk must not strand acknowledged events. The disk "fills" through the
// journal's injected file-system calls: a short write, then ENOSPC, exactly what Linux does
// when space runs out mid-append. The batch that hit it is answered 503 and cut back out of
// the segment; once space returns, every acknowledged event — and only those — is stored.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FaultyJournalFs } from '../helpers/journal-fs.js';
import { hit, metricValue, removeDir, startTestServer, type TestServer, tempDir } from '../helpers/server.js';

async function send(server: { url: string }, id: string): Promise<Response> {
  return hit(`${server.url}/api/event`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ n: 'pageview', u: `https://example.com/e/${id}`, d: 'example.com' }),
  });
}

/** Sends the ids side by side (so they share batches); returns those answered 202. */
async function sendAll(server: { url: string }, ids: string[]): Promise<string[]> {
  const statuses = await Promise.all(
    ids.map(async (id) => {
      const res = await send(server, id);
      if (res.status === 503) {
        assert.equal(res.headers.get('retry-after'), '5');
        assert.equal(
          ((await res.json()) as { error: { code: string } }).error.code,
          'FOOTFALL_ERR_STORE_UNAVAILABLE',
        );
      } else await res.arrayBuffer();
      return [id, res.status] as const;
    }),
  );
  for (const [, s] of statuses) assert.ok(s === 202 || s === 503, `status ${s}`);
  return statuses.filter(([, s]) => s === 202).map(([id]) => id);
}

async function storedIds(server: TestServer): Promise<string[]> {
  const rows = await server.query("SELECT pathname FROM events WHERE pathname LIKE '/e/%'");
  return rows.map((r) => String(r.pathname).slice(3)).sort();
}

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('a full disk', () => {
  it('answers the batch it cut short 503, cuts it back, and stores exactly the acknowledged events once space returns', async () => {
    const fs = new FaultyJournalFs();
    const server = await startTestServer({ journalFs: fs });
    try {
      const acked = await sendAll(server, ids('before-', 5));
      assert.equal(acked.length, 5);

      // The disk fills part-way through the next batch: some whole lines and half of one
      // reach the file before ENOSPC — more bytes than the single event sent after it.
      fs.spaceLeft = 2000;
      const during = await sendAll(server, ids('full-', 30));
      assert.ok(during.length < 30, 'the batch that hit the full disk was refused');
      acked.push(...during);
      // Still full: refused, nothing written.
      assert.deepEqual(await sendAll(server, ['still-full']), []);

      // Space returns: one event, shorter than what the failed batch left behind.
      fs.spaceLeft = undefined;
      acked.push(...(await sendAll(server, ['after-0'])));
      acked.push(...(await sendAll(server, ids('after-more-', 5))));
      assert.equal(acked.filter((id) => id.startsWith('after')).length, 6);

      assert.deepEqual(
        await storedIds(server),
        acked.sort(),
        'stored: every acknowledged event, nothing else',
      );
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
      assert.equal(await metricValue(server, 'footfall_journal_quarantined_total'), 0, 'no damaged line');
      assert.ok(!existsSync(path.join(server.dataDir, 'journal', 'quarantine.ndjson')));
      await server.close();

      // The data directory starts again, with each event stored once.
      const again = await startTestServer({ dataDir: server.dataDir, sites: [] });
      assert.deepEqual(await storedIds(again), acked);
      await again.close();
    } finally {
      await server.close();
      removeDir(server.dataDir);
    }
  });

  it('refuses every batch while the cut itself fails, and takes them again once it succeeds', async () => {
    const fs = new FaultyJournalFs();
    const server = await startTestServer({ journalFs: fs });
    try {
      const acked = await sendAll(server, ids('ok-', 3));
      fs.spaceLeft = 100; // less than one line: every batch fails part-way
      fs.failTruncate = true;
      assert.deepEqual(await sendAll(server, ids('full-', 10)), []);
      // Space is back but the partial line could not be cut off yet: nothing may follow it.
      fs.spaceLeft = undefined;
      assert.deepEqual(await sendAll(server, ['uncut']), []);
      fs.failTruncate = false;
      acked.push(...(await sendAll(server, ids('cut-', 3))));
      assert.equal(acked.length, 6);
      assert.deepEqual(await storedIds(server), acked.sort());
      assert.equal(await metricValue(server, 'footfall_journal_quarantined_total'), 0);
    } finally {
      fs.failTruncate = false;
      await server.close();
      removeDir(server.dataDir);
    }
  });

  it('a batch whose fdatasync fails is answered 503 and cut back: written is not acknowledged', async () => {
    const fs = new FaultyJournalFs();
    const server = await startTestServer({ journalFs: fs });
    try {
      const acked = await sendAll(server, ids('ok-', 2));
      fs.failSync = true;
      assert.deepEqual(await sendAll(server, ids('unsynced-', 10)), []);
      fs.failSync = false;
      // Shorter than the unsynced batch: nothing of it may survive behind this one.
      acked.push(...(await sendAll(server, ['synced'])));
      assert.equal(acked.length, 3);
      assert.deepEqual(await storedIds(server), acked.sort());
    } finally {
      fs.failSync = false;
      await server.close();
      removeDir(server.dataDir);
    }
  });

  it('when the next segment cannot be created, events go on into the current one and load once it can', async () => {
    const dataDir = tempDir();
    // Something already sits where the second segment would go, so rotating fails (as
    // creating a file fails on a disk out of inodes).
    mkdirSync(path.join(dataDir, 'journal', '000000000002.ndjson'), { recursive: true });
    const server = await startTestServer({ dataDir });
    try {
      const acked = await sendAll(server, ids('a-', 3));
      await assert.rejects(server.flush(), { code: 'EEXIST' });
      assert.equal((await fetch(`${server.url}/healthz`)).status, 503, 'loads are failing');
      acked.push(...(await sendAll(server, ids('b-', 3))));
      assert.equal(acked.length, 6, 'the journal still takes events');
      rmSync(path.join(dataDir, 'journal', '000000000002.ndjson'), { recursive: true });
      assert.deepEqual(await storedIds(server), acked.sort());
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    } finally {
      rmSync(path.join(dataDir, 'journal', '000000000002.ndjson'), { recursive: true, force: true });
      await server.close();
      removeDir(dataDir);
    }
  });

  it('a shutdown whose last load fails still closes the database; the next start loads the events', async () => {
    const dataDir = tempDir();
    const blocker = path.join(dataDir, 'journal', '000000000002.ndjson');
    mkdirSync(blocker, { recursive: true });
    const server = await startTestServer({ dataDir });
    try {
      const acked = await sendAll(server, ids('kept-', 3));
      await assert.rejects(server.close(), { code: 'EEXIST' });
      await assert.rejects(server.store.queryRows('SELECT 1'), 'the database was closed all the same');
      rmSync(blocker, { recursive: true });
      const again = await startTestServer({ dataDir, sites: [] });
      try {
        assert.deepEqual(await storedIds(again), acked.sort());
      } finally {
        await again.close();
      }
    } finally {
      rmSync(blocker, { recursive: true, force: true });
      await server.close().catch(() => {});
      removeDir(dataDir);
    }
  });
});
