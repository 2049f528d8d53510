// Which queries with goals Footfall answers, checked once a query is parsed (no site, no goals
// needed). Where Plausible refuses a combination, the message is Plausible's own sentence
// (query_validations_test.exs, query_schema's filter_with_goals); where Footfall answers less
// than Plausible, it says so and what it does answer.
import { footfallError } from '../errors.js';
import {
  type Filter,
  GOAL_DIMENSION,
  goalLeaves,
  innerFilters,
  isBehavioural,
  isLeaf,
  type Metric,
  type Query,
} from './model.js';

// Revenue metrics need them too: Plausible answers them without a goal filter, over all the
// site's revenue goals; Footfall asks for the goals (README, "Revenue").
const CONVERSION_METRICS: readonly Metric[] = [
  'conversion_rate',
  'group_conversion_rate',
  'total_revenue',
  'average_revenue',
];
/** What goals.ts computes per goal or over conversions. */
export const GOAL_QUERY_METRICS: readonly Metric[] = [
  'visitors',
  'visits',
  'events',
  'pageviews',
  ...CONVERSION_METRICS,
];
const SESSION_METRICS: readonly Metric[] = ['bounce_rate', 'visit_duration', 'views_per_visit'];
/** Plausible's filter_with_goals: event:goal takes only these operators. */
const GOAL_OPERATORS = ['is', 'contains'];

function refuse(field: string, what: string): never {
  throw footfallError('FOOTFALL_ERR_INVALID_QUERY', `${field}: ${what}`);
}

/** The top-level event:goal filters, which select goals by name. */
export function goalFilters(filters: readonly Filter[]): Extract<Filter, { dimension: string }>[] {
  return filters.flatMap((f) => (isLeaf(f) && f.dimension === GOAL_DIMENSION ? [f] : []));
}

/** Whether the query is about conversions (and takes goals.ts's path). */
export function usesGoals(q: Query): boolean {
  return q.dimensions.includes(GOAL_DIMENSION) || goalFilters(q.filters).length > 0;
}

/** Whether answering the query needs the site's goals: conversions, or a behavioural filter naming one. */
export function needsGoals(q: Query): boolean {
  return usesGoals(q) || goalLeaves(q.filters).length > 0;
}

export function checkGoalQuery(q: Query): void {
  q.filters.forEach((f, i) => {
    const field = `filters[${i}]`;
    const badOp = goalLeaves([f]).find((g) => !GOAL_OPERATORS.includes(g.op));
    if (badOp) {
      refuse(field, `event:goal can be filtered with is or contains, not ${badOp.op} (as in Plausible)`);
    }
    if (!isLeaf(f) && nestsGoal(f)) {
      refuse(
        field,
        'event:goal can only be filtered at the top level (or in has_done/has_not_done), not inside and/or/not',
      );
    }
  });
  const goals = usesGoals(q);
  for (const m of CONVERSION_METRICS) {
    if (q.metrics.includes(m) && !goals) {
      refuse('metrics', `Metric \`${m}\` can only be queried with event:goal filters or dimensions.`);
    }
  }
  if (!goals) return;
  const session = q.metrics.filter((m) => SESSION_METRICS.includes(m));
  if (session.length > 0 && q.dimensions.includes(GOAL_DIMENSION)) {
    refuse(
      'metrics',
      `Session metric(s) \`${session.join(', ')}\` cannot be queried along with event dimensions.`,
    );
  }
  const other = q.metrics.filter((m) => !GOAL_QUERY_METRICS.includes(m));
  if (other.length > 0) {
    refuse(
      'metrics',
      `${other.join(', ')} cannot be queried with event:goal filters or dimensions in Footfall yet; ` +
        `with goals it answers ${GOAL_QUERY_METRICS.join(', ')}`,
    );
  }
  if (q.include.comparisons && q.dimensions.includes(GOAL_DIMENSION)) {
    refuse('include.comparisons', 'a breakdown by event:goal cannot be compared in Footfall yet');
  }
  if (q.include.comparisons && q.metrics.some((m) => m === 'total_revenue' || m === 'average_revenue')) {
    refuse('include.comparisons', 'revenue metrics cannot be compared in Footfall yet');
  }
}

/** A goal filter below the top level, behavioural filters aside (they may name goals). */
function nestsGoal(f: Filter): boolean {
  if (isLeaf(f)) return f.dimension === GOAL_DIMENSION;
  return !isBehavioural(f) && innerFilters(f).some(nestsGoal);
}
