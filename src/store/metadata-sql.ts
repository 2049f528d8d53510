// What the metadata stores (accounts, goals, segments, funnels, jobs…) ask of the database they
// live in, so the same store code — and the same SQL, with $n placeholders — runs on DuckDB's
// serial connection (duckdb/serial-connection.ts) and on a PostgreSQL pool
// (postgres/connection.ts). Times cross as epoch milliseconds through epoch_ms(), which
// PostgreSQL gets as two small functions of ours (postgres/schema.ts).

export type Row = Record<string, unknown>;
export type SqlParam = string | number | boolean | null;

/** Statements run inside one unit of work (and, in transaction(), inside its transaction). */
export interface Tx {
  rows(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
  /** Resolves with the number of rows the statement changed. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
}

export interface MetadataSql {
  /** One statement, committed on its own. */
  rows(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
  /**
   * Runs `fn` in a transaction that no other metadata write interleaves with: committed when it
   * resolves, rolled back when it throws. (DuckDB: in turn on one connection; PostgreSQL:
   * SERIALIZABLE, retried when it lost a race, so the same holds across nodes.)
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}
