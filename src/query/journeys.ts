// Journeys: in which order visitors read the pages. For a range and filters, the most common
// runs of N consecutive pages within a visit (a reload of the same page counts once), each
// counted once per visit that holds it, plus the page lists of the latest visits as samples.
import { footfallError } from '../errors.js';
import { autoUnit } from './date-range.js';
import { eventScope } from './event-scope.js';
import type { Filter } from './model.js';
import { parseDateRange, parseFiltersField } from './parse.js';
import type { QueryEngine } from './run-query.js';

export interface JourneyRequest {
  siteId: string;
  dateRange: ReturnType<typeof parseDateRange>;
  filters: Filter[];
  steps: number;
  limit: number;
  samples: number;
}

export interface JourneyResult {
  journeys: { pages: string[]; visits: number }[];
  samples: { start: string; pages: string[] }[];
}

function int(value: unknown, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw footfallError('FOOTFALL_ERR_INVALID_QUERY', `${field}: a whole number from ${min} to ${max}`);
  }
  return value as number;
}

export function parseJourneyRequest(body: unknown): JourneyRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw footfallError('FOOTFALL_ERR_INVALID_QUERY', 'body: must be a JSON object');
  }
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (!['site_id', 'date_range', 'filters', 'steps', 'limit', 'samples'].includes(key)) {
      throw footfallError(
        'FOOTFALL_ERR_INVALID_QUERY',
        `${key}: unknown field; valid: site_id, date_range, filters, steps, limit, samples`,
      );
    }
  }
  if (typeof b.site_id !== 'string' || b.site_id === '') {
    throw footfallError('FOOTFALL_ERR_INVALID_QUERY', "site_id: give the site's domain");
  }
  return {
    siteId: b.site_id,
    dateRange: parseDateRange(b.date_range),
    filters: parseFiltersField(b.filters),
    steps: int(b.steps, 'steps', 2, 5, 3),
    limit: int(b.limit, 'limit', 1, 100, 10),
    samples: int(b.samples, 'samples', 0, 50, 5),
  };
}

export async function journeys(engine: QueryEngine, req: JourneyRequest): Promise<JourneyResult> {
  const site = engine.site(req.siteId);
  await engine.validatePatterns(req.filters);
  const range = await engine.resolve(site, req.dateRange);
  const scope = eventScope({
    siteKey: site.id,
    timezone: site.timezone,
    firstDate: range.firstDate,
    fromMs: range.fromMs,
    toMs: range.toMs,
    dimensions: [],
    filters: req.filters,
    extraColumns: ['pathname'],
    timeUnit: autoUnit(range),
    dialect: engine.dialect,
    namesTable: engine.namesTable,
  });
  const { params, ctes, src } = scope;
  const visits =
    req.filters.length > 0
      ? ` AND session_id IN (SELECT session_id FROM ${src} WHERE name <> 'engagement' AND ${scope.filter()})`
      : '';
  ctes.push(
    `pv AS (SELECT session_id, ts, pathname, lag(pathname) OVER (PARTITION BY session_id ORDER BY ts) AS prev ` +
      `FROM ${src} WHERE name = 'pageview'${visits})`,
    'seq AS (SELECT session_id, min(ts) AS start_ts, list(pathname ORDER BY ts) AS pages FROM pv ' +
      'WHERE prev IS NULL OR prev <> pathname GROUP BY session_id)',
  );
  // steps, limit and samples are validated whole numbers in small ranges, written as literals
  // so both statements share the scope's parameters.
  const k = req.steps;
  const base = `WITH ${ctes.join(',\n')}\n`;
  const gramsSql =
    `${base}SELECT g AS pages, count(DISTINCT session_id) AS visits FROM (` +
    `SELECT session_id, pages[i : i + ${k - 1}] AS g FROM (` +
    `SELECT session_id, pages, unnest(generate_series(1, len(pages) - ${k - 1})) AS i FROM seq WHERE len(pages) >= ${k})) ` +
    `GROUP BY g ORDER BY visits DESC, g ASC LIMIT ${req.limit}`;
  const samplesSql = `${base}SELECT epoch_ms(start_ts) AS start_ms, pages FROM seq ORDER BY start_ts DESC, session_id LIMIT ${req.samples}`;
  const [rows, sampleRows] = await Promise.all([
    engine.run(gramsSql, params.values),
    req.samples > 0 ? engine.run(samplesSql, params.values) : Promise.resolve([]),
  ]);
  return {
    journeys: rows.map((r) => ({ pages: (r.pages as unknown[]).map(String), visits: Number(r.visits) })),
    samples: sampleRows.map((r) => ({
      start: new Date(Number(r.start_ms)).toISOString(),
      pages: (r.pages as unknown[]).map(String),
    })),
  };
}
