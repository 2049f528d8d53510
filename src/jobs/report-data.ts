// The numbers of a report, asked of the query engine exactly as a Stats API client would ask
// them (POST /api/v2/query with the same site, date_range and fields), so the mail and the API
// cannot disagree. REPORT_QUERIES is exported for the test that makes that comparison.
import { metricNumber } from '../query/model.js';
import { parseQuery } from '../query/parse.js';
import type { QueryEngine } from '../query/run-query.js';

export const SUMMARY_METRICS = ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration'] as const;

/** The Stats API bodies behind a report, without site_id and date_range. */
export const REPORT_QUERIES = {
  summary: { metrics: [...SUMMARY_METRICS], include: { comparisons: { mode: 'previous_period' } } },
  pages: {
    metrics: ['visitors'],
    dimensions: ['event:page'],
    order_by: [['visitors', 'desc']],
    pagination: { limit: 5 },
  },
  sources: {
    metrics: ['visitors'],
    dimensions: ['visit:source'],
    order_by: [['visitors', 'desc']],
    pagination: { limit: 5 },
  },
  goals: {
    metrics: ['visitors', 'events'],
    dimensions: ['event:goal'],
    order_by: [['visitors', 'desc']],
    pagination: { limit: 5 },
  },
} as const;

export interface ReportNumbers {
  /** One per SUMMARY_METRICS: the value and the change vs the period before (null: not comparable). */
  summary: { value: number | null; change: number | null }[];
  pages: { name: string; visitors: number }[];
  sources: { name: string; visitors: number }[];
  /** Empty when the site has no goals. */
  goals: { name: string; visitors: number; events: number }[];
}

export async function reportNumbers(
  engine: QueryEngine,
  domain: string,
  range: { from: string; to: string },
  hasGoals: boolean,
): Promise<ReportNumbers> {
  const ask = (body: object) =>
    engine.query(parseQuery({ site_id: domain, date_range: [range.from, range.to], ...body }));
  const summary = (await ask(REPORT_QUERIES.summary)).results[0];
  const top = async (body: object) =>
    (await ask(body)).results.map((r) => ({
      name: String(r.dimensions[0]),
      visitors: Number(r.metrics[0] ?? 0),
      events: Number(r.metrics[1] ?? 0),
    }));
  return {
    summary: SUMMARY_METRICS.map((_, i) => ({
      value: metricNumber(summary?.metrics[i]),
      change: summary?.comparison?.change[i] ?? null,
    })),
    pages: (await top(REPORT_QUERIES.pages)).map(({ name, visitors }) => ({ name, visitors })),
    sources: (await top(REPORT_QUERIES.sources)).map(({ name, visitors }) => ({ name, visitors })),
    goals: hasGoals ? await top(REPORT_QUERIES.goals) : [],
  };
}
