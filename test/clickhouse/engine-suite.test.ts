// The shared engine suite on ClickHouse (chdb, in this process): every oracle-checked query
// case that test/query/*.test.ts runs on DuckDB — every metric × dimension, filters, ranges,
// time zones, comparisons, pagination, journeys, realtime, SQL injection, goals, revenue — from the same case lists
// (test/query/cases/), against answers computed from the events. Without chdb the whole suite
// is one skipped line saying how to install it. Skipped cases, each with its reason: none.
// The metadata (sites, keys, goals) is in a real PostgreSQL, as several nodes keep it (issue 17);
// ClickHouse with the data directory's own metadata is what test/clickhouse/*.test.ts run.
import { describe } from 'node:test';
import { filePostgres } from '../helpers/metadata-engines.js';
import { goalCases } from '../query/cases/goals.js';
import { injectionCases } from '../query/cases/injection.js';
import { plausibleAnswersCases } from '../query/cases/plausible-answers.js';
import { rangesAndReportsCases } from '../query/cases/ranges-and-reports.js';
import { revenueCases } from '../query/cases/revenue.js';
import { statsCorrectnessCases } from '../query/cases/stats-correctness.js';
import { clickhouseMetadata } from '../query/fixture.js';
import { CHDB_SKIP } from './chdb.js';

clickhouseMetadata.databaseUrl = async () => (await filePostgres()).freshDatabase();

describe('the shared engine suite on ClickHouse, metadata in PostgreSQL', { skip: CHDB_SKIP }, () => {
  statsCorrectnessCases('clickhouse');
  rangesAndReportsCases('clickhouse');
  plausibleAnswersCases('clickhouse');
  injectionCases('clickhouse');
  goalCases('clickhouse');
  revenueCases('clickhouse');
});
