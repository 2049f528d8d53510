// `footfall import plausible <export.zip>`, `footfall import list` and `footfall import remove
// <id>`: Plausible's CSV export kept as imported daily aggregates (src/import/plausible-*.ts),
// and the imports a data directory holds. They write the metadata file, which a running
// server holds: stop it first (the aggregates are read by every query that asks for them, so
// there is nothing to resume and no events to journal).
import type { Command } from 'commander';
import { readPlausibleExport } from '../import/plausible-export.js';
import { importPlausible } from '../import/plausible-import.js';
import { createQueryEngine } from '../query/run-query.js';
import { localDate } from '../query/zoned-time.js';
import { ConfigError } from '../server/config.js';
import { normalizeDomain } from '../sites/domain.js';
import type { Store } from '../store/types.js';
import { controlRequest } from './control-client.js';
import { CLICKHOUSE_HELP, DATA_HELP, dataDir, withLocalStore } from './data-dir.js';
import { formatTable } from './table.js';

interface Flags {
  data?: string;
  clickhouseUrl?: string;
}

/** Opens the data directory, refusing one a running server holds with the fix. */
async function withStore<T>(opts: Flags, fn: (store: Store) => Promise<T>): Promise<T> {
  const dir = dataDir(opts);
  if ((await controlRequest(dir, 'GET', '/healthz')) !== undefined) {
    throw new ConfigError(
      `a running server holds ${dir}: stop it, run the import, and start it again (imported aggregates are read at query time)`,
    );
  }
  return withLocalStore(dir, fn, { clickhouseUrl: opts.clickhouseUrl });
}

export function registerPlausibleImport(cmd: Command): void {
  cmd
    .command('plausible <zip>')
    .description("import Plausible's CSV export (a zip of imported_*.csv daily aggregates)")
    .requiredOption('--site <domain>', 'the Footfall site the export is of (add it first)')
    .option('--again', 'import a file that was imported before (its numbers are added twice)')
    .option('--data <dir>', DATA_HELP)
    .option('--clickhouse-url <url>', CLICKHOUSE_HELP)
    .action(async (file: string, opts: Flags & { site: string; again?: boolean }) => {
      const domain = normalizeDomain(opts.site);
      // The file is checked before the data directory is opened.
      const exp = readPlausibleExport(file, localDate(Date.now() + 14 * 3_600_000, 'UTC'));
      await withStore(opts, async (store) => {
        const site = (await store.listSites()).find((s) => s.domain === domain);
        if (!site)
          throw new ConfigError(`no site ${domain}: add it first with \`footfall site add ${domain}\``);
        const engine = createQueryEngine({ store, site: () => site, now: Date.now });
        const summary = await importPlausible(store.imported, exp, {
          site,
          again: opts.again,
          firstEventMs: await engine.firstEventMs(site),
        });
        const r = summary.record;
        console.log(
          `imported ${r.rows} daily rows into ${domain} as import ${r.id}` +
            (r.firstDate ? ` (${r.firstDate} to ${r.lastDate})` : ''),
        );
        console.log(
          Object.entries(summary.stored)
            .map(([t, n]) => `${t}: ${n}`)
            .join(', '),
        );
        if (summary.overlapping > 0) {
          console.log(
            `left out ${summary.overlapping} rows on or after the site's first tracked day (counted by Footfall itself)`,
          );
        }
        console.log(
          'queries include them with include: {imports: true} (the dashboard: "Include imported data")',
        );
      });
    });

  cmd
    .command('list')
    .description('the imported aggregates a data directory holds (footfall import plausible)')
    .option('--site <domain>', 'only this site')
    .option('--data <dir>', DATA_HELP)
    .action(async (opts: Flags & { site?: string }) => {
      await withStore(opts, async (store) => {
        const sites = await store.listSites();
        const only = opts.site === undefined ? undefined : normalizeDomain(opts.site);
        const site = only === undefined ? undefined : sites.find((s) => s.domain === only);
        if (only !== undefined && !site) throw new ConfigError(`no site ${only}`);
        const list = await store.imported.listImports(site?.id);
        const domain = new Map(sites.map((s) => [s.id, s.domain]));
        console.log(
          formatTable(
            ['id', 'site', 'kind', 'from', 'to', 'rows', 'imported', 'file'],
            list.map((i) => [
              String(i.id),
              domain.get(i.siteId) ?? '?',
              i.kind,
              i.firstDate ?? '',
              i.lastDate ?? '',
              String(i.rows),
              i.createdAt,
              i.file,
            ]),
          ),
        );
      });
    });

  cmd
    .command('remove <id>')
    .description('remove an import of aggregates and all its rows (see footfall import list)')
    .option('--data <dir>', DATA_HELP)
    .action(async (id: string, opts: Flags) => {
      if (!/^\d{1,9}$/.test(id)) throw new ConfigError(`${id} is not an import id: see footfall import list`);
      await withStore(opts, async (store) => {
        if (!(await store.imported.removeImport(Number(id)))) {
          throw new ConfigError(`there is no import ${id}: see footfall import list`);
        }
        console.log(`removed import ${id}`);
      });
    });
}
