// Realtime: visitors seen in the last 5 minutes and the pages they are on.
import type { QueryEngine } from './run-query.js';

export const REALTIME_WINDOW_MS = 5 * 60_000;

export interface RealtimeResult {
  visitors: number;
  pages: { page: string; visitors: number }[];
}

export async function realtime(engine: QueryEngine, domain: string, nowMs: number): Promise<RealtimeResult> {
  const site = engine.site(domain);
  const since = new Date(nowMs - REALTIME_WINDOW_MS).toISOString();
  const where = "site_id = $1 AND ts >= CAST($2 AS TIMESTAMP) AND name <> 'engagement'";
  const [total, pages] = await Promise.all([
    engine.run(`SELECT count(DISTINCT visitor_id) AS visitors FROM events WHERE ${where}`, [site.id, since]),
    // A visitor counts on the page of their latest page view.
    engine.run(
      `SELECT page, count(*) AS visitors FROM (SELECT visitor_id, arg_max(pathname, ts) AS page FROM events ` +
        `WHERE ${where} AND name = 'pageview' GROUP BY visitor_id) GROUP BY page ORDER BY visitors DESC, page LIMIT 10`,
      [site.id, since],
    ),
  ]);
  return {
    visitors: Number(total[0]?.visitors ?? 0),
    pages: pages.map((r) => ({ page: String(r.page), visitors: Number(r.visitors) })),
  };
}
