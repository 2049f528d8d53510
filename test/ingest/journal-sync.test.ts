// "An event is acknowledged only after the batch holding it is committed": written to the
// journal AND fdatasync'd. A kill -9 cannot check the sync (the OS keeps what it already
// accepted), so the journal's file-system calls are watched: the last call before the answer
// must be fdatasync on the segment file that the batch was written to.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FaultyJournalFs } from '../helpers/journal-fs.js';
import { hit, removeDir, startTestServer, type TestServer } from '../helpers/server.js';

describe('journal sync', () => {
  const fs = new FaultyJournalFs();
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ journalFs: fs });
    // A slow sync: an answer sent without waiting for it would arrive before it is logged.
    fs.syncDelayMs = 40;
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('an event is answered only after fdatasync on the segment it was written to', async () => {
    for (const i of [1, 2, 3]) {
      const res = await hit(`${server.url}/api/event`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ n: 'pageview', u: `https://example.com/sync/${i}`, d: 'example.com' }),
      });
      // Calls logged by now all completed before the answer was sent.
      const calls = [...fs.calls];
      assert.equal(res.status, 202);
      const lastWrite = calls.findLastIndex((c) => c.op === 'write');
      assert.ok(lastWrite >= 0, 'the event was written to the journal');
      const write = calls[lastWrite]!;
      assert.match(write.file, /\/journal\/\d{12}\.ndjson$/, 'written to a journal segment');
      assert.deepEqual(
        calls.slice(lastWrite + 1).map((c) => [c.op, c.file]),
        [['fdatasync', write.file]],
        "after the write, the segment was fdatasync'd, and nothing else happened before the answer",
      );
    }
    const rows = await server.query("SELECT count(*) AS n FROM events WHERE pathname LIKE '/sync/%'");
    assert.equal(Number(rows[0]!.n), 3);
  });
});
