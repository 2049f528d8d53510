// The stats correctness cases (cases/stats-correctness.ts) on DuckDB, the embedded engine; the same
// cases run on ClickHouse in test/clickhouse/engine-suite.test.ts, and on DuckDB with every
// statement sent to the events in events-path.test.ts.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { QUERY_PATHS } from '../../src/query/plan.js';
import { statsCorrectnessCases } from './cases/stats-correctness.js';
import { plannerPaths } from './fixture.js';

statsCorrectnessCases('duckdb');

it('every path the query planner can pick was checked against the oracle by these cases', () => {
  assert.deepEqual([...plannerPaths.seen].sort(), [...QUERY_PATHS].sort());
});
