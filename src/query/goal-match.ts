// Which events convert a goal, as SQL over event rows — shared by goal queries (goals.ts),
// behavioural filters naming goals (event-scope.ts) and funnels. Plausible's semantics: an
// event goal is converted by an event of that name, a page-view goal by a page view whose path
// matches the pattern (src/goals/page-pattern.ts), a scroll goal by an engagement event on such
// a page whose scroll depth reached the threshold; each may also require property values, all.
import { goalKind } from '../goals/goal-view.js';
import { hasWildcard, pageRegex } from '../goals/page-pattern.js';
import type { Goal, GoalDefinition } from '../store/goals.js';
import type { Dialect, Params } from './dialect.js';
import type { LeafFilter } from './model.js';

/** The goals a goal filter names: by display name, equal (is) or containing (contains). */
export function goalsNamed(goals: readonly Goal[], f: LeafFilter): Goal[] {
  const fold = (s: string) => (f.caseSensitive ? s : s.toLowerCase());
  return goals.filter((g) =>
    f.values.some((v) => (f.op === 'is' ? fold(g.name) === fold(v) : fold(g.name).includes(fold(v)))),
  );
}

/**
 * What a goal converts on, as text: the rollups keep each goal's conversions per salt day under
 * it (store/duckdb/rollups.ts), so a rename keeps them and a changed definition (or currency,
 * which decides what counts as its revenue) is a new key, rolled afresh.
 */
export function goalKey(g: GoalDefinition): string {
  return JSON.stringify([g.event, g.page, g.scroll, g.props, g.currency ?? null]);
}

/** Columns an event row needs for `converts` (besides `name`). */
export const GOAL_COLUMNS = ['pathname', 'scroll_depth', 'props'] as const;

/** The SQL predicate that an event row converts the goal. */
export function converts(g: Goal, params: Params, dialect: Dialect): string {
  const page = (path: string) =>
    hasWildcard(path)
      ? dialect.regexMatch('pathname', params.add(pageRegex(path)))
      : `pathname = ${params.add(path)}`;
  const parts: string[] = [];
  switch (goalKind(g)) {
    case 'event':
      parts.push(`name = ${params.add(g.event!)}`);
      break;
    case 'page':
      parts.push(`name = 'pageview'`, page(g.page!));
      break;
    case 'scroll':
      parts.push(
        `name = 'engagement'`,
        page(g.page!),
        `scroll_depth >= ${params.add(g.scroll!)}`,
        'scroll_depth <= 100',
      );
      break;
  }
  for (const [key, value] of g.props) {
    const k = params.add(key);
    parts.push(
      dialect.hasProp('props', k),
      `${dialect.propValue('props', k, params.add(''))} = ${params.add(value)}`,
    );
  }
  return parts.map((p) => `(${p})`).join(' AND ');
}

export const anyOf = (conds: string[]) =>
  conds.length === 0 ? 'FALSE' : conds.map((c) => `(${c})`).join(' OR ');

/**
 * The predicate that an event row converts one of the goals a goal filter names, among those
 * an engagement event (`scroll`) or another event can convert.
 */
export function convertsNamed(
  goals: readonly Goal[],
  f: LeafFilter,
  scroll: boolean,
  params: Params,
  dialect: Dialect,
): string {
  return anyOf(
    goalsNamed(goals, f)
      .filter((g) => (goalKind(g) === 'scroll') === scroll)
      .map((g) => converts(g, params, dialect)),
  );
}
