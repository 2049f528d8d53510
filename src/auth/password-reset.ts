// "Forgot password": a one-time link by mail, valid for an hour. Like sessions and invitations,
// only the token's SHA-256 hash is stored; using the link sets the password and ends every
// session of that user. It does not sign in: a second factor, when the user has one, is still
// asked for at the next sign-in, so a mailbox alone never opens the account.
import { footfallError } from '../errors.js';
import type { Mailer } from '../mail/mailer.js';
import { passwordResetMail } from '../mail/messages.js';
import type { AccountStore } from '../store/accounts.js';
import type { PasswordHasher } from './passwords.js';
import { looksLikeToken, newToken, sha256 } from './tokens.js';
import { checkNewPassword } from './users.js';

export const RESET_TTL_MS = 3_600_000;

export function resetUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/reset?token=${encodeURIComponent(token)}`;
}

export interface ResetMailDeps {
  accounts: AccountStore;
  mailer: Mailer;
  randomBytes: (n: number) => Buffer;
  now: () => number;
  publicUrl: string;
}

/**
 * Mails a reset link when the (normalised) email has an account; does nothing otherwise. The
 * caller answers before this settles, so known and unknown addresses look and take the same.
 */
export async function mailPasswordReset(deps: ResetMailDeps, email: string): Promise<void> {
  const user = await deps.accounts.findUserByEmail(email);
  if (!user) return;
  const token = newToken(deps.randomBytes);
  await deps.accounts.addPasswordReset(sha256(token), user.id, deps.now() + RESET_TTL_MS);
  await deps.mailer.send(
    passwordResetMail(user.email, resetUrl(deps.publicUrl, token), RESET_TTL_MS / 60_000),
  );
}

/** Sets the new password with a reset link's token (used up) and ends every session of the user. */
export async function resetPassword(
  accounts: AccountStore,
  hasher: PasswordHasher,
  input: { token: string; password: unknown },
  now: number,
): Promise<void> {
  // Checked first, so a too-short password does not use the link up.
  const password = checkNewPassword(input.password);
  const userId = looksLikeToken(input.token)
    ? await accounts.takePasswordReset(sha256(input.token), now)
    : undefined;
  if (userId === undefined) throw footfallError('FOOTFALL_ERR_RESET_TOKEN');
  await accounts.setPasswordHash(userId, await hasher.hash(password));
  await accounts.removeOtherSessions(userId, undefined);
}
