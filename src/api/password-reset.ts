// POST /api/auth/forgot and POST /api/auth/reset (src/auth/password-reset.ts). The first
// answers the same 202 for every well-formed address, before anything is looked up, and is
// limited like logins (each request counts, per client address and per address asked about),
// so it can neither tell who has an account nor flood someone's mailbox.
import type { FastifyInstance } from 'fastify';
import { mailPasswordReset, resetPassword } from '../auth/password-reset.js';
import { PASSWORD_MAX_CHARS } from '../auth/passwords.js';
import { normalizeEmail } from '../auth/users.js';
import { requireMailer } from '../mail/mailer.js';
import type { AccountApiDeps } from './account-deps.js';
import { bodyFields, requiredString } from './input.js';

export async function passwordResetRoutes(app: FastifyInstance, deps: AccountApiDeps): Promise<void> {
  app.post('/api/auth/forgot', async (req, reply) => {
    const mailer = requireMailer(deps.mailer);
    const fields = bodyFields(req, ['email']);
    const email = normalizeEmail(requiredString(fields, 'email', 254));
    await deps.limiter.check('reset', deps.clientIp(req), email, async () => false);
    mailPasswordReset({ ...deps, mailer }, email).catch((err: unknown) =>
      deps.log?.(`password reset mail: ${err instanceof Error ? err.message : String(err)}`, 'error'),
    );
    reply.code(202);
    return { sent: true };
  });

  app.post('/api/auth/reset', async (req, reply) => {
    const fields = bodyFields(req, ['token', 'password']);
    const token = requiredString(fields, 'token', 100);
    requiredString(fields, 'password', PASSWORD_MAX_CHARS * 4);
    await resetPassword(deps.accounts, deps.hasher, { token, password: fields.password }, deps.now());
    reply.code(204);
  });
}
