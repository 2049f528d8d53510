// Assembles the HTTP application from its plugins. Shared services are passed in, so the
// same assembly serves `footfall serve` and the tests.

import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { AccountApiDeps } from '../api/account-deps.js';
import { accountRoutes } from '../api/account-routes.js';
import { type AlertRouteDeps, alertRoutes } from '../api/alerts.js';
import { exportRoutes } from '../api/export-route.js';
import { type ReportRouteDeps, reportRoutes } from '../api/reports.js';
import { statsRoutes } from '../api/stats-routes.js';
import type { Access } from '../auth/access.js';
import { installAccessControl } from '../auth/access-hooks.js';
import { LIMITS } from '../collect/limits.js';
import { collectRoutes } from '../collect/routes.js';
import type { Track } from '../collect/track.js';
import { trackerRoutes } from '../collect/tracker-routes.js';
import type { TrustProxy } from '../enrich/client-ip.js';
import type { IngestHealth } from '../ingest/writer.js';
import type { Metrics } from '../ops/metrics.js';
import { opsRoutes } from '../ops/routes.js';
import type { QueryEngine } from '../query/run-query.js';
import type { EventStore, ExportStore, Store } from '../store/types.js';
import { webRoutes } from '../web/routes.js';
import { limitConnectionsPerAddress, type ServerTimeouts, timeoutOptions } from './connection-limits.js';
import { installErrorHandling } from './error-handler.js';
import { answerUnroutable, installSecurityHeaders } from './security-headers.js';

export interface AppServices {
  track: Track;
  umamiSite: (websiteId: string) => string | undefined;
  metrics: Metrics;
  /** The event store, and with shared metadata the cluster (/healthz asks both). */
  store: EventStore & Pick<Store, 'cluster'>;
  ingestHealth: () => IngestHealth;
  publicUrl: string;
  clientIp: (req: FastifyRequest) => string;
  log: (msg: string) => void;
  /** Answers stats queries (src/query). */
  engine: QueryEngine;
  now: () => number;
  /** Who a request is and what it may do (src/auth). */
  access: Access;
  /** What the account, site, key and share link routes need. */
  accountApi: AccountApiDeps;
  /** Email report subscriptions, "send now" and unsubscribe links (src/jobs/reports.ts). */
  reports: ReportRouteDeps;
  /** Traffic alert settings (src/jobs/alerts.ts). */
  alerts: AlertRouteDeps;
  /** Raw event exports: the engine writes them into <dataDir>/exports/ (src/export). */
  exports: { store: ExportStore; dataDir: string };
  /** Bearer token GET /metrics asks for; undefined: open. */
  metricsToken?: string;
  /** This node's id (--node-id), told by /healthz. */
  nodeId?: string;
  /** Header, body and idle timeouts; the per-address connection cap and who is exempt from it. */
  connections: { timeouts: ServerTimeouts; maxPerIp: number; isTrustedProxy: TrustProxy };
}

export function buildApp(services: AppServices): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: LIMITS.bodyBytes,
    // While closing, new requests get 503 + Connection: close (and clients retry).
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    frameworkErrors: answerUnroutable(services.publicUrl),
    ...timeoutOptions(services.connections.timeouts),
  });
  limitConnectionsPerAddress(
    app.server,
    services.connections.maxPerIp,
    services.connections.isTrustedProxy,
    () => services.metrics.rejected('too_many_connections'),
  );
  installErrorHandling(app, services.log);
  installSecurityHeaders(app, services.publicUrl, (token) => services.access.isEmbeddableShare(token));
  // Before any route is registered: every route gets its rule from src/auth/rules.ts.
  installAccessControl(app, services.access);
  app.register(collectRoutes, {
    track: services.track,
    umamiSite: services.umamiSite,
    publicUrl: services.publicUrl,
    metrics: services.metrics,
    clientIp: services.clientIp,
  });
  app.register(trackerRoutes);
  app.register(statsRoutes, {
    engine: services.engine,
    now: services.now,
    access: services.access,
    segments: services.accountApi.segments,
  });
  app.register(opsRoutes, {
    store: services.store,
    metrics: services.metrics,
    ingestHealth: services.ingestHealth,
    metricsToken: services.metricsToken,
    nodeId: services.nodeId,
  });
  app.register(accountRoutes, services.accountApi);
  app.register(reportRoutes, services.reports);
  app.register(alertRoutes, services.alerts);
  app.register(exportRoutes, { engine: services.engine, ...services.exports });
  app.register(webRoutes, { publicUrl: services.publicUrl });
  return app;
}
