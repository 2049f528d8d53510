// `footfall import events`: a raw event export (from this or another Footfall) back into a
// site, each event as it was stored — no second enrichment — under new session ids.
import type { Store } from '../store/types.js';
import type { EventsFile } from './events-file.js';
import { type ImportSummary, importSite, runImport, type SourceImportOptions } from './run-import.js';

export interface EventsImportOptions extends SourceImportOptions {
  /** The export, opened (and its columns checked) before the data directory is. */
  file: EventsFile;
}

export async function importEvents(store: Store, options: EventsImportOptions): Promise<ImportSummary> {
  const site = await importSite(store, options.site);
  const { file } = options;
  const nowMs = (options.now ?? Date.now)();
  return runImport(
    store,
    {
      kind: 'events',
      name: file.file,
      sha256: file.sha256,
      total: file.total,
      items: () => file.items(nowMs),
    },
    { ...options, site },
  );
}
