// GET /api/sites/<domain>/export?format=parquet|csv|ndjson&from=YYYY-MM-DD&to=YYYY-MM-DD: the
// site's raw events, streamed as a download (src/export/export-events.ts writes the file).
// Site admins and read-write API keys (the 'write' need in src/auth/rules.ts): a raw export
// holds every event's pseudonymous visitor id, more than the dashboard shows a viewer.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { parseExportInput, type WrittenExport, writeExport } from '../export/export-events.js';
import { streamAndRemove } from '../export/temp-file.js';
import type { QueryEngine } from '../query/run-query.js';
import { CONTENT_TYPES } from '../store/export-format.js';
import type { ExportStore } from '../store/types.js';

export interface ExportRouteOptions {
  engine: QueryEngine;
  store: ExportStore;
  dataDir: string;
}

/** Streams a written export and removes its file once sent (or the client went away). */
export function sendExport(reply: FastifyReply, written: WrittenExport): FastifyReply {
  return reply
    .header('content-type', CONTENT_TYPES[written.format])
    .header('content-disposition', `attachment; filename="${written.name}"`)
    .header('x-footfall-events', String(written.count))
    .header('cache-control', 'no-store')
    .send(streamAndRemove(written.file));
}

export const exportRoutes: FastifyPluginAsync<ExportRouteOptions> = async (
  app,
  { engine, store, dataDir },
) => {
  app.get<{ Params: { domain: string }; Querystring: Record<string, unknown> }>(
    '/api/sites/:domain/export',
    async (req, reply) => {
      const input = parseExportInput(req.query ?? {});
      const written = await writeExport(engine, store, dataDir, req.params.domain, input);
      return sendExport(reply, written);
    },
  );
};
