// `footfall mail test` on the running server's control socket (owner-only, see
// src/server/control.ts): the mail goes out with the server's own settings, so the test says
// whether the server can send, not whether the shell has the right variables.
import type { FastifyInstance } from 'fastify';
import { normalizeEmail } from '../auth/users.js';
import { type Mailer, requireMailer } from './mailer.js';
import { testMail } from './messages.js';

export async function mailControlRoutes(
  app: FastifyInstance,
  deps: { mailer: Mailer | undefined; publicUrl: string },
): Promise<void> {
  app.post<{ Body: { to?: unknown } | undefined }>('/mail/test', async (req) => {
    const to = normalizeEmail(req.body?.to);
    await requireMailer(deps.mailer).send(testMail(to, deps.publicUrl));
    return { sent: to };
  });
}
