// Adding and removing users, with the input checks; shared by the JSON API, the control
// socket and the CLI working directly on a data directory.
import { footfallError } from '../errors.js';
import type { AccountStore, User, UserRole } from '../store/accounts.js';
import { PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS, type PasswordHasher } from './passwords.js';

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/** Emails are compared in lower case; the local part is not otherwise rewritten. */
export function normalizeEmail(input: unknown): string {
  const email = typeof input === 'string' ? input.trim().toLowerCase() : '';
  if (email.length > 254 || !EMAIL.test(email)) {
    throw footfallError('FOOTFALL_ERR_INVALID_EMAIL', 'e.g. alice@example.com');
  }
  return email;
}

/** Length only (OWASP ASVS): 8 characters at least; long passphrases welcome. */
export function checkNewPassword(input: unknown): string {
  if (typeof input !== 'string') throw footfallError('FOOTFALL_ERR_WEAK_PASSWORD');
  const chars = [...input].length;
  if (chars < PASSWORD_MIN_CHARS || chars > PASSWORD_MAX_CHARS || input.includes('\0')) {
    throw footfallError('FOOTFALL_ERR_WEAK_PASSWORD');
  }
  return input;
}

export function parseUserRole(input: unknown): UserRole {
  if (input === 'owner' || input === 'member') return input;
  throw footfallError('FOOTFALL_ERR_INVALID_FIELD', 'role must be "owner" or "member"');
}

export interface NewUserInput {
  email: unknown;
  password: unknown;
  role: unknown;
}

/** Checks the input, hashes the password and adds the user. */
export async function createUser(
  accounts: AccountStore,
  hasher: PasswordHasher,
  input: NewUserInput,
  now: number,
): Promise<User> {
  const email = normalizeEmail(input.email);
  const password = checkNewPassword(input.password);
  const role = parseUserRole(input.role);
  // A cheap check first, so a taken email does not cost a password hash.
  if (await accounts.findUserByEmail(email)) throw footfallError('FOOTFALL_ERR_USER_EXISTS', email);
  return accounts.addUser({ email, passwordHash: await hasher.hash(password), role }, now);
}

export async function removeUserByEmail(accounts: AccountStore, emailInput: unknown): Promise<void> {
  const email = normalizeEmail(emailInput);
  const user = await accounts.findUserByEmail(email);
  if (!user || !(await accounts.removeUser(user.id)))
    throw footfallError('FOOTFALL_ERR_USER_NOT_FOUND', email);
}

/** What leaves the server about a user: never the password hash. */
export function userView(u: User): { id: number; email: string; role: UserRole; createdAt: string } {
  return { id: u.id, email: u.email, role: u.role, createdAt: new Date(u.createdAt).toISOString() };
}
