// Rollups by salt day: what a year's dashboard panels count, kept per (site, salt day), so a
// 12-month view adds up ~365 small rows per key instead of re-reading every event (issue 14).
//
// Why a salt day is the unit, and why the sums are exact: a visitor id is an HMAC under the
// salt of the UTC day its visit started (a visit across midnight keeps it), so ids of visits
// started on different days never coincide. Distinct visitors over any set of events are then
// the SUM over salt days of the distinct ids among that day's visits — and per-visitor values
// (a page's deepest scroll) and per-visit values (a run of pages) add up the same way. A day is
// "rolled" once all its visits have ended; a query uses it only when every event of its visits
// lies inside the query's range (rollup_days keeps the first and last of them), and reads every
// other visit of the range itself — its events, or its visits-table row (src/query/rollup-plan.ts).
//
// A salt day's visits are the visits table's rows whose first event (first_ts) falls on it.
// Anything that changes a rolled day's visits forgets the day (a load folding an event into one
// of them or adding one: forgetTouchedDays; retention; removing the site); the job rolls it again.
// The local-time families (days, weeks, months, the heatmap's hours) hold the site's time zone
// at the time they were made; a query in another zone does not use them. A day rolled under an
// older ROLLUP_VERSION is neither read nor kept: the job rolls it again.
import { goalKind } from '../../goals/goal-view.js';
import { Params } from '../../query/dialect.js';
import { duckdbDialect } from '../../query/dialects/duckdb.js';
import { converts, goalKey } from '../../query/goal-match.js';
import { revenueColumns } from '../../query/revenue.js';
import { ROLLUP_VERSION, ROLLUP_VISIT_DIMS } from '../../query/rollup-plan.js';
import { offsetMinutesSql, offsetSteps, prepareOffsetSteps } from '../../query/zone-offsets.js';
import type { Goal } from '../goals.js';
import type { Tx } from './serial-connection.js';

const DAY_MS = 86_400_000;

export const ROLLUPS_MIGRATION = `
  CREATE TABLE rollup_days (
    site_id   UINTEGER NOT NULL,
    salt_day  DATE NOT NULL,
    timezone  VARCHAR NOT NULL,
    first_ts  TIMESTAMP NOT NULL,
    last_ts   TIMESTAMP NOT NULL,
    -- A visitor id of the day is also on another day's visits (an import's own ids): not rolled.
    shared    BOOLEAN NOT NULL,
    version   INTEGER NOT NULL,
    PRIMARY KEY (site_id, salt_day)
  );
  CREATE TABLE rollup_pages (
    site_id UINTEGER NOT NULL, salt_day DATE NOT NULL, pathname VARCHAR NOT NULL,
    visitors UBIGINT NOT NULL, pageviews UBIGINT NOT NULL, events UBIGINT NOT NULL,
    scroll_sum UBIGINT, scroll_n UBIGINT NOT NULL, engaged_ms HUGEINT, engaged_visitors UBIGINT NOT NULL
  );
  CREATE TABLE rollup_names (
    site_id UINTEGER NOT NULL, salt_day DATE NOT NULL, name VARCHAR NOT NULL,
    visitors UBIGINT NOT NULL, pageviews UBIGINT NOT NULL, events UBIGINT NOT NULL
  );
  CREATE TABLE rollup_times (
    site_id UINTEGER NOT NULL, salt_day DATE NOT NULL, unit VARCHAR NOT NULL, bucket DATE NOT NULL,
    visitors UBIGINT NOT NULL, pageviews UBIGINT NOT NULL, events UBIGINT NOT NULL
  );
  CREATE TABLE rollup_hours (
    site_id UINTEGER NOT NULL, salt_day DATE NOT NULL, dow INTEGER NOT NULL, hour INTEGER NOT NULL,
    visitors UBIGINT NOT NULL, pageviews UBIGINT NOT NULL, events UBIGINT NOT NULL
  );
  CREATE TABLE rollup_journeys (
    site_id UINTEGER NOT NULL, salt_day DATE NOT NULL, p0 VARCHAR NOT NULL, p1 VARCHAR NOT NULL,
    p2 VARCHAR NOT NULL, visits UBIGINT NOT NULL
  );`;

/** The visits' own rollup (ROLLUP_VERSION 2): per visit dimension and value, the visits path's sums. */
export const ROLLUP_VISITS_MIGRATION = `
  CREATE TABLE rollup_visits (
    site_id UINTEGER NOT NULL, salt_day DATE NOT NULL, dim VARCHAR NOT NULL, value VARCHAR NOT NULL,
    visitors UBIGINT NOT NULL, pageviews UBIGINT NOT NULL, events UBIGINT NOT NULL, visits UBIGINT NOT NULL,
    duration_ms HUGEINT NOT NULL, bounces UBIGINT NOT NULL
  );`;

/**
 * Each goal's conversions per salt day, keyed by its definition (goal-match.ts goalKey): a row
 * per goal the site had when the day was rolled, zeros included, so a row's presence says the
 * day holds that goal. A goal made or changed later is rolled into the days already rolled by
 * the job (goalDaysToRoll); until then its queries read the events.
 */
export const ROLLUP_GOALS_MIGRATION = `
  CREATE TABLE rollup_goals (
    site_id UINTEGER NOT NULL, salt_day DATE NOT NULL, goal VARCHAR NOT NULL,
    visitors UBIGINT NOT NULL, visits UBIGINT NOT NULL, events UBIGINT NOT NULL, pageviews UBIGINT NOT NULL,
    rev_sum DECIMAL(38,3), rev_n UBIGINT NOT NULL, rev_other UBIGINT NOT NULL
  );`;

export const ROLLUP_FACT_TABLES = [
  'rollup_pages',
  'rollup_names',
  'rollup_times',
  'rollup_hours',
  'rollup_journeys',
  'rollup_visits',
  'rollup_goals',
] as const;

const ts = (ms: number) => `TIMESTAMP '${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}'`;

/** `expr` (a UTC timestamp) as the zone's wall-clock time, over [fromMs, toMs) (zone-offsets.ts). */
function localTime(expr: string, timezone: string, fromMs: number, toMs: number): string {
  return `(${expr} + to_minutes(${offsetMinutesSql(offsetSteps(timezone, fromMs, toMs), expr, ts)}))`;
}

/**
 * Rolls one salt day of a site (a UTC date, YYYY-MM-DD) inside the caller's transaction,
 * replacing what was there. Resolves false when the day has no visits. The caller decides the
 * day is finished (no visit of it can still get events from tracking).
 */
export async function rollDay(
  tx: Tx,
  site: { id: number; timezone: string },
  day: string,
  goals: readonly Goal[] = [],
): Promise<boolean> {
  const startMs = Date.parse(`${day}T00:00:00Z`);
  await forgetDays(tx, site.id, day, day);
  await dayVisits(tx, site.id, startMs);
  const [span] = await tx.rows('SELECT epoch_ms(max(last_ts)) AS hi, count(*) AS n FROM ru_visits');
  if (Number(span?.n ?? 0) === 0) {
    await tx.run('DROP TABLE ru_visits');
    // Listed with visits that are gone: not listed again.
    await tx.run('DELETE FROM visit_days WHERE site_id = $1 AND day = CAST($2 AS DATE)', [site.id, day]);
    return false;
  }
  const hiMs = Number(span!.hi);
  // The sums hold only while the day's visitor ids are its own (ids under other salts never
  // coincide; an import of a file may bring ids of its own). Such a day is listed, not rolled.
  const [shared] = await tx.rows(
    'SELECT count(*) AS n FROM visits WHERE site_id = $1 AND (first_ts < $2 OR first_ts >= $3) ' +
      'AND visitor_id IN (SELECT visitor_id FROM visits WHERE site_id = $1 AND session_id IN (SELECT session_id FROM ru_visits))',
    [site.id, new Date(startMs).toISOString(), new Date(startMs + DAY_MS).toISOString()],
  );
  const own = Number(shared?.n ?? 0) === 0;
  if (own) await rollFacts(tx, site, day, startMs, hiMs, goals);
  await tx.run(
    `INSERT INTO rollup_days SELECT $1, CAST('${day}' AS DATE), $2, min(first_ts), max(last_ts), ${!own}, ${ROLLUP_VERSION} FROM ru_visits`,
    [site.id, site.timezone],
  );
  await tx.run('DROP TABLE ru_visits');
  return own;
}

/** `ru_visits`: the visits of the salt day starting at `startMs` (a salt day's visits). */
async function dayVisits(tx: Tx, siteId: number, startMs: number): Promise<void> {
  await tx.run(
    'CREATE OR REPLACE TEMP TABLE ru_visits AS SELECT session_id, first_ts, last_ts FROM visits ' +
      `WHERE site_id = $1 AND first_ts >= ${ts(startMs)} AND first_ts < ${ts(startMs + DAY_MS)}`,
    [siteId],
  );
}

/** `ru_events`: the events of the visits in `ru_visits`, with `columns` (SQL select items). */
async function dayEvents(tx: Tx, siteId: number, startMs: number, columns: string): Promise<void> {
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE ru_events AS SELECT ${columns} FROM events ` +
      `WHERE site_id = $1 AND ts >= ${ts(startMs)} AND ts <= (SELECT max(last_ts) FROM ru_visits) ` +
      'AND session_id IN (SELECT session_id FROM ru_visits)',
    [siteId],
  );
}

/** The columns `converts` and revenueColumns read, for the goals given (props and revenue only when asked). */
function goalColumns(goals: readonly Goal[]): string {
  return (
    (goals.some((g) => g.props.length > 0) ? ', props' : '') +
    (goals.some((g) => g.currency) ? ', revenue_amount, revenue_currency' : '')
  );
}

/** The day's rows of every rollup table, from its visits in `ru_visits` (see rollDay). */
async function rollFacts(
  tx: Tx,
  site: { id: number; timezone: string },
  day: string,
  startMs: number,
  hiMs: number,
  goals: readonly Goal[],
): Promise<void> {
  await prepareOffsetSteps(site.timezone, startMs, hiMs + 1);
  const lt = localTime('ts', site.timezone, startMs, hiMs + 1);
  await dayEvents(
    tx,
    site.id,
    startMs,
    `ts, ${lt} AS lt, name, pathname, visitor_id, session_id, scroll_depth, engagement_ms${goalColumns(goals)}`,
  );
  const key = `$1, CAST('${day}' AS DATE)`;
  const counts =
    "count(DISTINCT visitor_id) AS visitors, count(*) FILTER (WHERE name = 'pageview') AS pageviews, count(*) AS events";
  const counted = "FROM ru_events WHERE name <> 'engagement'";
  await tx.run(
    `INSERT INTO rollup_pages WITH ev AS (SELECT pathname, ${counts} ${counted} GROUP BY pathname), ` +
      "env AS (SELECT pathname, visitor_id, max(scroll_depth) AS ms, sum(engagement_ms) AS em FROM ru_events WHERE name = 'engagement' GROUP BY ALL), " +
      'en AS (SELECT pathname, sum(ms) AS scroll_sum, count(ms) AS scroll_n, sum(em) AS engaged_ms, ' +
      'count(*) FILTER (WHERE em IS NOT NULL) AS engaged_visitors FROM env GROUP BY pathname) ' +
      `SELECT ${key}, pathname, coalesce(visitors, 0), coalesce(pageviews, 0), coalesce(events, 0), ` +
      'scroll_sum, coalesce(scroll_n, 0), engaged_ms, coalesce(engaged_visitors, 0) FROM ev FULL JOIN en USING (pathname)',
    [site.id],
  );
  await tx.run(`INSERT INTO rollup_names SELECT ${key}, name, ${counts} ${counted} GROUP BY name`, [site.id]);
  for (const [unit, bucket] of [
    ['day', 'CAST(lt AS DATE)'],
    // A query moves a week that began before its range to the range's first day (dialect.ts).
    ['week', "CAST(date_trunc('week', lt) AS DATE)"],
    ['month', "CAST(date_trunc('month', lt) AS DATE)"],
  ] as const) {
    await tx.run(
      `INSERT INTO rollup_times SELECT ${key}, '${unit}', ${bucket} AS b, ${counts} ${counted} GROUP BY b`,
      [site.id],
    );
  }
  await tx.run(
    `INSERT INTO rollup_hours SELECT ${key}, CAST(isodow(lt) AS INTEGER) AS d, CAST(hour(lt) AS INTEGER) AS h, ` +
      `${counts} ${counted} GROUP BY d, h`,
    [site.id],
  );
  // Runs of three pages (ROLLUP_JOURNEY_STEPS) within a visit, a reload counting once (journeys.ts).
  await tx.run(
    `INSERT INTO rollup_journeys SELECT ${key}, p0, p1, p2, count(DISTINCT session_id) FROM (` +
      'SELECT session_id, pathname AS p0, lead(pathname, 1) OVER w AS p1, lead(pathname, 2) OVER w AS p2 FROM (' +
      'SELECT session_id, ts, pathname FROM (SELECT session_id, ts, pathname, lag(pathname) OVER w AS prev ' +
      "FROM ru_events WHERE name = 'pageview' WINDOW w AS (PARTITION BY session_id ORDER BY ts)) " +
      'WHERE prev IS NULL OR prev <> pathname) WINDOW w AS (PARTITION BY session_id ORDER BY ts)) ' +
      'WHERE p2 IS NOT NULL GROUP BY ALL',
    [site.id],
  );
  // Per visit dimension, the visits path's sums (compile-visits.ts) over the day's visits with a
  // counted event; a visit's bounce and duration as compile.ts visitRates counts them.
  const dims = ['', ...ROLLUP_VISIT_DIMS];
  await tx.run(
    `INSERT INTO rollup_visits SELECT ${key}, dim, value, count(DISTINCT visitor_id), sum(pageviews), sum(events), ` +
      "count(*), sum(date_diff('millisecond', start_ts, end_ts)), count(*) FILTER (WHERE pageviews <= 1 AND interactions = 0) " +
      `FROM (SELECT visitor_id, pageviews, events, interactions, start_ts, end_ts, ` +
      `unnest([${dims.map((d) => `'${d}'`).join(', ')}]) AS dim, ` +
      `unnest([${dims.map((d) => (d === '' ? "''" : `coalesce(${d}, '')`)).join(', ')}]) AS value ` +
      'FROM visits WHERE site_id = $1 AND events > 0 AND session_id IN (SELECT session_id FROM ru_visits)) GROUP BY dim, value',
    [site.id],
  );
  await insertGoals(tx, site.id, day, goals);
  await tx.run('DROP TABLE ru_events');
}

/**
 * Each goal's conversions among `ru_events` as rollup_goals rows of the day, as goals.ts counts
 * them in a breakdown by goal: converting events (engagement events for a scroll goal, others
 * for the rest), their visitors and visits, and the revenue in the goal's own currency.
 */
async function insertGoals(tx: Tx, siteId: number, day: string, goals: readonly Goal[]): Promise<void> {
  const keyed = new Map(goals.map((g) => [goalKey(g), g]));
  if (keyed.size === 0) return;
  const params = new Params(duckdbDialect);
  const site = params.add(siteId);
  const selects = [...keyed].map(([key, g]) => {
    // A goal without a currency has no revenue (and ru_events then no revenue columns).
    const rev = g.currency
      ? revenueColumns([g], g.currency, true, params, duckdbDialect)
      : 'CAST(NULL AS DECIMAL(18,3)) AS rev, 0 AS rev_other, ';
    return (
      `SELECT ${site}, CAST('${day}' AS DATE), ${params.add(key)}, count(DISTINCT visitor_id), ` +
      "count(DISTINCT session_id), count(*), count(*) FILTER (WHERE name = 'pageview'), sum(rev), count(rev), " +
      `coalesce(sum(rev_other), 0) FROM (SELECT ${rev}visitor_id, session_id, name FROM ru_events ` +
      `WHERE ${goalKind(g) === 'scroll' ? "name = 'engagement'" : "name <> 'engagement'"} AND (${converts(g, params, duckdbDialect)}))`
    );
  });
  await tx.run(`INSERT INTO rollup_goals ${selects.join(' UNION ALL ')}`, params.values);
}

/**
 * Rolls the site's goals that a rolled salt day does not hold yet (made or changed since) into
 * it, inside the caller's transaction.
 */
export async function rollGoals(
  tx: Tx,
  site: { id: number },
  day: string,
  goals: readonly Goal[],
): Promise<void> {
  // A day forgotten since it was listed: its rows would never be read (rolling it again
  // replaces them), so the work is skipped.
  const [listed] = await tx.rows(
    `SELECT count(*) AS n FROM rollup_days WHERE site_id = $1 AND salt_day = CAST($2 AS DATE) AND NOT shared AND version = ${ROLLUP_VERSION}`,
    [site.id, day],
  );
  if (Number(listed?.n ?? 0) === 0) return;
  const held = new Set(
    (
      await tx.rows('SELECT goal FROM rollup_goals WHERE site_id = $1 AND salt_day = CAST($2 AS DATE)', [
        site.id,
        day,
      ])
    ).map((r) => String(r.goal)),
  );
  const missing = goals.filter((g) => !held.has(goalKey(g)));
  if (missing.length === 0) return;
  const startMs = Date.parse(`${day}T00:00:00Z`);
  await dayVisits(tx, site.id, startMs);
  await dayEvents(
    tx,
    site.id,
    startMs,
    `name, pathname, visitor_id, session_id, scroll_depth${goalColumns(missing)}`,
  );
  await insertGoals(tx, site.id, day, missing);
  await tx.run('DROP TABLE ru_events');
  await tx.run('DROP TABLE ru_visits');
}

/**
 * The site's rolled salt days missing one of `goals`, oldest first, at most `limit`; and the rows
 * of goals the site no longer has (deleted or changed) are dropped.
 */
export async function goalDaysToRoll(
  tx: Tx,
  siteId: number,
  goals: readonly Goal[],
  limit: number,
): Promise<string[]> {
  const keys = [...new Set(goals.map(goalKey))];
  const list = keys.map((_, i) => `$${i + 2}`).join(', ');
  await tx.run(
    `DELETE FROM rollup_goals WHERE site_id = $1${keys.length > 0 ? ` AND goal NOT IN (${list})` : ''}`,
    [siteId, ...keys],
  );
  if (keys.length === 0) return [];
  const rows = await tx.rows(
    "SELECT strftime(d.salt_day, '%Y-%m-%d') AS day FROM rollup_days d LEFT JOIN " +
      `(SELECT salt_day, count(DISTINCT goal) AS n FROM rollup_goals WHERE site_id = $1 AND goal IN (${list}) GROUP BY salt_day) g ` +
      `USING (salt_day) WHERE d.site_id = $1 AND NOT d.shared AND d.version = ${ROLLUP_VERSION} ` +
      `AND coalesce(g.n, 0) < ${keys.length} ORDER BY d.salt_day LIMIT ${Math.max(1, Math.floor(limit))}`,
    [siteId, ...keys],
  );
  return rows.map((r) => String(r.day));
}

/** Forgets a site's rolled days from `first` to `last` (UTC dates, inclusive). */
export async function forgetDays(tx: Tx, siteId: number, first: string, last: string): Promise<void> {
  for (const table of ['rollup_days', ...ROLLUP_FACT_TABLES]) {
    await tx.run(
      `DELETE FROM ${table} WHERE site_id = $1 AND salt_day >= CAST($2 AS DATE) AND salt_day <= CAST($3 AS DATE)`,
      [siteId, first, last],
    );
  }
}

/** Forgets every rolled day of a site (its events are gone). */
export async function forgetSite(tx: Tx, siteId: number): Promise<void> {
  for (const table of ['rollup_days', ...ROLLUP_FACT_TABLES]) {
    await tx.run(`DELETE FROM ${table} WHERE site_id = $1`, [siteId]);
  }
}

/**
 * After a batch was folded into the visits (visits.ts, `visit_batch` and its session-id
 * bounds): a rolled day whose visit got an event, or which got a new visit (an import of old
 * traffic), is forgotten. Its facts stay until it is rolled again; queries read only days
 * listed in rollup_days.
 */
export async function forgetTouchedDays(tx: Tx, lo: string, hi: string): Promise<void> {
  // Tracking's batches touch only visits younger than every rolled day: the bound on first_ts
  // lets both joins below skip all but the newest row groups of the visits, as the merge does.
  const [last] = await tx.rows("SELECT strftime(max(salt_day), '%Y-%m-%d') AS day FROM rollup_days");
  if (last?.day === null || last?.day === undefined) return;
  const lastDay = String(last.day);
  await tx.run(
    'DELETE FROM rollup_days r USING (SELECT DISTINCT v.site_id, CAST(v.first_ts AS DATE) AS day FROM visits v ' +
      'JOIN visit_batch b ON v.site_id = b.site_id AND v.session_id = b.session_id ' +
      "WHERE v.session_id BETWEEN $1::UBIGINT AND $2::UBIGINT AND v.first_ts < CAST($3 AS DATE) + INTERVAL '1 day') t " +
      'WHERE r.site_id = t.site_id AND r.salt_day = t.day',
    [lo, hi, lastDay],
  );
  // A batch with visits started on or before the newest rolled day (an import of old traffic;
  // tracking's visits start later: a day is rolled once its visits have ended) may bring
  // visitor ids some rolled day has: that day is forgotten too (the check above is then a join
  // over every visit's id, so only then).
  const [old] = await tx.rows(
    "SELECT count(*) AS n FROM visit_batch WHERE first_ts < CAST($1 AS DATE) + INTERVAL '1 day'",
    [lastDay],
  );
  if (Number(old?.n ?? 0) === 0) return;
  await tx.run(
    'DELETE FROM rollup_days r USING (SELECT DISTINCT v.site_id, CAST(v.first_ts AS DATE) AS day FROM visits v ' +
      'JOIN visit_batch b ON v.site_id = b.site_id AND v.visitor_id = b.visitor_id) t ' +
      'WHERE r.site_id = t.site_id AND r.salt_day = t.day',
  );
}

/**
 * The salt days of a site that are finished at `nowMs` and not rolled (or rolled in another
 * time zone), oldest first, at most `limit`. A day is finished once it has ended and none of
 * its visits has had an event in the last hour: a visit ends after 30 idle minutes, so none of
 * them can get another event from tracking (a late load or an import forgets the day again).
 */
export async function daysToRoll(
  tx: Tx,
  site: { id: number; timezone: string },
  nowMs: number,
  limit: number,
): Promise<string[]> {
  const before = ts(Math.floor(nowMs / DAY_MS) * DAY_MS);
  // visit_days (visits.ts): each day's last event, kept with the visits.
  const rows = await tx.rows(
    `SELECT strftime(day, '%Y-%m-%d') AS day FROM visit_days WHERE site_id = $1 AND day < CAST(${before} AS DATE) ` +
      `AND last_ts < ${ts(nowMs - 3_600_000)} ` +
      `AND day NOT IN (SELECT salt_day FROM rollup_days WHERE site_id = $1 AND timezone = $2 AND version = ${ROLLUP_VERSION}) ` +
      `ORDER BY day LIMIT ${Math.max(1, Math.floor(limit))}`,
    [site.id, site.timezone],
  );
  return rows.map((r) => String(r.day));
}
