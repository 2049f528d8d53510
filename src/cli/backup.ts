// `footfall backup <file>` and `footfall restore <file> --data <dir>` (src/backup/backup.ts).
// A backup goes through the running server when there is one (it holds the database and
// loads every acknowledged event first), else opens the data directory itself. The file is
// written beside its name and renamed at the end, then opened and checked.
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { type BackupSummary, inspectBackup, restoreBackup, writeSnapshot } from '../backup/backup.js';
import { ConfigError } from '../server/config.js';
import { controlStream } from './control-client.js';
import { DATA_HELP, dataDir, withLocalStore } from './data-dir.js';
import { RemoteError } from './user-error.js';

function describe(s: BackupSummary): string {
  return `${s.sites} site${s.sites === 1 ? '' : 's'}, ${s.events} events, schema ${s.schemaVersion}`;
}

async function save(from: Readable, out: string): Promise<void> {
  const part = `${out}.part`;
  try {
    await pipeline(from, createWriteStream(part, { mode: 0o600, flags: 'wx' }));
    renameSync(part, out);
  } catch (err) {
    rmSync(part, { force: true });
    throw err;
  }
}

export function registerBackup(program: Command): void {
  program
    .command('backup <file>')
    .description('write a consistent copy of the data directory (safe while the server runs)')
    .option('--data <dir>', DATA_HELP)
    .action(async (out: string, opts: { data?: string }) => {
      if (existsSync(out))
        throw new ConfigError(`${out} exists: give a new file name (a backup never overwrites)`);
      const dir = dataDir(opts);
      const started = performance.now();
      const res = await controlStream(dir, '/backup', 'POST');
      if (res) {
        if ((res.statusCode ?? 500) >= 400) {
          res.resume();
          throw new RemoteError(
            `the server could not make the backup (status ${res.statusCode}); see its log`,
          );
        }
        await save(res, out);
      } else {
        await withLocalStore(dir, async (store) => {
          const file = await writeSnapshot(store, dir);
          try {
            await save(createReadStream(file), out);
          } finally {
            rmSync(file, { force: true });
          }
        });
      }
      let summary: BackupSummary;
      try {
        summary = await inspectBackup(out);
      } catch (err) {
        rmSync(out, { force: true });
        throw err;
      }
      const mb = (statSync(out).size / 1e6).toFixed(1);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`backup of ${dir} written to ${out}: ${describe(summary)} (${mb} MB, ${seconds} s)`);
      if (process.env.FOOTFALL_CLICKHOUSE_URL) {
        console.log(
          'events kept in ClickHouse are not in it: back them up with ClickHouse (BACKUP TABLE events …)',
        );
      }
    });

  program
    .command('restore <file>')
    .description('restore a backup into a new, empty data directory')
    .requiredOption('--data <dir>', 'the directory to restore into (must be empty or not exist)')
    .action(async (file: string, opts: { data: string }) => {
      const summary = await restoreBackup(file, opts.data);
      console.log(`restored ${describe(summary)} into ${opts.data}`);
      console.log(`start it with: footfall serve --data ${opts.data}`);
    });
}
