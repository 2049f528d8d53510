// The SQL injection cases (cases/injection.ts) on DuckDB; the same cases run on ClickHouse in
// test/clickhouse/engine-suite.test.ts.
import { injectionCases } from './cases/injection.js';

injectionCases('duckdb');
