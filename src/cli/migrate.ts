// `footfall migrate events --to <clickhouse-url>`: moves a data directory's events from its
// DuckDB file into ClickHouse (src/store/clickhouse/migrate-events.ts), with a progress bar,
// resumable, counts checked per site and day at the end. `footfall migrate metadata --to
// <postgres-url>` copies the rest into PostgreSQL (src/store/postgres/copy-metadata.ts),
// verified per table. The DuckDB file is only read.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../server/config.js';
import { openClickHouseClient } from '../store/clickhouse/client.js';
import { migrateEvents } from '../store/clickhouse/migrate-events.js';
import { migrate } from '../store/clickhouse/schema.js';
import { parseClickHouseUrl } from '../store/clickhouse/url.js';
import { DB_FILE, openDuckDbStore, StoreLockedError } from '../store/duckdb/open.js';
import { EngineConfigError } from '../store/engine-config-error.js';
import { copyMetadata } from '../store/postgres/copy-metadata.js';
import { parsePostgresUrl } from '../store/postgres/url.js';
import { DATA_HELP, dataDir } from './data-dir.js';
import { progressBar } from './progress.js';

export function registerMigrate(program: Command): void {
  const group = program.command('migrate').description('move data between engines');
  group
    .command('events')
    .description('copy the events of the data directory into ClickHouse (run again to resume)')
    .requiredOption(
      '--to <url>',
      'the ClickHouse to copy into: http(s)://user:pass@host:8123/db or chdb:<dir>',
    )
    .option('--data <dir>', DATA_HELP)
    .addHelpText(
      'after',
      `
Stop the server first. Then start it with --clickhouse-url set to the same URL.
Example:
  footfall migrate events --data /var/lib/footfall --to http://footfall:secret@localhost:8123/footfall`,
    )
    .action(async (opts: { to: string; data?: string }) => {
      const dir = dataDir(opts);
      try {
        const target = parseClickHouseUrl(opts.to, '--to');
        const client = await openClickHouseClient(target);
        try {
          await migrate(client);
          const bar = progressBar();
          const result = await migrateEvents(dir, client, {
            onProgress: (p) =>
              bar.update(p.done, p.total, `${p.done}/${p.total} site-days, ${p.events} events`),
          });
          bar.end();
          if (result.mismatches.length > 0) {
            const list = result.mismatches
              .slice(0, 5)
              .map((m) => `site ${m.siteId} ${m.day}: ${m.duckdb} in DuckDB, ${m.clickhouse} in ClickHouse`)
              .join('; ');
            throw new ConfigError(
              `${result.mismatches.length} site-day(s) differ after the copy (${list}): did a server write into ${target.shown} meanwhile? Stop it and run the command again`,
            );
          }
          console.log(
            `copied ${result.copied} and skipped ${result.skipped} (already there) of ${result.chunks} site-days; ` +
              `verified: ${result.events} events, the same count per site and day in ${target.shown}. ` +
              `Start the server with --clickhouse-url ${target.shown}`,
          );
        } finally {
          await client.close();
        }
      } catch (err) {
        if (err instanceof EngineConfigError) throw new ConfigError(err.message);
        throw err;
      }
    });
  group
    .command('metadata')
    .description(
      'copy the sites, accounts, salts, goals, segments, funnels and job ledger of the data directory into PostgreSQL',
    )
    .requiredOption(
      '--to <url>',
      'the PostgreSQL database to copy into (empty): postgres://user:pass@host:5432/db',
    )
    .option('--data <dir>', DATA_HELP)
    .addHelpText(
      'after',
      `
Stop the server first. The copy is one transaction, verified per table (row count and
checksum) before it commits. Then start every node with --database-url set to the same URL
(and --clickhouse-url: move the events with \`footfall migrate events\`).
Example:
  footfall migrate metadata --data /var/lib/footfall --to postgres://footfall:secret@localhost:5432/footfall`,
    )
    .action(async (opts: { to: string; data?: string }) => {
      const dir = dataDir(opts);
      try {
        const target = parsePostgresUrl(opts.to, '--to');
        if (!existsSync(path.join(dir, DB_FILE))) {
          throw new ConfigError(
            `no Footfall data in ${dir} (${path.join(dir, DB_FILE)} does not exist): pass --data naming it`,
          );
        }
        const source = await openDuckDbStore(dir);
        try {
          const copies = await copyMetadata(source, target);
          const rows = copies.reduce((n, c) => n + c.rows, 0);
          for (const c of copies.filter((x) => x.rows > 0))
            console.log(`${c.table}: ${c.rows} rows, sha256 ${c.checksum}`);
          console.log(
            `copied ${rows} rows of ${copies.length} tables; verified: the same count and checksum per table in ${target.shown}. ` +
              `Start every node with --database-url ${target.shown} (and --clickhouse-url)`,
          );
        } finally {
          await source.close();
        }
      } catch (err) {
        if (err instanceof EngineConfigError || err instanceof StoreLockedError)
          throw new ConfigError(err.message);
        throw err;
      }
    });
}
