// The columns of events that hold one value over a whole visit, which the visits table
// (one row per visit, src/store/duckdb/visits.ts) keeps beside its counts, and which the query
// planner (src/query/plan.ts) may therefore read from it. Checked against src/enrich:
// - the origin (source, referrer, channel, utm_*) is taken from a visit's first event and
//   carried onto every later one (enrich/sessions.ts);
// - browser, OS and device follow from the user agent and the place from the IP address,
//   both of which the visitor id hashes, and a visit keeps one visitor id (also across
//   midnight: yesterday's id is carried). They can still differ within a visit when the geo
//   database is reloaded (SIGHUP) or a parser changes between versions, so each visit row
//   records whether they were uniform, and the planner reads the table only where they were.
// Screen and language are not here: a resized window or a changed browser setting changes
// them within a visit, so they stay on the events path.

export const VISIT_CONSTANT_COLUMNS = [
  'source',
  'referrer',
  'channel',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'browser',
  'browser_version',
  'os',
  'os_version',
  'device',
  'country',
  'region',
  'city',
] as const;

export type VisitConstantColumn = (typeof VISIT_CONSTANT_COLUMNS)[number];
