// The revenue cases (cases/revenue.ts) on DuckDB; the same cases run on ClickHouse in
// test/clickhouse/engine-suite.test.ts.
import { revenueCases } from './cases/revenue.js';

revenueCases('duckdb');
