// /api/sites/:domain/members: who may see or manage a site. Owners see every site already,
// so only members get site roles.
import type { FastifyInstance } from 'fastify';
import { normalizeEmail } from '../auth/users.js';
import { footfallError } from '../errors.js';
import type { SiteRole } from '../store/accounts.js';
import type { AccountApiDeps } from './account-deps.js';
import { bodyFields, domainParam, idParam } from './input.js';

function parseSiteRole(input: unknown): SiteRole {
  if (input === 'admin' || input === 'viewer') return input;
  throw footfallError('FOOTFALL_ERR_INVALID_FIELD', 'role must be "admin" or "viewer"');
}

export async function memberRoutes(app: FastifyInstance, deps: AccountApiDeps): Promise<void> {
  const { accounts } = deps;

  app.get('/api/sites/:domain/members', async (req) => ({
    members: await accounts.listMembers(domainParam(req)),
  }));

  app.post('/api/sites/:domain/members', async (req, reply) => {
    const fields = bodyFields(req, ['email', 'role']);
    const email = normalizeEmail(fields.email);
    const role = parseSiteRole(fields.role);
    const user = await accounts.findUserByEmail(email);
    if (!user) throw footfallError('FOOTFALL_ERR_USER_NOT_FOUND', `${email}: an owner adds users first`);
    if (user.role === 'owner') {
      throw footfallError('FOOTFALL_ERR_INVALID_FIELD', `${email} is an owner and sees every site already`);
    }
    await accounts.setMember(domainParam(req), user.id, role);
    reply.code(201);
    return { member: { userId: user.id, email: user.email, role } };
  });

  app.delete('/api/sites/:domain/members/:userId', async (req, reply) => {
    const userId = idParam(req, 'userId');
    if (!(await accounts.removeMember(domainParam(req), userId))) {
      throw footfallError('FOOTFALL_ERR_MEMBER_NOT_FOUND');
    }
    reply.code(204);
  });
}
