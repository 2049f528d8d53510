// The last step of every sign-in with a password (login, accepting an invitation): a session,
// or — when the user has two-factor sign-in, or owners require it and the user has none yet —
// a pending sign-in that only the next step can finish (src/auth/pending-sign-in.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { startPendingSignIn } from '../auth/pending-sign-in.js';
import { hasTwoFactor, isTwoFactorRequired } from '../auth/two-factor.js';
import { userView } from '../auth/users.js';
import type { UserWithPassword } from '../store/accounts.js';
import { type AccountApiDeps, startSession } from './account-deps.js';

export type SignInAnswer =
  | { user: ReturnType<typeof userView> }
  | { next: 'code' | 'enrol'; pending: string; expiresInSeconds: number };

export async function finishSignIn(
  deps: AccountApiDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  user: UserWithPassword,
): Promise<SignInAnswer> {
  let next: 'code' | 'enrol' | undefined;
  if (await hasTwoFactor(deps.accounts, user.id)) next = 'code';
  else if (await isTwoFactorRequired(deps.accounts)) next = 'enrol';
  if (next) {
    const pending = await startPendingSignIn(deps.accounts, deps.randomBytes, user.id, next, deps.now());
    return { next, pending, expiresInSeconds: 300 };
  }
  await startSession(deps, req, reply, user);
  return { user: userView(user) };
}
