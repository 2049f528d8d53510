// A log's lines, a read's worth at a time, as readline would give them (crlfDelay: Infinity:
// \n, \r\n and a lone \r end a line). Two habits of the obvious way cost an import of a 212 MB log
// a third of its page faults (BENCHMARKS.md, "Importing access logs"): a fresh 1 MB buffer for
// every read, and a read decoded into one 1 MB string, which V8 puts in its large-object space
// (fresh pages each time) and flattens again when the previous read's tail is put in front of it.
// Here a file is read into one buffer used again for every read, and decoded in pieces small
// enough for V8's young generation, each cut right after a line end (a line end is never inside
// a UTF-8 character, so no character is split).
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { ConfigError } from '../server/config.js';

/**
 * Bytes a read of the log takes: with a stream's default 64 KB, reading 212 MB took 730 ms of
 * the thread (per-read overhead, paid by the digest pass and the import); with 1 MB, 106 ms
 * (BENCHMARKS.md, "Importing access logs").
 */
export const READ_BYTES = 1 << 20;
/**
 * Bytes decoded into one string at most (unless one line is longer): V8 keeps strings under
 * ~128 KB in its young generation, whose pages it uses again.
 */
const PIECE_BYTES = 48 * 1024;
/** A longer line is cut to its first MB and at most one read more (see longer()). */
export const MAX_LINE_BYTES = 1 << 20;
const LF = 10;
const CR = 13;
/** Where readline ends a line (with crlfDelay: Infinity, a \r\n split between reads is one). */
const LINE_END = /\r?\n|\r(?!\n)/;

/** A zlib failure as the one line a user needs; anything else as it was. */
export function gzipError(err: unknown, file: string, line: number): unknown {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (!code.startsWith('Z_') && code !== 'ERR_STREAM_PREMATURE_CLOSE') return err;
  return new ConfigError(
    `${file} is a damaged or truncated gzip file after line ${line} (${(err as Error).message})`,
  );
}

/**
 * The file's bytes a read at a time, into one buffer used for every read: each chunk is valid
 * only until the next one is asked for.
 */
export async function* fileChunks(file: string): AsyncGenerator<Buffer> {
  const handle = await open(file, 'r');
  const buf = Buffer.allocUnsafe(READ_BYTES);
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, READ_BYTES, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/**
 * A log file's text as read: a plain file through fileChunks, a gzip file through zlib.
 * `onRaw` sees the file's own bytes (compressed, for a gzip file), for its digest.
 */
export function logChunks(
  file: string,
  gzip: boolean,
  onRaw?: (bytes: Buffer) => void,
): AsyncIterable<Buffer> {
  if (!gzip) return onRaw ? tapped(fileChunks(file), onRaw) : fileChunks(file);
  const raw = createReadStream(file, { highWaterMark: READ_BYTES });
  if (onRaw) raw.on('data', (chunk) => onRaw(chunk as Buffer));
  const gunzip = createGunzip();
  raw.on('error', (err) => gunzip.destroy(err));
  return raw.pipe(gunzip);
}

async function* tapped(chunks: AsyncIterable<Buffer>, onChunk: (chunk: Buffer) => void) {
  for await (const chunk of chunks) {
    onChunk(chunk);
    yield chunk;
  }
}

/**
 * The tail of a line no read has ended yet, with the next chunk: past MAX_LINE_BYTES only its
 * last byte is kept (a \r there may pair with a \n), so a file without line ends is not held
 * whole; an import skips any line over 16 KB anyway.
 */
function longer(rest: Buffer, chunk: Buffer): Buffer {
  if (rest.length < MAX_LINE_BYTES) return Buffer.concat([rest, chunk]);
  return Buffer.concat([rest.subarray(0, MAX_LINE_BYTES - 1), chunk.subarray(chunk.length - 1)]);
}

/** The text's lines; `text` ends with a line end (or is the input's last, unended line). */
function pushLines(out: string[], text: string, ended: boolean): void {
  const lines = text.includes('\r') ? text.split(LINE_END) : text.split('\n');
  // After the last line end split leaves an empty string.
  if (ended || lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) out.push(line);
}

/**
 * Just after the last line end in bytes[from, to), or -1. A \r as the chunk's last byte is not
 * taken: it may be the first half of a \r\n the next read completes.
 */
function lastEnd(b: Buffer, from: number, to: number, hasCr: boolean): number {
  const window = b.subarray(from, to);
  let at = window.lastIndexOf(LF);
  if (hasCr) at = Math.max(at, window.lastIndexOf(CR));
  if (at < 0) return -1;
  at += from;
  if (b[at] === CR) {
    if (at + 1 === b.length) return lastEnd(b, from, at, hasCr);
    if (b[at + 1] === LF) at++;
  }
  return at + 1;
}

/** Just after the first line end at or after `from`, or -1 (the same rule for a last \r). */
function firstEnd(b: Buffer, from: number, hasCr: boolean): number {
  const lf = b.indexOf(LF, from);
  const cr = hasCr ? b.indexOf(CR, from) : -1;
  const at = cr >= 0 && (lf < 0 || cr < lf) ? cr : lf;
  if (at < 0) return -1;
  if (b[at] === CR) {
    if (at + 1 === b.length) return -1;
    if (b[at + 1] === LF) return at + 2;
  }
  return at + 1;
}

/**
 * The input's lines, one array per chunk read. Chunks may be buffers the input uses again
 * (fileChunks): nothing here holds on to one after asking for the next. `pieceBytes` is for
 * tests, which cut small texts into many pieces.
 */
export async function* lineBatches(
  input: AsyncIterable<Buffer>,
  pieceBytes = PIECE_BYTES,
): AsyncGenerator<string[]> {
  // The unended tail of what was read, copied out of its chunk.
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of input) {
    const hasCr = chunk.includes(CR) || rest.includes(CR);
    const lines: string[] = [];
    let pos = 0;
    if (rest.length > 0) {
      // The tail and the first line's end in the new chunk, joined (a small copy, not the
      // chunk's); a \r the tail ends with was held back in case a \n followed.
      let end: number;
      if (rest[rest.length - 1] === CR) end = chunk[0] === LF ? 1 : 0;
      else end = firstEnd(chunk, 0, hasCr);
      if (end < 0) {
        rest = longer(rest, chunk);
        continue;
      }
      pushLines(lines, Buffer.concat([rest, chunk.subarray(0, end)]).toString('utf8'), true);
      pos = end;
    }
    while (pos < chunk.length) {
      let end = lastEnd(chunk, pos, Math.min(chunk.length, pos + pieceBytes), hasCr);
      // No line end in the piece: one line longer than a piece, taken whole.
      if (end < 0) end = firstEnd(chunk, pos + pieceBytes, hasCr);
      if (end < 0) break;
      pushLines(lines, chunk.toString('utf8', pos, end), true);
      pos = end;
    }
    rest = Buffer.from(chunk.subarray(pos));
    if (lines.length > 0) yield lines;
  }
  if (rest.length === 0) return;
  const lines: string[] = [];
  pushLines(lines, rest.toString('utf8'), false);
  if (lines.length > 0) yield lines;
}
