// The expected answer to a funnel, computed in plain TypeScript from the generated events by a
// literal walk of ClickHouse's windowFunnel (what Plausible's funnels run): each visitor's (or
// visit's) step entries sorted by time then step, a chain's start kept per step, 24 hours from
// a chain's start, strict_order's rules, and Plausible's flexible recount of the last step —
// never through SQL or src/query/funnel.ts. Percentages as Plausible's: two decimals.
import type { EventRow } from '../../src/store/event-row.js';
import { convertsGoal, goalsNamedBy, type OracleGoal, otherFilterPasses } from './goal-oracle.js';

const WINDOW = 86_400_000;

export interface FunnelOracleQuery {
  steps: string[];
  type: 'sequential' | 'strict' | 'flexible';
  within: 'visitor' | 'visit';
  /** Leaf filters of the kinds goal-oracle.ts reads (device, source, page, props). */
  filters: unknown[][];
  fromMs: number;
  toMs: number;
  timezone: string;
}

function windowFunnel(entries: [number, number][], n: number, strict: boolean): number {
  entries.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const first: (number | null)[] = new Array(n).fill(null);
  let started = false;
  for (const [t, idx] of entries) {
    const i = idx - 1;
    if (i === -1) {
      if (started) break;
      continue;
    }
    if (i === 0) {
      first[0] = t;
      started = true;
    } else if (strict && started && first[i - 1] === null) {
      return first.indexOf(null);
    } else if (first[i - 1] !== null && t <= first[i - 1]! + WINDOW) {
      first[i] = first[i - 1]!;
      if (i + 1 === n) return n;
    }
  }
  for (let j = n; j > 0; j--) if (first[j - 1] !== null) return j;
  return 0;
}

const pct = (a: number, b: number | undefined) => (b ? Math.round((a / b) * 10_000) / 100 : 0);

export function funnelOracle(
  all: readonly EventRow[],
  siteId: number,
  goals: readonly OracleGoal[],
  q: FunnelOracleQuery,
) {
  const steps = q.steps.map((name) => goalsNamedBy(goals, ['is', 'event:goal', [name]])[0]!);
  const passes = (e: EventRow) =>
    q.filters.every((f) => otherFilterPasses(f, e, { ...q, metrics: [], dimensions: [], filters: [] }));
  const scrolls = steps.filter((g) => g.scroll !== undefined);
  const events = all.filter(
    (e) =>
      e.siteId === siteId &&
      e.ts >= q.fromMs &&
      e.ts < q.toMs &&
      passes(e) &&
      (e.name !== 'engagement' || scrolls.some((g) => convertsGoal(g, e))),
  );
  const visitors = new Set(events.map((e) => e.visitorId));
  const levels = (stepGoals: OracleGoal[], strict: boolean) => {
    const groups = new Map<bigint, EventRow[]>();
    for (const e of events) {
      const k = q.within === 'visit' ? e.sessionId : e.visitorId;
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k)!.push(e);
    }
    const byVisitor = new Map<bigint, number>();
    for (const group of groups.values()) {
      const entries: [number, number][] = [];
      for (const e of group) {
        const hits = stepGoals.flatMap((g, i) => (convertsGoal(g, e) ? [i + 1] : []));
        if (hits.length === 0 && strict) entries.push([e.ts, 0]);
        for (const h of hits) entries.push([e.ts, h]);
      }
      const level = windowFunnel(entries, stepGoals.length, strict);
      const v = group[0]!.visitorId;
      byVisitor.set(v, Math.max(byVisitor.get(v) ?? 0, level));
    }
    // Visitors reaching each step or further.
    return stepGoals.map((_, i) => [...byVisitor.values()].filter((l) => l >= i + 1).length);
  };
  const reached = levels(steps, q.type === 'strict');
  let lastFromFirst: number | undefined;
  if (q.type === 'flexible' && steps.length > 2)
    lastFromFirst = levels([steps[0]!, steps.at(-1)!], false)[1]!;
  const entering = reached[0]!;
  const shaped = steps.map((g, i) => {
    const flexLast = lastFromFirst !== undefined && i === steps.length - 1;
    const visitors = flexLast ? lastFromFirst! : reached[i]!;
    const previous = i === 0 ? undefined : flexLast ? entering : reached[i - 1]!;
    const dropoff = previous === undefined ? 0 : previous - visitors;
    return {
      label: g.name,
      visitors,
      conversion_rate: pct(visitors, entering),
      conversion_rate_step: pct(visitors, previous),
      dropoff,
      dropoff_percentage: pct(dropoff, previous),
    };
  });
  return {
    all_visitors: visitors.size,
    entering_visitors: entering,
    entering_visitors_percentage: pct(entering, visitors.size),
    never_entering_visitors: visitors.size - entering,
    never_entering_visitors_percentage: pct(visitors.size - entering, visitors.size),
    steps: shaped,
  };
}
