// The shapes of the HTTP API the dashboard talks to (the Stats API v2 contract and the
// accounts API). Only what the dashboard reads is declared; everything arriving is still
// checked where it is used, because a tracked string is hostile and a field may be missing.

// Metric names and filter operators are the query model's own (types only: nothing of the
// server is bundled).
import type { FilterOperator, Metric } from '../../query/model.js';

export type { Metric };
export type FilterOp = FilterOperator;

/** A leaf filter as the dashboard builds it: ["is", "event:page", ["/about"]]. */
export type SimpleFilter = [FilterOp, string, string[]];

export type Filter = SimpleFilter | ['and' | 'or', Filter[]] | ['not', Filter];

/** A symbolic range the API resolves in the site's time zone, or explicit [from, to]. */
export type ApiDateRange =
  | 'day'
  | '7d'
  | '30d'
  | 'month'
  | '6mo'
  | '12mo'
  | 'year'
  | 'all'
  | [string, string];

/** What a period is compared with (the API's `include.comparisons`). */
export type Comparison =
  | { mode: 'previous_period' | 'year_over_year' }
  | { mode: 'custom'; date_range: [string, string] };

export interface QueryRequest {
  site_id: string;
  metrics: Metric[];
  date_range: ApiDateRange;
  dimensions?: string[];
  filters?: Filter[];
  order_by?: [string, 'asc' | 'desc'][];
  include?: {
    time_labels?: boolean;
    total_rows?: boolean;
    comparisons?: Comparison;
    imports?: boolean;
  };
  pagination?: { limit: number; offset: number };
}

/** Dimension values are strings, or numbers for numeric ones (time:hour_of_day, time:day_of_week). */
export type DimensionValue = string | number;

/** A revenue metric's value as the API answers it (README, "Revenue"). */
export interface Money {
  value: number;
  currency: string;
  short: string;
  long: string;
}

export interface QueryRow {
  dimensions: DimensionValue[];
  /** Numbers; a revenue metric's amount here, its currency in `money` (api/stats.ts). */
  metrics: (number | null)[];
  /** Revenue metrics as answered, at their metric's index (other metrics null); absent without revenue. */
  money?: (Money | null)[];
  comparison?: { dimensions: DimensionValue[]; metrics: (number | null)[]; change: (number | null)[] };
}

/** A row's dimension as text (the form filters take). */
export function dimensionText(row: QueryRow, index = 0): string {
  const v = row.dimensions[index];
  return v === undefined || v === null ? '' : String(v);
}

export interface QueryResponse {
  results: QueryRow[];
  meta: { time_labels?: string[]; total_rows?: number; [key: string]: unknown };
  query: { date_range?: [string, string]; [key: string]: unknown };
}

export interface RealtimeResponse {
  /** The last 5 minutes. */
  visitors: number;
  /** The last 30 minutes. */
  pages: { page: string; visitors: number }[];
  sources?: { source: string; visitors: number }[];
}

export interface JourneysRequest {
  site_id: string;
  date_range: ApiDateRange;
  filters?: Filter[];
  steps?: number;
  limit?: number;
}

export interface JourneysResponse {
  /** `visits` counts the visits holding the sequence (the contract's draft called it `sessions`). */
  journeys: { pages: string[]; visits?: number; sessions?: number }[];
  samples: { pages: string[] }[];
}

export type FunnelType = 'sequential' | 'strict' | 'flexible';

export interface FunnelRequest {
  site_id: string;
  date_range: ApiDateRange;
  filters?: Filter[];
  funnel_id: number;
}

/** POST /api/v2/funnel's answer (README "Funnels"). */
export interface FunnelResponse {
  name: string | null;
  funnel_type: FunnelType;
  all_visitors: number;
  entering_visitors: number;
  never_entering_visitors: number;
  steps: {
    label: string;
    visitors: number;
    conversion_rate: number;
    conversion_rate_step: number;
    dropoff: number;
    dropoff_percentage: number;
  }[];
}

export interface PropKeysRequest {
  site_id: string;
  date_range: ApiDateRange;
  filters?: Filter[];
  limit?: number;
}

export interface PropKeysResponse {
  /** Most-used first. */
  keys: { key: string; events: number }[];
}

export type Role = 'owner' | 'admin' | 'viewer' | string;

export interface Me {
  user: { id: string | number; email: string; role: Role };
  csrf: string;
}

export interface SiteInfo {
  domain: string;
  timezone: string;
  umamiId?: string | null;
  /** Months the site keeps its events; null: forever. */
  retentionMonths?: number | null;
  /** The date of the oldest event kept (YYYY-MM-DD, site's zone); null: none yet. */
  oldestEvent?: string | null;
  role?: Role;
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}

export interface ShareInfo {
  id: string;
  url: string;
  hasPassword: boolean;
  embeddable: boolean;
  /** The site segment the link is limited to, if any. */
  segmentId?: number | null;
  createdAt: string;
}

/** A goal as /api/sites/<domain>/goals lists it. */
/** A saved segment (GET /api/sites/<domain>/segments). */
export interface SegmentInfo {
  id: number;
  name: string;
  type: 'personal' | 'site';
  filters: Filter[];
}

export interface GoalInfo {
  id: number;
  name: string;
  kind: 'event' | 'page' | 'scroll';
  event: string | null;
  page: string | null;
  scroll: number | null;
  props: Record<string, string>;
  /** A revenue goal's currency (ISO 4217). */
  currency?: string | null;
}

/** A saved funnel as /api/sites/<domain>/funnels lists it. */
export interface FunnelInfo {
  id: number;
  name: string;
  type: FunnelType;
  steps: { goal_id: number; name: string }[];
}

/** A goal as it is made: an event name, or a page path (with a scroll threshold). */
export interface NewGoalInput {
  event?: string;
  page?: string;
  scroll?: number;
  props?: Record<string, string>;
  name?: string;
  currency?: string;
}

export interface ApiKeyInfo {
  id: string | number;
  name: string;
  sites?: string[];
  readOnly?: boolean;
  createdAt?: string;
  lastUsedAt?: string | null;
}

export interface UserInfo {
  id: number;
  email: string;
  /** An owner sees and manages every site; a member only the sites they are given. */
  role: 'owner' | 'member' | string;
  createdAt: string;
  /** Has not used their invitation link yet. */
  invited?: boolean;
}

export interface MemberInfo {
  userId: string | number;
  email: string;
  role: Role;
}
