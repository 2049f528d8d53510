// The events table's columns as the ingest journal carries them: for each column its JSON
// key in a journal line, the kind of value it holds there (engine-neutral: each engine's
// loader maps kinds to its own types), and how it is read from an EventRow. The journal
// encoder, its line checker and every engine's loader derive from this list.
import type { EventRow } from './event-row.js';

/**
 * text: a string; u8 / u32: an unsigned integer of that many bits; epoch_ms: milliseconds since
 * the epoch (a JSON number); u64: an unsigned 64-bit integer as a decimal string (JSON numbers
 * lose digits past 2^53); bool; props: an object of string values; decimal: an exact decimal
 * with three places as text ("29.990": a JSON number would round it through a float);
 * currency: an ISO 4217 code.
 */
export type ValueKind =
  | 'text'
  | 'u8'
  | 'u32'
  | 'epoch_ms'
  | 'u64'
  | 'bool'
  | 'props'
  | 'decimal'
  | 'currency';

export interface EventColumn {
  /** Column in the events table. */
  name: string;
  /** Key in a journal line (short: the journal is written for every event). */
  key: string;
  /** What a journal line holds for it (see ValueKind). */
  kind: ValueKind;
  /** The column takes NULL (every other one is NOT NULL in the events table). */
  nullable?: true;
  get: (r: EventRow) => unknown;
}

export const EVENT_COLUMNS: readonly EventColumn[] = [
  { name: 'site_id', key: 's', kind: 'u32', get: (r) => r.siteId },
  { name: 'ts', key: 't', kind: 'epoch_ms', get: (r) => r.ts },
  { name: 'name', key: 'n', kind: 'text', get: (r) => r.name },
  { name: 'hostname', key: 'h', kind: 'text', get: (r) => r.hostname },
  { name: 'pathname', key: 'p', kind: 'text', get: (r) => r.pathname },
  { name: 'title', key: 'ti', kind: 'text', get: (r) => r.title },
  { name: 'referrer', key: 'r', kind: 'text', get: (r) => r.referrer },
  { name: 'referrer_host', key: 'rh', kind: 'text', get: (r) => r.referrerHost },
  { name: 'utm_source', key: 'us', kind: 'text', get: (r) => r.utmSource },
  { name: 'utm_medium', key: 'um', kind: 'text', get: (r) => r.utmMedium },
  { name: 'utm_campaign', key: 'uc', kind: 'text', get: (r) => r.utmCampaign },
  { name: 'utm_term', key: 'ut', kind: 'text', get: (r) => r.utmTerm },
  { name: 'utm_content', key: 'uo', kind: 'text', get: (r) => r.utmContent },
  { name: 'props', key: 'pr', kind: 'props', get: (r) => Object.fromEntries(r.props) },
  { name: 'interactive', key: 'i', kind: 'bool', get: (r) => r.interactive },
  // 64-bit ids travel as decimal strings: JSON numbers lose precision past 2^53.
  { name: 'visitor_id', key: 'v', kind: 'u64', get: (r) => r.visitorId.toString() },
  { name: 'session_id', key: 'se', kind: 'u64', get: (r) => r.sessionId.toString() },
  { name: 'browser', key: 'b', kind: 'text', get: (r) => r.browser },
  { name: 'browser_version', key: 'bv', kind: 'text', get: (r) => r.browserVersion },
  { name: 'os', key: 'o', kind: 'text', get: (r) => r.os },
  { name: 'os_version', key: 'ov', kind: 'text', get: (r) => r.osVersion },
  { name: 'device', key: 'd', kind: 'text', get: (r) => r.device },
  { name: 'screen', key: 'sc', kind: 'text', get: (r) => r.screen },
  { name: 'language', key: 'l', kind: 'text', get: (r) => r.language },
  { name: 'country', key: 'c', kind: 'text', get: (r) => r.country },
  { name: 'region', key: 'rg', kind: 'text', get: (r) => r.region },
  { name: 'city', key: 'ci', kind: 'text', get: (r) => r.city },
  { name: 'source', key: 'so', kind: 'text', get: (r) => r.source },
  { name: 'channel', key: 'ch', kind: 'text', get: (r) => r.channel },
  { name: 'scroll_depth', key: 'sd', kind: 'u8', nullable: true, get: (r) => r.scrollDepth },
  { name: 'engagement_ms', key: 'e', kind: 'u32', nullable: true, get: (r) => r.engagementMs },
  // Revenue (issue 15), added after journals were written without these keys: a line without
  // them loads as an event without revenue, so only nullable columns may be added here.
  { name: 'revenue_amount', key: 'ra', kind: 'decimal', nullable: true, get: (r) => r.revenueAmount ?? null },
  {
    name: 'revenue_currency',
    key: 'rc',
    kind: 'currency',
    nullable: true,
    get: (r) => r.revenueCurrency ?? null,
  },
];
