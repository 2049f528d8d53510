// `footfall import plausible <export.zip>`, `footfall import list` and `footfall import remove
// <id>`: Plausible's CSV export kept as imported daily aggregates (src/import/plausible-*.ts),
// and the imports a data directory holds. With a server running, the same work is done by the
// server (src/server/control-aggregates.ts), which holds the metadata file: the zip is sent
// over the control socket, checked and stored there.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { latestExportDay, readPlausibleZip } from '../import/plausible-export.js';
import { importPlausible, type PlausibleImportSummary } from '../import/plausible-import.js';
import { createQueryEngine } from '../query/run-query.js';
import { ConfigError } from '../server/config.js';
import { normalizeDomain } from '../sites/domain.js';
import type { AggregateImport } from '../store/imported.js';
import type { Site } from '../store/types.js';
import { controlRequest, controlSend, serverRuns } from './control-client.js';
import { CLICKHOUSE_HELP, DATA_HELP, dataDir, withLocalStore } from './data-dir.js';
import { formatTable } from './table.js';
import { unwrap } from './user-error.js';

interface Flags {
  data?: string;
  clickhouseUrl?: string;
}

function printImport(domain: string, summary: PlausibleImportSummary): void {
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
  console.log('queries include them with include: {imports: true} (the dashboard: "Include imported data")');
}

function printList(list: readonly AggregateImport[], sites: readonly Site[]): void {
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
      // The file is read once and checked before the data directory is opened (or the server
      // asked); a running server gets the same bytes and checks them itself.
      if (!existsSync(file)) throw new ConfigError(`${file} does not exist`);
      const bytes = readFileSync(file);
      const exp = readPlausibleZip(file, bytes, latestExportDay(Date.now()));
      const dir = dataDir(opts);
      if (await serverRuns(dir)) {
        const query = new URLSearchParams({
          site: domain,
          file: path.resolve(file),
          ...(opts.again ? { again: '1' } : {}),
        });
        const res = await controlSend(
          dir,
          'POST',
          `/aggregates/plausible?${query}`,
          bytes,
          'application/zip',
        );
        if (!res) throw new ConfigError('the server stopped while importing: run the same command again');
        return printImport(domain, unwrap(res) as PlausibleImportSummary);
      }
      await withLocalStore(
        dir,
        async (store) => {
          const site = (await store.listSites()).find((s) => s.domain === domain);
          if (!site)
            throw new ConfigError(`no site ${domain}: add it first with \`footfall site add ${domain}\``);
          const engine = createQueryEngine({ store, site: () => site, now: Date.now });
          const summary = await importPlausible(
            store.imported,
            { ...exp, file: path.resolve(file) },
            {
              site,
              again: opts.again,
              firstEventMs: await engine.firstEventMs(site),
            },
          );
          printImport(domain, summary);
        },
        { clickhouseUrl: opts.clickhouseUrl },
      );
    });

  cmd
    .command('list')
    .description('the imported aggregates a data directory holds (footfall import plausible)')
    .option('--site <domain>', 'only this site')
    .option('--data <dir>', DATA_HELP)
    .action(async (opts: Flags & { site?: string }) => {
      const only = opts.site === undefined ? undefined : normalizeDomain(opts.site);
      const dir = dataDir(opts);
      if (await serverRuns(dir)) {
        const res = await controlRequest(
          dir,
          'GET',
          `/aggregates${only ? `?site=${encodeURIComponent(only)}` : ''}`,
        );
        const body = unwrap(res!) as { imports: AggregateImport[]; sites: Site[] };
        return printList(body.imports, body.sites);
      }
      await withLocalStore(dir, async (store) => {
        const sites = await store.listSites();
        const site = only === undefined ? undefined : sites.find((s) => s.domain === only);
        if (only !== undefined && !site) throw new ConfigError(`no site ${only}`);
        printList(await store.imported.listImports(site?.id), sites);
      });
    });

  cmd
    .command('remove <id>')
    .description('remove an import of aggregates and all its rows (see footfall import list)')
    .option('--data <dir>', DATA_HELP)
    .action(async (id: string, opts: Flags) => {
      if (!/^\d{1,9}$/.test(id)) throw new ConfigError(`${id} is not an import id: see footfall import list`);
      const dir = dataDir(opts);
      if (await serverRuns(dir)) {
        unwrap((await controlRequest(dir, 'DELETE', `/aggregates/${id}`))!);
      } else {
        await withLocalStore(dir, async (store) => {
          if (!(await store.imported.removeImport(Number(id)))) {
            throw new ConfigError(`there is no import ${id}: see footfall import list`);
          }
        });
      }
      console.log(`removed import ${id}`);
    });
}
