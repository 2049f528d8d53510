// Files the engine writes for a caller to stream (raw exports, backup snapshots): one private
// folder in the data directory, a random name each, removed once streamed; files a killed
// process left behind are removed by the next one made after an hour.
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, type ReadStream, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

const DIR = 'exports';
const STALE_MS = 60 * 60_000;

/** A new path `<data>/exports/<random>.<ext>` (nothing created at it yet). */
export function tempFileIn(dataDir: string, ext: string): string {
  const dir = path.join(dataDir, DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const cutoff = Date.now() - STALE_MS;
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    try {
      if (statSync(p).mtimeMs < cutoff) rmSync(p, { force: true });
    } catch {}
  }
  return path.join(dir, `${randomBytes(12).toString('hex')}.${ext}`);
}

/** Reads the file once and removes it when the stream closes or fails (the client went away). */
export function streamAndRemove(file: string): ReadStream {
  const stream = createReadStream(file);
  const remove = () => rmSync(file, { force: true });
  stream.on('close', remove);
  stream.on('error', remove);
  return stream;
}
