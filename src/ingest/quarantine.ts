// Moving the lines of a journal segment that cannot be loaded out of the way, so that one
// damaged line (a partial write from a full disk before the journal cut such writes back, a
// hand-edited file) never blocks the events after it. The lines go, byte for byte, to
// <data>/journal/quarantine.ndjson, where an operator can read, mend and re-send them; the
// segment is rewritten with the lines that remain.
//
// Order matters for a crash in between: the quarantine file is synced before the segment is
// replaced (write a temporary file, sync, rename), so a line is at worst in both, never in
// neither.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { lineProblem } from './line-check.js';

export const QUARANTINE_FILE = 'quarantine.ndjson';

export interface Quarantined {
  /** Lines moved to the quarantine file. */
  moved: number;
  /** Lines left in the segment, and its size now. */
  kept: number;
  bytes: number;
  /** The first moved line's number in the segment (1-based) and what is wrong with it. */
  first?: { line: number; problem: string };
}

/** Moves the segment's unloadable lines to the quarantine file in `dir`; rewrites the segment if any moved. */
export function quarantineLines(dir: string, segmentFile: string): Quarantined {
  const data = readFileSync(segmentFile);
  const good: Buffer[] = [];
  const bad: Buffer[] = [];
  let first: Quarantined['first'];
  let start = 0;
  for (let n = 1; start < data.length; n++) {
    const nl = data.indexOf(0x0a, start);
    // A last line without its \n was cut short: it cannot be loaded either.
    const end = nl === -1 ? data.length : nl;
    const line = data.subarray(start, end);
    const problem = nl === -1 ? 'cut short' : lineProblem(line);
    if (problem === undefined) good.push(data.subarray(start, end + 1));
    else {
      bad.push(line, Buffer.from('\n'));
      first ??= { line: n, problem };
    }
    start = end + 1;
  }
  const kept = Buffer.concat(good);
  if (bad.length === 0) return { moved: 0, kept: good.length, bytes: kept.length };

  writeSynced(path.join(dir, QUARANTINE_FILE), Buffer.concat(bad), 'a');
  const tmp = `${segmentFile}.tmp`;
  writeSynced(tmp, kept, 'w');
  renameSync(tmp, segmentFile);
  syncDir(dir);
  return { moved: bad.length / 2, kept: good.length, bytes: kept.length, first };
}

function writeSynced(file: string, data: Buffer, flags: 'a' | 'w'): void {
  const fd = openSync(file, flags, 0o600);
  try {
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written, data.length - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename in the directory durable. */
function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
