// Operational endpoints: GET /healthz (200 while the store takes writes) and GET /metrics.
// Both say this node's id and which part answers (ops/parts.ts): with --database-url, a
// PostgreSQL out of reach makes /healthz 503 FOOTFALL_ERR_METADATA_UNAVAILABLE with
// parts.metadata "down", while tracking keeps answering into the journal.
// While loads from the journal into the store fail, /healthz answers 503 "degraded" with the
// reason and the backlog: tracking still answers (into the journal), so the server is up but
// its numbers are behind — a monitor should page, a load balancer may keep sending tracking.
// /metrics tells counts of traffic and rejections; with --metrics-token set it answers only
// a scraper that sends the token (a token rather than a bound address: it works the same
// behind a proxy, where every request arrives from the proxy's address).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sameSecret } from '../auth/tokens.js';
import { type ErrorCode, FootfallError, footfallError } from '../errors.js';
import type { IngestHealth } from '../ingest/writer.js';
import { firstLine } from '../store/disk-fix.js';
import type { Store } from '../store/types.js';
import type { Metrics } from './metrics.js';
import { probeParts } from './parts.js';

export interface OpsOptions {
  store: Pick<Store, 'checkWritable' | 'cluster'>;
  metrics: Metrics;
  /** Whether loads from the ingest journal into the store fail, and how far behind they are. */
  ingestHealth: () => IngestHealth;
  /** Bearer token /metrics asks for; undefined: /metrics is open. */
  metricsToken?: string;
  /** This node's id, told by /healthz. */
  nodeId?: string;
}

function hasToken(req: FastifyRequest, token: string): boolean {
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') === true && sameSecret(auth.slice(7).trim(), token);
}

export async function opsRoutes(
  app: FastifyInstance,
  { store, metrics, ingestHealth, metricsToken, nodeId }: OpsOptions,
): Promise<void> {
  metrics.watchIngest(ingestHealth);
  const parts = () => probeParts(store, ingestHealth);
  metrics.watchParts(parts);
  app.get('/healthz', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    const report = await parts();
    const health = report.ingest;
    const state = {
      node: nodeId,
      parts:
        report.metadata === undefined
          ? { events: report.events }
          : { metadata: report.metadata, events: report.events },
      lagSeconds: Math.round(health.lagSeconds),
      backlogEvents: health.backlogEvents,
    };
    const problem = report.problem;
    if (problem === undefined) return { status: 'ok', ...state };
    const code: ErrorCode =
      problem instanceof FootfallError &&
      (problem.code === 'FOOTFALL_ERR_ENGINE_UNAVAILABLE' ||
        problem.code === 'FOOTFALL_ERR_METADATA_UNAVAILABLE')
        ? problem.code
        : 'FOOTFALL_ERR_STORE_UNAVAILABLE';
    const reason =
      report.problemPart === 'metadata'
        ? `the metadata database cannot be reached (${firstLine(problem)}); tracking still answers, into the journal`
        : report.problemPart === 'loads'
          ? `loads into the store fail (${firstLine(problem)}); ${health.backlogEvents} events wait in the journal, ` +
            `${Math.round(health.lagSeconds)} s behind; tracking still answers`
          : `the store cannot take writes (${firstLine(problem)})`;
    const error = footfallError(code, reason);
    reply.code(503).header('retry-after', '5');
    return { status: 'degraded', reason, error: { code, message: error.message }, ...state };
  });

  app.get('/metrics', async (req, reply) => {
    if (metricsToken !== undefined && !hasToken(req, metricsToken)) {
      throw footfallError(
        'FOOTFALL_ERR_UNAUTHORIZED',
        'send the metrics token as "Authorization: Bearer <token>"',
      );
    }
    reply.type(metrics.registry.contentType).header('cache-control', 'no-store');
    return metrics.registry.metrics();
  });
}
