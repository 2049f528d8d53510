// Realtime: visitors seen in the last 5 minutes and the pages they are on.
import { Params } from './dialect.js';
import type { QueryEngine } from './run-query.js';

export const REALTIME_WINDOW_MS = 5 * 60_000;

export interface RealtimeResult {
  visitors: number;
  pages: { page: string; visitors: number }[];
}

export async function realtime(engine: QueryEngine, domain: string, nowMs: number): Promise<RealtimeResult> {
  const site = engine.site(domain);
  const { dialect } = engine;
  const params = new Params(dialect);
  const since = dialect.timestamp(params.add(new Date(nowMs - REALTIME_WINDOW_MS).toISOString()));
  const where = `site_id = ${params.add(site.id)} AND ts >= ${since} AND name <> 'engagement'`;
  const [total, pages] = await Promise.all([
    engine.run(`SELECT count(DISTINCT visitor_id) AS visitors FROM events WHERE ${where}`, params.values),
    // A visitor counts on the page of their latest page view.
    engine.run(
      `SELECT page, count(*) AS visitors FROM (SELECT visitor_id, ${dialect.argMax('pathname', 'ts', 'TRUE')} AS page ` +
        `FROM events WHERE ${where} AND name = 'pageview' GROUP BY visitor_id) ` +
        'GROUP BY page ORDER BY visitors DESC, page LIMIT 10',
      params.values,
    ),
  ]);
  return {
    visitors: Number(total[0]?.visitors ?? 0),
    pages: pages.map((r) => ({ page: String(r.page), visitors: Number(r.visitors) })),
  };
}
