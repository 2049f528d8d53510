// The oracle cases the query planner sends to the visits table (src/query/plan.ts), here with
// every statement sent to the events instead: the path the planner falls back to (visits whose
// device or place changed), kept right on DuckDB too.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { rangesAndReportsCases } from './cases/ranges-and-reports.js';
import { statsCorrectnessCases } from './cases/stats-correctness.js';
import { plannerPaths } from './fixture.js';

plannerPaths.visitsTable = false;
statsCorrectnessCases('duckdb');
rangesAndReportsCases('duckdb');

it('every statement read the events', () => {
  assert.deepEqual([...plannerPaths.seen], ['events']);
});
