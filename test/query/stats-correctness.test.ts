// The stats correctness cases (cases/stats-correctness.ts) on DuckDB, the embedded engine; the same
// cases run on ClickHouse in test/clickhouse/engine-suite.test.ts.
import { statsCorrectnessCases } from './cases/stats-correctness.js';

statsCorrectnessCases('duckdb');
