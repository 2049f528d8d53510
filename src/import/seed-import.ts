// `footfall import seed`: the seed's page views become Footfall events with their own times.
// Each event goes through the same enrichment as a tracked one — bot check, visitor id,
// visit, browser/OS/device, location, source and channel — driven by the row's timestamp
// instead of the clock, with daily salts made for this import and thrown away after it (the
// IP is never stored). Events are written through the data directory's ingest journal, so an
// acknowledged batch is on disk before the import records its progress.
import { randomBytes } from 'node:crypto';
import { createEnricher } from '../enrich/enrich.js';
import type { GeoLookup } from '../enrich/geo.js';
import { SaltKeeper } from '../enrich/salts.js';
import { SessionTracker } from '../enrich/sessions.js';
import { createUserAgentParser } from '../enrich/user-agent.js';
import { IngestWriter } from '../ingest/writer.js';
import { createMetrics, type DropReason } from '../ops/metrics.js';
import { ConfigError } from '../server/config.js';
import type { Salt, SaltStore, Store } from '../store/types.js';
import { fileDigest, ImportLog } from './import-record.js';
import { progress } from './progress.js';
import type { SeedDb } from './seed-db.js';
import { type SkipReason, seedEvent } from './seed-event.js';

export interface SeedImportOptions {
  /** The seed's database, opened (and its schema checked) before the data directory is. */
  db: SeedDb;
  site: string;
  /** The zone the seed server's clock ran in; the site's own zone when absent. */
  timezone?: string;
  dataDir: string;
  geo: GeoLookup;
  /** Stop at the first row that cannot be imported, storing nothing. */
  strict?: boolean;
  /** Import a file that was imported before (its events are added again). */
  again?: boolean;
  now?: () => number;
  /** Skipped rows, one line each (--verbose). */
  onSkip?: (id: number, reason: SkipReason | DropReason) => void;
  progressStream?: NodeJS.WriteStream;
  /** Ctrl-C: stop after the rows already sent, record how far the import got, and return. */
  signal?: AbortSignal;
}

export interface SeedImportSummary {
  rows: number;
  imported: number;
  /** Left out as a tracked event would be: bots, referrer spam. */
  dropped: Partial<Record<DropReason, number>>;
  /** Rows that are not a page view of this site Footfall can store. */
  skipped: Partial<Record<SkipReason, number>>;
  /** Rows an earlier, interrupted run had already imported. */
  resumed: number;
  /** Stopped by `signal`; running the same import again resumes after `done` rows. */
  interrupted: boolean;
  done: number;
}

/** Salts that live as long as the import: visitor ids are comparable within it, never with live ones. */
class ImportSalts implements SaltStore {
  private readonly salts = new Map<string, Buffer>();
  async listSalts(): Promise<Salt[]> {
    return [...this.salts].map(([day, salt]) => ({ day, salt }));
  }
  async addSalt(salt: Salt): Promise<Salt> {
    if (!this.salts.has(salt.day)) this.salts.set(salt.day, salt.salt);
    return { day: salt.day, salt: this.salts.get(salt.day)! };
  }
  async deleteSaltsBefore(day: string): Promise<void> {
    for (const d of this.salts.keys()) if (d < day) this.salts.delete(d);
  }
}

const BATCH = 2000;

export async function importSeed(store: Store, options: SeedImportOptions): Promise<SeedImportSummary> {
  const now = options.now ?? Date.now;
  const site = (await store.listSites()).find((s) => s.domain === options.site);
  if (!site) {
    throw new ConfigError(`no site ${options.site}: add it first with \`footfall site add ${options.site}\``);
  }
  const timezone = options.timezone ?? site.timezone;
  const { db } = options;
  const file = db.file;
  const total = db.count();
  const sha256 = await fileDigest(file);
  const log = ImportLog.open(options.dataDir);
  const before = log.find('seed', sha256, site.domain);
  if (before?.finished && !options.again) {
    throw new ConfigError(
      `${file} was imported into ${site.domain} already (${before.done} rows, ${before.updatedAt}); add --again to import it twice`,
    );
  }
  const resumeAfter = before && !before.finished && !options.again ? before.done : 0;
  const ctx = { siteDomain: site.domain, timezone, nowMs: now() };

  // --strict: read every row first, so a bad one stops the import before anything is stored.
  if (options.strict) {
    for (const row of db.rows()) {
      const e = seedEvent(row, ctx);
      if ('skip' in e && e.skip !== 'other_site')
        throw new ConfigError(`${file}: row id ${row.id} cannot be imported (${e.skip}); nothing was stored`);
    }
  }

  const [{ last }] = (await store.queryRows('SELECT coalesce(max(session_id), 0) AS last FROM events')) as [
    { last: bigint },
  ];
  const first = db.rows().next();
  const firstTs = first.done ? now() : ((seedEvent(first.value, ctx) as { ts?: number }).ts ?? now());
  const enricher = createEnricher({
    parseUserAgent: createUserAgentParser(),
    geo: options.geo,
    salts: await SaltKeeper.open(new ImportSalts(), { now: () => firstTs, randomBytes }),
    sessions: new SessionTracker({ firstSessionId: BigInt(last) + 1n }),
  });
  const writer = await IngestWriter.open(store, options.dataDir, createMetrics(), {
    maxQueue: BATCH * 2,
    loadIntervalMs: 1000,
  });
  const summary: SeedImportSummary = {
    rows: total,
    imported: 0,
    dropped: {},
    skipped: {},
    resumed: resumeAfter,
    interrupted: false,
    done: 0,
  };
  const bar = progress(`import ${site.domain}`, total, options.progressStream);
  const record = { kind: 'seed', file: file, sha256, site: site.domain, total, finished: false };
  let done = 0;
  let pending: Promise<void>[] = [];
  const settle = async () => {
    await Promise.all(pending);
    pending = [];
    log.save({ ...record, done, updatedAt: '' });
    bar.update(done);
  };
  try {
    for (const row of db.rows()) {
      if (options.signal?.aborted) {
        summary.interrupted = true;
        break;
      }
      done++;
      if (done <= resumeAfter) continue;
      const e = seedEvent(row, ctx);
      if ('skip' in e) {
        summary.skipped[e.skip] = (summary.skipped[e.skip] ?? 0) + 1;
        options.onSkip?.(row.id, e.skip);
      } else {
        const out = enricher.enrich(e.raw, e.client, site, e.ts);
        if ('row' in out) {
          pending.push(writer.write(out.row));
          summary.imported++;
        } else {
          summary.dropped[out.drop] = (summary.dropped[out.drop] ?? 0) + 1;
          options.onSkip?.(row.id, out.drop);
        }
      }
      if (pending.length >= BATCH || done % BATCH === 0) await settle();
    }
    await settle();
    await writer.flush();
  } finally {
    bar.stop();
    await writer.close();
  }
  // Every row sent was acknowledged (settle() above), so the record is exact: a re-run
  // neither skips nor repeats a row. Only a kill -9 in the middle of a batch can leave
  // that batch's acknowledged rows unrecorded (they would be imported again).
  log.save({ ...record, done, finished: !summary.interrupted, updatedAt: '' });
  summary.done = done;
  return summary;
}
