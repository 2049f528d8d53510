// The goal cases (cases/goals.ts) on DuckDB; the same cases run on ClickHouse in
// test/clickhouse/engine-suite.test.ts.
import { goalCases } from './cases/goals.js';

goalCases('duckdb');
