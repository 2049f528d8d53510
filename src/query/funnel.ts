// Funnels: of the visitors of a range (and filters), how many went through 2–8 goals in order.
// Plausible's semantics (extra/lib/plausible/stats/funnel.ex, learned from, not copied): its
// funnels are ClickHouse's windowFunnel over 24 hours per user id, which for each visitor finds
// the deepest step reached by a chain of events — step 1, then step 2 at the same time or
// later, … — all within 24 hours of the chain's first event:
//   sequential (default)  other events may come in between;
//   strict                once step 1 was done, any other event (or a step out of order) ends
//                         the visitor's funnel where it stands (windowFunnel's strict_order);
//   flexible              as sequential, but the last step counts the visitors who did the first
//                         step and then the last within 24 hours, whatever came in between
//                         (Plausible recomputes it from a two-step funnel).
// `within: "visit"` asks for the chain inside one visit instead of by the same visitor.
//
// Sequential chains in SQL that runs on both engines (DuckDB has no windowFunnel): the latest
// possible start of a chain reaching step j at an event is the latest start of step j−1 at or
// before it, kept if the event lies within 24 hours of it — one window maximum per step
// (`r1`…`rn`). Keeping the latest start is what windowFunnel does (a later start leaves more
// of the window), so the deepest step is the same. Strict funnels read each visitor's events
// from the first step 1 up to the first other event and walk them here (strictLevel).

import { footfallError } from '../errors.js';
import { badFunnel, parseFunnelType, stepGoals } from '../goals/funnel-input.js';
import { goalKind } from '../goals/goal-view.js';
import type { Funnel, FunnelType } from '../store/funnels.js';
import type { Goal } from '../store/goals.js';
import { autoUnit, type ResolvedRange } from './date-range.js';
import { type EventScope, eventScope } from './event-scope.js';
import { anyOf, converts } from './goal-match.js';
import type { DateRangeInput, Filter } from './model.js';
import { parseDateRange, parseFiltersField } from './parse.js';
import type { QueryEngine } from './run-query.js';
import { toZonedIso } from './zoned-time.js';

/** Plausible's window: 86,400 seconds from a chain's first event, both ends included. */
const FUNNEL_WINDOW_MS = 86_400_000;
const FUNNEL_WITHIN = ['visitor', 'visit'] as const;
export type FunnelWithin = (typeof FUNNEL_WITHIN)[number];

export interface FunnelRequest {
  siteId: string;
  dateRange: DateRangeInput;
  filters: Filter[];
  /** A saved funnel, or `steps` (goal names or ids) given here. */
  funnelId?: number;
  steps?: unknown[];
  /** Given: overrides a saved funnel's type. */
  type?: FunnelType;
  within: FunnelWithin;
}

export interface FunnelStepResult {
  label: string;
  goal_id: number;
  visitors: number;
  /** Of the visitors who entered (step 1), percent, two decimals. */
  conversion_rate: number;
  /** Of the previous step's visitors (0 for step 1). */
  conversion_rate_step: number;
  dropoff: number;
  dropoff_percentage: number;
}

export interface FunnelResult {
  funnel_id: number | null;
  name: string | null;
  funnel_type: FunnelType;
  within: FunnelWithin;
  date_range: [string, string];
  /** Every visitor of the range and filters. */
  all_visitors: number;
  entering_visitors: number;
  entering_visitors_percentage: number;
  never_entering_visitors: number;
  never_entering_visitors_percentage: number;
  steps: FunnelStepResult[];
}

const FIELDS = ['site_id', 'date_range', 'filters', 'funnel_id', 'steps', 'type', 'within'];

function invalid(field: string, what: string): never {
  throw footfallError('FOOTFALL_ERR_INVALID_QUERY', `${field}: ${what}`);
}

export function parseFunnelRequest(body: unknown): FunnelRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    invalid('body', 'must be a JSON object');
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (!FIELDS.includes(key)) invalid(key, `unknown field; valid: ${FIELDS.join(', ')}`);
  }
  if (typeof b.site_id !== 'string' || b.site_id === '') invalid('site_id', "give the site's domain");
  if ((b.funnel_id === undefined) === (b.steps === undefined)) {
    badFunnel('funnel_id', 'give a saved funnel_id or the steps (goal names), not both');
  }
  if (b.funnel_id !== undefined && (!Number.isInteger(b.funnel_id) || (b.funnel_id as number) < 1)) {
    badFunnel('funnel_id', "a saved funnel's id");
  }
  if (b.steps !== undefined && !Array.isArray(b.steps)) badFunnel('steps', 'a list of goal names or ids');
  if (b.within !== undefined && !(FUNNEL_WITHIN as readonly unknown[]).includes(b.within)) {
    badFunnel('within', `one of ${FUNNEL_WITHIN.join(', ')}`);
  }
  return {
    siteId: b.site_id,
    dateRange: parseDateRange(b.date_range),
    filters: parseFiltersField(b.filters),
    funnelId: b.funnel_id as number | undefined,
    steps: b.steps as unknown[] | undefined,
    type: b.type === undefined ? undefined : parseFunnelType(b.type),
    within: (b.within as FunnelWithin | undefined) ?? 'visitor',
  };
}

/** Plausible's percentage: two decimals, 0 where there is nothing to divide by. */
export function percentage(part: number, whole: number | undefined): number {
  return whole ? Math.round((10_000 * part) / whole) / 100 : 0;
}

export async function funnel(engine: QueryEngine, req: FunnelRequest): Promise<FunnelResult> {
  const site = engine.site(req.siteId);
  const goals = await engine.goals(site.domain);
  let saved: Funnel | undefined;
  if (req.funnelId !== undefined) {
    saved = (await engine.funnels(site.domain)).find((f) => f.id === req.funnelId);
    if (!saved) throw footfallError('FOOTFALL_ERR_FUNNEL_NOT_FOUND', String(req.funnelId));
  }
  const steps = stepGoals(saved ? saved.steps : req.steps, goals);
  const type = req.type ?? saved?.type ?? 'sequential';
  await engine.validatePatterns(req.filters);
  const range = await engine.resolve(site, req.dateRange);
  const scopeOf = () =>
    eventScope({
      siteKey: site.id,
      timezone: site.timezone,
      firstDate: range.firstDate,
      fromMs: range.fromMs,
      toMs: range.toMs,
      dimensions: [],
      filters: req.filters,
      timeUnit: autoUnit(range),
      extraColumns: ['pathname', 'scroll_depth', ...(steps.some((g) => g.props.length > 0) ? ['props'] : [])],
      dialect: engine.dialect,
    });

  // Plausible's flexible funnel: the last step from a two-step funnel of the first and the last
  // (run alongside).
  const ends = [steps[0]!, steps.at(-1)!];
  const [counts, short] = await Promise.all([
    type === 'strict'
      ? strictCounts(engine, scopeOf(), steps, req.within)
      : sequentialCounts(engine, scopeOf(), steps, req.within),
    type === 'flexible' && steps.length > 2
      ? sequentialCounts(engine, scopeOf(), ends, req.within)
      : undefined,
  ]);
  const result = shape(counts.all, counts.byLevel, steps);
  if (short) result.steps[result.steps.length - 1] = shape(short.all, short.byLevel, ends).steps[1]!;
  return {
    funnel_id: saved?.id ?? null,
    name: saved?.name ?? null,
    funnel_type: type,
    within: req.within,
    date_range: dateRange(range),
    ...result,
  };
}

function dateRange(r: ResolvedRange): [string, string] {
  return [toZonedIso(r.fromMs, r.timezone), toZonedIso(r.toMs - 1000, r.timezone)];
}

interface Counts {
  all: number;
  /** Visitors by the deepest step they reached (0: none). */
  byLevel: Map<number, number>;
}

/** Steps with Plausible's numbers, from the visitors at each deepest step. */
function shape(all: number, byLevel: Map<number, number>, steps: readonly Goal[]) {
  const reached = steps.map((_, i) => {
    let sum = 0;
    for (const [level, visitors] of byLevel) if (level >= i + 1) sum += visitors;
    return sum;
  });
  const entering = reached[0] ?? 0;
  return {
    all_visitors: all,
    entering_visitors: entering,
    entering_visitors_percentage: percentage(entering, all),
    never_entering_visitors: all - entering,
    never_entering_visitors_percentage: percentage(all - entering, all),
    steps: steps.map((g, i): FunnelStepResult => {
      const visitors = reached[i]!;
      const previous = i === 0 ? undefined : reached[i - 1]!;
      const dropoff = previous === undefined ? 0 : previous - visitors;
      return {
        label: g.name,
        goal_id: g.id,
        visitors,
        conversion_rate: percentage(visitors, entering),
        conversion_rate_step: percentage(visitors, previous),
        dropoff,
        dropoff_percentage: percentage(dropoff, previous),
      };
    }),
  };
}

/**
 * `fe`: the events a funnel reads — those of the range passing the filters, and engagement
 * events where they convert a scroll-goal step (read as their page view by the filters) —
 * with `k` (the visitor, or the visit), `t` (epoch ms) and `c1`…`cn` (converts step i).
 */
function funnelEvents(
  scope: EventScope,
  steps: readonly Goal[],
  within: FunnelWithin,
  engine: QueryEngine,
): void {
  const { params, ctes, src } = scope;
  const { dialect } = engine;
  const flags = steps.map((g, i) => `(${converts(g, params, dialect)}) AS c${i + 1}`).join(', ');
  const scrolls = steps.filter((g) => goalKind(g) === 'scroll');
  const pings =
    scrolls.length > 0
      ? ` OR (name = 'engagement' AND ${scope.filter(true)} AND (${anyOf(scrolls.map((g) => converts(g, params, dialect)))}))`
      : '';
  const k = within === 'visit' ? 'session_id' : 'visitor_id';
  ctes.push(
    `fe AS (SELECT visitor_id, ${k} AS k, ${dialect.epochMs('ts')} AS t, ${flags} FROM ${src} ` +
      `WHERE (name <> 'engagement' AND ${scope.filter()})${pings})`,
  );
}

const anyStep = (n: number) => Array.from({ length: n }, (_, i) => `c${i + 1}`).join(' OR ');

async function sequentialCounts(
  engine: QueryEngine,
  scope: EventScope,
  steps: readonly Goal[],
  within: FunnelWithin,
): Promise<Counts> {
  funnelEvents(scope, steps, within, engine);
  const { params, ctes } = scope;
  const n = steps.length;
  const w = params.add(FUNNEL_WINDOW_MS);
  // r1: the step-1 events, each the start of a chain. rj: the step-j events that continue a
  // chain — the latest start among the step-(j−1) rows of rj−1 at or before them (peers at the
  // same instant too), kept if they lie within the window of it. Each window sees only the
  // rows of one step and the one before, of the visitors that got that far (measured on
  // 1.26 M events: 0.49 s against 1.1 s for one window over every step's rows per step).
  ctes.push('r1 AS (SELECT visitor_id, k, t, t AS s FROM fe WHERE c1)');
  for (let j = 2; j <= n; j++) {
    ctes.push(
      `r${j} AS (SELECT visitor_id, k, t, s FROM (SELECT visitor_id, k, t, step, ` +
        `max(s) OVER (PARTITION BY k ORDER BY t) AS s FROM (SELECT visitor_id, k, t, s, FALSE AS step FROM r${j - 1} ` +
        `UNION ALL SELECT visitor_id, k, t, NULL AS s, TRUE AS step FROM fe WHERE c${j} AND k IN (SELECT k FROM r${j - 1}))) ` +
        `WHERE step AND s >= t - ${w})`,
    );
  }
  const reached = Array.from({ length: n }, (_, i) => `SELECT visitor_id, ${i + 1} AS j FROM r${i + 1}`);
  ctes.push(
    `lv AS (SELECT visitor_id, max(j) AS level FROM (${reached.join(' UNION ALL ')}) GROUP BY visitor_id)`,
  );
  const sql =
    `WITH ${ctes.join(',\n')}\n` +
    'SELECT level, count(*) AS visitors FROM lv GROUP BY level ' +
    'UNION ALL SELECT -1 AS level, count(DISTINCT visitor_id) AS visitors FROM fe';
  const rows = await engine.run(sql, params.values);
  const byLevel = new Map<number, number>();
  let all = 0;
  for (const r of rows) {
    if (Number(r.level) === -1) all = Number(r.visitors);
    else byLevel.set(Number(r.level), Number(r.visitors));
  }
  return { all, byLevel };
}

async function strictCounts(
  engine: QueryEngine,
  scope: EventScope,
  steps: readonly Goal[],
  within: FunnelWithin,
): Promise<Counts> {
  funnelEvents(scope, steps, within, engine);
  const { params, ctes } = scope;
  const n = steps.length;
  const cs = Array.from({ length: n }, (_, i) => `c${i + 1}`);
  // From each visitor's first step 1 up to (not with) the first other event after that instant:
  // at the same instant an other event is taken before the steps, as windowFunnel sorts them.
  // (Per-visitor aggregates joined back, rather than two windows over every event.)
  ctes.push(
    's0 AS (SELECT k, min(t) AS t0 FROM fe WHERE c1 GROUP BY k)',
    `sy AS (SELECT visitor_id, k, t, ${cs.join(', ')}, t0 FROM fe JOIN s0 USING (k) WHERE t >= t0)`,
    `sq AS (SELECT k, min(t) AS tq FROM sy WHERE NOT (${anyStep(n)}) AND t > t0 GROUP BY k)`,
  );
  const head = `WITH ${ctes.join(',\n')}\n`;
  const [rows, all] = await Promise.all([
    engine.run(
      `${head}SELECT visitor_id, k, t, ${cs.map((x) => `CASE WHEN ${x} THEN 1 ELSE 0 END AS ${x}`).join(', ')} ` +
        `FROM sy LEFT JOIN sq USING (k) WHERE (tq IS NULL OR t < tq) AND (${anyStep(n)}) ORDER BY k, t`,
      params.values,
    ),
    engine.run(`${head}SELECT count(DISTINCT visitor_id) AS visitors FROM fe`, params.values),
  ]);
  const levelOf = new Map<string, number>();
  let i = 0;
  while (i < rows.length) {
    const k = String(rows[i]!.k);
    const visitor = String(rows[i]!.visitor_id);
    const entries: [number, number][] = [];
    for (; i < rows.length && String(rows[i]!.k) === k; i++) {
      const r = rows[i]!;
      for (let j = 1; j <= n; j++) if (Number(r[`c${j}`]) === 1) entries.push([Number(r.t), j]);
    }
    const level = strictLevel(entries, n);
    levelOf.set(visitor, Math.max(levelOf.get(visitor) ?? 0, level));
  }
  const byLevel = new Map<number, number>();
  for (const level of levelOf.values()) byLevel.set(level, (byLevel.get(level) ?? 0) + 1);
  return { all: Number(all[0]?.visitors ?? 0), byLevel };
}

/**
 * windowFunnel's strict_order walk over one visitor's step entries ([ms, step], from the first
 * step 1 on, no other event among them): a step whose previous step was not reached ends the
 * funnel; the deepest step reached within the window of its chain's start.
 */
function strictLevel(entries: [number, number][], n: number): number {
  entries.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const start: (number | undefined)[] = new Array(n).fill(undefined);
  let begun = false;
  for (const [t, step] of entries) {
    const i = step - 1;
    if (i === 0) {
      start[0] = t;
      begun = true;
    } else if (begun && start[i - 1] === undefined) {
      return start.indexOf(undefined);
    } else if (start[i - 1] !== undefined && t <= start[i - 1]! + FUNNEL_WINDOW_MS) {
      start[i] = start[i - 1];
      if (i + 1 === n) return n;
    }
  }
  for (let j = n; j > 0; j--) if (start[j - 1] !== undefined) return j;
  return 0;
}
