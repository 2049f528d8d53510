// Operational endpoints: GET /healthz (200 while the store takes writes) and GET /metrics.
// /metrics tells counts of traffic and rejections; with --metrics-token set it answers only
// a scraper that sends the token (a token rather than a bound address: it works the same
// behind a proxy, where every request arrives from the proxy's address).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sameSecret } from '../auth/tokens.js';
import { footfallError } from '../errors.js';
import type { EventStore } from '../store/types.js';
import type { Metrics } from './metrics.js';

export interface OpsOptions {
  store: EventStore;
  metrics: Metrics;
  /** False while loads from the ingest journal into the store are failing. */
  ingestHealthy: () => boolean;
  /** Bearer token /metrics asks for; undefined: /metrics is open. */
  metricsToken?: string;
}

function hasToken(req: FastifyRequest, token: string): boolean {
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') === true && sameSecret(auth.slice(7).trim(), token);
}

export async function opsRoutes(
  app: FastifyInstance,
  { store, metrics, ingestHealthy, metricsToken }: OpsOptions,
): Promise<void> {
  app.get('/healthz', async (_req, reply) => {
    try {
      if (!ingestHealthy()) throw new Error('loads into the store are failing');
      await store.checkWritable();
    } catch {
      throw footfallError('FOOTFALL_ERR_STORE_UNAVAILABLE', undefined, 5);
    }
    reply.header('cache-control', 'no-store');
    return { status: 'ok' };
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
