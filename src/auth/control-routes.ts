// The user and key commands on the running server's control socket (owner-only, see
// src/server/control.ts), so `footfall user|key …` work while the server holds the database.
import type { FastifyInstance } from 'fastify';
import { footfallError } from '../errors.js';
import { type LocalAdminDeps, localAccountAdmin } from './admin.js';

type Body = Record<string, unknown> | undefined;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export async function accountControlRoutes(app: FastifyInstance, deps: LocalAdminDeps): Promise<void> {
  const admin = localAccountAdmin(deps);

  app.get('/users', async () => ({ users: await admin.listUsers() }));
  app.post<{ Body: Body }>('/users', async (req, reply) => {
    const user = await admin.addUser(str(req.body?.email), str(req.body?.password), str(req.body?.role));
    reply.code(201);
    return { user };
  });
  app.post<{ Body: Body }>('/users/invite', async (req, reply) => {
    const invite = await admin.inviteUser(str(req.body?.email), str(req.body?.role));
    reply.code(201);
    return invite;
  });
  app.post<{ Body: Body; Params: { email: string } }>('/users/:email/password', async (req) => {
    await admin.setPassword(req.params.email, str(req.body?.password));
    return { changed: true };
  });
  app.post<{ Params: { email: string } }>('/users/:email/reset-2fa', async (req) => {
    await admin.resetTwoFactor(req.params.email);
    return { reset: true };
  });
  app.delete<{ Params: { email: string } }>('/users/:email', async (req) => {
    await admin.removeUser(req.params.email);
    return { removed: true };
  });

  app.get<{ Querystring: { user?: string } }>('/keys', async (req) => ({
    keys: await admin.listKeys(req.query.user),
  }));
  app.post<{ Body: Body }>('/keys', async (req, reply) => {
    const b = req.body ?? {};
    const sites = Array.isArray(b.sites) ? b.sites.map(str) : [];
    const key = await admin.createKey({
      user: str(b.user),
      sites,
      readOnly: b.readOnly === true,
      name: typeof b.name === 'string' ? b.name : undefined,
    });
    reply.code(201);
    return key;
  });
  app.delete<{ Params: { id: string } }>('/keys/:id', async (req) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id < 1) throw footfallError('FOOTFALL_ERR_KEY_NOT_FOUND', req.params.id);
    await admin.revokeKey(id);
    return { removed: true };
  });
}
