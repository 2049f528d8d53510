// Realtime, as Plausible shows it: "current visitors" are those seen in the last 5 minutes;
// the pages and sources beside them cover the last 30 minutes (issue 12, B5), each counting
// the visitors who viewed that page, or whose visit came from that source, in that time.

import { markLight } from '../store/query-owner.js';
import { Params } from './dialect.js';
import { NO_REFERRER } from './dimensions.js';
import type { QueryEngine } from './run-query.js';

export const REALTIME_WINDOW_MS = 5 * 60_000;
export const REALTIME_LISTS_WINDOW_MS = 30 * 60_000;
/** Rows each list holds at most. */
const LIST_ROWS = 10;

export interface RealtimeResult {
  visitors: number;
  pages: { page: string; visitors: number }[];
  sources: { source: string; visitors: number }[];
}

export async function realtime(engine: QueryEngine, domain: string, nowMs: number): Promise<RealtimeResult> {
  const site = engine.site(domain);
  const { dialect } = engine;
  // The last 30 minutes: cheap, so not behind a dashboard's heavy panels (query-gate.ts).
  markLight();
  /** The events of the last `ms` milliseconds, with the statement's own parameters. */
  const recent = (ms: number) => {
    const params = new Params(dialect);
    const since = dialect.timestamp(params.add(new Date(nowMs - ms).toISOString()));
    return { params, where: `site_id = ${params.add(site.id)} AND ts >= ${since} AND name <> 'engagement'` };
  };
  const current = recent(REALTIME_WINDOW_MS);
  const pagesOf = recent(REALTIME_LISTS_WINDOW_MS);
  const sourcesOf = recent(REALTIME_LISTS_WINDOW_MS);
  const [total, pages, sources] = await Promise.all([
    engine.run(
      `SELECT count(DISTINCT visitor_id) AS visitors FROM events WHERE ${current.where}`,
      current.params.values,
    ),
    engine.run(
      `SELECT pathname AS page, count(DISTINCT visitor_id) AS visitors FROM events ` +
        `WHERE ${pagesOf.where} AND name = 'pageview' GROUP BY pathname ORDER BY visitors DESC, page LIMIT ${LIST_ROWS}`,
      pagesOf.params.values,
    ),
    engine.run(
      `SELECT source, count(DISTINCT visitor_id) AS visitors FROM events ` +
        `WHERE ${sourcesOf.where} GROUP BY source ORDER BY visitors DESC, source LIMIT ${LIST_ROWS}`,
      sourcesOf.params.values,
    ),
  ]);
  return {
    visitors: Number(total[0]?.visitors ?? 0),
    pages: pages.map((r) => ({ page: String(r.page), visitors: Number(r.visitors) })),
    // A visit without a referrer reads as in every other answer.
    sources: sources.map((r) => ({ source: String(r.source) || NO_REFERRER, visitors: Number(r.visitors) })),
  };
}
