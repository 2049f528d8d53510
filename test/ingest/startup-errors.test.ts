// Issue 11.2: a data directory whose database or journal is damaged stops `footfall serve`
// with the README's one line naming the fix — never a stack trace.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { killServers, removeDir, seedSites, spawnServer, tempDir } from '../helpers/server.js';

/** The line `footfall serve` ended with when it exited without listening; no stack trace before it. */
async function startFailure(dataDir: string): Promise<string> {
  const err = await spawnServer(dataDir).then(
    () => assert.fail('the server started'),
    (e: Error) => e,
  );
  const output = err.message.replace(/^server exited before listening:\n/, '').trim();
  assert.doesNotMatch(output, /^\s+at /m, 'no stack trace');
  return output.split('\n').at(-1)!;
}

describe('start-up with a damaged data directory', () => {
  after(killServers);

  it('a damaged database file: one line naming the file and the fix', async () => {
    const dataDir = tempDir();
    try {
      await seedSites(dataDir, ['example.com']);
      writeFileSync(path.join(dataDir, 'footfall.duckdb'), 'not a database '.repeat(1000));
      const output = await startFailure(dataDir);
      assert.match(
        output,
        /^footfall: the database .*footfall\.duckdb cannot be opened \(.*not a valid DuckDB database file.*\): restore it from a backup, or move it \(and footfall\.duckdb\.wal\) aside to start with an empty database/,
      );
    } finally {
      removeDir(dataDir);
    }
  });

  it('a journal that is not a directory: one line naming it and the fix', async () => {
    const dataDir = tempDir();
    try {
      await seedSites(dataDir, ['example.com']);
      writeFileSync(path.join(dataDir, 'journal'), 'a file where the journal directory belongs');
      const output = await startFailure(dataDir);
      assert.match(
        output,
        /^footfall: the ingest journal (.*journal) cannot be opened \(EEXIST.*\): move the file \1 aside: the journal needs a directory there$/,
      );
    } finally {
      removeDir(dataDir);
    }
  });
});
