// /api/sites/<domain>/funnels: a site's saved funnels, listed by anyone who may read the site
// and written by those who may change its settings (src/auth/rules.ts), as its goals are.
// Input checks: src/goals/funnel-input.ts; answers: src/goals/funnel-view.ts.
import type { FastifyInstance } from 'fastify';
import { FUNNEL_FIELDS } from '../goals/funnel-input.js';
import {
  addFunnel,
  type FunnelAdminStore,
  listFunnels,
  removeFunnel,
  updateFunnel,
} from '../goals/manage-funnels.js';
import { bodyFields, domainParam, idParam } from './input.js';

export interface FunnelApiDeps {
  store: FunnelAdminStore;
  now: () => number;
}

export async function funnelRoutes(app: FastifyInstance, { store, now }: FunnelApiDeps): Promise<void> {
  app.get('/api/sites/:domain/funnels', async (req) => ({
    funnels: await listFunnels(store, domainParam(req)),
  }));

  app.post('/api/sites/:domain/funnels', async (req, reply) => {
    const funnel = await addFunnel(store, domainParam(req), bodyFields(req, FUNNEL_FIELDS), now());
    reply.code(201);
    return { funnel };
  });

  app.patch('/api/sites/:domain/funnels/:id', async (req) => ({
    funnel: await updateFunnel(store, domainParam(req), idParam(req, 'id'), bodyFields(req, FUNNEL_FIELDS)),
  }));

  app.delete('/api/sites/:domain/funnels/:id', async (req, reply) => {
    await removeFunnel(store, domainParam(req), idParam(req, 'id'));
    reply.code(204);
  });
}
