// Imported aggregates while a server runs, over its control socket (src/cli/import-plausible.ts
// and `footfall export plausible` are the other side): the server holds the metadata file, so
// it stores and removes imports and writes Plausible's export itself.
//   POST   /aggregates/plausible?site=&file=&again=1  (application/zip)  import a Plausible export
//   GET    /aggregates?site=                          the imports, as `footfall import list`
//   DELETE /aggregates/:id                            remove an import and its rows
//   GET    /aggregates/plausible/:domain              the site's tracked days as Plausible's zip
import type { FastifyPluginAsync } from 'fastify';
import { footfallError } from '../errors.js';
import { plausibleZip } from '../export/plausible-export.js';
import { latestExportDay, readPlausibleZip } from '../import/plausible-export.js';
import { importPlausible } from '../import/plausible-import.js';
import type { QueryEngine } from '../query/run-query.js';
import type { ImportedStore } from '../store/imported.js';
import type { SiteStore } from '../store/types.js';
import { ConfigError } from './config.js';

export interface ControlAggregatesDeps {
  store: SiteStore & { imported: ImportedStore };
  engine: QueryEngine;
  now: () => number;
}

/** The largest export a running server takes in one request (years of a busy site fit). */
const MAX_ZIP_BYTES = 256 * 1024 * 1024;

/** A refusal with its one line, as the CLI prints it locally. */
async function refusing<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ConfigError) throw footfallError('FOOTFALL_ERR_BAD_REQUEST', err.message);
    throw err;
  }
}

export const controlAggregateRoutes: FastifyPluginAsync<ControlAggregatesDeps> = async (app, deps) => {
  app.addContentTypeParser(
    'application/zip',
    { parseAs: 'buffer', bodyLimit: MAX_ZIP_BYTES },
    (_req, body, done) => done(null, body),
  );

  app.post<{ Querystring: { site?: string; file?: string; again?: string }; Body: Buffer }>(
    '/aggregates/plausible',
    async (req) =>
      refusing(async () => {
        const file = String(req.query.file ?? 'export.zip');
        // Plausible's zones run to UTC+14: a day that has begun anywhere is not in the future.
        const exp = readPlausibleZip(file, req.body, latestExportDay(deps.now()));
        const site = deps.engine.site(String(req.query.site ?? ''));
        return importPlausible(deps.store.imported, exp, {
          site,
          again: req.query.again === '1',
          firstEventMs: await deps.engine.firstEventMs(site),
        });
      }),
  );

  app.get<{ Querystring: { site?: string } }>('/aggregates', async (req) => {
    const site = req.query.site === undefined ? undefined : deps.engine.site(req.query.site);
    return { imports: await deps.store.imported.listImports(site?.id), sites: await deps.store.listSites() };
  });

  app.delete<{ Params: { id: string } }>('/aggregates/:id', async (req) => {
    const removed = await deps.store.imported.removeImport(Number(req.params.id));
    if (!removed)
      throw footfallError(
        'FOOTFALL_ERR_BAD_REQUEST',
        `there is no import ${req.params.id}: see footfall import list`,
      );
    return { removed };
  });

  app.get<{ Params: { domain: string } }>('/aggregates/plausible/:domain', async (req, reply) => {
    const made = await plausibleZip(deps.engine, deps.engine.site(req.params.domain));
    return reply
      .header('content-type', 'application/zip')
      .header('x-footfall-range', `${made.firstDate} ${made.lastDate}`)
      .header('x-footfall-rows', String(Object.values(made.rows).reduce((a, b) => a + b, 0)))
      .send(Buffer.from(made.zip));
  });
};
