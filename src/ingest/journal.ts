// The ingest journal: append-only files of encoded events in the data directory. A batch is
// acknowledged once its lines are written and fdatasync'd here — one write and one sync per
// batch, a fraction of a DuckDB commit's fixed cost. The loader then closes the current
// segment, starts the next, and has the store load the closed one and record the segment's
// number, idempotently (store/types.ts: EventStore.loadEvents); a loaded segment is deleted. After a crash, the
// segments numbered past the recorded one are loaded at start, so every acknowledged event
// reaches the store exactly once.
//
// Layout: <data>/journal/<segment>.ndjson, numbers increasing. Each start begins a new
// segment, so a line torn by a crash is never followed by new lines; and a write that fails
// (a full disk: ENOSPC after part of the batch reached the file) is cut back to the last
// synced byte before anything else is written, so a partial line is never followed either.
import { closeSync, openSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../store/private-files.js';
import type { LoadMark } from '../store/types.js';
import { type JournalFs, nodeJournalFs } from './journal-fs.js';

const SEGMENT = /^(\d{12})\.ndjson$/;

/** A closed segment waiting to be loaded. */
export interface Segment {
  number: number;
  file: string;
  bytes: number;
  /** Events in it (known for this run's segments; counted for leftovers). */
  events: number;
  /** Every line was checked and can be loaded: a failing load is the store's fault. */
  sound?: boolean;
}

export const journalDir = (dataDir: string): string => path.join(dataDir, 'journal');

export class Journal {
  private fd: number;
  private number: number;
  private bytes = 0;
  private events = 0;
  /** A failed append may have left bytes past `bytes` that could not be cut off yet. */
  private dirty = false;
  // append() and rotate() run one at a time, in call order.
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    first: number,
    private readonly fs: JournalFs,
  ) {
    this.number = first;
    this.fd = openSync(this.fileOf(first), 'wx', PRIVATE_FILE_MODE);
  }

  /** Opens the journal directory and starts a new segment after the existing ones. */
  static open(dataDir: string, fs: JournalFs = nodeJournalFs): Journal {
    const dir = journalDir(dataDir);
    makePrivateDir(dir);
    return new Journal(dir, Math.max(0, ...listSegments(dir)) + 1, fs);
  }

  private fileOf(n: number): string {
    return path.join(this.dir, segmentName(n));
  }

  /**
   * Segments a previous run left unloaded (numbered after `loaded`), each cut back to its
   * last complete line: a torn line was never synced, so never acknowledged.
   */
  leftovers(loaded: LoadMark | undefined): Segment[] {
    return leftoverSegments(this.dir, loaded, this.number);
  }

  /**
   * Appends lines (each ending in \n) and resolves once they are on disk. When the write or
   * the sync fails, the segment is cut back to where this batch began and the call rejects
   * (the batch is answered 503); if even that cut fails, every later append first retries it
   * and is refused until it succeeds, so nothing is ever written behind a partial line.
   */
  append(lines: string, events: number): Promise<void> {
    return this.serial(async () => {
      if (this.dirty) await this.cutBack();
      const buf = Buffer.from(lines, 'utf8');
      try {
        let written = 0;
        while (written < buf.length) {
          // Positioned writes: after a cut the next batch starts exactly at the good end.
          const n = await this.fs.write(this.fd, buf, written, buf.length - written, this.bytes + written);
          if (n <= 0) throw new Error(`short write to journal segment ${this.number}`);
          written += n;
        }
        await this.fs.fdatasync(this.fd);
      } catch (err) {
        this.dirty = true;
        await this.cutBack().catch(() => {});
        throw err;
      }
      this.bytes += buf.length;
      this.events += events;
    });
  }

  /** Cuts the current segment back to its last synced byte. */
  private async cutBack(): Promise<void> {
    await this.fs.ftruncate(this.fd, this.bytes);
    await this.fs.fdatasync(this.fd);
    this.dirty = false;
  }

  /**
   * Closes the current segment and starts the next; undefined when the current one is empty.
   * The next file is opened first: when that fails (a full disk), appends go on into the
   * current one, whose descriptor stays open.
   */
  rotate(): Promise<Segment | undefined> {
    return this.serial(async () => {
      if (this.bytes === 0) return undefined;
      if (this.dirty) await this.cutBack();
      const next = openSync(this.fileOf(this.number + 1), 'wx', PRIVATE_FILE_MODE);
      closeSync(this.fd);
      const closed: Segment = {
        number: this.number,
        file: this.fileOf(this.number),
        bytes: this.bytes,
        events: this.events,
      };
      this.number += 1;
      this.bytes = 0;
      this.events = 0;
      this.fd = next;
      return closed;
    });
  }

  remove(segment: Segment): void {
    rmSync(segment.file, { force: true });
  }

  /** Closes the current segment file; an empty one is deleted. */
  async close(): Promise<void> {
    await this.chain.catch(() => {});
    if (this.dirty) await this.cutBack().catch(() => {});
    closeSync(this.fd);
    if (this.bytes === 0) rmSync(this.fileOf(this.number), { force: true });
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.chain.then(op, op);
    this.chain = next.catch(() => {});
    return next;
  }
}

/**
 * The closed segments of a journal directory numbered after `loaded` and before `before` (a
 * running journal's open segment), each cut back to its last complete line; segments the mark
 * covers are deleted. Also used by `footfall journal replay` on a dead node's directory.
 */
export function leftoverSegments(
  dir: string,
  loaded: LoadMark | undefined,
  before = Number.POSITIVE_INFINITY,
): Segment[] {
  const out: Segment[] = [];
  for (const n of listSegments(dir)) {
    if (n >= before) continue;
    const file = path.join(dir, segmentName(n));
    if (loaded && n <= loaded.segment) {
      rmSync(file, { force: true });
      continue;
    }
    const data = readFileSync(file);
    const end = data.lastIndexOf(0x0a) + 1;
    if (end < data.length) truncateSync(file, end);
    let events = 0;
    for (let i = 0; i < end; i++) if (data[i] === 0x0a) events++;
    out.push({ number: n, file, bytes: end, events });
  }
  return out;
}

const segmentName = (n: number): string => `${String(n).padStart(12, '0')}.ndjson`;

export function listSegments(dir: string): number[] {
  return readdirSync(dir)
    .map((f) => SEGMENT.exec(f)?.[1])
    .filter((n): n is string => n !== undefined && statSync(path.join(dir, `${n}.ndjson`)).isFile())
    .map(Number)
    .sort((a, b) => a - b);
}
