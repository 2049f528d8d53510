// A log file is read, split and parsed, and its page views' addresses located, in a worker
// thread; the import's own thread gets only what it needs: the page views, and each other
// line's reason in one byte. On the import's thread that work took about half of its time
// (BENCHMARKS.md, "The log read and parsed in a worker thread"), and the strings it made per
// line kept its garbage collector busy; the worker runs beside it on the other core, with a
// young generation sized for that garbage.
//
// The worker is this module again: its URL is the file it runs, the source file under tsx and
// the bundle (dist/footfall.js, whose CLI stays idle in a worker) when built.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { pageviewEvent, type TrackedUrl } from '../collect/raw-event.js';
import { cachedGeo, type GeoOptions, openGeo } from '../enrich/geo.js';
import { ConfigError } from '../server/config.js';
import { gzipError, lineBatches, logChunks } from './line-batches.js';
import { type LineRuleOptions, lineRule, SKIP_REASONS, URL_CACHE } from './log-lines.js';
import type { ImportItem } from './run-import.js';

export interface LogWorkerSpec extends LineRuleOptions {
  file: string;
  gzip: boolean;
  /**
   * The geo database the import uses (GeoLookup.opened): the worker looks each page view's
   * address up itself. Without it the import's thread does.
   */
  geo?: GeoOptions;
}

/** What a read's lines come as. */
interface Block {
  kind: 'block';
  /** The number of the block's first line. */
  first: number;
  /** A byte a line: BLANK, PAGE, or SKIP_BASE + the reason's index in SKIP_REASONS. */
  codes: Uint8Array;
  /** URLs the import's thread has not had yet, by number. */
  urlIds: number[];
  urls: TrackedUrl[];
  /** The page views, column by column. */
  ts: Float64Array;
  urlOf: Int32Array;
  referrer: string[];
  ip: string[];
  userAgent: string[];
  /** Each page view's place, when the worker looks addresses up (else empty). */
  country: string[];
  region: string[];
  city: string[];
}

type Message =
  | Block
  | { kind: 'end' }
  /** `config`: a damaged gzip file, said to the user as it is. */
  | { kind: 'error'; message: string; config: boolean };

const TAG = 'footfall-log-lines';
const BLANK = 0;
const PAGE = 1;
const SKIP_BASE = 2;
/**
 * Blocks the worker may post before the import takes one: reading stays ahead of the import by
 * a few MB, not by the whole file.
 */
const AHEAD = 4;
/**
 * The worker's young generation (V8's default is 16 MB): its garbage is each read's strings
 * and parse results, dead within the read, and a larger space is scavenged less often. 96 MB
 * measured no faster, with ~100 MB more peak RSS.
 */
const YOUNG_GENERATION_MB = 48;
/**
 * Slots of the URL table on both sides, a power of two above URL_CACHE: every URL a block names
 * was numbered among the last URL_CACHE numbers given, so two of them never share a slot.
 */
const URL_SLOTS = 1 << 14;
const URL_MASK = URL_SLOTS - 1;
if (URL_SLOTS <= URL_CACHE) throw new Error('URL_SLOTS must exceed URL_CACHE');

/** The worker: reads the file and posts its lines a read at a time, at most AHEAD unclaimed. */
async function work(spec: LogWorkerSpec): Promise<void> {
  const port = parentPort!;
  let credit = AHEAD;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    credit++;
    wake?.();
  });
  const rule = lineRule(spec);
  // The number of the URL held in each slot on the import's side.
  const sent = new Int32Array(URL_SLOTS).fill(-1);
  let n = 0;
  try {
    const geo = spec.geo && cachedGeo(await openGeo(spec.geo));
    for await (const lines of lineBatches(logChunks(spec.file, spec.gzip))) {
      const codes = new Uint8Array(lines.length);
      const block: Block = {
        kind: 'block',
        first: n + 1,
        codes,
        urlIds: [],
        urls: [],
        ts: new Float64Array(lines.length),
        urlOf: new Int32Array(lines.length),
        referrer: [],
        ip: [],
        userAgent: [],
        country: [],
        region: [],
        city: [],
      };
      let pages = 0;
      for (let i = 0; i < lines.length; i++) {
        const verdict = rule(lines[i]!);
        if (verdict === undefined) codes[i] = BLANK;
        else if (typeof verdict === 'string') codes[i] = SKIP_BASE + SKIP_REASONS.indexOf(verdict);
        else {
          codes[i] = PAGE;
          const slot = verdict.urlId & URL_MASK;
          if (sent[slot] !== verdict.urlId) {
            sent[slot] = verdict.urlId;
            block.urlIds.push(verdict.urlId);
            block.urls.push(verdict.url);
          }
          block.ts[pages] = verdict.ts;
          block.urlOf[pages] = verdict.urlId;
          block.referrer.push(verdict.referrer);
          block.ip.push(verdict.ip);
          block.userAgent.push(verdict.userAgent);
          if (geo) {
            const place = geo.lookup(verdict.ip);
            block.country.push(place.country);
            block.region.push(place.region);
            block.city.push(place.city);
          }
          pages++;
        }
      }
      n += lines.length;
      block.ts = block.ts.slice(0, pages);
      block.urlOf = block.urlOf.slice(0, pages);
      while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
      credit--;
      port.postMessage(block, [
        codes.buffer,
        block.ts.buffer as ArrayBuffer,
        block.urlOf.buffer as ArrayBuffer,
      ]);
    }
    port.postMessage({ kind: 'end' } satisfies Message);
  } catch (err) {
    const said = gzipError(err, spec.file, n);
    const message = said instanceof Error ? said.message : String(said);
    port.postMessage({ kind: 'error', message, config: said instanceof ConfigError } satisfies Message);
  }
}

if (!isMainThread && (workerData as { tag?: string } | null)?.tag === TAG) {
  void work((workerData as { spec: LogWorkerSpec }).spec);
}

/**
 * What the worker runs: this file. A worker does not inherit tsx's hooks, so a source file (a
 * single test run as `node --import tsx --test`) is loaded by a first script that registers them.
 */
function workerEntry(): { script: URL | string; evaluated: boolean } {
  if (!import.meta.url.endsWith('.ts')) return { script: new URL(import.meta.url), evaluated: false };
  const tsx = import.meta.resolve('tsx/esm/api');
  return {
    script: `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`,
    evaluated: true,
  };
}

export interface LogReader {
  /** The file's lines as the import takes them; once only. */
  items(): AsyncGenerator<ImportItem[]>;
  /** Stops the thread (items() does when it ends). */
  close(): Promise<void>;
}

/**
 * Starts reading the file in a worker thread at once (its start overlaps the import's own, such
 * as the digest pass). The items: the page views as events (of the site `domains` names) and
 * every other line as its reason; blank lines are not items.
 */
export function startLogReader(spec: LogWorkerSpec, domains: readonly string[]): LogReader {
  const entry = workerEntry();
  const worker = new Worker(entry.script, {
    eval: entry.evaluated,
    workerData: { tag: TAG, spec },
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  const queue: Message[] = [];
  let failure: unknown;
  let exited = false;
  let wake: (() => void) | undefined;
  const nudge = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  worker.on('message', (m: Message) => {
    queue.push(m);
    nudge();
  });
  worker.on('error', (err) => {
    failure ??= err;
    nudge();
  });
  worker.on('exit', (code) => {
    exited = true;
    failure ??= new Error(`the log reader's thread stopped (exit code ${code})`);
    nudge();
  });
  const close = async () => {
    await worker.terminate();
  };
  async function* items(): AsyncGenerator<ImportItem[]> {
    const urls: TrackedUrl[] = new Array(URL_SLOTS);
    try {
      for (;;) {
        while (queue.length === 0 && !exited && failure === undefined)
          await new Promise<void>((resolve) => (wake = resolve));
        const m = queue.shift();
        if (!m) throw failure;
        if (m.kind === 'end') return;
        if (m.kind === 'error') throw m.config ? new ConfigError(m.message) : new Error(m.message);
        worker.postMessage(1);
        const got = blockItems(m, urls, domains);
        if (got.length > 0) yield got;
      }
    } finally {
      await close();
    }
  }
  return { items, close };
}

/** A block's lines as items; `urls` holds the URLs of earlier blocks by slot. */
function blockItems(m: Block, urls: TrackedUrl[], domains: readonly string[]): ImportItem[] {
  for (let i = 0; i < m.urlIds.length; i++) urls[m.urlIds[i]! & URL_MASK] = m.urls[i]!;
  const items: ImportItem[] = [];
  const placed = m.country.length > 0;
  let page = 0;
  for (let i = 0; i < m.codes.length; i++) {
    const code = m.codes[i]!;
    if (code === BLANK) continue;
    const id = m.first + i;
    if (code !== PAGE) {
      items.push({ id, skip: SKIP_REASONS[code - SKIP_BASE]! });
      continue;
    }
    const url = urls[m.urlOf[page]! & URL_MASK]!;
    items.push({
      id,
      event: {
        ts: m.ts[page]!,
        raw: pageviewEvent(url, domains, m.referrer[page]!, ''),
        client: {
          ip: m.ip[page]!,
          userAgent: m.userAgent[page]!,
          acceptLanguage: '',
          place: placed
            ? { country: m.country[page]!, region: m.region[page]!, city: m.city[page]! }
            : undefined,
        },
      },
    });
    page++;
  }
  return items;
}
