// What differs between SQL engines, asked for by the compiler, journeys and realtime. Each
// store names its engine; dialectFor gives the one dialect that writes SQL for it. Nothing
// outside src/query/dialects/ writes an engine-specific construct: what remains in shared
// SQL (CTEs, `count(*) FILTER (WHERE …)`, `GROUP BY ALL`, `FULL JOIN … USING`, window
// `count(*) OVER ()`) reads the same in DuckDB and ClickHouse (checked by the shared engine
// suite, test/clickhouse/engine-suite.test.ts).
import type { QueryStore, SqlValue } from '../store/types.js';
import type { TimeUnit } from './model.js';

export type Engine = QueryStore['engine'];

export interface Dialect {
  readonly engine: Engine;
  /** The placeholder of the n-th bound parameter (1-based); ClickHouse types it from the value. */
  param(n: number, value: SqlValue): string;
  /** The statement as sent: ClickHouse appends the settings the shared SQL relies on. */
  statement(sql: string): string;
  /** A UTC instant from an ISO-8601 text (a placeholder). */
  timestamp(iso: string): string;
  /** Milliseconds since 1970 of a timestamp expression. */
  epochMs(ts: string): string;
  /** A timestamp moved by a whole number of minutes (an SQL integer expression). */
  addMinutes(ts: string, minutes: string): string;
  /**
   * The time bucket of a local time, as a value that groups, joins and sorts as the bucket's
   * label does (shown through bucketText); weeks start at `firstDateParam` at the earliest
   * (used for weeks only).
   */
  timeBucket(unit: TimeUnit, local: string, firstDateParam: string): string;
  /** A timeBucket value as its label: YYYY-MM-DD, or YYYY-MM-DD HH:00:00 for an hour. */
  bucketText(bucket: string): string;
  hourOfDay(local: string): string;
  /** The first hour of the local time's 4-hour block: 0, 4, …, 20. */
  hourBlock(local: string): string;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  dayOfWeek(local: string): string;
  /** The value of a key in the props map, `fallback` where the key is absent. */
  propValue(props: string, keyParam: string, fallbackParam: string): string;
  /** Whether the props map has the key. */
  hasProp(props: string, keyParam: string): string;
  /** One row per key of the props map (a set-returning expression in the select list). */
  mapKeys(props: string): string;
  contains(text: string, needleParam: string): string;
  /** RE2 regular expression match (linear time: no catastrophic backtracking). */
  regexMatch(text: string, patternParam: string): string;
  /** Lower case, Unicode-aware (for case-insensitive filters). */
  lower(text: string): string;
  /** Value of `value` at the row with the least/greatest `by`, counting only rows where `when` holds; NULL where none does. */
  argMin(value: string, by: string, when: string): string;
  argMax(value: string, by: string, when: string): string;
  /** Least/greatest `value` over the rows where `when` holds; NULL where none does. */
  minWhere(value: string, when: string): string;
  maxWhere(value: string, when: string): string;
  millisBetween(from: string, to: string): string;
  /** A named window's definition over rows of a partition in order, e.g. `(PARTITION BY … ORDER BY …)`. */
  window(partitionBy: string, orderBy: string): string;
  /** The value `n` rows before/after in window `w`; NULL past the partition's ends. */
  lag(value: string, w: string): string;
  lead(value: string, n: number, w: string): string;
  /** An aggregate: the first `max` values as a list in the order of `by`. */
  orderedList(value: string, by: string, max: number): string;
  /** The table of (kind, code, name) rows that name country and region codes. */
  readonly namesTable: string;
  /** A statement that (re)creates `namesTable` from a JSON array of {k, c, n} (a placeholder). */
  createNamesTable(json: string): string;
  /** An error message of the engine as a user may read it (a bad regular expression). */
  errorText(message: string): string;
}

/** Collects bound values and hands out their placeholders. */
export class Params {
  readonly values: SqlValue[] = [];
  constructor(readonly dialect: Dialect) {}
  add(value: SqlValue): string {
    this.values.push(value);
    return this.dialect.param(this.values.length, value);
  }
  /** A value bound only if the statement uses it (engines refuse unused parameters). */
  lazy(value: SqlValue): () => string {
    let placeholder: string | undefined;
    return () => {
      placeholder ??= this.add(value);
      return placeholder;
    };
  }
}
