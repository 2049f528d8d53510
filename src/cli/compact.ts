// `footfall compact [--data <dir>]`: gives the space of deleted events (retention, removed
// sites) back to the file system, with the server stopped (src/store/duckdb/compact.ts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../server/config.js';
import { compactFile } from '../store/duckdb/compact.js';
import { DB_FILE, StoreLockedError } from '../store/duckdb/open.js';
import { isUpgradeRefusal } from '../store/duckdb/upgrade.js';
import { DATA_HELP, dataDir } from './data-dir.js';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export function registerCompact(program: Command): void {
  program
    .command('compact')
    .description('shrink the database file after deletions (retention, removed sites); stop the server first')
    .option('--data <dir>', DATA_HELP)
    .action(async (opts: { data?: string }) => {
      const file = path.join(dataDir(opts), DB_FILE);
      if (!existsSync(file))
        throw new ConfigError(`there is no database at ${file}: point --data at Footfall's data directory`);
      const started = performance.now();
      try {
        const { before, after } = await compactFile(file);
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        console.log(`compacted ${file}: ${mb(before)} → ${mb(after)} (${seconds} s)`);
      } catch (err) {
        if (err instanceof StoreLockedError || isUpgradeRefusal(err)) throw new ConfigError(err.message);
        if (err instanceof Error && /has schema \d+/.test(err.message)) throw new ConfigError(err.message);
        throw err;
      }
    });
}
