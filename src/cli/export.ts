// `footfall export events`: a site's raw events as Parquet, CSV or NDJSON, into a file or to
// standard output. Through the running server's control socket when there is one (it holds
// the database), else from the data directory opened read-only by this process. A file is
// written beside --out and renamed into place at the end: an interrupted export leaves no
// half file under the name asked for.
import { copyFileSync, createReadStream, createWriteStream, renameSync, rmSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { parseExportInput, writeExport } from '../export/export-events.js';
import { plausibleZip } from '../export/plausible-export.js';
import { createQueryEngine } from '../query/run-query.js';
import { SiteDirectory } from '../sites/directory.js';
import { normalizeDomain } from '../sites/domain.js';
import { formatOfFile } from '../store/export-format.js';
import { controlStream } from './control-client.js';
import { CLICKHOUSE_HELP, DATA_HELP, dataDir, withLocalStore } from './data-dir.js';
import { unwrap } from './user-error.js';

interface ExportFlags {
  site: string;
  from?: string;
  to?: string;
  format?: string;
  out: string;
  data?: string;
  clickhouseUrl?: string;
}

async function readBytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function readAll(stream: Readable): Promise<string> {
  return (await readBytes(stream)).toString('utf8');
}

/** Copies `from` into --out (through a temp name) or to standard output. */
async function deliver(from: Readable, out: string): Promise<void> {
  if (out === '-') {
    await pipeline(from, process.stdout, { end: false });
    return;
  }
  const part = `${out}.part`;
  try {
    await pipeline(from, createWriteStream(part, { mode: 0o600 }));
    renameSync(part, out);
  } catch (err) {
    rmSync(part, { force: true });
    throw err;
  }
}

/**
 * A file the export wrote into the data directory, to `out`: moved there when it is on the same
 * file system (copying 200 MB through a stream took ~2 s of a 10 M-event Parquet export's 13;
 * BENCHMARKS.md), else copied by the kernel; to standard output, streamed. The file is gone
 * afterwards either way.
 */
async function deliverFile(file: string, out: string): Promise<void> {
  try {
    if (out === '-') {
      await deliver(createReadStream(file, { highWaterMark: 1 << 20 }), out);
      return;
    }
    try {
      renameSync(file, out);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    }
    const part = `${out}.part`;
    try {
      copyFileSync(file, part);
      renameSync(part, out);
    } catch (err) {
      rmSync(part, { force: true });
      throw err;
    }
  } finally {
    rmSync(file, { force: true });
  }
}

export function registerExport(program: Command): void {
  const cmd = program.command('export').description('write data out in open formats');
  cmd
    .command('events')
    .description("a site's raw events (every page view and event) as Parquet, CSV or NDJSON")
    .requiredOption('--site <domain>', 'the site to export')
    .requiredOption('--out <file>', 'where to write: a file, or - for standard output')
    .option('--format <format>', 'parquet, csv or ndjson (default: from --out, else ndjson)')
    .option(
      '--from <date>',
      "first day, YYYY-MM-DD in the site's time zone (with --to; default: the first event)",
    )
    .option('--to <date>', 'last day, inclusive (with --from; default: today)')
    .option('--data <dir>', DATA_HELP)
    .option('--clickhouse-url <url>', CLICKHOUSE_HELP)
    .action(async (opts: ExportFlags) => {
      const domain = normalizeDomain(opts.site);
      const format = opts.format ?? (opts.out === '-' ? undefined : formatOfFile(opts.out)) ?? 'ndjson';
      const input = parseExportInput({ format, from: opts.from, to: opts.to });
      const dir = dataDir(opts);
      const started = performance.now();
      const query = new URLSearchParams({ format: input.format });
      if (opts.from !== undefined) query.set('from', opts.from);
      if (opts.to !== undefined) query.set('to', opts.to);
      let count: number;
      const res = await controlStream(dir, `/export/${encodeURIComponent(domain)}?${query}`);
      if (res) {
        if ((res.statusCode ?? 500) >= 400) {
          const text = await readAll(res);
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {}
          unwrap({ status: res.statusCode ?? 500, body });
        }
        count = Number(res.headers['x-footfall-events'] ?? 0);
        await deliver(res, opts.out);
      } else {
        count = await withLocalStore(
          dir,
          async (store) => {
            const sites = new SiteDirectory(store);
            await sites.refresh();
            const engine = createQueryEngine({ store, site: (d) => sites.lookup(d), now: Date.now });
            const written = await writeExport(engine, store, dir, domain, input);
            await deliverFile(written.file, opts.out);
            return written.count;
          },
          { clickhouseUrl: opts.clickhouseUrl },
        );
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const size = opts.out === '-' ? '' : ` (${(statSync(opts.out).size / 1e6).toFixed(1)} MB)`;
      console.error(
        `exported ${count} events of ${domain} as ${input.format} to ${opts.out === '-' ? 'standard output' : opts.out}${size} in ${seconds} s`,
      );
    });

  cmd
    .command('plausible')
    .description("a site's tracked days in Plausible's CSV export format (a zip of imported_*.csv)")
    .requiredOption('--site <domain>', 'the site to export')
    .requiredOption('--out <file>', 'the .zip to write, or - for standard output')
    .option('--data <dir>', DATA_HELP)
    .option('--clickhouse-url <url>', CLICKHOUSE_HELP)
    .action(async (opts: { site: string; out: string; data?: string; clickhouseUrl?: string }) => {
      const domain = normalizeDomain(opts.site);
      const dir = dataDir(opts);
      let made: { zip: Uint8Array; firstDate: string; lastDate: string; rows: number };
      const res = await controlStream(dir, `/aggregates/plausible/${encodeURIComponent(domain)}`);
      if (res) {
        // The server holds the database: it writes the zip.
        const bytes = await readBytes(res);
        if ((res.statusCode ?? 500) >= 400) {
          let body: unknown = bytes.toString('utf8');
          try {
            body = JSON.parse(bytes.toString('utf8'));
          } catch {}
          unwrap({ status: res.statusCode ?? 500, body });
        }
        const [firstDate = '', lastDate = ''] = String(res.headers['x-footfall-range'] ?? '').split(' ');
        made = { zip: bytes, firstDate, lastDate, rows: Number(res.headers['x-footfall-rows'] ?? 0) };
      } else {
        made = await withLocalStore(
          dir,
          async (store) => {
            const sites = new SiteDirectory(store);
            await sites.refresh();
            const engine = createQueryEngine({ store, site: (d) => sites.lookup(d), now: Date.now });
            const zip = await plausibleZip(engine, engine.site(domain));
            return { ...zip, rows: Object.values(zip.rows).reduce((a, b) => a + b, 0) };
          },
          { clickhouseUrl: opts.clickhouseUrl },
        );
      }
      await deliver(Readable.from([Buffer.from(made.zip)]), opts.out);
      console.error(
        `exported ${domain} from ${made.firstDate} to ${made.lastDate} as ${made.rows} daily rows in 10 files to ${opts.out === '-' ? 'standard output' : opts.out}`,
      );
    });
}
