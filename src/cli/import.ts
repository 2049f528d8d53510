// `footfall import seed|logs`: history from the seed's database or a web server's access log.
import type { Command } from 'commander';
import { GeoDbError, type GeoLookup, openGeo } from '../enrich/geo.js';
import { EventsFile } from '../import/events-file.js';
import { importEvents } from '../import/events-import.js';
import { GoatCounterFile, importGoatCounter } from '../import/goatcounter-import.js';
import { type ImportTarget, localTarget } from '../import/import-target.js';
import { logReader } from '../import/log-format.js';
import { importLogs } from '../import/logs-import.js';
import type { ImportSummary, SourceImportOptions } from '../import/run-import.js';
import { SeedDb } from '../import/seed-db.js';
import { importSeed } from '../import/seed-import.js';
import { ConfigError } from '../server/config.js';
import { normalizeDomain } from '../sites/domain.js';
import { normalizeTimezone } from '../sites/timezone.js';
import { EXPORT_FORMATS, isExportFormat } from '../store/export-format.js';
import { serverRuns } from './control-client.js';
import { DATA_HELP, dataDir, withLocalStore } from './data-dir.js';
import { registerPlausibleImport } from './import-plausible.js';
import { remoteTarget } from './import-remote.js';

interface CommonFlags {
  site: string;
  strict?: boolean;
  again?: boolean;
  verbose?: boolean;
  geoipDb?: string;
  data?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function withCommonFlags(cmd: Command): Command {
  return cmd
    .requiredOption('--site <domain>', 'the Footfall site the page views belong to (add it first)')
    .option('--strict', 'stop at the first row that cannot be imported, storing nothing')
    .option('--again', 'import a file that was imported before (its page views are added twice)')
    .option('--verbose', 'list every skipped row')
    .option('--geoip-db <file>', 'a MaxMind GeoLite2-City .mmdb file (env FOOTFALL_GEOIP_DB)')
    .option('--data <dir>', DATA_HELP);
}

/**
 * What every import does around its source: refuses a running server, opens the geo database
 * and the data directory, turns Ctrl-C into "finish the batch and record it", and says at the
 * end what was imported, left out and skipped.
 */
async function runImportCommand(
  opts: CommonFlags,
  run: (target: ImportTarget, common: SourceImportOptions) => Promise<ImportSummary>,
  cleanup: () => void = () => {},
  noun = 'page views',
): Promise<void> {
  const dir = dataDir(opts);
  try {
    // A running server holds the database: the events go to it (control socket) instead.
    const live = await serverRuns(dir);
    let geo: GeoLookup;
    try {
      geo = await openGeo({ dbPath: opts.geoipDb ?? (process.env.FOOTFALL_GEOIP_DB || undefined) });
    } catch (err) {
      if (err instanceof GeoDbError) throw new ConfigError(err.message);
      throw err;
    }
    const stop = new AbortController();
    const onSigint = () => stop.abort();
    process.once('SIGINT', onSigint);
    let summary: ImportSummary;
    try {
      // What every source takes from the command line (its own file and flags aside).
      const ctx: SourceImportOptions = {
        site: opts.site,
        dataDir: dir,
        geo,
        strict: opts.strict,
        again: opts.again,
        signal: stop.signal,
        onSkip: opts.verbose ? (id, reason) => console.error(`${id}: skipped (${reason})`) : undefined,
      };
      summary = live
        ? await run(remoteTarget(dir), ctx)
        : await withLocalStore(dir, (store) => run(localTarget(store, dir), ctx));
    } finally {
      process.off('SIGINT', onSigint);
      await geo.close();
    }
    const parts = (counts: Record<string, number | undefined>) =>
      Object.entries(counts)
        .map(([k, n]) => `${n} ${k.replace(/_/g, ' ')}`)
        .join(', ') || 'none';
    console.log(
      `imported ${summary.imported} ${noun} into ${opts.site} from ${summary.rows} rows` +
        (summary.resumed > 0 ? ` (resumed after row ${summary.resumed})` : ''),
    );
    console.log(`left out as tracking would: ${parts(summary.dropped)}`);
    console.log(`skipped: ${parts(summary.skipped)}${opts.verbose ? '' : ' (--verbose lists them)'}`);
    if (summary.interrupted) {
      console.log(`interrupted after ${summary.rows} rows: run the same command to resume`);
      process.exitCode = 130;
    }
  } finally {
    cleanup();
  }
}

export function registerImport(program: Command): void {
  const cmd = program.command('import').description('bring history from other tools into Footfall');
  registerPlausibleImport(cmd);

  withCommonFlags(
    cmd
      .command('seed <file>')
      .description(
        "import the seed Flask app's SQLite database (peewee model PageView) with its own timestamps",
      )
      .option('--timezone <zone>', "the zone the seed server's clock ran in (default: the site's time zone)"),
  ).action(async (file: string, opts: CommonFlags & { timezone?: string }) => {
    const site = normalizeDomain(opts.site);
    const timezone = opts.timezone === undefined ? undefined : normalizeTimezone(opts.timezone);
    // The file is checked before the data directory is opened.
    const db = await SeedDb.open(file);
    await runImportCommand(
      { ...opts, site },
      (target, ctx) =>
        importSeed(target, {
          db,
          timezone,
          ...ctx,
        }),
      () => db.close(),
    );
  });

  withCommonFlags(
    cmd
      .command('logs <file>')
      .description('import page views from a web server access log (plain or gzip; - reads standard input)')
      .option('--format <format>', "combined, common, combined-vhost, caddy or log:'<template>'", 'combined')
      .option(
        '--include <glob>',
        'only paths matching this glob are imported, assets too (repeatable)',
        collect,
      )
      .option('--exclude <glob>', 'paths matching this glob are not imported (repeatable)', collect)
      .option('--follow', 'keep importing lines appended to the file, from its end, until Ctrl-C'),
  ).action(
    async (
      file: string,
      opts: CommonFlags & { format: string; include?: string[]; exclude?: string[]; follow?: boolean },
    ) => {
      const site = normalizeDomain(opts.site);
      logReader(opts.format); // a bad format is refused before anything is opened
      await runImportCommand({ ...opts, site }, (target, ctx) =>
        importLogs(target, {
          file,
          format: opts.format,
          include: opts.include,
          exclude: opts.exclude,
          follow: opts.follow,
          ...ctx,
        }),
      );
    },
  );

  withCommonFlags(
    cmd
      .command('events <file>')
      .description(
        'import a raw event export (footfall export events: Parquet, CSV or NDJSON) as it was stored',
      )
      .option('--format <format>', `${EXPORT_FORMATS.join(', ')} (default: from the file name)`),
  ).action(async (path: string, opts: CommonFlags & { format?: string }) => {
    const site = normalizeDomain(opts.site);
    if (opts.format !== undefined && !isExportFormat(opts.format)) {
      throw new ConfigError(`--format: use one of ${EXPORT_FORMATS.join(', ')}`);
    }
    // The file is checked before the data directory is opened.
    const file = await EventsFile.open(path, opts.format);
    await runImportCommand(
      { ...opts, site },
      (target, ctx) =>
        importEvents(target, {
          file,
          ...ctx,
        }),
      () => file.close(),
      'events',
    );
  });

  withCommonFlags(
    cmd
      .command('goatcounter <file>')
      .description(
        "import GoatCounter's CSV export (format version 2; plain or gzip) with its own timestamps",
      ),
  ).action(async (path: string, opts: CommonFlags) => {
    const site = normalizeDomain(opts.site);
    // The file is checked before the data directory is opened.
    const file = await GoatCounterFile.open(path);
    await runImportCommand(
      { ...opts, site },
      (target, ctx) =>
        importGoatCounter(target, {
          file,
          ...ctx,
        }),
      () => file.close(),
    );
  });
}
