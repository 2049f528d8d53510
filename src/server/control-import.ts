// Imports into a running server, over its control socket (src/cli/import-remote.ts is the
// other side): the import enriches its events itself, with salts of its own, and sends them
// here in batches to be journaled like tracked events — acknowledged once durable, loaded by
// the server's own loader, so tracking, visits and realtime go on undisturbed.
//   POST /import/sessions {count}   sets `count` session ids aside for the import's visits
//   POST /import/events  (NDJSON)   journal lines as row-codec.ts writes them; a batch is
//                                   taken whole (200) or not at all (503, retry later)
import type { FastifyPluginAsync } from 'fastify';
import type { SessionTracker } from '../enrich/sessions.js';
import { footfallError } from '../errors.js';
import { lineProblem } from '../ingest/line-check.js';
import { decodeRow } from '../ingest/row-codec.js';
import type { IngestWriter } from '../ingest/writer.js';
import type { SiteStore } from '../store/types.js';

export interface ControlImportDeps {
  sessions: SessionTracker;
  writer: Pick<IngestWriter, 'write' | 'canTake'>;
  sites: Pick<SiteStore, 'listSites'>;
}

/** Most events one batch may hold (the client sends fewer). */
export const MAX_IMPORT_BATCH = 5000;
const MAX_BATCH_BYTES = MAX_IMPORT_BATCH * 8 * 1024;
const MAX_RESERVED = 1_000_000;

export const controlImportRoutes: FastifyPluginAsync<ControlImportDeps> = async (app, deps) => {
  app.addContentTypeParser(
    'application/x-ndjson',
    { parseAs: 'buffer', bodyLimit: MAX_BATCH_BYTES },
    (_req, body, done) => done(null, body),
  );

  app.post<{ Body: { count?: unknown } }>('/import/sessions', async (req) => {
    const count = req.body?.count;
    if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > MAX_RESERVED) {
      throw footfallError('FOOTFALL_ERR_BAD_REQUEST', `count: give a whole number from 1 to ${MAX_RESERVED}`);
    }
    return { first: deps.sessions.reserve(count as number).toString() };
  });

  app.post('/import/events', { bodyLimit: MAX_BATCH_BYTES }, async (req) => {
    if (!Buffer.isBuffer(req.body)) throw footfallError('FOOTFALL_ERR_UNSUPPORTED_MEDIA_TYPE');
    const lines = req.body
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '');
    if (lines.length > MAX_IMPORT_BATCH) {
      throw footfallError('FOOTFALL_ERR_BAD_REQUEST', `at most ${MAX_IMPORT_BATCH} events a batch`);
    }
    const known = new Set((await deps.sites.listSites()).map((s) => s.id));
    const rows = lines.map((line, i) => {
      const problem = lineProblem(Buffer.from(line));
      if (problem) throw footfallError('FOOTFALL_ERR_BAD_REQUEST', `line ${i + 1}: ${problem}`);
      const row = decodeRow(line);
      if (!known.has(row.siteId)) throw footfallError('FOOTFALL_ERR_SITE_NOT_FOUND', `site id ${row.siteId}`);
      return row;
    });
    // Taken whole or not at all: checked, then written in one turn of the event loop.
    if (!deps.writer.canTake(rows.length)) throw footfallError('FOOTFALL_ERR_QUEUE_FULL', undefined, 1);
    await Promise.all(rows.map((r) => deps.writer.write(r)));
    return { accepted: rows.length };
  });
};
