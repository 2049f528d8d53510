// The ClickHouse schema as an ordered list of migrations, each a list of statements (ClickHouse
// takes one statement per request). migrate() applies those past the version recorded in
// `footfall_schema` and records each after it ran. Every statement is idempotent (IF NOT
// EXISTS), so a crash between a migration and its record only repeats harmless work. Never
// edit a shipped migration: add one.
//
// Only events live here; sites, accounts, salts and the ingest mark stay in the local DuckDB
// file (store/clickhouse/open.ts).
//
// Column types, chosen so one query dialect fits both engines:
// - Strings are NOT NULL as in DuckDB (an absent value is ''), LowCardinality where the set of
//   values is small (names, browsers, countries…; dictionary-encoded, as DuckDB does by itself).
// - scroll_depth and engagement_ms stay Nullable as in DuckDB: NULL means "not measured", and
//   the engagement metrics count only rows where it is not (query/compile.ts).
// - ts is DateTime64(3, 'UTC'): milliseconds, as the journal carries them.
//
// Layout: MergeTree partitioned by month, sorted by (site_id, ts) — the smallest of the sort
// keys measured, with query times alike at 1 M events (`npm run bench:clickhouse-layout`,
// BENCHMARKS.md "ClickHouse layout"); a date range of one site is one range of the key.
//
// Idempotent loads: a non-replicated MergeTree remembers the tokens of its last
// `non_replicated_deduplication_window` inserted blocks, and load-events.ts inserts every
// journal segment with a token of its own, so a segment inserted again after a crash (before
// its mark was recorded) is skipped. One restart re-inserts at most the few segments a crash
// left, so 10,000 is far more than needed and costs only a small file of hashes.
import type { ClickHouseClient } from '@clickhouse/client';

export const MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE IF NOT EXISTS events (
      site_id         UInt32,
      ts              DateTime64(3, 'UTC'),
      name            LowCardinality(String),
      hostname        LowCardinality(String),
      pathname        String,
      title           String,
      referrer        String,
      referrer_host   String,
      utm_source      String,
      utm_medium      LowCardinality(String),
      utm_campaign    String,
      utm_term        String,
      utm_content     String,
      props           Map(String, String),
      interactive     Bool,
      visitor_id      UInt64,
      session_id      UInt64,
      browser         LowCardinality(String),
      browser_version LowCardinality(String),
      os              LowCardinality(String),
      os_version      LowCardinality(String),
      device          LowCardinality(String),
      screen          LowCardinality(String),
      language        LowCardinality(String),
      country         LowCardinality(String),
      region          LowCardinality(String),
      city            LowCardinality(String),
      source          LowCardinality(String),
      channel         LowCardinality(String),
      scroll_depth    Nullable(UInt8),
      engagement_ms   Nullable(UInt32)
    )
    ENGINE = MergeTree
    PARTITION BY toYYYYMM(ts)
    ORDER BY (site_id, ts)
    SETTINGS non_replicated_deduplication_window = 10000`,
  ],
  // Revenue (issue 15): as on DuckDB, an exact decimal amount and its ISO 4217 currency, NULL on
  // events without revenue (every row stored before: ADD COLUMN only changes metadata).
  [
    'ALTER TABLE events ADD COLUMN IF NOT EXISTS revenue_amount Nullable(Decimal(18, 3))',
    'ALTER TABLE events ADD COLUMN IF NOT EXISTS revenue_currency LowCardinality(Nullable(String))',
  ],
];

/** Creates or upgrades the schema; resolves with the version now in place. */
export async function migrate(client: ClickHouseClient): Promise<number> {
  await client.command({
    query:
      'CREATE TABLE IF NOT EXISTS footfall_schema (version UInt32, applied_at DateTime DEFAULT now()) ' +
      'ENGINE = MergeTree ORDER BY version',
  });
  const rows = await (
    await client.query({ query: 'SELECT max(version) AS v FROM footfall_schema', format: 'JSONEachRow' })
  ).json<{ v: number | string }>();
  let version = Number(rows[0]?.v ?? 0);
  if (version > MIGRATIONS.length) {
    throw new Error(
      `the ClickHouse schema is at version ${version}, newer than this Footfall knows (${MIGRATIONS.length}): upgrade Footfall`,
    );
  }
  for (; version < MIGRATIONS.length; version++) {
    for (const statement of MIGRATIONS[version]!) await client.command({ query: statement });
    await client.insert({
      table: 'footfall_schema',
      values: [{ version: version + 1 }],
      format: 'JSONEachRow',
    });
  }
  return version;
}
