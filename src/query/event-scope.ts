// The events a query looks at, as SQL common table expressions shared by the stats query,
// journeys and realtime: `e` (the site's events in the range, only the columns needed), `s`
// (one row per visit) when visit facts are needed, and `ex` (events with their visit's entry
// and exit page) when a dimension or filter asks for those. Also the SQL of each dimension
// over event rows and the filters' predicate.

import { goalKind } from '../goals/goal-view.js';
import type { Goal } from '../store/goals.js';
import { VISIT_CONSTANT_COLUMNS } from '../store/visit-columns.js';
import { compileFilters } from './compile-filter.js';
import { type Dialect, Params } from './dialect.js';
import { type DimensionSource, dimensionSource, NO_VALUE } from './dimensions.js';
import { convertsNamed, GOAL_COLUMNS, goalsNamed } from './goal-match.js';
import {
  type Filter,
  GOAL_DIMENSION,
  goalLeaves,
  innerFilters,
  isLeaf,
  type LeafFilter,
  type TimeUnit,
} from './model.js';
import type { RollupCut } from './rollup-plan.js';
import { offsetMinutesSql, offsetSteps } from './zone-offsets.js';

export interface ScopeInput {
  siteKey: number;
  timezone: string;
  firstDate: string;
  fromMs: number;
  toMs: number;
  /** Dimensions the statement groups by (their columns are read). */
  dimensions: readonly string[];
  filters: readonly Filter[];
  /** What `time` stands for. */
  timeUnit: TimeUnit;
  /** Columns read besides the ones every statement needs and those the dimensions/filters need. */
  extraColumns?: readonly string[];
  /** Dimensions the statement reads from event rows besides those it groups by and filters on. */
  extraDimensions?: readonly string[];
  /** Visit dimensions (entry page…) read only from `s`, one row per visit: no per-event join. */
  visitFacts?: readonly string[];
  /**
   * Visits come from the visits table (plan.ts): `s` is then its rows for the visits wholly
   * inside the range, plus the others recomputed from their in-range events, which are all
   * `e` holds.
   */
  visitsTable?: boolean;
  /** The site's goals, for behavioural filters that name goals (has_done event:goal …). */
  goals?: readonly Goal[];
  /**
   * Rolled salt days read from the rollups (rollup-plan.ts): `e` then holds only the events of
   * the range's other visits.
   */
  edgeOf?: RollupCut;
  dialect: Dialect;
}

export interface EventScope {
  params: Params;
  /** `name AS (…)` definitions, in dependency order. */
  ctes: string[];
  /** The relation of event rows: `e`, or `ex` when entry/exit pages are needed. */
  src: string;
  /**
   * Adds `s` (one row per visit) unless it is there; `onlyVisits` (a predicate on session_id)
   * limits it to the visits that can count, which spares aggregating the others.
   */
  sessions(onlyVisits?: string): void;
  /** SQL of a dimension over `src` rows; `asPageview` reads event:name as 'pageview'. */
  dimension(source: DimensionSource, asPageview?: boolean): string;
  /** A dimension's SQL as results show it: an empty value reads as the dimension's `empty`. */
  shown(source: DimensionSource, sql: string): string;
  /** SQL of a time dimension over a local-time expression. */
  time(source: Extract<DimensionSource, { from: 'time' }>, local: string): string;
  /** The zone's wall-clock time of a UTC timestamp expression. */
  localTime(ts: string): string;
  /**
   * The filters (or `filters` given here) as one predicate over `src` rows; `asPageview` treats
   * event:name as 'pageview'.
   */
  filter(asPageview?: boolean, filters?: readonly Filter[]): string;
}

// Columns every statement reads.
const BASE_COLUMNS = ['ts', 'name', 'visitor_id', 'session_id', 'interactive'];
// What `s` holds of every visit, besides its page facts.
const SESSION_COLUMNS = [
  'session_id',
  'visitor_id',
  'start_ts',
  'end_ts',
  'pageviews',
  'interactions',
  'events',
];

/** Every dimension the filters name, at any depth (inside behavioural filters too). */
export function filterDimensions(filters: readonly Filter[]): string[] {
  return filters.flatMap((f) => (isLeaf(f) ? [f.dimension] : filterDimensions(innerFilters(f))));
}

export function eventScope(input: ScopeInput): EventScope {
  const { dialect } = input;
  const params = new Params(dialect);
  const referenced = input.dimensions.map((d) => dimensionSource(d) as DimensionSource);
  // event:goal has no column: the goals it names are read through GOAL_COLUMNS. (Extra
  // dimensions are those of renamed filters, which may hold a behavioural filter naming goals.)
  for (const d of [...filterDimensions(input.filters), ...(input.extraDimensions ?? [])]) {
    if (d !== GOAL_DIMENSION) referenced.push(dimensionSource(d) as DimensionSource);
  }
  const columns = new Set([...BASE_COLUMNS, ...(input.extraColumns ?? [])]);
  const namedGoals = goalLeaves(input.filters);
  if (namedGoals.length > 0) for (const c of GOAL_COLUMNS) columns.add(c);
  for (const s of referenced) {
    if (s.from === 'column') columns.add(s.column);
    if (s.from === 'prop') columns.add('props');
  }
  const usesTime = referenced.some((s) => s.from === 'time');
  // Facts of the whole visit (entry/exit page and host) the statement reads: from event rows
  // (which then carry them, `ex`) or only from the visits.
  const sessionField = (s: DimensionSource) => (s.from === 'session' ? [s.field] : []);
  const eventFields = new Set(referenced.flatMap(sessionField));
  const entryExit = eventFields.size > 0;
  const facts = (input.visitFacts ?? []).map((d) => dimensionSource(d) as DimensionSource);
  const visitFields = new Set([...eventFields, ...facts.flatMap(sessionField)]);
  for (const f of visitFields) columns.add(f.endsWith('hostname') ? 'hostname' : 'pathname');

  // Bound only when used: engines refuse unused parameters.
  const firstDate = params.lazy(input.firstDate);
  const none = params.lazy(NO_VALUE);
  const propKeys = new Map<string, string>();
  let offsetCase: string | undefined;
  const localTime = (ts: string) => {
    // The zone's offset at each instant of the range, by steps (see zone-offsets.ts).
    offsetCase ??= offsetMinutesSql(offsetSteps(input.timezone, input.fromMs, input.toMs), '__ts__', (ms) =>
      dialect.timestamp(params.add(new Date(ms).toISOString())),
    );
    return dialect.addMinutes(ts, offsetCase.replaceAll('__ts__', ts));
  };

  const time: EventScope['time'] = (source, local) => {
    if (source.unit === 'hour_of_day') return dialect.hourOfDay(local);
    if (source.unit === 'hour_block') return dialect.hourBlock(local);
    if (source.unit === 'day_of_week') return dialect.dayOfWeek(local);
    const unit = source.unit === 'auto' ? input.timeUnit : source.unit;
    return dialect.timeBucket(unit, local, unit === 'week' ? firstDate() : '');
  };
  const propKey = (key: string): string => {
    let placeholder = propKeys.get(key);
    if (!placeholder) {
      placeholder = params.add(key);
      propKeys.set(key, placeholder);
    }
    return placeholder;
  };
  const dimension = (source: DimensionSource, asPageview = false): string => {
    switch (source.from) {
      case 'column':
        return asPageview && source.column === 'name' ? "'pageview'" : source.column;
      case 'session':
        return source.field;
      case 'prop':
        return dialect.propValue('props', propKey(source.key), none());
      case 'time':
        return time(source, 'lt');
    }
  };
  const shown = (source: DimensionSource, sql: string): string =>
    source.from === 'column' && source.empty !== undefined
      ? `CASE WHEN ${sql} = '' THEN ${params.add(source.empty)} ELSE ${sql} END`
      : sql;

  const site = params.add(input.siteKey);
  const from = params.add(new Date(input.fromMs).toISOString());
  const to = params.add(new Date(input.toMs).toISOString());
  const ctes: string[] = [];
  const table = input.visitsTable;
  // The visits table's columns `s` carries: the visit-constant ones the statement reads.
  const constants = VISIT_CONSTANT_COLUMNS.filter((c) => columns.has(c));
  if (table) ctes.push(tableVisits());
  ctes.push(
    `e AS (SELECT ${[...columns].join(', ')}${usesTime ? `, ${localTime('ts')} AS lt` : ''} FROM events ` +
      `WHERE site_id = ${site} AND ts >= ${dialect.timestamp(from)} AND ts < ${dialect.timestamp(to)}` +
      `${table ? ' AND session_id IN (SELECT session_id FROM vt WHERE redo)' : ''}${edge()})`,
  );
  /**
   * Only the events of visits the rolled days do not hold: those before the first rolled day
   * begins, or up to the last event of the visits that run on into it, or from the day after the
   * last rolled one — less the rolled visits among them (which start in the rolled days).
   */
  function edge(): string {
    const cut = input.edgeOf;
    if (!cut) return '';
    const start = dialect.timestamp(params.add(cut.startIso));
    const after = dialect.timestamp(params.add(cut.afterIso));
    const spill = `make_timestamp(CAST(${params.add(cut.spillUs)} AS BIGINT))`;
    const rolled = `SELECT session_id FROM visits WHERE site_id = ${site} AND first_ts >= ${start}`;
    return (
      ` AND (ts < ${start} OR ts <= ${spill} OR ts >= ${after}) AND session_id NOT IN ` +
      `(${rolled} AND first_ts <= ${spill} UNION ALL ${rolled} AND first_ts < ${after} AND last_ts >= ${after})`
    );
  }
  let haveSessions = false;
  const sessions = (onlyVisits?: string) => {
    if (haveSessions) return;
    haveSessions = true;
    const name = table ? 's_redo' : 's';
    const pageview = "name = 'pageview'";
    // The first and last page view's page and host.
    const pageFacts: Record<string, string> = {
      entry_page: dialect.argMin('pathname', 'ts', pageview),
      exit_page: dialect.argMax('pathname', 'ts', pageview),
      entry_hostname: dialect.argMin('hostname', 'ts', pageview),
      exit_hostname: dialect.argMax('hostname', 'ts', pageview),
    };
    const pages = [...visitFields].map((f) => `, coalesce(${pageFacts[f]}, '') AS ${f}`).join('');
    // Engagement pings are sent on leaving a page: they neither start nor lengthen a visit, so a
    // bounced visit that sent one still lasted 0 seconds.
    const counted = "name <> 'engagement'";
    // Constant over a visit where the table is read (the planner checked they were uniform).
    const carried = (table ? constants : []).map((c) => `, min(${c}) AS ${c}`).join('');
    ctes.push(
      `${name} AS (SELECT session_id, min(visitor_id) AS visitor_id, ${dialect.minWhere('ts', counted)} AS start_ts, ` +
        `${dialect.maxWhere('ts', counted)} AS end_ts, ` +
        `count(*) FILTER (WHERE ${pageview}) AS pageviews, ` +
        `count(*) FILTER (WHERE name NOT IN ('pageview', 'engagement') AND interactive) AS interactions, ` +
        `count(*) FILTER (WHERE ${counted}) AS events${pages}${carried} ` +
        `FROM e${onlyVisits && !table ? ` WHERE ${onlyVisits}` : ''} GROUP BY session_id)`,
    );
    if (table) {
      const cols = `${SESSION_COLUMNS.join(', ')}${[...visitFields, ...constants].map((c) => `, ${c}`).join('')}`;
      ctes.push(
        `s AS (SELECT ${cols}, FALSE AS redo FROM vt WHERE NOT redo UNION ALL SELECT ${cols}, TRUE AS redo FROM s_redo)`,
      );
    }
  };
  /** The table's visits that touch the range; `redo`: those that cross its edge, recomputed. */
  function tableVisits(): string {
    const fields = [...visitFields].map((f) => `, coalesce(${f}, '') AS ${f}`).join('');
    const redo = `first_ts < ${dialect.timestamp(from)} OR last_ts >= ${dialect.timestamp(to)}`;
    // With rolled days (rollup-plan.ts), their visits are the rollups': only the others here.
    const cut = input.edgeOf;
    const edge = cut
      ? ` AND NOT (first_ts >= ${dialect.timestamp(params.add(cut.startIso))} AND first_ts < ${dialect.timestamp(params.add(cut.afterIso))})`
      : '';
    return (
      `vt AS (SELECT ${SESSION_COLUMNS.join(', ')}${fields}${constants.map((c) => `, ${c}`).join('')}, ` +
      `(${redo}) AS redo FROM visits WHERE site_id = ${site} AND last_ts >= ${dialect.timestamp(from)} ` +
      `AND first_ts < ${dialect.timestamp(to)}${edge})`
    );
  }
  // With the table, `s` always stands in for the events' visits.
  if (table) sessions();
  if (entryExit) {
    // Entry and exit pages are facts of the whole visit, needed before any filter can run.
    sessions();
    const fields = [...eventFields].map((f) => `, s.${f}`).join('');
    ctes.push(`ex AS (SELECT e.*${fields} FROM e JOIN s USING (session_id))`);
  }

  const src = entryExit ? 'ex' : 'e';
  const context = (asPageview: boolean) => ({
    dialect,
    params,
    dimension: (n: string) => dimension(dimensionSource(n) as DimensionSource, asPageview),
    presence: (n: string) => {
      const source = dimensionSource(n);
      return source?.from === 'prop' ? dialect.hasProp('props', propKey(source.key)) : undefined;
    },
    // Inside a behavioural filter: engagement events convert only scroll goals, others the rest.
    goal: (f: LeafFilter) => convertsNamed(input.goals ?? [], f, asPageview, params, dialect),
    done,
  });
  /**
   * The visit holds an event of the range that matches `inner` (Plausible's has_done): an
   * event other than engagement, or an engagement event that converts a scroll goal `inner`
   * names, read as the page view it measures by the other conditions (as goals.ts does).
   */
  function done(inner: Filter): string {
    const scrollGoals = goalLeaves([inner]).some((f) =>
      goalsNamed(input.goals ?? [], f).some((g) => goalKind(g) === 'scroll'),
    );
    const branch = (scroll: boolean) =>
      `SELECT session_id FROM ${src} WHERE ${scroll ? "name = 'engagement'" : "name <> 'engagement'"} ` +
      `AND (${compileFilters([inner], context(scroll))})`;
    const branches = scrollGoals ? [branch(false), branch(true)] : [branch(false)];
    return `session_id IN (${branches.join(' UNION ALL ')})`;
  }
  const filter = (asPageview = false, filters: readonly Filter[] = input.filters) =>
    compileFilters(filters, context(asPageview));

  return { params, ctes, src, sessions, dimension, shown, time, localTime, filter };
}
