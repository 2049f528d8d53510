// Filters → one SQL predicate over event rows. Values are bound parameters; dimension
// expressions come from the compiler, which builds them from the closed dimension table.

import type { Dialect, Params } from './dialect.js';
import { dimensionSource } from './dimensions.js';
import {
  type Filter,
  type FilterOperator,
  GOAL_DIMENSION,
  isBehavioural,
  isLeaf,
  type LeafFilter,
} from './model.js';

export interface FilterContext {
  dialect: Dialect;
  params: Params;
  /** The SQL expression of a (non-time) dimension over the event rows. */
  dimension(name: string): string;
  /** A predicate that the event has the dimension at all (a custom property), else undefined. */
  presence(name: string): string | undefined;
  /** The event converts a goal the goal filter names (only inside behavioural filters). */
  goal(f: LeafFilter): string;
  /** The event's visit holds an event matching the filter (has_done). */
  done(inner: Filter): string;
}

const NEGATED: Partial<Record<FilterOperator, FilterOperator>> = {
  is_not: 'is',
  contains_not: 'contains',
  matches_not: 'matches',
};

export function compileFilters(filters: readonly Filter[], ctx: FilterContext): string {
  if (filters.length === 0) return 'TRUE';
  return filters.map((f) => `(${compileFilter(f, ctx)})`).join(' AND ');
}

function compileFilter(f: Filter, ctx: FilterContext): string {
  if (!isLeaf(f)) {
    if (isBehavioural(f)) return f.op === 'has_done' ? ctx.done(f.filter) : `NOT (${ctx.done(f.filter)})`;
    if (f.op === 'not') return `NOT (${compileFilter(f.filter, ctx)})`;
    return f.filters.map((g) => `(${compileFilter(g, ctx)})`).join(f.op === 'and' ? ' AND ' : ' OR ');
  }
  if (f.dimension === GOAL_DIMENSION) return ctx.goal(f);
  const positive = NEGATED[f.op];
  const present = ctx.presence(f.dimension);
  if (present && f.op !== 'is' && f.op !== 'is_not') {
    // As in Plausible, a property the event lacks neither contains nor fails to contain a
    // text, nor (mis)matches a pattern: only events carrying it can pass. (`is`/`is_not` read
    // a missing property as "(none)".)
    const match = compileLeaf(positive ?? f.op, f.dimension, f.values, f.caseSensitive, ctx);
    return `${present} AND ${positive ? `NOT (${match})` : `(${match})`}`;
  }
  if (positive) return `NOT (${compileLeaf(positive, f.dimension, f.values, f.caseSensitive, ctx)})`;
  return compileLeaf(f.op, f.dimension, f.values, f.caseSensitive, ctx);
}

/**
 * `is` values with a dimension's empty value (`(not set)`, `Direct / None`) spelled out also
 * select the empty stored values; contains and matches look at the stored text, as in Plausible.
 */
function selectsEmpty(
  op: FilterOperator,
  values: readonly string[],
  empty: string | undefined,
  caseSensitive: boolean,
): boolean {
  if (op !== 'is' || empty === undefined) return false;
  const fold = (v: string) => (caseSensitive ? v : v.toLowerCase());
  return values.some((v) => fold(v) === fold(empty));
}

function compileLeaf(
  op: FilterOperator,
  dimension: string,
  values: readonly string[],
  caseSensitive: boolean,
  ctx: FilterContext,
): string {
  const source = dimensionSource(dimension);
  const empty = selectsEmpty(op, values, source?.from === 'column' ? source.empty : undefined, caseSensitive);
  if (source?.from === 'column' && source.names) {
    // Filter the names, then keep the events whose code has a matching name.
    const kind = ctx.params.add(source.names);
    const match = textMatch(op, 'name', values, caseSensitive, ctx);
    const named = `${source.column} IN (SELECT code FROM ${ctx.dialect.namesTable} WHERE kind = ${kind} AND (${match}))`;
    return empty ? `${named} OR ${source.column} = ''` : named;
  }
  const expr = ctx.dimension(dimension);
  const match = textMatch(op, expr, values, caseSensitive, ctx);
  return empty ? `${match} OR ${expr} = ''` : match;
}

function textMatch(
  op: FilterOperator,
  expr: string,
  values: readonly string[],
  caseSensitive: boolean,
  ctx: FilterContext,
): string {
  const { dialect, params } = ctx;
  const text = caseSensitive ? expr : dialect.lower(expr);
  const value = (v: string) => (caseSensitive ? params.add(v) : dialect.lower(params.add(v)));
  switch (op) {
    case 'is':
      return `${text} IN (${values.map(value).join(', ')})`;
    case 'contains':
      return values.map((v) => dialect.contains(text, value(v))).join(' OR ');
    case 'matches':
      // RE2's own flag makes the match case-insensitive without touching the pattern's meaning.
      return values
        .map((v) => dialect.regexMatch(expr, params.add(caseSensitive ? v : `(?i)${v}`)))
        .join(' OR ');
    default:
      throw new Error(`negated operator ${op} reached textMatch`);
  }
}
