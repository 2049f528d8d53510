// `footfall import events`: a raw event export (from this or another Footfall) back into a
// site, each event as it was stored — no second enrichment — under new session ids.
import type { EventsFile } from './events-file.js';
import type { ImportTarget } from './import-target.js';
import { type ImportSummary, runImport, type SourceImportOptions } from './run-import.js';

export interface EventsImportOptions extends SourceImportOptions {
  /** The export, opened (and its columns checked) before the data directory is. */
  file: EventsFile;
}

export async function importEvents(
  target: ImportTarget,
  options: EventsImportOptions,
): Promise<ImportSummary> {
  const site = await target.site(options.site);
  const { file } = options;
  const nowMs = (options.now ?? Date.now)();
  return runImport(
    target,
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
