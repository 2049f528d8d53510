// /api/keys: a signed-in user's own API keys. The plaintext key is in the creation response
// and nowhere else.
import type { FastifyInstance } from 'fastify';
import { createApiKey, keyView } from '../auth/keys.js';
import { footfallError } from '../errors.js';
import { type AccountApiDeps, sessionUser } from './account-deps.js';
import { bodyFields, idParam } from './input.js';

export async function keyRoutes(app: FastifyInstance, deps: AccountApiDeps): Promise<void> {
  const { accounts } = deps;

  app.get('/api/keys', async (req) => {
    const id = await sessionUser(deps, req);
    return { keys: (await accounts.listApiKeys(id.userId)).map(keyView) };
  });

  app.post('/api/keys', async (req, reply) => {
    const id = await sessionUser(deps, req);
    const fields = bodyFields(req, ['name', 'sites', 'readOnly']);
    const user = { id: id.userId, email: id.email, role: id.role };
    const input = { name: fields.name, sites: fields.sites, readOnly: fields.readOnly };
    const { key, record } = await createApiKey(accounts, deps.randomBytes, user, input, deps.now());
    reply.code(201).header('cache-control', 'no-store');
    return { key, ...keyView(record) };
  });

  app.delete('/api/keys/:id', async (req, reply) => {
    const id = await sessionUser(deps, req);
    if (!(await accounts.removeApiKey(idParam(req, 'id'), id.userId))) {
      throw footfallError('FOOTFALL_ERR_KEY_NOT_FOUND');
    }
    reply.code(204);
  });
}
