// What `footfall import logs` makes of one line of an access log: a page view, or why the line
// is left out. Only what a visitor's browser asked for as a page counts by default: GET
// requests answered 2xx or 304, whose path is not a static asset; --include and --exclude (globs
// on the path) change that. Used on the import's own thread (standard input, --follow) and in
// the thread that reads a file (log-worker.ts).
import picomatch from 'picomatch';
import { pageviewEvent, type TrackedUrl } from '../collect/raw-event.js';
import { parseTrackedUrl } from '../collect/tracked-url.js';
import { FootfallError } from '../errors.js';
import { siteKey } from '../sites/domain.js';
import { type LineReader, logReader } from './log-format.js';
import type { ImportItem } from './run-import.js';

export interface LineRuleOptions {
  /** `combined`, `common`, `caddy`, … or `log:<template>` (log-format.ts). */
  format: string;
  /** The site's domain: a line naming another host is another site's. */
  domain: string;
  /** Globs on the path: only matching paths are imported (static assets too). */
  include?: string[];
  /** Globs on the path never imported. */
  exclude?: string[];
  /** Lines after this instant are out of range (the clock at the import's start). */
  nowMs: number;
}

/** A line that is a page view. */
export interface PageLine {
  ts: number;
  url: TrackedUrl;
  /**
   * The URL's number: lines of the same URL share it while it stays in the rule's cache; a
   * new number for every URL parsed anew (numbers are never given twice).
   */
  urlId: number;
  referrer: string;
  ip: string;
  userAgent: string;
}

/** Why a line is left out, as the import's summary counts it. */
export const SKIP_REASONS = [
  'line_too_long',
  'unparsed',
  'bad_timestamp',
  'out_of_range',
  'other_site',
  'not_get',
  'status',
  'bad_url',
  'not_a_page',
  'excluded',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** URLs the rule keeps parsed: a site's pages repeat from line to line. */
export const URL_CACHE = 10_000;

/** What a browser fetches besides pages. */
const STATIC_ASSET =
  /\.(css|js|mjs|map|png|jpe?g|gif|svg|ico|webp|avif|bmp|woff2?|ttf|otf|eot|mp4|webm|mp3|wav|ogg|zip|gz|json|xml|txt|wasm)$/i;
const EARLIEST_MS = Date.UTC(1990, 0, 1);
/** Longer lines are skipped unread: no page request needs more. */
const MAX_LINE_CHARS = 16 * 1024;

/** A line's item as the import takes it (standard input's and --follow's path, and tests). */
export function lineItem(id: number, verdict: PageLine | SkipReason, domains: readonly string[]): ImportItem {
  if (typeof verdict === 'string') return { id, skip: verdict };
  return {
    id,
    event: {
      ts: verdict.ts,
      raw: pageviewEvent(verdict.url, domains, verdict.referrer, ''),
      client: { ip: verdict.ip, userAgent: verdict.userAgent, acceptLanguage: '' },
    },
  };
}

/** A page view, why the line is left out, or undefined for a blank line (not counted). */
export type LineRule = (line: string) => PageLine | SkipReason | undefined;

export function lineRule(options: LineRuleOptions): LineRule {
  const read: LineReader = logReader(options.format);
  const domain = options.domain;
  const nowMs = options.nowMs;
  const included = options.include?.length ? picomatch(options.include, { dot: true }) : undefined;
  const excluded = options.exclude?.length ? picomatch(options.exclude, { dot: true }) : undefined;
  // WHATWG URL parsing cost ~5 µs a line (BENCHMARKS.md). A plain Map emptied when full:
  // lru-cache's bookkeeping on every hit showed in the profile.
  const urls = new Map<string, { url: TrackedUrl; id: number }>();
  let nextId = 0;
  return (line) => {
    if (line.trim() === '') return undefined;
    if (line.length > MAX_LINE_CHARS) return 'line_too_long';
    const f = read(line);
    if (!f) return 'unparsed';
    if (Number.isNaN(f.ts)) return 'bad_timestamp';
    if (f.ts < EARLIEST_MS || f.ts > nowMs) return 'out_of_range';
    if (f.host && siteKey(f.host) !== domain) return 'other_site';
    if (f.method !== 'GET') return 'not_get';
    if (!((f.status >= 200 && f.status < 300) || f.status === 304)) return 'status';
    // Keyed by what the line says (no URL string built per line): the target alone when the
    // format has no host, whose URLs are then all on the site's own domain (a line holds no
    // newline, so the two kinds of key never meet).
    const key = f.host ? `${f.host}\n${f.target}` : f.target;
    let known = urls.get(key);
    if (!known) {
      const href = `http://${f.host || domain}${f.target.startsWith('/') ? '' : '/'}${f.target}`;
      let url: TrackedUrl;
      try {
        url = parseTrackedUrl(href);
      } catch (err) {
        if (err instanceof FootfallError) return 'bad_url';
        throw err;
      }
      if (urls.size >= URL_CACHE) urls.clear();
      known = { url, id: nextId++ };
      urls.set(key, known);
    }
    const path = known.url.pathname;
    if (included ? !included(path) : STATIC_ASSET.test(path)) return 'not_a_page';
    if (excluded?.(path)) return 'excluded';
    return {
      ts: f.ts,
      url: known.url,
      urlId: known.id,
      referrer: f.referrer,
      ip: f.ip,
      userAgent: f.userAgent,
    };
  };
}
