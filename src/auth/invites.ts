// Inviting people: the owner names an email and a role, and gets a one-time link
// (<public-url>/invite?token=…) for that person to choose their own password. Like the setup
// link, only the token's SHA-256 hash is kept, the link expires (7 days) and works once.
//
// The invited user exists from the start (so site roles can be given at once), and their
// password column holds the invitation until it is used: `invite$<expiresAtMs>$<sha256>`. That
// is not a scrypt hash, so no password signs in as them (verify() says false for it, after
// the same work as for a real hash), and choosing a password replaces it — which is what
// makes the link single-use — without a table of its own in every store engine.
import { footfallError } from '../errors.js';
import type { AccountStore, User, UserWithPassword } from '../store/accounts.js';
import type { PasswordHasher } from './passwords.js';
import { looksLikeToken, newToken, sameSecret, sha256 } from './tokens.js';
import { checkNewPassword, normalizeEmail, parseUserRole } from './users.js';

export const INVITE_TTL_MS = 7 * 24 * 3_600_000;
const PREFIX = 'invite$';

export interface Invitation {
  user: User;
  /** `<user id>.<secret>`: shown once, in the link. */
  token: string;
  expiresAt: number;
}

export function isInvited(user: UserWithPassword): boolean {
  return user.passwordHash.startsWith(PREFIX);
}

export function inviteUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/invite?token=${encodeURIComponent(token)}`;
}

/**
 * A new user with a pending invitation, or a fresh link for someone invited before who has
 * not chosen a password yet (the earlier link stops working). Someone with a password is
 * FOOTFALL_ERR_USER_EXISTS.
 */
export async function inviteUser(
  accounts: AccountStore,
  randomBytes: (n: number) => Buffer,
  input: { email: unknown; role: unknown },
  now: number,
): Promise<Invitation> {
  const email = normalizeEmail(input.email);
  const role = parseUserRole(input.role);
  const secret = newToken(randomBytes);
  const expiresAt = now + INVITE_TTL_MS;
  const pending = `${PREFIX}${expiresAt}$${sha256(secret)}`;
  const existing = await accounts.findUserByEmail(email);
  let user: User;
  if (existing) {
    if (!isInvited(existing)) throw footfallError('FOOTFALL_ERR_USER_EXISTS', email);
    await accounts.setPasswordHash(existing.id, pending);
    user = existing;
  } else {
    user = await accounts.addUser({ email, passwordHash: pending, role }, now);
  }
  return {
    user: { id: user.id, email: user.email, role: user.role, createdAt: user.createdAt },
    token: `${user.id}.${secret}`,
    expiresAt,
  };
}

// Accepting the same link twice at once must not give two sessions: one acceptance per user
// at a time in this process (the store has no compare-and-set for the password column).
const accepting = new Set<number>();

/** Sets the invited user's own password; the link is used up. FOOTFALL_ERR_INVITE_TOKEN otherwise. */
export async function acceptInvite(
  accounts: AccountStore,
  hasher: PasswordHasher,
  input: { token: string; password: unknown },
  now: number,
): Promise<UserWithPassword> {
  const password = checkNewPassword(input.password);
  const dot = input.token.indexOf('.');
  const id = Number(input.token.slice(0, dot));
  const secret = input.token.slice(dot + 1);
  if (dot < 1 || !Number.isSafeInteger(id) || id < 1 || !looksLikeToken(secret) || accepting.has(id)) {
    throw footfallError('FOOTFALL_ERR_INVITE_TOKEN');
  }
  accepting.add(id);
  try {
    const user = await accounts.getUser(id);
    const [, expires, hash] = user?.passwordHash.split('$') ?? [];
    if (!user || !isInvited(user) || !(Number(expires) > now) || !sameSecret(hash ?? '', sha256(secret))) {
      throw footfallError('FOOTFALL_ERR_INVITE_TOKEN');
    }
    const passwordHash = await hasher.hash(password);
    await accounts.setPasswordHash(user.id, passwordHash);
    return { ...user, passwordHash };
  } finally {
    accepting.delete(id);
  }
}
