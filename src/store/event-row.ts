// The row the store keeps for each page view or event: what collect + enrich produce and the
// writer appends. Strings are '' when unknown (never null) so group-bys need no COALESCE;
// numbers the tracker may not send are null.

export interface EventRow {
  siteId: number;
  /** Server clock, UTC, milliseconds since the epoch. */
  ts: number;
  name: string;
  hostname: string;
  pathname: string;
  title: string;
  referrer: string;
  referrerHost: string;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  utmTerm: string;
  utmContent: string;
  /** At most 30 entries, string → string. */
  props: ReadonlyArray<readonly [string, string]>;
  interactive: boolean;
  /** Filled by enrichment; 0n when not computed. */
  visitorId: bigint;
  sessionId: bigint;
  browser: string;
  browserVersion: string;
  os: string;
  osVersion: string;
  device: string;
  screen: string;
  language: string;
  country: string;
  region: string;
  city: string;
  source: string;
  channel: string;
  /** Engagement events only: max scroll depth in percent (0–100) and visible time in ms. */
  scrollDepth: number | null;
  engagementMs: number | null;
  /**
   * Exact decimal text with three places ("29.990") and its ISO 4217 currency; both null or
   * absent without revenue (absent: rows built by code that never carries revenue).
   */
  revenueAmount?: string | null;
  revenueCurrency?: string | null;
}
