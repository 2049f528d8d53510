// A goal as the API and `footfall goal list --json` show it.
import type { Goal } from '../store/goals.js';

export type GoalKind = 'event' | 'page' | 'scroll';

export function goalKind(g: { event: string | null; scroll: number | null }): GoalKind {
  if (g.event !== null) return 'event';
  return g.scroll !== null ? 'scroll' : 'page';
}

export interface GoalView {
  id: number;
  name: string;
  kind: GoalKind;
  event: string | null;
  page: string | null;
  scroll: number | null;
  props: Record<string, string>;
  /** A revenue goal's currency (ISO 4217); null for other goals. */
  currency: string | null;
}

export function goalView(g: Goal): GoalView {
  return {
    id: g.id,
    name: g.name,
    kind: goalKind(g),
    event: g.event,
    page: g.page,
    scroll: g.scroll,
    props: Object.fromEntries(g.props),
    currency: g.currency ?? null,
  };
}
