// The one shape every tracking adapter (seed beacon, Plausible, Umami, Footfall's tracker)
// produces. Everything here has already passed the input checks in text.ts and tracked-url.ts.
import type { GeoInfo } from '../enrich/geo.js';
import type { Money } from '../revenue/money.js';
import { LIMITS } from './limits.js';
import { clampReferrer, truncateChars } from './text.js';

export interface TrackedUrl {
  hostname: string;
  pathname: string;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  utmTerm: string;
  utmContent: string;
}

export interface RawEvent {
  name: string;
  url: TrackedUrl;
  /** The site named in the payload (Plausible's `domain`); the URL's hostname otherwise. */
  domains: readonly string[];
  referrer: string;
  title: string;
  props: ReadonlyArray<readonly [string, string]>;
  interactive: boolean;
  screenWidth: number | null;
  language: string;
  scrollDepth: number | null;
  engagementMs: number | null;
  /** A purchase's amount and currency (revenue-input.ts); null on other events. */
  revenue?: Money | null;
}

/** What the request itself tells about the visitor; used by enrichment, then discarded. */
export interface ClientInfo {
  ip: string;
  userAgent: string;
  acceptLanguage: string;
  /**
   * What an import already knows instead of an IP and a user agent (GoatCounter's export keeps
   * browser, system and location, not the request): used as it is, no lookup made.
   */
  known?: KnownClient;
  /** Where the address is, looked up beforehand (a log import's reading thread): no lookup made. */
  place?: GeoInfo;
}

export interface KnownClient {
  browser: string;
  browserVersion: string;
  os: string;
  osVersion: string;
  device: 'Desktop' | 'Mobile' | 'Tablet' | '';
  country: string;
  region: string;
  city: string;
  /** The visit's source when the export names it without a referrer URL ("Hacker News"). */
  source?: string;
}

/**
 * A plain page view — what the seed's beacon and every import record: a page, where the
 * visitor came from and the page's title (cut as the tracking endpoints cut them), nothing else.
 */
export function pageviewEvent(
  url: TrackedUrl,
  domains: readonly string[],
  referrer: string,
  title: string,
): RawEvent {
  return {
    name: 'pageview',
    url,
    domains,
    referrer: clampReferrer(referrer),
    title: truncateChars(title, LIMITS.titleChars),
    props: [],
    interactive: true,
    screenWidth: null,
    language: '',
    scrollDepth: null,
    engagementMs: null,
    revenue: null,
  };
}
