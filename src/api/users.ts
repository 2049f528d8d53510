// /api/users: the owner adds and removes people. Site roles are given per site (members.ts).
import type { FastifyInstance } from 'fastify';
import { inviteUrl, inviteUser, isInvited } from '../auth/invites.js';
import { createUser, userView } from '../auth/users.js';
import { footfallError } from '../errors.js';
import type { AccountApiDeps } from './account-deps.js';
import { bodyFields, idParam } from './input.js';

export async function userRoutes(app: FastifyInstance, deps: AccountApiDeps): Promise<void> {
  const { accounts } = deps;

  // `invited`: the person has not used their invitation link yet (a new one can be made).
  app.get('/api/users', async () => {
    const users = await accounts.listUsers();
    const pending = await Promise.all(
      users.map(async (u) => {
        const full = await accounts.getUser(u.id);
        return full !== undefined && isInvited(full);
      }),
    );
    return { users: users.map((u, i) => ({ ...userView(u), invited: pending[i] })) };
  });

  app.post('/api/users', async (req, reply) => {
    const fields = bodyFields(req, ['email', 'password', 'role']);
    // Without a password: an invitation, so the person chooses their own (issue 12, B8).
    if (fields.password === undefined) {
      const input = { email: fields.email, role: fields.role };
      const invite = await inviteUser(accounts, deps.randomBytes, input, deps.now());
      reply.code(201);
      return {
        user: userView(invite.user),
        invite: {
          url: inviteUrl(deps.publicUrl, invite.token),
          expiresAt: new Date(invite.expiresAt).toISOString(),
        },
      };
    }
    const input = { email: fields.email, password: fields.password, role: fields.role };
    const user = await createUser(accounts, deps.hasher, input, deps.now());
    reply.code(201);
    return { user: userView(user) };
  });

  app.delete('/api/users/:id', async (req, reply) => {
    if (!(await accounts.removeUser(idParam(req, 'id')))) throw footfallError('FOOTFALL_ERR_USER_NOT_FOUND');
    reply.code(204);
  });
}
