// A control socket in the data directory (<data>/footfall.sock, owner-only). While a server
// holds the DuckDB file no other process can open it, so the CLI sends its site commands
// (and its stats queries) here instead. Only local users who can open the data directory can
// reach it.
import { chmodSync, rmSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { sendExport } from '../api/export-route.js';
import type { LocalAdminDeps } from '../auth/admin.js';
import { accountControlRoutes } from '../auth/control-routes.js';
import { normalizeEmail } from '../auth/users.js';
import { writeSnapshot } from '../backup/backup.js';
import { footfallError } from '../errors.js';
import { parseExportInput, writeExport } from '../export/export-events.js';
import { streamAndRemove } from '../export/temp-file.js';
import { addGoal, type GoalAdminStore, listGoals, removeGoal } from '../goals/manage.js';
import { addFunnel, type FunnelAdminStore, listFunnels, removeFunnel } from '../goals/manage-funnels.js';
import { parseReportPeriod, type ReportDeps, sendReport } from '../jobs/reports.js';
import { checkRetentionMonths } from '../jobs/retention.js';
import { mailControlRoutes } from '../mail/control-routes.js';
import type { Mailer } from '../mail/mailer.js';
import { ENDPOINTS } from '../query/endpoints.js';
import type { QueryEngine } from '../query/run-query.js';
import { segmentLookup } from '../segments/lookup.js';
import type { SiteDirectory } from '../sites/directory.js';
import { addSite, removeSite, setSiteRetention } from '../sites/manage.js';
import type { ImportedStore } from '../store/imported.js';
import type { RetentionSettings } from '../store/jobs.js';
import type { SegmentStore } from '../store/segments.js';
import type { ExportStore, SiteStore, SnapshotStore } from '../store/types.js';
import { controlAggregateRoutes } from './control-aggregates.js';
import { type ControlImportDeps, controlImportRoutes } from './control-import.js';
import { installErrorHandling } from './error-handler.js';

export const SOCKET_FILE = 'footfall.sock';

/** Unix socket paths are limited to 107 bytes; undefined when the data dir is too deep. */
export function controlSocketPath(dataDir: string): string | undefined {
  const p = path.resolve(dataDir, SOCKET_FILE);
  return Buffer.byteLength(p) <= 107 ? p : undefined;
}

export async function startControlServer(
  dataDir: string,
  store: SiteStore &
    ExportStore &
    SnapshotStore &
    GoalAdminStore &
    FunnelAdminStore & { jobs: RetentionSettings; segments: SegmentStore; imported: ImportedStore },
  directory: SiteDirectory,
  log: (msg: string) => void,
  engine: QueryEngine,
  now: () => number,
  accounts?: LocalAdminDeps,
  live?: {
    /** Resolves when every acknowledged event is in the store (before a backup). */
    flush: () => Promise<void>;
    /** Imports into this running server (control-import.ts). */
    imports: ControlImportDeps;
  },
  mail?: { mailer: Mailer | undefined; publicUrl: string },
  reports?: ReportDeps,
): Promise<FastifyInstance | undefined> {
  const socket = controlSocketPath(dataDir);
  if (!socket) {
    log(
      `control socket disabled: the path of ${dataDir} is too long; stop the server to run "footfall site" commands`,
    );
    return undefined;
  }
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 });
  installErrorHandling(app, log);
  app.get('/sites', async () => ({ sites: await store.listSites() }));
  app.post<{ Body: { domain?: string; timezone?: string; umamiId?: string } }>(
    '/sites',
    async (req, reply) => {
      const site = await addSite(store, {
        domain: String(req.body?.domain ?? ''),
        timezone: req.body?.timezone,
        umamiId: req.body?.umamiId,
      });
      await directory.refresh();
      reply.code(201);
      return { site };
    },
  );
  // `footfall site set`: the CLI has parsed --retention already.
  app.patch<{ Params: { domain: string }; Body: { retentionMonths?: unknown } }>(
    '/sites/:domain',
    async (req) => {
      const months = checkRetentionMonths(req.body?.retentionMonths ?? null);
      await setSiteRetention(store, req.params.domain, months);
      return { retentionMonths: months };
    },
  );
  app.delete<{ Params: { domain: string } }>('/sites/:domain', async (req) => {
    await removeSite(store, req.params.domain);
    await directory.refresh();
    return { removed: true };
  });
  // `footfall goal …` while the server holds the database.
  app.get<{ Params: { domain: string } }>('/goals/:domain', async (req) => ({
    goals: await listGoals(store, req.params.domain),
  }));
  app.post<{ Params: { domain: string }; Body: Record<string, unknown> }>(
    '/goals/:domain',
    async (req, reply) => {
      const goal = await addGoal(store, req.params.domain, req.body ?? {}, now());
      reply.code(201);
      return { goal };
    },
  );
  app.delete<{ Params: { domain: string; id: string } }>('/goals/:domain/:id', async (req) => {
    await removeGoal(store, req.params.domain, Number(req.params.id));
    return { removed: true };
  });
  // `footfall funnel …` likewise.
  app.get<{ Params: { domain: string } }>('/funnels/:domain', async (req) => ({
    funnels: await listFunnels(store, req.params.domain),
  }));
  app.post<{ Params: { domain: string }; Body: Record<string, unknown> }>(
    '/funnels/:domain',
    async (req, reply) => {
      const funnel = await addFunnel(store, req.params.domain, req.body ?? {}, now());
      reply.code(201);
      return { funnel };
    },
  );
  app.delete<{ Params: { domain: string; id: string } }>('/funnels/:domain/:id', async (req) => {
    await removeFunnel(store, req.params.domain, Number(req.params.id));
    return { removed: true };
  });
  // `footfall query` while the server holds the database: the same engine as the HTTP API.
  // Every endpoint is a POST of its input here, realtime's too (`footfall query` sends a body).
  for (const [name, def] of Object.entries(ENDPOINTS)) {
    // The operator reads as no one in particular: the site's shared segments, no personal ones.
    app.post(`/${name}`, async (req) =>
      def.run(engine, req.body, now(), segmentLookup(store.segments, null)),
    );
  }
  // `footfall export events` while the server holds the database: streamed like the API's.
  app.get<{ Params: { domain: string }; Querystring: Record<string, unknown> }>(
    '/export/:domain',
    async (req, reply) => {
      const written = await writeExport(
        engine,
        store,
        dataDir,
        req.params.domain,
        parseExportInput(req.query ?? {}),
      );
      return sendExport(reply, written);
    },
  );
  // `footfall backup` while the server runs: every event acknowledged before this request is
  // loaded first, then the database is copied between two writes and streamed.
  app.post('/backup', async (_req, reply) => {
    await live?.flush();
    const file = await writeSnapshot(store, dataDir);
    return reply.header('content-type', 'application/octet-stream').send(streamAndRemove(file));
  });
  // `footfall report send`: the server's mail settings and numbers, as "send now" in settings.
  app.post<{ Params: { domain: string }; Body: { to?: unknown; period?: unknown } }>(
    '/reports/:domain/send',
    async (req) => {
      if (!reports) throw footfallError('FOOTFALL_ERR_MAIL_NOT_CONFIGURED');
      const period = parseReportPeriod(req.body?.period, '--period');
      const to = normalizeEmail(req.body?.to);
      return {
        sent: to,
        ...(await sendReport(reports, { domain: req.params.domain, period, to, now: now() })),
      };
    },
  );
  if (live) app.register(controlImportRoutes, live.imports);
  app.register(controlAggregateRoutes, { store, engine, now });
  if (accounts) app.register(accountControlRoutes, accounts);
  if (mail) app.register(mailControlRoutes, mail);
  // A socket file left by a killed server would make listen fail; we hold the database
  // lock, so no live server can own it.
  rmSync(socket, { force: true });
  await app.listen({ path: socket });
  chmodSync(socket, 0o600);
  return app;
}
