// ClickHouse's SQL for what differs between engines (see ../dialect.ts), checked on ClickHouse
// 26.7 through chdb. What the shared SQL needs from ClickHouse, and how this gets it:
// - Parameters are typed (`{p1:String}`): the type follows the bound value.
// - Aliases shadow columns in ClickHouse (`sum(pageviews) AS pageviews … WHERE events > 0`
//   would read the aggregate): `prefer_column_name_to_alias` makes names read the columns,
//   as in DuckDB. `join_use_nulls` makes the missing side of an outer join NULL, not 0/''.
//   Both are appended to every statement, so the SQL does not depend on the client's settings.
// - Aggregates over no rows give the type's default (0, '', 1970) where DuckDB gives NULL:
//   the -OrNull combinator gives NULL. `lagInFrame`/`leadInFrame` give the default past the
//   partition's ends, so the value is made Nullable first, over the whole partition's frame.
// - `lower` is ASCII-only in ClickHouse: lowerUTF8 folds 'Î' as DuckDB does.
// - `count(DISTINCT …)` is uniqExact (ClickHouse's default count_distinct_implementation):
//   exact, as every number Footfall shows.
import type { SqlValue } from '../../store/types.js';
import type { Dialect } from '../dialect.js';

function paramType(value: SqlValue): string {
  if (value === null) return 'Nullable(String)';
  if (typeof value === 'boolean') return 'Bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Int64' : 'Float64';
  return 'String';
}

const SETTINGS = ' SETTINGS prefer_column_name_to_alias = 1, join_use_nulls = 1';

export const clickhouseDialect: Dialect = {
  engine: 'clickhouse',
  param: (n, value) => `{p${n}:${paramType(value)}}`,
  statement: (sql) => `${sql}${SETTINGS}`,
  timestamp: (iso) => `parseDateTime64BestEffort(${iso}, 3, 'UTC')`,
  epochMs: (ts) => `toUnixTimestamp64Milli(${ts})`,
  addMinutes: (ts, minutes) => `addMinutes(${ts}, ${minutes})`,
  timeBucket(unit, local, first) {
    switch (unit) {
      case 'hour':
        return `formatDateTime(toStartOfHour(${local}), '%Y-%m-%d %H:00:00')`;
      case 'day':
        return `formatDateTime(${local}, '%Y-%m-%d')`;
      case 'week':
        return `formatDateTime(greatest(toMonday(${local}), toDate(${first})), '%Y-%m-%d')`;
      case 'month':
        return `formatDateTime(${local}, '%Y-%m-01')`;
    }
  },
  // ClickHouse's buckets are their labels already.
  bucketText: (bucket) => bucket,
  hourOfDay: (local) => `toInt32(toHour(${local}))`,
  hourBlock: (local) => `toInt32(intDiv(toHour(${local}), 4) * 4)`,
  dayOfWeek: (local) => `toInt32(toDayOfWeek(${local}))`,
  // A missing key reads as '' in a ClickHouse map, which is also a value a property can have.
  propValue: (props, key, fallback) => `if(mapContains(${props}, ${key}), ${props}[${key}], ${fallback})`,
  hasProp: (props, key) => `mapContains(${props}, ${key})`,
  mapKeys: (props) => `arrayJoin(mapKeys(${props}))`,
  contains: (text, needle) => `(position(${text}, ${needle}) > 0)`,
  regexMatch: (text, pattern) => `match(${text}, ${pattern})`,
  lower: (text) => `lowerUTF8(${text})`,
  argMin: (value, by, when) => `argMinOrNullIf(${value}, ${by}, ${when})`,
  argMax: (value, by, when) => `argMaxOrNullIf(${value}, ${by}, ${when})`,
  minWhere: (value, when) => `minOrNullIf(${value}, ${when})`,
  maxWhere: (value, when) => `maxOrNullIf(${value}, ${when})`,
  millisBetween: (from, to) => `date_diff('millisecond', ${from}, ${to})`,
  window: (partitionBy, orderBy) =>
    `(PARTITION BY ${partitionBy} ORDER BY ${orderBy} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`,
  lag: (value, w) => `lagInFrame(toNullable(${value})) OVER ${w}`,
  lead: (value, n, w) => `leadInFrame(toNullable(${value}), ${n}) OVER ${w}`,
  orderedList: (value, by, max) =>
    `arraySlice(arrayMap(x -> x.2, arraySort(x -> x.1, groupArray((${by}, ${value})))), 1, ${max})`,
  // A table of the database the store connects to, rewritten by each process at its first
  // query (about 5,000 rows; CREATE OR REPLACE swaps it whole, so a query never sees half of it).
  namesTable: 'footfall_geo_names',
  createNamesTable: (json) =>
    'CREATE OR REPLACE TABLE footfall_geo_names ENGINE = MergeTree ORDER BY (kind, code) AS ' +
    'SELECT u.k AS kind, u.c AS code, u.n AS name FROM ' +
    `(SELECT arrayJoin(JSONExtract(${json}, 'Array(Tuple(k String, c String, n String))')) AS u)`,
  // "OptimizedRegularExpression: cannot compile re2: <pattern>, error: missing ): (. Look at
  // https://…": RE2's own words, as DuckDB quotes them.
  errorText: (message) =>
    /cannot compile re2: [\s\S]*, error: ([\s\S]*?)\. Look at https:/.exec(message)?.[1] ??
    message.split('\n')[0]!,
};
