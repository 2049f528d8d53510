// Issue 11.10: the data directory holds today's salts, password hashes and tokens, so what
// Footfall creates there is its owner's alone (0700 / 0600), and a start over files that
// are open to others says so.
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { removeDir, startTestServer, tempDir } from '../helpers/server.js';

const modeOf = (p: string) => (statSync(p).mode & 0o777).toString(8);

describe('file modes', { skip: process.platform === 'win32' ? 'no POSIX modes' : false }, () => {
  const parent = tempDir();
  const dataDir = path.join(parent, 'data'); // does not exist yet: Footfall creates it
  let umask: number;

  before(() => {
    // The usual umask, under which files would otherwise be 0644 and directories 0755.
    umask = process.umask(0o022);
  });
  after(() => {
    process.umask(umask);
    removeDir(parent);
  });

  it('creates the data directory, the database and the journal readable by their owner only', async () => {
    const server = await startTestServer({ dataDir });
    try {
      assert.equal(modeOf(dataDir), '700', 'data directory');
      assert.equal(modeOf(path.join(dataDir, 'footfall.duckdb')), '600', 'footfall.duckdb');
      const journal = path.join(dataDir, 'journal');
      assert.equal(modeOf(journal), '700', 'journal directory');
      const segments = readdirSync(journal);
      assert.ok(segments.length > 0);
      for (const s of segments) assert.equal(modeOf(path.join(journal, s)), '600', s);
      assert.deepEqual(
        server.logs.filter((l) => l.includes('warning')),
        [],
      );
    } finally {
      await server.close();
    }
  });

  it('warns at start about a data directory or database file open to other users', async () => {
    chmodSync(dataDir, 0o755);
    chmodSync(path.join(dataDir, 'footfall.duckdb'), 0o644);
    const server = await startTestServer({ dataDir, sites: [] });
    try {
      const warnings = server.logs.filter((l) => l.startsWith('warning:'));
      assert.equal(warnings.length, 2, warnings.join('\n'));
      assert.match(warnings[0]!, /data is open to other users \(mode 0755\).*chmod 700 /);
      assert.match(warnings[1]!, /footfall\.duckdb is open to other users \(mode 0644\).*chmod 600 /);
    } finally {
      await server.close();
    }
  });
});
