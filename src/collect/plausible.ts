// Plausible's Events API body (https://plausible.io/docs/events-api): long or one-letter
// field names, props as an object or a JSON string. Footfall's own tracker sends the same
// shape plus `t` (title), `w` (screen width), `l` (language), `sd`/`e` (engagement).
import { isUtf8 } from 'node:buffer';
import { footfallError } from '../errors.js';
import { LIMITS } from './limits.js';
import type { RawEvent } from './raw-event.js';
import { parseRevenue } from './revenue-input.js';
import { byteLength, checkText, clampReferrer, optionalText, truncateChars } from './text.js';
import { parseTrackedUrl } from './tracked-url.js';

type Json = Record<string, unknown>;

/** Bytes → JSON object, with the 4xx for every way that can fail. */
export function parseJsonObject(body: Buffer): Json {
  if (!isUtf8(body)) throw footfallError('FOOTFALL_ERR_INVALID_ENCODING', 'body');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw footfallError('FOOTFALL_ERR_INVALID_JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw footfallError('FOOTFALL_ERR_NOT_AN_OBJECT');
  }
  return value as Json;
}

function pick(body: Json, long: string, short: string): unknown {
  return body[long] !== undefined ? body[long] : body[short];
}

function optionalInt(value: unknown, field: string, min: number, max: number): number | null {
  if (value === undefined || value === null) return null;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) {
    throw footfallError('FOOTFALL_ERR_INVALID_FIELD', `${field} must be a number from ${min} to ${max}`);
  }
  return Math.round(n);
}

export function parseName(value: unknown): string {
  if (typeof value !== 'string') throw footfallError('FOOTFALL_ERR_INVALID_NAME', 'name is required');
  const name = checkText(value, 'name').trim();
  if (name.length === 0 || [...name].length > LIMITS.nameChars)
    throw footfallError('FOOTFALL_ERR_INVALID_NAME');
  return name;
}

/** Props: an object (or its JSON text) of ≤ 30 scalar values; null values are skipped. */
export function parseProps(value: unknown): Array<[string, string]> {
  if (value === undefined || value === null) return [];
  let obj = value;
  if (typeof obj === 'string') {
    try {
      obj = JSON.parse(obj);
    } catch {
      throw footfallError('FOOTFALL_ERR_INVALID_PROPS', 'not valid JSON');
    }
    if (obj === null) return [];
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw footfallError('FOOTFALL_ERR_INVALID_PROPS', 'not an object');
  }
  const entries = Object.entries(obj as Json);
  if (entries.length > LIMITS.props)
    throw footfallError('FOOTFALL_ERR_INVALID_PROPS', `${entries.length} props`);
  const props: Array<[string, string]> = [];
  for (const [key, raw] of entries) {
    if (raw === null || raw === undefined) continue;
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      throw footfallError(
        'FOOTFALL_ERR_INVALID_PROPS',
        `value of "${truncateChars(key, 40)}" is not a scalar`,
      );
    }
    const v = String(raw);
    checkText(key, 'props');
    checkText(v, 'props');
    if (key.length === 0 || byteLength(key) > LIMITS.propKeyBytes) {
      throw footfallError('FOOTFALL_ERR_INVALID_PROPS', 'key length');
    }
    if (byteLength(v) > LIMITS.propValueBytes)
      throw footfallError('FOOTFALL_ERR_INVALID_PROPS', 'value length');
    props.push([key, v]);
  }
  return props;
}

function parseDomains(value: unknown, hostname: string): string[] {
  const text = optionalText(value, 'domain');
  if (text === '') return [hostname];
  const domains = text
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  if (domains.length === 0 || domains.length > 10 || domains.some((d) => d.length > 253)) {
    throw footfallError('FOOTFALL_ERR_INVALID_FIELD', 'domain must name 1 to 10 sites');
  }
  return domains;
}

export function fromPlausibleBody(body: Json): RawEvent {
  const name = parseName(pick(body, 'name', 'n'));
  const hash = pick(body, 'hash', 'h');
  const url = parseTrackedUrl(pick(body, 'url', 'u'), hash === true || hash === 1);
  const interactive = pick(body, 'interactive', 'i');
  return {
    name,
    url,
    domains: parseDomains(pick(body, 'domain', 'd'), url.hostname),
    referrer: clampReferrer(optionalText(pick(body, 'referrer', 'r'), 'referrer')),
    title: truncateChars(optionalText(pick(body, 'title', 't'), 'title'), LIMITS.titleChars),
    props: parseProps(pick(body, 'props', 'p')),
    interactive: interactive !== false && interactive !== 0,
    screenWidth: optionalInt(pick(body, 'screen_width', 'w'), 'screen_width', 0, 100_000),
    language: truncateChars(optionalText(pick(body, 'language', 'l'), 'language'), 35),
    scrollDepth: optionalInt(pick(body, 'scroll_depth', 'sd'), 'scroll_depth', 0, 100),
    engagementMs: optionalInt(pick(body, 'engagement_time', 'e'), 'engagement_time', 0, 86_400_000),
    revenue: parseRevenue(pick(body, 'revenue', '$'), body.revenue !== undefined ? 'revenue' : '$'),
  };
}
