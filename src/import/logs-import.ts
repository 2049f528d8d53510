// `footfall import logs`: page views from a web server's access log, on the log's own times.
// Which lines are page views is log-lines.ts's rule; bots are left out by the same check as
// tracking. A file is recorded by its digest, so importing it twice does not count it twice;
// gzip files are read directly.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ConfigError } from '../server/config.js';
import { followLines } from './follow-lines.js';
import type { ImportTarget } from './import-target.js';
import { gzipError, lineBatches, logChunks } from './line-batches.js';
import { type LineReader, logReader } from './log-format.js';
import { lineItem, lineRule } from './log-lines.js';
import { startLogReader } from './log-worker.js';
import { type ImportItem, type ImportSummary, runImport, type SourceImportOptions } from './run-import.js';

export interface LogsImportOptions extends SourceImportOptions {
  /** A file, or '-' for standard input. */
  file: string;
  format: string;
  /** Globs on the path: only matching paths are imported (static assets too). */
  include?: string[];
  /** Globs on the path never imported. */
  exclude?: string[];
  /** Standard input, for '-'. */
  stdin?: Readable;
  /** Keep reading lines appended to the file (from its end) until the signal stops it. */
  follow?: boolean;
}

async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

export async function importLogs(target: ImportTarget, options: LogsImportOptions): Promise<ImportSummary> {
  const read: LineReader = logReader(options.format);
  const fromStdin = options.file === '-';
  if (!fromStdin) {
    try {
      if (!statSync(options.file).isFile()) throw new Error('not a file');
    } catch {
      throw new ConfigError(
        `${options.file} is not a readable file: give an access log, or - for standard input`,
      );
    }
  }
  if (fromStdin && options.strict)
    throw new ConfigError('--strict reads the log twice: give a file, not standard input');
  if (options.follow && (fromStdin || options.strict)) {
    throw new ConfigError('--follow reads a growing file: give its path (not -), without --strict');
  }
  const site = await target.site(options.site);
  const gzip = !fromStdin && (await isGzip(options.file));
  if (options.follow && gzip)
    throw new ConfigError(`--follow reads a growing plain-text log; ${options.file} is gzip`);
  const nowMs = (options.now ?? Date.now)();

  /** The log's bytes as read; `onRaw` sees the file's own bytes, for its digest. */
  const open = (onRaw?: (chunk: Buffer) => void): AsyncIterable<Buffer> =>
    fromStdin
      ? ((options.stdin ?? process.stdin) as AsyncIterable<Buffer>)
      : logChunks(options.file, gzip, onRaw);

  const rule = {
    format: options.format,
    domain: site.domain,
    include: options.include,
    exclude: options.exclude,
    nowMs,
  };
  const domains = [site.domain];
  // A file is read and parsed in a worker thread (log-worker.ts), started now so that its start
  // overlaps the digest pass below; a stream (standard input, a followed log) on this thread, a
  // read's lines at a time (run-import.ts says why).
  const inWorker = !fromStdin && !options.follow;
  const reader = () =>
    startLogReader({ ...rule, file: options.file, gzip, geo: options.geo.opened }, domains);
  let early = inWorker ? reader() : undefined;
  async function* items(): AsyncGenerator<ImportItem[]> {
    if (inWorker) {
      // --strict reads the file twice: the second time in a new thread.
      const taken = early ?? reader();
      early = undefined;
      yield* taken.items();
      return;
    }
    const verdict = lineRule(rule);
    let n = 0;
    try {
      const input: AsyncIterable<string | string[]> = options.follow
        ? followLines(options.file, options.signal)
        : lineBatches(open());
      for await (const got of input) {
        const out: ImportItem[] = [];
        for (const line of typeof got === 'string' ? [got] : got) {
          const id = ++n;
          const v = verdict(line);
          if (v !== undefined) out.push(lineItem(id, v, domains));
        }
        if (out.length > 0) yield out;
      }
    } catch (err) {
      throw gzipError(err, options.file, n);
    }
  }

  // Lines in the file, for the progress bar: counted as bytes, not parsed (parsing twice
  // cost a third of the import). A damaged gzip file is found here, before anything is stored.
  // One pass before the import: the lines (for the progress bar) and the file's digest (the
  // import record's key) from the same read.
  let total: number | undefined;
  let sha256: string | undefined;
  try {
    // A followed log grows: neither counted nor recorded (it starts at the file's end).
    if (!fromStdin && !options.follow) {
      total = 0;
      const hash = createHash('sha256');
      let last = 10;
      try {
        for await (const buf of open((bytes) => hash.update(bytes))) {
          for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) total++;
          if (buf.length > 0) last = buf[buf.length - 1]!;
        }
      } catch (err) {
        throw gzipError(err, options.file, total);
      }
      if (last !== 10) total++;
      sha256 = hash.digest('hex');
    }
    return await runImport(
      target,
      {
        kind: 'logs',
        itemName: 'line',
        name: options.file,
        sha256,
        total,
        items,
        notErrors: new Set(['other_site', 'not_get', 'status', 'not_a_page', 'excluded']),
        noUserAgents: !read.userAgents,
      },
      { ...options, site },
    );
  } finally {
    // Never taken (a damaged file, an import done before): the thread is stopped.
    await early?.close();
  }
}
