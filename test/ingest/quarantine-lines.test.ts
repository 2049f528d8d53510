// quarantineLines() on a segment file, without a server or a store: which lines move, byte for
// byte and in order; what the segment keeps; that a second quarantine adds to the file rather
// than replacing it; and that a segment with nothing wrong is left untouched.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { QUARANTINE_FILE, quarantineLines } from '../../src/ingest/quarantine.js';
import { encodeRow } from '../../src/ingest/row-codec.js';
import { sampleRow } from '../helpers/sample-row.js';
import { removeDir, tempDir } from '../helpers/server.js';

const line = (i: number): string => `${encodeRow(sampleRow(i))}\n`;

describe('quarantine lines', () => {
  it('a sound segment is left as it was, and no quarantine file is made', () => {
    const dir = tempDir('footfall-quarantine-');
    try {
      const segment = path.join(dir, '000000000001.ndjson');
      const text = line(1) + line(2);
      writeFileSync(segment, text);
      const before = statSync(segment).mtimeMs;
      assert.deepEqual(quarantineLines(dir, segment), { moved: 0, kept: 2, bytes: Buffer.byteLength(text) });
      assert.equal(readFileSync(segment, 'utf8'), text);
      assert.equal(statSync(segment).mtimeMs, before);
      assert.deepEqual(readdirSync(dir), ['000000000001.ndjson']);
    } finally {
      removeDir(dir);
    }
  });

  it('damaged lines move in order, the first one named; the segment keeps the rest; a cut-short last line moves too', () => {
    const dir = tempDir('footfall-quarantine-');
    try {
      const segment = path.join(dir, '000000000003.ndjson');
      writeFileSync(segment, `${line(1)}[1]\n${line(2)}{"s":\n${line(3)}{"torn`);
      const kept = line(1) + line(2) + line(3);
      const openFiles = readdirSync('/proc/self/fd').length;
      assert.deepEqual(quarantineLines(dir, segment), {
        moved: 3,
        kept: 3,
        bytes: Buffer.byteLength(kept),
        first: { line: 2, problem: 'not a JSON object' },
      });
      assert.equal(readFileSync(segment, 'utf8'), kept);
      assert.equal(readdirSync('/proc/self/fd').length, openFiles, 'every file it opened is closed');
      assert.equal(readFileSync(path.join(dir, QUARANTINE_FILE), 'utf8'), '[1]\n{"s":\n{"torn\n');
      assert.deepEqual(
        readdirSync(dir).sort(),
        ['000000000003.ndjson', QUARANTINE_FILE],
        'no temporary file left',
      );

      // A later segment's damaged lines are added after the ones already there.
      const next = path.join(dir, '000000000004.ndjson');
      writeFileSync(next, `${line(4)}{"torn`);
      assert.deepEqual(quarantineLines(dir, next), {
        moved: 1,
        kept: 1,
        bytes: Buffer.byteLength(line(4)),
        first: { line: 2, problem: 'cut short' },
      });
      assert.equal(readFileSync(path.join(dir, QUARANTINE_FILE), 'utf8'), '[1]\n{"s":\n{"torn\n{"torn\n');
    } finally {
      removeDir(dir);
    }
  });

  it('a segment of damaged lines only is emptied, not removed', () => {
    const dir = tempDir('footfall-quarantine-');
    try {
      const segment = path.join(dir, '000000000001.ndjson');
      writeFileSync(segment, 'x\n');
      assert.deepEqual(quarantineLines(dir, segment), {
        moved: 1,
        kept: 0,
        bytes: 0,
        first: { line: 1, problem: 'not valid JSON' },
      });
      assert.ok(existsSync(segment));
      assert.equal(readFileSync(segment, 'utf8'), '');
    } finally {
      removeDir(dir);
    }
  });
});
