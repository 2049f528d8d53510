// The events table's columns as the ingest journal carries them: for each column its JSON
// key in a journal line, the type DuckDB's JSON reader parses it as, and how it is read
// from an EventRow. The journal encoder and the store's loader both derive from this list.
import type { EventRow } from './event-row.js';

export interface EventColumn {
  /** Column in the events table. */
  name: string;
  /** Key in a journal line (short: the journal is written for every event). */
  key: string;
  /** Type for DuckDB's read_json; the loader converts where the table's type differs. */
  jsonType: string;
  /** The column takes NULL (every other one is NOT NULL in the events table). */
  nullable?: true;
  get: (r: EventRow) => unknown;
}

export const EVENT_COLUMNS: readonly EventColumn[] = [
  { name: 'site_id', key: 's', jsonType: 'UINTEGER', get: (r) => r.siteId },
  { name: 'ts', key: 't', jsonType: 'BIGINT', get: (r) => r.ts },
  { name: 'name', key: 'n', jsonType: 'VARCHAR', get: (r) => r.name },
  { name: 'hostname', key: 'h', jsonType: 'VARCHAR', get: (r) => r.hostname },
  { name: 'pathname', key: 'p', jsonType: 'VARCHAR', get: (r) => r.pathname },
  { name: 'title', key: 'ti', jsonType: 'VARCHAR', get: (r) => r.title },
  { name: 'referrer', key: 'r', jsonType: 'VARCHAR', get: (r) => r.referrer },
  { name: 'referrer_host', key: 'rh', jsonType: 'VARCHAR', get: (r) => r.referrerHost },
  { name: 'utm_source', key: 'us', jsonType: 'VARCHAR', get: (r) => r.utmSource },
  { name: 'utm_medium', key: 'um', jsonType: 'VARCHAR', get: (r) => r.utmMedium },
  { name: 'utm_campaign', key: 'uc', jsonType: 'VARCHAR', get: (r) => r.utmCampaign },
  { name: 'utm_term', key: 'ut', jsonType: 'VARCHAR', get: (r) => r.utmTerm },
  { name: 'utm_content', key: 'uo', jsonType: 'VARCHAR', get: (r) => r.utmContent },
  { name: 'props', key: 'pr', jsonType: 'MAP(VARCHAR, VARCHAR)', get: (r) => Object.fromEntries(r.props) },
  { name: 'interactive', key: 'i', jsonType: 'BOOLEAN', get: (r) => r.interactive },
  // 64-bit ids travel as decimal strings: JSON numbers lose precision past 2^53.
  { name: 'visitor_id', key: 'v', jsonType: 'UBIGINT', get: (r) => r.visitorId.toString() },
  { name: 'session_id', key: 'se', jsonType: 'UBIGINT', get: (r) => r.sessionId.toString() },
  { name: 'browser', key: 'b', jsonType: 'VARCHAR', get: (r) => r.browser },
  { name: 'browser_version', key: 'bv', jsonType: 'VARCHAR', get: (r) => r.browserVersion },
  { name: 'os', key: 'o', jsonType: 'VARCHAR', get: (r) => r.os },
  { name: 'os_version', key: 'ov', jsonType: 'VARCHAR', get: (r) => r.osVersion },
  { name: 'device', key: 'd', jsonType: 'VARCHAR', get: (r) => r.device },
  { name: 'screen', key: 'sc', jsonType: 'VARCHAR', get: (r) => r.screen },
  { name: 'language', key: 'l', jsonType: 'VARCHAR', get: (r) => r.language },
  { name: 'country', key: 'c', jsonType: 'VARCHAR', get: (r) => r.country },
  { name: 'region', key: 'rg', jsonType: 'VARCHAR', get: (r) => r.region },
  { name: 'city', key: 'ci', jsonType: 'VARCHAR', get: (r) => r.city },
  { name: 'source', key: 'so', jsonType: 'VARCHAR', get: (r) => r.source },
  { name: 'channel', key: 'ch', jsonType: 'VARCHAR', get: (r) => r.channel },
  { name: 'scroll_depth', key: 'sd', jsonType: 'UTINYINT', nullable: true, get: (r) => r.scrollDepth },
  { name: 'engagement_ms', key: 'e', jsonType: 'UINTEGER', nullable: true, get: (r) => r.engagementMs },
];
