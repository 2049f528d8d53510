// `footfall import logs`: page views from a web server's access log, on the log's own times.
// Only what a visitor's browser asked for as a page counts by default: GET requests answered
// 2xx or 304, whose path is not a static asset; --include and --exclude (globs on the path)
// change that. Bots are left out by the same check as tracking. A file is recorded by its
// digest, so importing it twice does not count it twice; gzip files are read directly.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import picomatch from 'picomatch';
import { pageviewEvent, type TrackedUrl } from '../collect/raw-event.js';
import { parseTrackedUrl } from '../collect/tracked-url.js';
import { FootfallError } from '../errors.js';
import { ConfigError } from '../server/config.js';
import { siteKey } from '../sites/domain.js';
import { followLines } from './follow-lines.js';
import type { ImportTarget } from './import-target.js';
import { type LineReader, logReader } from './log-format.js';
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

/** What a browser fetches besides pages. */
const STATIC_ASSET =
  /\.(css|js|mjs|map|png|jpe?g|gif|svg|ico|webp|avif|bmp|woff2?|ttf|otf|eot|mp4|webm|mp3|wav|ogg|zip|gz|json|xml|txt|wasm)$/i;
const EARLIEST_MS = Date.UTC(1990, 0, 1);
/**
 * Bytes a read of the log takes: with the stream's default 64 KB, reading 212 MB took 730 ms
 * of the main thread (per-read overhead, twice per import: the digest pass and the import);
 * with 1 MB, 106 ms (BENCHMARKS.md, "Importing access logs").
 */
const READ_BYTES = 1 << 20;
/** Longer lines are skipped unread: no page request needs more. */
const MAX_LINE_CHARS = 16 * 1024;

async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** A zlib failure as the one line a user needs; anything else as it was. */
function gzipError(err: unknown, file: string, line: number): unknown {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (!code.startsWith('Z_') && code !== 'ERR_STREAM_PREMATURE_CLOSE') return err;
  return new ConfigError(
    `${file} is a damaged or truncated gzip file after line ${line} (${(err as Error).message})`,
  );
}

/** Where readline ends a line (with crlfDelay: Infinity, a \r\n split between reads is one). */
const LINE_END = /\r?\n|\r(?!\n)/;

/**
 * The input's lines as readline gives them, a read's worth at a time: readline's async iterator
 * took a promise and a generator step per line, a visible part of an import's profile.
 */
export async function* lineBatches(input: Readable): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input) {
    const text = rest + decoder.write(chunk as Buffer);
    // A \r at the end may be the first half of a \r\n: it waits for the next read.
    const end = text.endsWith('\r') ? text.length - 1 : text.length;
    // Most logs end lines with \n alone: a plain split is several times the expression's speed.
    const body = text.slice(0, end);
    const lines = body.includes('\r') ? body.split(LINE_END) : body.split('\n');
    rest = lines.pop()! + text.slice(end);
    if (lines.length > 0) yield lines;
  }
  rest += decoder.end();
  if (rest === '') return;
  const lines = rest.split(LINE_END);
  if (lines[lines.length - 1] === '') lines.pop();
  yield lines;
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
  const included = options.include?.length ? picomatch(options.include, { dot: true }) : undefined;
  const excluded = options.exclude?.length ? picomatch(options.exclude, { dot: true }) : undefined;
  const gzip = !fromStdin && (await isGzip(options.file));
  if (options.follow && gzip)
    throw new ConfigError(`--follow reads a growing plain-text log; ${options.file} is gzip`);
  const nowMs = (options.now ?? Date.now)();

  /** The log's lines as text; `onRaw` sees the file's bytes as read (for its digest). */
  const open = (onRaw?: (chunk: Buffer) => void): Readable => {
    if (fromStdin) return options.stdin ?? process.stdin;
    const raw = createReadStream(options.file, { highWaterMark: READ_BYTES });
    if (onRaw) raw.on('data', (chunk) => onRaw(chunk as Buffer));
    if (!gzip) return raw;
    const gunzip = createGunzip();
    raw.on('error', (err) => gunzip.destroy(err));
    return raw.pipe(gunzip);
  };

  // A site's pages repeat from line to line; WHATWG URL parsing cost ~5 µs a line (BENCHMARKS.md).
  // A plain Map emptied when full: lru-cache's bookkeeping on every hit showed in the profile.
  const urls = new Map<string, TrackedUrl>();
  const item = (line: string, n: number): ImportItem | undefined => {
    const id = n;
    if (line.trim() === '') return undefined;
    if (line.length > MAX_LINE_CHARS) return { id, skip: 'line_too_long' };
    const f = read(line);
    if (!f) return { id, skip: 'unparsed' };
    if (Number.isNaN(f.ts)) return { id, skip: 'bad_timestamp' };
    if (f.ts < EARLIEST_MS || f.ts > nowMs) return { id, skip: 'out_of_range' };
    if (f.host && siteKey(f.host) !== site.domain) return { id, skip: 'other_site' };
    if (f.method !== 'GET') return { id, skip: 'not_get' };
    if (!((f.status >= 200 && f.status < 300) || f.status === 304)) return { id, skip: 'status' };
    // Keyed by what the line says (no URL string built per line): the target alone when the
    // format has no host, whose URLs are then all on the site's own domain (a line holds no
    // newline, so the two kinds of key never meet).
    const key = f.host ? `${f.host}\n${f.target}` : f.target;
    let url = urls.get(key);
    if (!url) {
      const href = `http://${f.host || site.domain}${f.target.startsWith('/') ? '' : '/'}${f.target}`;
      try {
        url = parseTrackedUrl(href);
      } catch (err) {
        if (err instanceof FootfallError) return { id, skip: 'bad_url' };
        throw err;
      }
      if (urls.size >= 10_000) urls.clear();
      urls.set(key, url);
    }
    const path = url.pathname;
    if (included ? !included(path) : STATIC_ASSET.test(path)) return { id, skip: 'not_a_page' };
    if (excluded?.(path)) return { id, skip: 'excluded' };
    return {
      id,
      event: {
        ts: f.ts,
        raw: pageviewEvent(url, [site.domain], f.referrer, ''),
        client: { ip: f.ip, userAgent: f.userAgent, acceptLanguage: '' },
      },
    };
  };

  // A read's lines go on as one array (run-import.ts says why).
  async function* items(): AsyncGenerator<ImportItem[]> {
    let n = 0;
    try {
      const input: AsyncIterable<string | string[]> = options.follow
        ? followLines(options.file, options.signal)
        : lineBatches(open());
      for await (const got of input) {
        const out: ImportItem[] = [];
        for (const line of typeof got === 'string' ? [got] : got) {
          n++;
          const it = item(line, n);
          if (it) out.push(it);
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
  // A followed log grows: neither counted nor recorded (it starts at the file's end).
  if (!fromStdin && !options.follow) {
    total = 0;
    const hash = createHash('sha256');
    let last = 10;
    try {
      for await (const chunk of open((bytes) => hash.update(bytes))) {
        const buf = chunk as Buffer;
        for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) total++;
        if (buf.length > 0) last = buf[buf.length - 1]!;
      }
    } catch (err) {
      throw gzipError(err, options.file, total);
    }
    if (last !== 10) total++;
    sha256 = hash.digest('hex');
  }
  return runImport(
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
}
