// `footfall import seed`: the seed's page views become Footfall events with their own times
// (run-import.ts does the rest, as for every import).
import type { ImportTarget } from './import-target.js';
import { type ImportItem, type ImportSummary, runImport, type SourceImportOptions } from './run-import.js';
import type { SeedDb } from './seed-db.js';
import { seedEvent } from './seed-event.js';

export interface SeedImportOptions extends SourceImportOptions {
  /** The seed's database, opened (and its schema checked) before the data directory is. */
  db: SeedDb;
  /** The zone the seed server's clock ran in; the site's own zone when absent. */
  timezone?: string;
}

export async function importSeed(target: ImportTarget, options: SeedImportOptions): Promise<ImportSummary> {
  const site = await target.site(options.site);
  const { db } = options;
  const ctx = {
    siteDomain: site.domain,
    timezone: options.timezone ?? site.timezone,
    nowMs: (options.now ?? Date.now)(),
  };
  function* items(): Generator<ImportItem> {
    for (const row of db.rows()) {
      const id = `row id ${row.id}`;
      const e = seedEvent(row, ctx);
      yield 'skip' in e ? { id, skip: e.skip } : { id, event: e };
    }
  }
  return runImport(
    target,
    {
      kind: 'seed',
      name: db.file,
      sha256: db.sha256,
      total: db.count(),
      items,
      notErrors: new Set(['other_site']),
    },
    { ...options, site },
  );
}
