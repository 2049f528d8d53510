// Umami's collect API (POST /api/send): `{type: "event" | "identify", payload: {website,
// hostname, url, referrer, title, screen, language, name, data, tag}}`. The site is named by
// its Umami website id (`footfall site add … --umami-id`), so Umami's script and @umami/node
// work by changing only their host. `identify` (session data) is accepted and not stored.
import { footfallError } from '../errors.js';
import { LIMITS } from './limits.js';
import { parseName, parseProps } from './plausible.js';
import type { RawEvent } from './raw-event.js';
import { revenueOf } from './revenue-input.js';
import { clampReferrer, optionalText, truncateChars } from './text.js';
import { parseTrackedUrl } from './tracked-url.js';

type Json = Record<string, unknown>;

/** Umami allows nested event data; Footfall props are flat strings, so nested values become JSON text. */
function flatData(data: unknown): unknown {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return data;
  return Object.fromEntries(
    Object.entries(data as Json).map(([k, v]) => [
      k,
      v !== null && typeof v === 'object' ? JSON.stringify(v) : v,
    ]),
  );
}

/**
 * @param siteDomain the domain of the site with this Umami website id, undefined when none.
 * @returns undefined for an `identify` call (nothing to store).
 */
export function fromUmamiBody(
  body: Json,
  siteDomain: (websiteId: string) => string | undefined,
): RawEvent | undefined {
  const type = body.type ?? 'event';
  if (type !== 'event' && type !== 'identify') {
    throw footfallError('FOOTFALL_ERR_INVALID_FIELD', 'type must be "event" or "identify"');
  }
  const payload = body.payload;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw footfallError('FOOTFALL_ERR_INVALID_FIELD', 'payload must be an object');
  }
  const p = payload as Json;
  const website = optionalText(p.website, 'website');
  if (website === '' || website.length > 100)
    throw footfallError('FOOTFALL_ERR_INVALID_FIELD', 'payload.website must be a website id');
  if (type === 'identify') return undefined;

  const domain = siteDomain(website);
  const hostname = optionalText(p.hostname, 'hostname') || domain || 'unknown.invalid';
  // Umami's script sends a path ("/page?x=1"), newer ones a full URL; @umami/node may send none.
  const rawUrl = optionalText(p.url, 'url') || '/';
  const url = parseTrackedUrl(rawUrl.startsWith('/') ? `https://${hostname}${rawUrl}` : rawUrl);
  const screen = /^(\d{1,6})x\d{1,6}$/.exec(optionalText(p.screen, 'screen'));
  const name = p.name === undefined || p.name === null || p.name === '' ? 'pageview' : parseName(p.name);
  return {
    name,
    url,
    // An unknown website id is looked up as itself and counted as an unknown site.
    domains: [domain ?? website],
    referrer: clampReferrer(optionalText(p.referrer, 'referrer')),
    title: truncateChars(optionalText(p.title, 'title'), LIMITS.titleChars),
    props: parseProps(flatData(p.data)),
    interactive: true,
    screenWidth: screen ? Number(screen[1]) : null,
    language: truncateChars(optionalText(p.language, 'language'), 35),
    scrollDepth: null,
    engagementMs: null,
    revenue: umamiRevenue(p.data),
  };
}

/**
 * Umami's revenue: event data with a `revenue` amount and its `currency` (Umami's revenue report
 * reads these two keys). They stay in the props too, as Umami keeps them in its event data.
 */
function umamiRevenue(data: unknown): RawEvent['revenue'] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  const d = data as Json;
  if (d.revenue === undefined || d.revenue === null) return null;
  return revenueOf(d.revenue, d.currency, 'payload.data.revenue', 'payload.data.currency');
}
