// Journeys: in which order visitors read the pages. For a range and filters, the most common
// runs of N consecutive pages within a visit (a reload of the same page counts once), each
// counted once per visit that holds it, plus the page lists of the latest visits as samples.
import { footfallError } from '../errors.js';
import { scopeOver } from './filtered-events.js';
import type { Filter } from './model.js';
import { parseDateRange, parseFiltersField } from './parse.js';
import { ROLLUP_JOURNEY_STEPS } from './rollup-plan.js';
import type { QueryEngine } from './run-query.js';

/** Pages a sample lists at most: a visit of 100,000 reloads and clicks is not 100,000 strings in JS. */
export const SAMPLE_PAGES = 100;

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
  /** The site's time zone, for showing the samples' start times as the site sees them. */
  timezone: string;
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
  const { dialect } = engine;
  const site = engine.site(req.siteId);
  await engine.validatePatterns(req.filters);
  const range = await engine.resolve(site, req.dateRange);
  const scope = scopeOver(engine, site, range, req.filters, ['pathname']);
  // Runs of the rollups' length without filters: the rolled salt days' runs from
  // rollup_journeys, the range's other visits from their events (rollup-plan.ts).
  const cut =
    req.filters.length === 0 && req.steps === ROLLUP_JOURNEY_STEPS
      ? await engine.rollupCut(site, range, { family: 'journeys' })
      : undefined;
  const gramScope = cut ? scopeOver(engine, site, range, req.filters, ['pathname'], cut) : scope;
  const { params, ctes, src } = scope;
  const visits =
    req.filters.length > 0
      ? ` AND session_id IN (SELECT session_id FROM ${src} WHERE name <> 'engagement' AND ${scope.filter()})`
      : '';
  const k = req.steps;
  const byTime = `WINDOW w AS ${dialect.window('session_id', 'ts')}`;
  // A reload (the same page twice in a row) is one step.
  const steps = (where: string) =>
    `SELECT session_id, ts, pathname FROM (SELECT session_id, ts, pathname, ${dialect.lag('pathname', 'w')} AS prev ` +
    `FROM ${src} WHERE name = 'pageview'${where} ${byTime}) WHERE prev IS NULL OR prev <> pathname`;
  // steps, limit and samples are validated whole numbers in small ranges, written as literals
  // so both statements share the scope's parameters.
  const cols = Array.from({ length: k }, (_, i) => `p${i}`);
  const leads = cols.map((c, i) =>
    i === 0 ? `pathname AS ${c}` : `${dialect.lead('pathname', i, 'w')} AS ${c}`,
  );
  const base = `WITH ${ctes.join(',\n')}`;
  // Runs of k pages from window leads, grouped column by column (measured at 10 M events:
  // 148 ms, against 383 ms building each visit's page list and unnesting its slices).
  const grams = (from: string) =>
    `SELECT ${cols.join(', ')}, count(DISTINCT session_id) AS visits FROM ` +
    `(SELECT session_id, ${leads.join(', ')} FROM ${from} ${byTime}) WHERE p${k - 1} IS NOT NULL GROUP BY ALL`;
  const order = `ORDER BY visits DESC, ${cols.join(', ')} LIMIT ${req.limit}`;
  const gramsSql = cut
    ? `WITH ${gramScope.ctes.join(',\n')}, d AS (${steps('')}), g AS (${grams('d')})\n` +
      `SELECT ${cols.join(', ')}, CAST(sum(visits) AS BIGINT) AS visits FROM (SELECT * FROM g UNION ALL BY NAME ` +
      `SELECT ${cols.join(', ')}, visits FROM rollup_journeys WHERE site_id = ${gramScope.params.add(site.id)} ` +
      `AND salt_day >= CAST(${gramScope.params.add(cut.firstDay)} AS DATE) ` +
      `AND salt_day <= CAST(${gramScope.params.add(cut.lastDay)} AS DATE)) GROUP BY ALL ${order}`
    : `${base}, d AS (${steps(visits)})\n${grams('d')} ${order}`;
  // The latest visits first, then only their pages (22 ms against 322 ms for every visit's list).
  // A visit's start is its first page view. Over a year, finding every visit's start cost more
  // than the journeys themselves (5.2 s of CPU at 10 M events), so the visits with a page view
  // at or after `since` — 2 days before the last page view of the range's last week (up to
  // now) — are tried first: any visit that starts at or after `since` has one there, and visits
  // without one started before it, so when `samples` candidates start at or after it they are
  // the latest of all (which holds for any `since`). With fewer, every visit of the range is
  // ranked. `since` and `lo`, the least session id among the candidates, are found first and
  // written into the statement as values: `session_id >= lo` repeats what the candidates' IN
  // says, and as values both let the engine skip the row groups of older events (at 10 M
  // events over a year: 10–18 ms against 150–300 ms for the same statement with subqueries).
  const samplesSql = (tail?: { since: string; lo: string }) => {
    const candidates = tail
      ? ` AND session_id >= ${tail.lo} AND session_id IN (SELECT session_id FROM ${src} WHERE name = 'pageview' AND ts >= ${tail.since})`
      : '';
    return (
      `${base}, latest AS (SELECT session_id, min(ts) AS start_ts FROM ${src} WHERE name = 'pageview'${visits}${candidates} ` +
      `GROUP BY session_id${tail ? ` HAVING min(ts) >= ${tail.since}` : ''} ` +
      `ORDER BY start_ts DESC, session_id LIMIT ${req.samples})\n` +
      `SELECT ${dialect.epochMs('l.start_ts')} AS start_ms, ${dialect.orderedList('d.pathname', 'd.ts', SAMPLE_PAGES)} AS pages FROM ` +
      `(${steps(` AND session_id IN (SELECT session_id FROM latest)${tail ? ` AND session_id >= ${tail.lo}` : ''}`)}) d JOIN latest l USING (session_id) ` +
      'GROUP BY l.session_id, l.start_ts ORDER BY l.start_ts DESC, l.session_id'
    );
  };
  const DAY_MS = 86_400_000;
  const at = (ms: number) => dialect.timestamp(`'${new Date(ms).toISOString()}'`);
  const samples = async () => {
    if (req.samples === 0) return [];
    const weekAgo = Math.min(range.toMs, engine.now()) - 7 * DAY_MS;
    const [last] = await engine.run(
      `${base}\nSELECT ${dialect.epochMs('max(ts)')} AS ms FROM ${src} WHERE name = 'pageview' AND ts >= ${at(weekAgo)}${visits}`,
      params.values,
    );
    if (last?.ms !== null && last?.ms !== undefined) {
      const since = at(Number(last.ms) - 2 * DAY_MS);
      const [lo] = await engine.run(
        `${base}\nSELECT min(session_id) AS lo FROM ${src} WHERE name = 'pageview' AND ts >= ${since}${visits}`,
        params.values,
      );
      // None when the page views went meanwhile (retention): every visit is ranked below.
      if (lo?.lo !== null && lo?.lo !== undefined) {
        // A session id is a whole number; BigInt refuses anything else.
        const found = await engine.run(
          samplesSql({ since, lo: BigInt(String(lo.lo)).toString() }),
          params.values,
        );
        if (found.length >= req.samples) return found;
      }
    }
    return engine.run(samplesSql(), params.values);
  };
  const [rows, sampleRows] = await Promise.all([
    engine.run(gramsSql, cut ? gramScope.params.values : params.values),
    samples(),
  ]);
  return {
    journeys: rows.map((r) => ({ pages: cols.map((c) => String(r[c])), visits: Number(r.visits) })),
    samples: sampleRows.map((r) => ({
      start: new Date(Number(r.start_ms)).toISOString(),
      pages: (r.pages as unknown[]).map(String),
    })),
    timezone: site.timezone,
  };
}
