// Revenue metrics (issue 15): total_revenue and average_revenue of a goal query, as Plausible
// defines them (Plausible.Stats.Goal.Revenue, QueryResult's metric_warnings):
// - they are over revenue goals — custom-event goals with a currency — among the goals the
//   query's event:goal filters select (or, in a breakdown by event:goal, the row's goal);
// - total_revenue sums the amounts of the converting events, average_revenue averages them
//   over the events that carry revenue (not over every conversion);
// - without an event:goal breakdown the goals must share one currency; when they do not, or
//   none of them is a revenue goal, the values are null and `meta.metric_warnings` says why
//   (Plausible's codes no_single_revenue_currency and no_revenue_goals_matching);
// - a value in a known currency is an object {value, currency, short, long}, as Plausible's
//   API v2 returns it; a row of a goal without a currency has null.
//
// No conversion: Plausible converts amounts into the goal's currency with exchange rates it
// fetches; a self-hosted Footfall has no such service, so an amount in another currency than
// its goal's is left out of both sums and counted in a third warning,
// revenue_in_other_currencies, with the number of such conversions.
import type { Goal } from '../store/goals.js';
import type { Dialect, Params } from './dialect.js';
import { anyOf, converts } from './goal-match.js';
import {
  GOAL_DIMENSION,
  type Metric,
  metricNumber,
  type Query,
  type ResultRow,
  type RevenueValue,
} from './model.js';

export const REVENUE_METRICS: readonly Metric[] = ['total_revenue', 'average_revenue'];

export function wantsRevenue(q: Query): boolean {
  return q.metrics.some((m) => REVENUE_METRICS.includes(m));
}

export type RevenueWarning =
  | 'no_revenue_goals_matching'
  | 'no_single_revenue_currency'
  | 'revenue_in_other_currencies';

export const REVENUE_WARNINGS: Readonly<Record<RevenueWarning, string>> = {
  no_revenue_goals_matching: 'Revenue metrics are null as there are no matching revenue goals.',
  no_single_revenue_currency:
    'Revenue metrics are null as there are multiple currencies for the selected event:goals.',
  revenue_in_other_currencies:
    "conversions with revenue in another currency than their goal's are left out of the revenue metrics (Footfall converts no currencies)",
};

/** Which currency each result row's revenue is in. */
export interface RevenuePlan {
  /** Without a breakdown by goal: the one currency of the selected revenue goals. */
  currency: string | null;
  /** In a breakdown by goal: each revenue goal's currency by its name. */
  byGoal: ReadonlyMap<string, string> | null;
  warning: Exclude<RevenueWarning, 'revenue_in_other_currencies'> | null;
}

/** `selected`: the goals the query's goal filters select (all of them in a breakdown by goal). */
export function planRevenue(selected: readonly Goal[], goalDimension: boolean): RevenuePlan {
  const revenueGoals = selected.filter((g) => g.currency);
  const currencies = [...new Set(revenueGoals.map((g) => g.currency!))];
  if (currencies.length === 0) return { currency: null, byGoal: null, warning: 'no_revenue_goals_matching' };
  if (goalDimension) {
    return { currency: null, byGoal: new Map(revenueGoals.map((g) => [g.name, g.currency!])), warning: null };
  }
  if (currencies.length > 1) return { currency: null, byGoal: null, warning: 'no_single_revenue_currency' };
  return { currency: currencies[0]!, byGoal: null, warning: null };
}

/**
 * The columns a converting event row adds to a goal query's `gm` rows: `rev`, its amount when it
 * counts toward revenue in `currency` (NULL otherwise), and `rev_other`, 1 when it converts a
 * revenue goal with an amount in another currency. `goals` are the goals the row may convert;
 * `converting`: the row is known to convert them (a breakdown by goal's branch of one goal).
 */
export function revenueColumns(
  goals: readonly Goal[],
  currency: string | null,
  converting: boolean,
  params: Params,
  dialect: Dialect,
): string {
  const none = 'CASE WHEN FALSE THEN revenue_amount END AS rev, 0 AS rev_other, ';
  const counted = goals.filter((g) => g.currency !== null && g.currency === currency);
  if (currency === null || counted.length === 0) return none;
  const convert = converting ? 'TRUE' : anyOf(counted.map((g) => converts(g, params, dialect)));
  const cur = params.add(currency);
  return (
    `CASE WHEN revenue_currency = ${cur} AND (${convert}) THEN revenue_amount END AS rev, ` +
    `CASE WHEN revenue_currency <> ${cur} AND (${convert}) THEN 1 ELSE 0 END AS rev_other, `
  );
}

/** The revenue aggregates of `conv`, over `gm`'s revenue columns. */
export const REVENUE_AGGREGATES =
  'sum(rev) AS rev_total, avg(rev) AS rev_average, sum(rev_other) AS rev_other';

const formats = new Map<string, { short: Intl.NumberFormat; long: Intl.NumberFormat }>();

/** A revenue amount in its currency, as Plausible's API returns it (en-US, like Plausible's default). */
export function revenueValue(amount: number | null, currency: string): RevenueValue {
  let f = formats.get(currency);
  if (!f) {
    f = {
      short: new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency,
        notation: 'compact',
        maximumFractionDigits: 1,
      }),
      long: new Intl.NumberFormat('en-US', { style: 'currency', currency }),
    };
    formats.set(currency, f);
  }
  const value = amount ?? 0;
  return { value, currency, short: f.short.format(value), long: f.long.format(value) };
}

export type MetricWarnings = Partial<Record<Metric, { code: RevenueWarning; warning: string }>>;

/**
 * The result's revenue metrics in their currency (in place), and the warnings for
 * `meta.metric_warnings`. `otherCurrency`: the conversions left out for their currency.
 */
export function shapeRevenue(
  q: Query,
  plan: RevenuePlan,
  results: ResultRow[],
  otherCurrency: number,
): MetricWarnings | undefined {
  const goalIndex = q.dimensions.indexOf(GOAL_DIMENSION);
  const positions = q.metrics.flatMap((m, i) => (REVENUE_METRICS.includes(m) ? [i] : []));
  for (const row of results) {
    const currency =
      plan.currency ?? (goalIndex >= 0 ? plan.byGoal?.get(String(row.dimensions[goalIndex])) : undefined);
    for (const i of positions) {
      row.metrics[i] = currency ? revenueValue(metricNumber(row.metrics[i]), currency) : null;
    }
  }
  const code: RevenueWarning | null =
    plan.warning ?? (otherCurrency > 0 ? 'revenue_in_other_currencies' : null);
  if (!code) return undefined;
  const warning =
    code === 'revenue_in_other_currencies'
      ? `${otherCurrency} ${REVENUE_WARNINGS[code]}`
      : REVENUE_WARNINGS[code];
  return Object.fromEntries(
    q.metrics.filter((m) => REVENUE_METRICS.includes(m)).map((m) => [m, { code, warning }]),
  );
}
