// DuckDB's SQL for what differs between engines (see ../dialect.ts). Timestamps are naive
// TIMESTAMPs holding UTC; the names table lives in the in-memory `ref` database the store
// attaches, so it is rebuilt by each process and never written to the data file.
import type { Dialect } from '../dialect.js';

export const duckdbDialect: Dialect = {
  engine: 'duckdb',
  param: (n) => `$${n}`,
  statement: (sql) => sql,
  timestamp: (iso) => `CAST(${iso} AS TIMESTAMP)`,
  epochMs: (ts) => `epoch_ms(${ts})`,
  addMinutes: (ts, minutes) => `(${ts} + to_minutes(${minutes}))`,
  timeBucket(unit, local, first) {
    switch (unit) {
      case 'hour':
        return `strftime(date_trunc('hour', ${local}), '%Y-%m-%d %H:00:00')`;
      case 'day':
        return `strftime(${local}, '%Y-%m-%d')`;
      case 'week':
        return `strftime(greatest(date_trunc('week', ${local}), CAST(${first} AS DATE)), '%Y-%m-%d')`;
      case 'month':
        return `strftime(${local}, '%Y-%m-01')`;
    }
  },
  hourOfDay: (local) => `CAST(hour(${local}) AS INTEGER)`,
  hourBlock: (local) => `CAST(hour(${local}) // 4 * 4 AS INTEGER)`,
  dayOfWeek: (local) => `CAST(isodow(${local}) AS INTEGER)`,
  propValue: (props, key, fallback) => `coalesce(${props}[${key}], ${fallback})`,
  hasProp: (props, key) => `(${props}[${key}] IS NOT NULL)`,
  mapKeys: (props) => `unnest(map_keys(${props}))`,
  contains: (text, needle) => `contains(${text}, ${needle})`,
  regexMatch: (text, pattern) => `regexp_matches(${text}, ${pattern})`,
  lower: (text) => `lower(${text})`,
  argMin: (value, by, when) => `arg_min(${value}, ${by}) FILTER (WHERE ${when})`,
  argMax: (value, by, when) => `arg_max(${value}, ${by}) FILTER (WHERE ${when})`,
  minWhere: (value, when) => `min(${value}) FILTER (WHERE ${when})`,
  maxWhere: (value, when) => `max(${value}) FILTER (WHERE ${when})`,
  millisBetween: (from, to) => `date_diff('millisecond', ${from}, ${to})`,
  window: (partitionBy, orderBy) => `(PARTITION BY ${partitionBy} ORDER BY ${orderBy})`,
  lag: (value, w) => `lag(${value}) OVER ${w}`,
  lead: (value, n, w) => `lead(${value}, ${n}) OVER ${w}`,
  orderedList: (value, by, max) => `list_slice(list(${value} ORDER BY ${by}), 1, ${max})`,
  namesTable: 'ref.geo_names',
  createNamesTable: (json) =>
    'CREATE OR REPLACE TABLE ref.geo_names AS SELECT u.k AS kind, u.c AS code, u.n AS name FROM ' +
    `(SELECT unnest(from_json(${json}, '[{"k":"VARCHAR","c":"VARCHAR","n":"VARCHAR"}]')) AS u)`,
  errorText: (message) => message.replace(/^[^:]*Error: /, ''),
};
