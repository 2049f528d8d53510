// What differs between SQL engines, asked for by the compiler. DuckDB (the embedded store)
// is the one implementation today; a ClickHouse dialect implements the same interface.
import type { TimeUnit } from './model.js';

export interface Dialect {
  /** The placeholder of the n-th bound parameter (1-based). */
  param(n: number): string;
  /** A timestamp moved by a whole number of minutes (an SQL integer expression). */
  addMinutes(ts: string, minutes: string): string;
  /** The label of the time bucket of a local time; weeks start at `firstDateParam` at the earliest (used for weeks only). */
  timeBucket(unit: TimeUnit, local: string, firstDateParam: string): string;
  hourOfDay(local: string): string;
  /** The first hour of the local time's 4-hour block: 0, 4, …, 20. */
  hourBlock(local: string): string;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  dayOfWeek(local: string): string;
  /** The value of a key in the props map, `fallback` where the key is absent. */
  propValue(props: string, keyParam: string, fallbackParam: string): string;
  /** Whether the props map has the key. */
  hasProp(props: string, keyParam: string): string;
  /** One row per key of the props map (a set-returning select expression). */
  mapKeys(props: string): string;
  contains(text: string, needleParam: string): string;
  /** RE2 regular expression match (linear time: no catastrophic backtracking). */
  regexMatch(text: string, patternParam: string): string;
  lower(text: string): string;
  /** Value of `value` at the row with the least/greatest `by`, counting only rows where `when` holds. */
  argMin(value: string, by: string, when: string): string;
  argMax(value: string, by: string, when: string): string;
  millisBetween(from: string, to: string): string;
}

export const duckdbDialect: Dialect = {
  param: (n) => `$${n}`,
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
  millisBetween: (from, to) => `date_diff('millisecond', ${from}, ${to})`,
};

/** Collects bound values and hands out their placeholders. */
export class Params {
  readonly values: (string | number | boolean | null)[] = [];
  constructor(private readonly dialect: Dialect) {}
  add(value: string | number | boolean | null): string {
    this.values.push(value);
    return this.dialect.param(this.values.length);
  }
  /** A value bound only if the statement uses it (engines refuse unused parameters). */
  lazy(value: string | number | boolean | null): () => string {
    let placeholder: string | undefined;
    return () => {
      placeholder ??= this.add(value);
      return placeholder;
    };
  }
}
