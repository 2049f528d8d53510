// Operational endpoints: GET /healthz (200 while the store takes writes) and GET /metrics.
import type { FastifyInstance } from 'fastify';
import { footfallError } from '../errors.js';
import type { EventStore } from '../store/types.js';
import type { Metrics } from './metrics.js';

export interface OpsOptions {
  store: EventStore;
  metrics: Metrics;
  /** False while loads from the ingest journal into the store are failing. */
  ingestHealthy: () => boolean;
}

export async function opsRoutes(
  app: FastifyInstance,
  { store, metrics, ingestHealthy }: OpsOptions,
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

  app.get('/metrics', async (_req, reply) => {
    reply.type(metrics.registry.contentType).header('cache-control', 'no-store');
    return metrics.registry.metrics();
  });
}
