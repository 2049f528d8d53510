// The ranges and reports cases (cases/ranges-and-reports.ts) on DuckDB, the embedded engine; the same
// cases run on ClickHouse in test/clickhouse/engine-suite.test.ts.
import { rangesAndReportsCases } from './cases/ranges-and-reports.js';

rangesAndReportsCases('duckdb');
