// `footfall import seed <analytics.db> --site example.com`: the seed's database into Footfall.
import type { Command } from 'commander';
import { GeoDbError, openGeo } from '../enrich/geo.js';
import { SeedDb } from '../import/seed-db.js';
import { importSeed } from '../import/seed-import.js';
import { ConfigError } from '../server/config.js';
import { normalizeDomain } from '../sites/domain.js';
import { normalizeTimezone } from '../sites/timezone.js';
import { controlRequest } from './control-client.js';
import { DATA_HELP, dataDir, withLocalStore } from './data-dir.js';

interface SeedFlags {
  site: string;
  timezone?: string;
  strict?: boolean;
  again?: boolean;
  verbose?: boolean;
  geoipDb?: string;
  data?: string;
}

export function registerImport(program: Command): void {
  const cmd = program.command('import').description('bring history from other tools into Footfall');
  cmd
    .command('seed <file>')
    .description(
      "import the seed Flask app's SQLite database (peewee model PageView) with its own timestamps",
    )
    .requiredOption('--site <domain>', 'the Footfall site the page views belong to (add it first)')
    .option('--timezone <zone>', "the zone the seed server's clock ran in (default: the site's time zone)")
    .option('--strict', 'stop at the first row that cannot be imported, storing nothing')
    .option('--again', 'import a file that was imported before (its page views are added twice)')
    .option('--verbose', 'list every skipped row')
    .option('--geoip-db <file>', 'a MaxMind GeoLite2-City .mmdb file (env FOOTFALL_GEOIP_DB)')
    .option('--data <dir>', DATA_HELP)
    .action(async (file: string, opts: SeedFlags) => {
      const dir = dataDir(opts);
      const site = normalizeDomain(opts.site);
      const timezone = opts.timezone === undefined ? undefined : normalizeTimezone(opts.timezone);
      if (await controlRequest(dir, 'GET', '/healthz')) {
        throw new ConfigError(
          `a server is running on ${dir}: stop it, run the import, then start it again (imports write into the data directory)`,
        );
      }
      const db = await SeedDb.open(file);
      let geo: Awaited<ReturnType<typeof openGeo>>;
      try {
        geo = await openGeo({ dbPath: opts.geoipDb ?? (process.env.FOOTFALL_GEOIP_DB || undefined) });
      } catch (err) {
        db.close();
        if (err instanceof GeoDbError) throw new ConfigError(err.message);
        throw err;
      }
      // Ctrl-C finishes the batch in flight and records it, so the same command resumes.
      const stop = new AbortController();
      const onSigint = () => stop.abort();
      process.once('SIGINT', onSigint);
      try {
        const summary = await withLocalStore(dir, (store) =>
          importSeed(store, {
            db,
            site,
            timezone,
            dataDir: dir,
            geo,
            strict: opts.strict,
            again: opts.again,
            signal: stop.signal,
            onSkip: opts.verbose
              ? (id, reason) => console.error(`row id ${id}: skipped (${reason})`)
              : undefined,
          }),
        );
        const parts = (counts: Record<string, number | undefined>) =>
          Object.entries(counts)
            .map(([k, n]) => `${n} ${k.replace(/_/g, ' ')}`)
            .join(', ') || 'none';
        console.log(
          `imported ${summary.imported} page views into ${site} from ${summary.rows} rows` +
            (summary.resumed > 0 ? ` (resumed after row ${summary.resumed})` : ''),
        );
        console.log(`left out as tracking would: ${parts(summary.dropped)}`);
        console.log(`skipped: ${parts(summary.skipped)}${opts.verbose ? '' : ' (--verbose lists them)'}`);
        if (summary.interrupted) {
          console.log(`interrupted after ${summary.rows} rows: run the same command to resume`);
          process.exitCode = 130;
        }
      } finally {
        process.off('SIGINT', onSigint);
        db.close();
        await geo.close();
      }
    });
}
