// The expected answer to a query with goals, computed in plain TypeScript from the generated
// events (never through SQL or src/goals), following Plausible's semantics as the README's
// "Goals and conversions" states them: an event goal is converted by an event of its name, a
// page-view goal by a page view whose path matches the pattern (`*` any characters, slashes
// too, the whole path), a scroll goal by an engagement event on such a page that reached the
// threshold; required properties must all be carried. Other filters here are leaf `is` /
// `contains` filters on a few dimensions (enough to combine them with goals).
import type { EventRow } from '../../src/store/event-row.js';

export interface OracleGoal {
  name: string;
  event?: string;
  page?: string;
  scroll?: number;
  props?: Record<string, string>;
}

export interface GoalOracleQuery {
  metrics: string[];
  dimensions: string[];
  /** Goal filters as sent: ['is' | 'contains', 'event:goal', names, {case_sensitive}?]. */
  filters: unknown[][];
  fromMs: number;
  toMs: number;
  timezone: string;
  /** Behavioural filters, worked out by the caller (oracle.ts's visitsDoing): visits that pass. */
  visitPasses?: (sessionId: bigint) => boolean;
}

/** A wildcard match written as a two-row dynamic programme, not as a regular expression. */
export function globMatches(pattern: string, text: string): boolean {
  const p = pattern.replace(/\*+/g, '*');
  let prev = new Array<boolean>(text.length + 1).fill(false);
  prev[0] = true;
  for (const c of p) {
    const next = new Array<boolean>(text.length + 1).fill(false);
    if (c === '*') {
      next[0] = prev[0]!;
      for (let j = 1; j <= text.length; j++) next[j] = prev[j]! || next[j - 1]!;
    } else {
      for (let j = 1; j <= text.length; j++) next[j] = prev[j - 1]! && text[j - 1] === c;
    }
    prev = next;
  }
  return prev[text.length]!;
}

/** The goals a goal filter ['is' | 'contains', 'event:goal', names, {case_sensitive}?] names. */
export function goalsNamedBy(goals: readonly OracleGoal[], f: unknown[]): OracleGoal[] {
  const sensitive = (f[3] as { case_sensitive?: boolean } | undefined)?.case_sensitive ?? true;
  const fold = (s: string) => (sensitive ? s : s.toLowerCase());
  return goals.filter((g) =>
    (f[2] as string[]).some((v) =>
      f[0] === 'is' ? fold(g.name) === fold(v) : fold(g.name).includes(fold(v)),
    ),
  );
}

export function convertsGoal(g: OracleGoal, e: EventRow): boolean {
  const props = Object.entries(g.props ?? {});
  if (!props.every(([k, v]) => e.props.some(([ek, ev]) => ek === k && ev === v))) return false;
  if (g.event !== undefined) return e.name === g.event;
  if (!globMatches(g.page!, e.pathname)) return false;
  if (g.scroll !== undefined) {
    return e.name === 'engagement' && e.scrollDepth !== null && e.scrollDepth >= g.scroll;
  }
  return e.name === 'pageview';
}

function dayIn(ms: number, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(ms));
}

function dimValue(d: string, e: EventRow, q: GoalOracleQuery): string {
  if (d === 'visit:device') return e.device || '(not set)';
  if (d === 'visit:source') return e.source || 'Direct / None';
  if (d === 'event:page') return e.pathname;
  if (d === 'time:day') return dayIn(e.ts, q.timezone);
  if (d.startsWith('event:props:')) {
    const key = d.slice('event:props:'.length);
    return e.props.find(([k]) => k === key)?.[1] ?? '(none)';
  }
  throw new Error(`goal oracle: no dimension ${d}`);
}

export function otherFilterPasses(f: unknown[], e: EventRow, q: GoalOracleQuery): boolean {
  const [op, dim, values] = f as [string, string, string[]];
  const v = dimValue(dim, e, q);
  return op === 'is' ? values.includes(v) : values.some((x) => v.includes(x));
}

export function goalRows(
  all: readonly EventRow[],
  siteId: number,
  goals: readonly OracleGoal[],
  q: GoalOracleQuery,
): { dimensions: string[]; metrics: number[] }[] {
  const events = all.filter((e) => e.siteId === siteId && e.ts >= q.fromMs && e.ts < q.toMs);
  const goalFs = q.filters.filter((f) => f[1] === 'event:goal');
  const others = q.filters.filter((f) => f[1] !== 'event:goal');
  const named = (f: unknown[]) => goalsNamedBy(goals, f);
  const passes = (e: EventRow) =>
    others.every((f) => otherFilterPasses(f, e, q)) && (q.visitPasses?.(e.sessionId) ?? true);
  const otherDims = q.dimensions.filter((d) => d !== 'event:goal');
  const key = (e: EventRow) => JSON.stringify(otherDims.map((d) => dimValue(d, e, q)));
  // Denominators: every visitor (of events other than engagement) passing the other filters.
  const total = new Set<bigint>();
  const group = new Map<string, Set<bigint>>();
  for (const e of events) {
    if (e.name === 'engagement' || !passes(e)) continue;
    total.add(e.visitorId);
    const k = key(e);
    if (!group.has(k)) group.set(k, new Set());
    group.get(k)!.add(e.visitorId);
  }
  interface Acc {
    dims: string[];
    groupKey: string;
    visitors: Set<bigint>;
    visits: Set<bigint>;
    events: number;
    pageviews: number;
  }
  const rows = new Map<string, Acc>();
  const add = (goalName: string | undefined, e: EventRow) => {
    const others = otherDims.map((d) => dimValue(d, e, q));
    const dims = q.dimensions.map((d) => (d === 'event:goal' ? goalName! : dimValue(d, e, q)));
    const k = JSON.stringify(dims);
    let a = rows.get(k);
    if (!a) {
      a = {
        dims,
        groupKey: JSON.stringify(others),
        visitors: new Set(),
        visits: new Set(),
        events: 0,
        pageviews: 0,
      };
      rows.set(k, a);
    }
    a.visitors.add(e.visitorId);
    a.visits.add(e.sessionId);
    a.events++;
    if (e.name === 'pageview') a.pageviews++;
  };
  const byGoal = q.dimensions.includes('event:goal');
  const shown = goals.filter((g) => goalFs.every((f) => named(f).includes(g)));
  for (const e of events) {
    if (!passes(e)) continue;
    if (byGoal) {
      for (const g of shown) if (convertsGoal(g, e)) add(g.name, e);
    } else if (goalFs.every((f) => named(f).some((g) => convertsGoal(g, e)))) {
      add(undefined, e);
    }
  }
  if (rows.size === 0 && q.dimensions.length === 0) {
    rows.set('[]', {
      dims: [],
      groupKey: '[]',
      visitors: new Set(),
      visits: new Set(),
      events: 0,
      pageviews: 0,
    });
  }
  const r2 = (v: number) => Math.round(v * 100) / 100;
  const r1 = (v: number) => Math.round(v * 10) / 10;
  return [...rows.values()].map((a) => {
    const groupSize = group.get(a.groupKey)?.size ?? 0;
    const value: Record<string, number> = {
      visitors: a.visitors.size,
      visits: a.visits.size,
      events: a.events,
      pageviews: a.pageviews,
      conversion_rate: total.size ? r2((100 * a.visitors.size) / total.size) : 0,
      group_conversion_rate: groupSize ? r1((100 * a.visitors.size) / groupSize) : 0,
    };
    return { dimensions: a.dims, metrics: q.metrics.map((m) => value[m]!) };
  });
}
