// Between a correct password and the second factor: a pending sign-in, not a session. Its
// token (256 random bits, kept as a SHA-256 hash) lasts 5 minutes, opens nothing but the next
// step ('code': enter a code; 'enrol': set two-factor up, when owners require it), and ends
// when that step succeeds, so one password gives at most one session.
import { footfallError } from '../errors.js';
import type { AccountStore } from '../store/accounts.js';
import type { ChallengePurpose } from '../store/sign-in-secrets.js';
import { looksLikeToken, newToken, sha256 } from './tokens.js';

export const PENDING_TTL_MS = 5 * 60_000;

export async function startPendingSignIn(
  accounts: AccountStore,
  randomBytes: (n: number) => Buffer,
  userId: number,
  purpose: ChallengePurpose,
  now: number,
): Promise<string> {
  const token = newToken(randomBytes);
  await accounts.addLoginChallenge(sha256(token), userId, purpose, now + PENDING_TTL_MS);
  return token;
}

/** The user a live pending sign-in of this purpose belongs to; FOOTFALL_ERR_SIGN_IN_EXPIRED otherwise. */
export async function pendingUser(
  accounts: AccountStore,
  token: string,
  purpose: ChallengePurpose,
  now: number,
): Promise<number> {
  const found = looksLikeToken(token) ? await accounts.findLoginChallenge(sha256(token), now) : undefined;
  if (!found || found.purpose !== purpose) throw footfallError('FOOTFALL_ERR_SIGN_IN_EXPIRED');
  return found.userId;
}

/** Ends it; FOOTFALL_ERR_SIGN_IN_EXPIRED when another request ended it first. */
export async function endPendingSignIn(accounts: AccountStore, token: string): Promise<void> {
  if (!(await accounts.removeLoginChallenge(sha256(token))))
    throw footfallError('FOOTFALL_ERR_SIGN_IN_EXPIRED');
}
