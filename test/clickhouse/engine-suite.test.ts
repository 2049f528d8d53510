// The shared engine suite on ClickHouse (chdb, in this process): every oracle-checked query
// case that test/query/*.test.ts runs on DuckDB — every metric × dimension, filters, ranges,
// time zones, comparisons, pagination, journeys, realtime, SQL injection, goals, revenue — from the same case lists
// (test/query/cases/), against answers computed from the events. Without chdb the whole suite
// is one skipped line saying how to install it. Skipped cases, each with its reason: none.
import { describe } from 'node:test';
import { goalCases } from '../query/cases/goals.js';
import { injectionCases } from '../query/cases/injection.js';
import { plausibleAnswersCases } from '../query/cases/plausible-answers.js';
import { rangesAndReportsCases } from '../query/cases/ranges-and-reports.js';
import { revenueCases } from '../query/cases/revenue.js';
import { statsCorrectnessCases } from '../query/cases/stats-correctness.js';
import { CHDB_SKIP } from './chdb.js';

describe('the shared engine suite on ClickHouse', { skip: CHDB_SKIP }, () => {
  statsCorrectnessCases('clickhouse');
  rangesAndReportsCases('clickhouse');
  plausibleAnswersCases('clickhouse');
  injectionCases('clickhouse');
  goalCases('clickhouse');
  revenueCases('clickhouse');
});
