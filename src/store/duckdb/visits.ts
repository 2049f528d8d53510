// The visits table: one row per visit (site_id, session_id), so 12-month views count visits
// without re-aggregating every event (issue 14; measured on 10 M events over a year: the top
// row's visit aggregate over events 1,070–1,240 ms, over this table 82 ms).
//
// A row's counts are over ALL of the visit's stored events; the query planner recomputes from
// events the visits a query sees only in part (src/query/plan.ts). What each column means
// matches the `s` aggregate of src/query/event-scope.ts: start/end and `events` leave out
// engagement pings, `interactions` are interactive events other than page views and pings.
// Every column merges exactly whatever order events are loaded in (min/max/sum, and the
// first/last page view's page by its time), so a batch folds into the row as it stands.
// A later migration that rewrites events' visit-constant columns (store/visit-columns.ts) must
// rewrite them here too.
import { VISIT_CONSTANT_COLUMNS } from '../visit-columns.js';
import { forgetTouchedDays } from './rollups.js';
import type { Tx } from './serial-connection.js';

const COUNTED = "name <> 'engagement'";
const PAGEVIEW = "name = 'pageview'";

const TABLE = `
  CREATE TABLE visits (
    site_id        UINTEGER NOT NULL,
    session_id     UBIGINT NOT NULL,
    visitor_id     UBIGINT NOT NULL,
    first_ts       TIMESTAMP NOT NULL,
    last_ts        TIMESTAMP NOT NULL,
    start_ts       TIMESTAMP,
    end_ts         TIMESTAMP,
    pageviews      UINTEGER NOT NULL,
    interactions   UINTEGER NOT NULL,
    events         UINTEGER NOT NULL,
    entry_ts       TIMESTAMP,
    entry_page     VARCHAR,
    entry_hostname VARCHAR,
    exit_ts        TIMESTAMP,
    exit_page      VARCHAR,
    exit_hostname  VARCHAR,
    uniform        BOOLEAN NOT NULL,
    ${VISIT_CONSTANT_COLUMNS.map((c) => `${c} VARCHAR NOT NULL`).join(',\n    ')}
  );`;

/** One row per visit of the event rows in `relation`, in the table's column order. */
export function visitRowsSql(relation: string): string {
  return (
    `SELECT site_id, session_id, min(visitor_id) AS visitor_id, min(ts) AS first_ts, max(ts) AS last_ts, ` +
    `min(ts) FILTER (WHERE ${COUNTED}) AS start_ts, max(ts) FILTER (WHERE ${COUNTED}) AS end_ts, ` +
    `count(*) FILTER (WHERE ${PAGEVIEW}) AS pageviews, ` +
    `count(*) FILTER (WHERE name NOT IN ('pageview', 'engagement') AND interactive) AS interactions, ` +
    `count(*) FILTER (WHERE ${COUNTED}) AS events, ` +
    `min(ts) FILTER (WHERE ${PAGEVIEW}) AS entry_ts, ` +
    `arg_min(pathname, ts) FILTER (WHERE ${PAGEVIEW}) AS entry_page, ` +
    `arg_min(hostname, ts) FILTER (WHERE ${PAGEVIEW}) AS entry_hostname, ` +
    `max(ts) FILTER (WHERE ${PAGEVIEW}) AS exit_ts, ` +
    `arg_max(pathname, ts) FILTER (WHERE ${PAGEVIEW}) AS exit_page, ` +
    `arg_max(hostname, ts) FILTER (WHERE ${PAGEVIEW}) AS exit_hostname, ` +
    `${VISIT_CONSTANT_COLUMNS.map((c) => `min(${c}) = max(${c})`).join(' AND ')} AS uniform, ` +
    `${VISIT_CONSTANT_COLUMNS.map((c) => `min(${c}) AS ${c}`).join(', ')} ` +
    `FROM ${relation} GROUP BY site_id, session_id`
  );
}

/**
 * The migration that adds the table and fills it from the stored events (in session order,
 * which is about time order, so zone maps on the timestamps prune by range). Measured on the
 * 10 M-event file: ~1 minute, once.
 */
// Without insertion order the fill fits DuckDB's memory limit: with it, the 10 M-event file's
// upgrade failed at the default 512 MB ("could not allocate block"); without, it took 33 s.
export const VISITS_MIGRATION = `${TABLE}
  SET preserve_insertion_order = false;
  INSERT INTO visits ${visitRowsSql('events')} ORDER BY session_id;
  RESET preserve_insertion_order;`;

/**
 * Per site and salt day (the UTC date of a visit's first event), the last event of its visits:
 * what the rollup job asks to find the days that have ended and are not rolled (rollups.ts
 * daysToRoll), ~730 rows a year instead of a scan of every visit's times. Kept by the same
 * writes as the visits (the merge below, retention, removing a site).
 */
export const VISIT_DAYS_MIGRATION = `
  CREATE TABLE visit_days (
    site_id UINTEGER NOT NULL, day DATE NOT NULL, last_ts TIMESTAMP NOT NULL,
    PRIMARY KEY (site_id, day)
  );
  INSERT INTO visit_days SELECT site_id, CAST(first_ts AS DATE), max(last_ts) FROM visits GROUP BY ALL;`;

/**
 * Raises visit_days' last event of the days of the visits `where` selects (a condition on
 * `visits v`) to theirs; `params` are its bound values.
 */
export async function noteVisitDays(
  tx: Tx,
  where: string,
  params: readonly (string | number)[],
): Promise<void> {
  await tx.run(
    `INSERT INTO visit_days SELECT v.site_id, CAST(v.first_ts AS DATE) AS day, max(v.last_ts) FROM visits v WHERE ${where} GROUP BY ALL ` +
      'ON CONFLICT (site_id, day) DO UPDATE SET last_ts = greatest(visit_days.last_ts, excluded.last_ts)',
    params,
  );
}

// An earlier page view (or a first one) takes over the entry; a later or equal one the exit.
const takeEarlier = (ts: string, col: string) =>
  `${col} = CASE WHEN v.${ts} IS NULL OR b.${ts} < v.${ts} THEN b.${col} ELSE v.${col} END`;
const takeLater = (ts: string, col: string) =>
  `${col} = CASE WHEN v.${ts} IS NULL OR b.${ts} >= v.${ts} THEN b.${col} ELSE v.${col} END`;
const MERGE_SET = [
  'visitor_id = least(v.visitor_id, b.visitor_id)',
  'first_ts = least(v.first_ts, b.first_ts)',
  'last_ts = greatest(v.last_ts, b.last_ts)',
  'start_ts = least(v.start_ts, b.start_ts)',
  'end_ts = greatest(v.end_ts, b.end_ts)',
  'pageviews = v.pageviews + b.pageviews',
  'interactions = v.interactions + b.interactions',
  'events = v.events + b.events',
  // Every term reads the row as it was before this UPDATE (SQL), so the order here is free.
  takeEarlier('entry_ts', 'entry_page'),
  takeEarlier('entry_ts', 'entry_hostname'),
  'entry_ts = least(v.entry_ts, b.entry_ts)',
  takeLater('exit_ts', 'exit_page'),
  takeLater('exit_ts', 'exit_hostname'),
  'exit_ts = greatest(v.exit_ts, b.exit_ts)',
  `uniform = v.uniform AND b.uniform AND ${VISIT_CONSTANT_COLUMNS.map((c) => `v.${c} = b.${c}`).join(' AND ')}`,
];

/**
 * Folds the events in `relation` (a batch just inserted into events) into the visits table,
 * inside the caller's transaction. The batch's session ids bound the rows to look at: session
 * ids are handed out in increasing order and rows are appended in about that order, so the
 * bound prunes all but the newest row groups (an exact condition, implied by the join).
 */
export async function mergeVisits(tx: Tx, relation: string): Promise<void> {
  await tx.run(`CREATE OR REPLACE TEMP TABLE visit_batch AS ${visitRowsSql(relation)}`);
  const [bounds] = await tx.rows('SELECT min(session_id) AS lo, max(session_id) AS hi FROM visit_batch');
  if (bounds?.lo === null || bounds?.lo === undefined) return;
  const lo = String(bounds.lo);
  const hi = String(bounds.hi);
  const near = 'session_id BETWEEN $1::UBIGINT AND $2::UBIGINT';
  await tx.run(
    `UPDATE visits v SET ${MERGE_SET.join(', ')} FROM visit_batch b ` +
      `WHERE v.site_id = b.site_id AND v.session_id = b.session_id AND v.${near}`,
    [lo, hi],
  );
  await tx.run(
    'INSERT INTO visits SELECT b.* FROM visit_batch b WHERE NOT EXISTS ' +
      `(SELECT 1 FROM visits v WHERE v.${near} AND v.site_id = b.site_id AND v.session_id = b.session_id)`,
    [lo, hi],
  );
  await noteVisitDays(
    tx,
    `v.${near} AND EXISTS (SELECT 1 FROM visit_batch b WHERE b.site_id = v.site_id AND b.session_id = v.session_id)`,
    [lo, hi],
  );
  await forgetTouchedDays(tx, lo, hi);
  await tx.run('DROP TABLE visit_batch');
}
