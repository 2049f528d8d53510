// The plausible answers cases (cases/plausible-answers.ts) on DuckDB, the embedded engine; the same
// cases run on ClickHouse in test/clickhouse/engine-suite.test.ts.
import { plausibleAnswersCases } from './cases/plausible-answers.js';

plausibleAnswersCases('duckdb');
