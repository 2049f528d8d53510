// The readable source of a visit ("Google", "Hacker News", "example.org") from its referrer host
// and utm_source, and the category of known sources, which the channel rules key on. Which hosts
// and spellings mean which source is data (./data/sources.json), so adding one is a data change.
import { siteKey } from '../sites/domain.js';
import data from './data/sources.json' with { type: 'json' };

/** The source of a visit with no external referrer and no utm_source. */
export const DIRECT_SOURCE = 'Direct / None';

export type SourceCategory = 'search' | 'social' | 'video' | 'email' | 'shopping' | 'ai' | 'other';

export interface SourceInput {
  /** Host of the Referer, as parseReferrer gives it ('' when there is none). */
  referrerHost: string;
  /** The landing URL's utm_source ('' when absent). */
  utmSource: string;
  /** The site's own domain, so that links within the site are not counted as a source. */
  siteDomain: string;
}

interface Known {
  name: string;
  category: SourceCategory;
}

/** The shape of one entry in sources.json; checked at load so a typo fails the tests, not a report. */
interface Entry {
  name: string;
  category: string;
  hosts: string[];
  aliases?: string[] | undefined;
}

const CATEGORIES: ReadonlySet<string> = new Set<SourceCategory>([
  'search',
  'social',
  'video',
  'email',
  'shopping',
  'ai',
  'other',
]);

// utm_source is free text typed by whoever built the link: keep it readable in a report row.
const MAX_TAGGED_LENGTH = 100;
// Control characters in a stored source could drive a terminal when the CLI prints it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// A utm_source spelled as a domain ("news.ycombinator.com") is looked up like a referrer host.
const HOST_LIKE = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;
// Second-level labels under which countries register brands: google.co.uk, amazon.com.br, google.co.jp.
const SECOND_LEVEL = new Set(['co', 'com', 'ne', 'or', 'ac', 'go', 'gob', 'org', 'net']);
const COUNTRY = /^[a-z]{2}$/;

/** Exact host or parent domain → source (mail.google.com, t.co, reddit.com for old.reddit.com). */
const byHost = new Map<string, Known>();
/** Brand label → source, for 'brand.*' entries (google.de, yandex.com.tr). */
const byBrand = new Map<string, Known>();
/** Lowercased utm_source spelling or name → source. */
const byAlias = new Map<string, Known>();

function addUnique(map: Map<string, Known>, key: string, known: Known, what: string): void {
  const seen = map.get(key);
  if (seen !== undefined && seen !== known) {
    throw new Error(`sources.json: ${what} "${key}" is claimed by both ${seen.name} and ${known.name}`);
  }
  map.set(key, known);
}

function load(entries: readonly Entry[]): void {
  for (const entry of entries) {
    if (!CATEGORIES.has(entry.category)) {
      throw new Error(`sources.json: ${entry.name} has unknown category "${entry.category}"`);
    }
    const known: Known = { name: entry.name, category: entry.category as SourceCategory };
    for (const host of entry.hosts) {
      if (host.endsWith('.*')) addUnique(byBrand, host.slice(0, -2), known, 'brand');
      else addUnique(byHost, host, known, 'host');
    }
    addUnique(byAlias, entry.name.toLowerCase(), known, 'name');
    for (const alias of entry.aliases ?? []) addUnique(byAlias, alias, known, 'alias');
  }
}

load(data.sources);

/** As siteKey (lower case, no trailing dot, no www.), also dropping a port typed into utm_source. */
function normaliseHost(host: string): string {
  const h = host.trim();
  const colon = h.lastIndexOf(':');
  return siteKey(colon !== -1 && /^\d+$/.test(h.slice(colon + 1)) ? h.slice(0, colon) : h);
}

/** True when the labels from `from` on look like a country or .com suffix: de, com, co.uk, com.br. */
function isCountrySuffix(labels: readonly string[], from: number): boolean {
  const rest = labels.length - from;
  const first = labels[from] ?? '';
  if (rest === 1) return first === 'com' || COUNTRY.test(first);
  if (rest === 2) return SECOND_LEVEL.has(first) && COUNTRY.test(labels[from + 1] ?? '');
  return false;
}

function knownByHost(host: string): Known | undefined {
  // The most specific listed domain wins, so mail.google.com is Gmail before google.* is Google.
  for (let at = 0; at !== -1; ) {
    const hit = byHost.get(at === 0 ? host : host.slice(at));
    if (hit !== undefined) return hit;
    const dot = host.indexOf('.', at);
    at = dot === -1 ? -1 : dot + 1;
  }
  const labels = host.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const hit = byBrand.get(labels[i] ?? '');
    if (hit !== undefined && isCountrySuffix(labels, i + 1)) return hit;
  }
  return undefined;
}

function knownByName(value: string): Known | undefined {
  const key = value.trim().toLowerCase();
  const alias = byAlias.get(key);
  if (alias !== undefined) return alias;
  const host = normaliseHost(key);
  return HOST_LIKE.test(host) ? knownByHost(host) : undefined;
}

function isWithinSite(host: string, siteDomain: string): boolean {
  return siteDomain !== '' && (host === siteDomain || host.endsWith(`.${siteDomain}`));
}

function cleanTagged(tagged: string): string {
  const text = tagged.replace(CONTROL, '').trim();
  if (text.length <= MAX_TAGGED_LENGTH) return text;
  // Cut by code points so an emoji is not split into a lone surrogate.
  return Array.from(text).slice(0, MAX_TAGGED_LENGTH).join('').trim();
}

/**
 * The source shown in reports. utm_source wins when present (known spellings normalised, others
 * kept as given); otherwise a known referrer host's name, else the host itself. No referrer, or a
 * referrer within the site, is DIRECT_SOURCE.
 */
export function sourceOf(input: SourceInput): string {
  const tagged = cleanTagged(input.utmSource);
  if (tagged !== '') return knownByName(tagged)?.name ?? tagged;
  const host = normaliseHost(input.referrerHost);
  if (host === '' || isWithinSite(host, normaliseHost(input.siteDomain))) return DIRECT_SOURCE;
  return knownByHost(host)?.name ?? host;
}

/** The category of a source as sourceOf returns it (or a raw spelling or host); undefined when unknown. */
export function sourceCategory(source: string): SourceCategory | undefined {
  return knownByName(source)?.category;
}
