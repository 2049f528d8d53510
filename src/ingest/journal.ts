// The ingest journal: an append-only file of encoded rows in the data directory. A batch is
// acknowledged once its lines are written and fdatasync'd here — one write and one sync per
// batch, a fraction of a DuckDB commit's fixed cost — and the loader moves rows into DuckDB
// in large transactions that also record how far the journal has been loaded. After a crash
// the lines past that position are loaded again, so every acknowledged event reaches the
// store exactly once.
//
// Layout: <data>/journal/<segment>.ndjson, segment numbers increasing. Every start opens a
// new segment, so a line torn by a crash is never followed by new lines.
import { closeSync, fdatasync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, write } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { LoadMark } from '../store/types.js';

const writeAsync = promisify(write);
const fdatasyncAsync = promisify(fdatasync);

/** A place in the journal: a segment and a byte offset in it. */
export type JournalPosition = LoadMark;

const SEGMENT = /^(\d{12})\.ndjson$/;

function segmentName(n: number): string {
  return `${String(n).padStart(12, '0')}.ndjson`;
}

export class Journal {
  private fd: number;
  private segment: number;
  private offset = 0;

  private constructor(
    private readonly dir: string,
    segment: number,
  ) {
    this.segment = segment;
    this.fd = openSync(path.join(dir, segmentName(segment)), 'wx');
  }

  /** Opens the journal directory and starts a new segment after the existing ones. */
  static open(dataDir: string): Journal {
    const dir = path.join(dataDir, 'journal');
    mkdirSync(dir, { recursive: true });
    const last = Math.max(0, ...Journal.segments(dir));
    return new Journal(dir, last + 1);
  }

  private static segments(dir: string): number[] {
    return readdirSync(dir)
      .map((f) => SEGMENT.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  /** The position just after everything appended so far. */
  get position(): JournalPosition {
    return { segment: this.segment, offset: this.offset };
  }

  /** Appends lines and waits until they are on disk. Calls must not overlap. */
  async append(lines: string): Promise<JournalPosition> {
    const buf = Buffer.from(lines, 'utf8');
    let written = 0;
    while (written < buf.length) {
      const { bytesWritten } = await writeAsync(this.fd, buf, written, buf.length - written, null);
      written += bytesWritten;
    }
    await fdatasyncAsync(this.fd);
    this.offset += buf.length;
    return this.position;
  }

  /**
   * Complete lines written after `from` in earlier segments (this run's segment is empty
   * when this is called at start). A torn last line — written but never synced, so never
   * acknowledged — is left out.
   */
  unloadedLines(from: JournalPosition | undefined): { lines: string[]; end: JournalPosition } {
    const lines: string[] = [];
    let end: JournalPosition = from ?? { segment: 0, offset: 0 };
    for (const seg of Journal.segments(this.dir)) {
      if (seg >= this.segment || (from && seg < from.segment)) continue;
      const data = readFileSync(path.join(this.dir, segmentName(seg)));
      const start = from && seg === from.segment ? from.offset : 0;
      const lastNewline = data.lastIndexOf(0x0a);
      if (lastNewline >= start) {
        for (const line of data.subarray(start, lastNewline).toString('utf8').split('\n')) {
          if (line !== '') lines.push(line);
        }
      }
      end = { segment: seg, offset: Math.max(start, lastNewline + 1) };
    }
    return { lines, end };
  }

  /** Deletes every segment before `segment` (they are fully loaded). */
  deleteBefore(segment: number): void {
    for (const seg of Journal.segments(this.dir)) {
      if (seg < segment) rmSync(path.join(this.dir, segmentName(seg)), { force: true });
    }
  }

  /** Starts a new segment (the old one stays until deleteBefore). */
  rotate(): void {
    closeSync(this.fd);
    this.segment += 1;
    this.offset = 0;
    this.fd = openSync(path.join(this.dir, segmentName(this.segment)), 'wx');
  }

  close(): void {
    closeSync(this.fd);
  }
}
