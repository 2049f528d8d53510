// The ingest journal: append-only files of encoded events in the data directory. A batch is
// acknowledged once its lines are written and fdatasync'd here — one write and one sync per
// batch, a fraction of a DuckDB commit's fixed cost. The loader then closes the current
// segment, starts the next, and has the store read the closed one in a single transaction
// that also records the segment's number; a loaded segment is deleted. After a crash, the
// segments numbered past the recorded one are loaded at start, so every acknowledged event
// reaches the store exactly once.
//
// Layout: <data>/journal/<segment>.ndjson, numbers increasing. Each start begins a new
// segment, so a line torn by a crash is never followed by new lines.
import {
  closeSync,
  fdatasync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  write,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { LoadMark } from '../store/types.js';

const writeAsync = promisify(write);
const fdatasyncAsync = promisify(fdatasync);

const SEGMENT = /^(\d{12})\.ndjson$/;

/** A closed segment waiting to be loaded. */
export interface Segment {
  number: number;
  file: string;
  bytes: number;
  /** Events in it (known for this run's segments; counted for leftovers). */
  events: number;
}

export class Journal {
  private fd: number;
  private number: number;
  private bytes = 0;
  private events = 0;
  // append() and rotate() run one at a time, in call order.
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    first: number,
  ) {
    this.number = first;
    this.fd = openSync(this.fileOf(first), 'wx');
  }

  /** Opens the journal directory and starts a new segment after the existing ones. */
  static open(dataDir: string): Journal {
    const dir = path.join(dataDir, 'journal');
    mkdirSync(dir, { recursive: true });
    return new Journal(dir, Math.max(0, ...listSegments(dir)) + 1);
  }

  private fileOf(n: number): string {
    return path.join(this.dir, `${String(n).padStart(12, '0')}.ndjson`);
  }

  /**
   * Segments a previous run left unloaded (numbered after `loaded`), each cut back to its
   * last complete line: a torn line was never synced, so never acknowledged.
   */
  leftovers(loaded: LoadMark | undefined): Segment[] {
    const out: Segment[] = [];
    for (const n of listSegments(this.dir)) {
      if (n >= this.number) continue;
      const file = this.fileOf(n);
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

  /** Appends lines (each ending in \n) and resolves once they are on disk. */
  append(lines: string, events: number): Promise<void> {
    return this.serial(async () => {
      const buf = Buffer.from(lines, 'utf8');
      let written = 0;
      while (written < buf.length) {
        const { bytesWritten } = await writeAsync(this.fd, buf, written, buf.length - written, null);
        written += bytesWritten;
      }
      await fdatasyncAsync(this.fd);
      this.bytes += buf.length;
      this.events += events;
    });
  }

  /** Closes the current segment and starts the next; undefined when the current one is empty. */
  rotate(): Promise<Segment | undefined> {
    return this.serial(async () => {
      if (this.bytes === 0) return undefined;
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
      this.fd = openSync(this.fileOf(this.number), 'wx');
      return closed;
    });
  }

  remove(segment: Segment): void {
    rmSync(segment.file, { force: true });
  }

  /** Closes the current segment file; an empty one is deleted. */
  async close(): Promise<void> {
    await this.chain.catch(() => {});
    closeSync(this.fd);
    if (this.bytes === 0) rmSync(this.fileOf(this.number), { force: true });
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.chain.then(op, op);
    this.chain = next.catch(() => {});
    return next;
  }
}

export function listSegments(dir: string): number[] {
  return readdirSync(dir)
    .map((f) => SEGMENT.exec(f)?.[1])
    .filter((n): n is string => n !== undefined && statSync(path.join(dir, `${n}.ndjson`)).isFile())
    .map(Number)
    .sort((a, b) => a - b);
}
