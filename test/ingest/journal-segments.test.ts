// The journal on its own — no server, no store, a few milliseconds a test — so the mutation
// run of src/ingest/journal.ts starts with it: segment names and their order, what a start
// finds left over by a crash, and what a write that fails leaves in the segment. The file
// system is the real one, seen through journal-fs.ts so a test can log its calls and make
// them fail (a short write, a write that makes no progress, an ftruncate that fails).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Journal, journalDir, leftoverSegments, listSegments } from '../../src/ingest/journal.js';
import { type JournalFs, nodeJournalFs } from '../../src/ingest/journal-fs.js';
import { removeDir, tempDir } from '../helpers/server.js';

const name = (n: number): string => `${String(n).padStart(12, '0')}.ndjson`;

/** The real calls, named in a log, with faults switched on by the test. */
class ScriptedFs implements JournalFs {
  readonly calls: string[] = [];
  /** Each write call stores at most this many bytes (a disk that takes a batch in pieces). */
  maxPerWrite = Number.POSITIVE_INFINITY;
  /** The next write stores this many bytes, and the write after it stores none (returns 0). */
  stallAfter: number | undefined;
  /** ftruncate fails with EIO while set. */
  failTruncate = false;

  async write(fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<number> {
    this.calls.push('write');
    if (this.stallAfter === 0) {
      this.stallAfter = undefined;
      return 0;
    }
    let n = Math.min(length, this.maxPerWrite);
    if (this.stallAfter !== undefined) {
      n = Math.min(n, this.stallAfter);
      this.stallAfter = 0;
    }
    return nodeJournalFs.write(fd, buf, offset, n, position);
  }

  async fdatasync(fd: number): Promise<void> {
    this.calls.push('fdatasync');
    await nodeJournalFs.fdatasync(fd);
  }

  async ftruncate(fd: number, length: number): Promise<void> {
    this.calls.push(`ftruncate ${length}`);
    if (this.failTruncate) throw Object.assign(new Error('EIO: i/o error, ftruncate'), { code: 'EIO' });
    await nodeJournalFs.ftruncate(fd, length);
  }

  /** The calls since the last take. */
  take(): string[] {
    return this.calls.splice(0);
  }
}

/** A data directory whose journal holds `files` (name → contents) before the journal opens. */
function dataDirWith(files: Record<string, string> = {}): string {
  const data = tempDir('footfall-journal-');
  mkdirSync(journalDir(data));
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(journalDir(data), file), text);
  return data;
}

const read = (file: string): string => readFileSync(file, 'utf8');

describe('journal segments', () => {
  it('only whole segment names count, in numeric order', () => {
    const data = dataDirWith({
      [name(10)]: '',
      [name(2)]: '',
      [name(100)]: '',
      [name(9)]: '',
      // Look-alikes: a prefix, a suffix (quarantine's temporary file), 13 digits, other files.
      [`x${name(5)}`]: '',
      [`${name(7)}.tmp`]: '',
      [`0${name(6)}`]: '',
      'quarantine.ndjson': '',
    });
    try {
      mkdirSync(path.join(journalDir(data), name(4))); // a directory is no segment
      assert.deepEqual(listSegments(journalDir(data)), [2, 9, 10, 100]);
    } finally {
      removeDir(data);
    }
  });

  it('a start opens a new segment after the highest one; closed empty, it is removed, never an older one', async () => {
    const fresh = dataDirWith();
    const used = dataDirWith({ [name(2)]: 'a\n', [name(10)]: 'b\n' });
    try {
      const first = Journal.open(fresh);
      assert.deepEqual(readdirSync(journalDir(fresh)), [name(1)]);
      await first.close();
      assert.deepEqual(readdirSync(journalDir(fresh)), []);

      const next = Journal.open(used);
      assert.deepEqual(readdirSync(journalDir(used)).sort(), [name(2), name(10), name(11)]);
      await next.close();
      assert.deepEqual(readdirSync(journalDir(used)).sort(), [name(2), name(10)]);
    } finally {
      removeDir(fresh);
      removeDir(used);
    }
  });

  it('batches follow each other with one write and one sync each; rotate hands over the closed segment and its counts', async () => {
    const data = dataDirWith();
    const fs = new ScriptedFs();
    try {
      const journal = Journal.open(data, fs);
      assert.equal(await journal.rotate(), undefined, 'an empty segment is not rotated');
      assert.deepEqual(readdirSync(journalDir(data)), [name(1)]);

      await journal.append('a\n', 1);
      await journal.append('bb\nc\n', 2);
      assert.deepEqual(fs.take(), ['write', 'fdatasync', 'write', 'fdatasync']);
      const one = await journal.rotate();
      assert.deepEqual(one, { number: 1, file: path.join(journalDir(data), name(1)), bytes: 7, events: 3 });
      assert.equal(read(one.file), 'a\nbb\nc\n');

      await journal.append('d\n', 1);
      const two = await journal.rotate();
      assert.deepEqual(two, { number: 2, file: path.join(journalDir(data), name(2)), bytes: 2, events: 1 });
      assert.equal(read(two.file), 'd\n');

      // A segment with lines stays at close (the loader owns it); remove() deletes a loaded
      // one, and removing it twice is no error (a load can be retried after a crash).
      await journal.append('e\n', 1);
      await journal.close();
      assert.equal(read(path.join(journalDir(data), name(3))), 'e\n');
      journal.remove(one);
      journal.remove(one);
      assert.deepEqual(readdirSync(journalDir(data)).sort(), [name(2), name(3)]);
    } finally {
      removeDir(data);
    }
  });

  it('a batch the disk takes in pieces is written on where each piece stopped', async () => {
    const data = dataDirWith();
    const fs = new ScriptedFs();
    try {
      const journal = Journal.open(data, fs);
      fs.maxPerWrite = 3;
      await journal.append('first line\n', 1);
      await journal.append('second line\n', 1);
      const segment = await journal.rotate();
      assert.equal(read(segment!.file), 'first line\nsecond line\n');
      await journal.close();
    } finally {
      removeDir(data);
    }
  });

  it('a write that stops making progress is refused and cut back, so the next batch starts at the good end', async () => {
    const data = dataDirWith();
    const fs = new ScriptedFs();
    try {
      const journal = Journal.open(data, fs);
      await journal.append('first\n', 1);
      fs.take();
      fs.stallAfter = 11; // 'a-long-line' reaches the file, then nothing
      await assert.rejects(journal.append('a-long-line-that-fails\n', 1), {
        message: 'short write to journal segment 1',
      });
      assert.deepEqual(fs.take(), ['write', 'write', 'ftruncate 6', 'fdatasync']);
      const file = path.join(journalDir(data), name(1));
      assert.equal(read(file), 'first\n');

      await journal.append('ok\n', 1);
      assert.deepEqual(fs.take(), ['write', 'fdatasync'], 'a clean segment is not cut again');
      const segment = await journal.rotate();
      assert.deepEqual(segment, { number: 1, file, bytes: 9, events: 2 }, 'the refused batch is not counted');
      assert.equal(read(file), 'first\nok\n');
      await journal.close();
    } finally {
      removeDir(data);
    }
  });

  it('when the cut back fails too, every later append retries it first and is refused until it succeeds', async () => {
    const data = dataDirWith();
    const fs = new ScriptedFs();
    try {
      const journal = Journal.open(data, fs);
      const file = path.join(journalDir(data), name(1));
      await journal.append('first\n', 1);
      fs.stallAfter = 11;
      fs.failTruncate = true;
      await assert.rejects(journal.append('a-long-line-that-fails\n', 1), /short write/);
      assert.equal(read(file), 'first\na-long-line', 'the partial line is still there');
      fs.take();

      // Still failing: nothing is written behind the partial line.
      await assert.rejects(journal.append('x\n', 1), /EIO/);
      await assert.rejects(journal.rotate(), /EIO/);
      assert.deepEqual(fs.take(), ['ftruncate 6', 'ftruncate 6']);
      assert.equal(read(file), 'first\na-long-line');

      fs.failTruncate = false;
      await journal.append('ok\n', 1);
      assert.deepEqual(fs.take(), ['ftruncate 6', 'fdatasync', 'write', 'fdatasync']);
      await journal.append('more\n', 1);
      assert.deepEqual(fs.take(), ['write', 'fdatasync'], 'once cut, the segment is clean again');
      assert.equal(read(file), 'first\nok\nmore\n');
      await journal.close();
    } finally {
      removeDir(data);
    }
  });

  it('rotate and close first cut back a segment a failed append left dirty', async () => {
    const rotated = dataDirWith();
    const closed = dataDirWith();
    try {
      for (const data of [rotated, closed]) {
        const fs = new ScriptedFs();
        const journal = Journal.open(data, fs);
        await journal.append('first\n', 1);
        fs.stallAfter = 11;
        fs.failTruncate = true;
        await assert.rejects(journal.append('a-long-line-that-fails\n', 1));
        fs.failTruncate = false;
        if (data === rotated) {
          const segment = await journal.rotate();
          assert.deepEqual([segment!.bytes, read(segment!.file)], [6, 'first\n']);
        }
        await journal.close();
        assert.equal(read(path.join(journalDir(data), name(1))), 'first\n');
      }
    } finally {
      removeDir(rotated);
      removeDir(closed);
    }
  });

  it('close waits for an append still in flight', async () => {
    const data = dataDirWith();
    try {
      const journal = Journal.open(data);
      const appended = journal.append('late\n', 1);
      await journal.close();
      await appended;
      assert.equal(read(path.join(journalDir(data), name(1))), 'late\n');
    } finally {
      removeDir(data);
    }
  });
});

describe('journal leftovers', () => {
  it('segments the load mark covers are deleted; later ones are cut back to their last whole line and counted', async () => {
    const data = dataDirWith({
      [name(1)]: 'a\n',
      [name(2)]: 'b\n',
      [name(3)]: 'cc\nd\neee\n{"s":1,"t":17',
      [name(4)]: 'ff\n',
      [name(5)]: '{"torn',
    });
    const dir = journalDir(data);
    try {
      const journal = Journal.open(data); // opens segment 6, which is no leftover
      assert.deepEqual(journal.leftovers({ segment: 2, offset: 0 }), [
        { number: 3, file: path.join(dir, name(3)), bytes: 9, events: 3 },
        { number: 4, file: path.join(dir, name(4)), bytes: 3, events: 1 },
        { number: 5, file: path.join(dir, name(5)), bytes: 0, events: 0 },
      ]);
      assert.deepEqual(readdirSync(dir).sort(), [name(3), name(4), name(5), name(6)]);
      assert.deepEqual([read(path.join(dir, name(3))), read(path.join(dir, name(5)))], ['cc\nd\neee\n', '']);
      await journal.close();
    } finally {
      removeDir(data);
    }
  });

  it('with no load mark every segment is a leftover; `before` leaves that segment and later ones alone', () => {
    const data = dataDirWith({ [name(1)]: 'aa\n', [name(2)]: 'bb\ncc\n', [name(3)]: 'dd\n' });
    const dir = journalDir(data);
    try {
      assert.deepEqual(
        leftoverSegments(dir, undefined, 3).map((s) => [s.number, s.events]),
        [
          [1, 1],
          [2, 2],
        ],
      );
      assert.deepEqual(
        leftoverSegments(dir, undefined).map((s) => s.number),
        [1, 2, 3],
      );
      assert.ok(existsSync(path.join(dir, name(1))), 'nothing is deleted without a mark');
    } finally {
      removeDir(data);
    }
  });
});
