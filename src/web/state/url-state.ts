// The dashboard's whole state lives in the URL's query string, so reload, the back button
// and a shared link all restore it:
//   ?period=7d&compare=1&metric=pageviews&f=is,event:page,/about&f=contains,visit:source,goo
// compare=1 is the previous period, compare=yoy the same dates a year before, and
// compare=custom&cfrom=…&cto=… any range; interval=hour|day|week|month picks the chart's bucket;
// imports=1 merges imported data in.
// Defaults are left out. A filter is its operator, dimension and values joined by commas;
// a comma or backslash inside a part is escaped with a backslash. Anything that does not
// decode to a valid state is dropped (a bad link shows the default dashboard, never an error).
import type { FilterOp, SimpleFilter } from '../api/types.js';
import { INTERVALS, type Interval } from '../time/interval.js';
import { isFilterDimension } from './dimensions.js';

export const PERIODS = [
  'day',
  'yesterday',
  '7d',
  '30d',
  'month',
  'last_month',
  '6mo',
  '12mo',
  'all',
  'custom',
] as const;
export type Period = (typeof PERIODS)[number];

export const TOP_METRICS = [
  'visitors',
  'visits',
  'pageviews',
  'views_per_visit',
  'bounce_rate',
  'visit_duration',
] as const;
/** The top row while a goal filter is on: conversions, as Plausible shows them. */
export const GOAL_TOP_METRICS = ['visitors', 'events', 'conversion_rate'] as const;
export type TopMetric = (typeof TOP_METRICS)[number] | (typeof GOAL_TOP_METRICS)[number];

export interface DashboardState {
  period: Period;
  /** Only for period "custom": inclusive YYYY-MM-DD dates, from ≤ to. */
  from?: string;
  to?: string;
  compare: boolean;
  /** What to compare with, when comparing; unset is the previous period. */
  compareMode?: 'year_over_year' | 'custom';
  /** Only for compareMode "custom": inclusive YYYY-MM-DD dates, from ≤ to. */
  compareFrom?: string;
  compareTo?: string;
  /** The chart's bucket, when chosen (else the range's default: time/range.ts chooseInterval). */
  interval?: Interval;
  /** The metric the main chart shows. */
  metric: TopMetric;
  filters: SimpleFilter[];
  /** The saved funnel the Funnels panel shows (unset: the site's first). */
  funnel?: number;
  /** Imported data merged in (`imports=1`; the API's include.imports). */
  imports?: boolean;
}

export const DEFAULT_STATE: DashboardState = {
  period: '30d',
  compare: false,
  metric: 'visitors',
  filters: [],
};

const OPS: readonly FilterOp[] = ['is', 'is_not', 'contains', 'contains_not', 'matches', 'matches_not'];
const MAX_FILTERS = 20;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isDate(s: string | null | undefined): s is string {
  if (!s || !DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function escapePart(s: string): string {
  return s.replace(/[\\,]/g, (c) => `\\${c}`);
}

function splitParts(s: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) cur += s[++i];
    else if (c === ',') {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

export function encodeFilter(f: SimpleFilter): string {
  return [f[0], f[1], ...f[2]].map(escapePart).join(',');
}

export function decodeFilter(s: string): SimpleFilter | undefined {
  const [op, dim, ...values] = splitParts(s);
  if (!op || !OPS.includes(op as FilterOp)) return undefined;
  if (!dim || !isFilterDimension(dim)) return undefined;
  if (values.length === 0) return undefined;
  return [op as FilterOp, dim, values];
}

export function encodeState(state: DashboardState): string {
  const p = new URLSearchParams();
  if (state.period !== DEFAULT_STATE.period) p.set('period', state.period);
  if (state.period === 'custom') {
    p.set('from', state.from ?? '');
    p.set('to', state.to ?? '');
  }
  if (state.compare) {
    if (state.compareMode === 'custom') {
      p.set('compare', 'custom');
      p.set('cfrom', state.compareFrom ?? '');
      p.set('cto', state.compareTo ?? '');
    } else p.set('compare', state.compareMode === 'year_over_year' ? 'yoy' : '1');
  }
  if (state.interval) p.set('interval', state.interval);
  if (state.metric !== DEFAULT_STATE.metric) p.set('metric', state.metric);
  if (state.imports) p.set('imports', '1');
  for (const f of state.filters) p.append('f', encodeFilter(f));
  if (state.funnel !== undefined) p.set('funnel', String(state.funnel));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function decodeState(search: string): DashboardState {
  const p = new URLSearchParams(search);
  const state: DashboardState = { ...DEFAULT_STATE, filters: [] };
  const period = p.get('period');
  if (period && (PERIODS as readonly string[]).includes(period)) state.period = period as Period;
  if (state.period === 'custom') {
    const from = p.get('from');
    const to = p.get('to');
    if (isDate(from) && isDate(to) && from <= to) {
      state.from = from;
      state.to = to;
    } else state.period = DEFAULT_STATE.period;
  }
  const compare = p.get('compare');
  const cfrom = p.get('cfrom');
  const cto = p.get('cto');
  if (compare === '1' || compare === 'yoy') state.compare = true;
  if (compare === 'yoy') state.compareMode = 'year_over_year';
  if (compare === 'custom' && isDate(cfrom) && isDate(cto) && cfrom <= cto) {
    Object.assign(state, { compare: true, compareMode: 'custom', compareFrom: cfrom, compareTo: cto });
  }
  const interval = p.get('interval');
  if (interval && (INTERVALS as readonly string[]).includes(interval)) state.interval = interval as Interval;
  const metric = p.get('metric');
  if (metric && [...TOP_METRICS, ...GOAL_TOP_METRICS].includes(metric as TopMetric)) {
    state.metric = metric as TopMetric;
  }
  if (p.get('imports') === '1') state.imports = true;
  for (const raw of p.getAll('f').slice(0, MAX_FILTERS)) {
    const f = decodeFilter(raw);
    if (f) state.filters.push(f);
  }
  const funnel = Number(p.get('funnel'));
  if (Number.isInteger(funnel) && funnel > 0) state.funnel = funnel;
  return state;
}

/** Adds a filter; one filter per dimension, so a new one replaces what was set on that dimension. */
export function withFilter(state: DashboardState, filter: SimpleFilter): DashboardState {
  return { ...state, filters: [...state.filters.filter((f) => f[1] !== filter[1]), filter] };
}

export function withoutFilter(state: DashboardState, index: number): DashboardState {
  return { ...state, filters: state.filters.filter((_, i) => i !== index) };
}

/** The value of an "is" filter with one value on `dim` (used to drill down, e.g. browser → versions). */
export function isFilterValue(state: DashboardState, dim: string): string | undefined {
  const f = state.filters.find((x) => x[0] === 'is' && x[1] === dim && x[2].length === 1);
  return f?.[2][0];
}
