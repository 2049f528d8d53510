// Which custom-property keys an event's rows carry, for the dashboard's property picker
// (issue 12, B4): over a range and filters (usually `event:name is <event>`), the keys most
// used first, each with the number of events that carry it. Plausible's dashboard asks
// `/api/stats/<domain>/suggestions/prop_key` the same question (distinct keys over the
// filtered events, by count, bounded); here it is a Stats-API-style POST like journeys.
import { footfallError } from '../errors.js';
import { filteredEvents } from './filtered-events.js';
import type { Filter } from './model.js';
import { parseDateRange, parseFiltersField } from './parse.js';
import type { QueryEngine } from './run-query.js';

export interface PropKeysRequest {
  siteId: string;
  dateRange: ReturnType<typeof parseDateRange>;
  filters: Filter[];
  limit: number;
}

export interface PropKeysResult {
  keys: { key: string; events: number }[];
}

const FIELDS = ['site_id', 'date_range', 'filters', 'limit'];

export function parsePropKeysRequest(body: unknown): PropKeysRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw footfallError('FOOTFALL_ERR_INVALID_QUERY', 'body: must be a JSON object');
  }
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (!FIELDS.includes(key)) {
      throw footfallError('FOOTFALL_ERR_INVALID_QUERY', `${key}: unknown field; valid: ${FIELDS.join(', ')}`);
    }
  }
  if (typeof b.site_id !== 'string' || b.site_id === '') {
    throw footfallError('FOOTFALL_ERR_INVALID_QUERY', "site_id: give the site's domain");
  }
  const limit = b.limit ?? 25;
  if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > 100) {
    throw footfallError('FOOTFALL_ERR_INVALID_QUERY', 'limit: a whole number from 1 to 100');
  }
  return {
    siteId: b.site_id,
    dateRange: parseDateRange(b.date_range),
    filters: parseFiltersField(b.filters),
    limit: limit as number,
  };
}

export async function propKeys(engine: QueryEngine, req: PropKeysRequest): Promise<PropKeysResult> {
  const scope = await filteredEvents(engine, req, ['props']);
  const { params, ctes, src } = scope;
  // Engagement pings carry no properties of their own; the limit is a validated whole number.
  const sql =
    `WITH ${ctes.join(',\n')}\n` +
    `SELECT k AS key, count(*) AS events FROM (SELECT ${engine.dialect.mapKeys('props')} AS k FROM ${src} ` +
    `WHERE name <> 'engagement' AND ${scope.filter()}) GROUP BY k ORDER BY events DESC, k LIMIT ${req.limit}`;
  const rows = await engine.run(sql, params.values);
  return { keys: rows.map((r) => ({ key: String(r.key), events: Number(r.events) })) };
}
