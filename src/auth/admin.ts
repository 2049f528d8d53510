// The operator's user and key commands (`footfall user …`, `footfall key …`), as one
// interface with one local implementation over the account store. The running server
// exposes it on its control socket; the CLI uses it directly when no server runs.
import { footfallError } from '../errors.js';
import type { AccountStore } from '../store/accounts.js';
import { inviteUser } from './invites.js';
import { createApiKey, type KeyView, keyView } from './keys.js';
import type { PasswordHasher } from './passwords.js';
import { checkNewPassword, createUser, normalizeEmail, removeUserByEmail, userView } from './users.js';

export type UserView = ReturnType<typeof userView>;
export type KeyWithUser = KeyView & { user: string };

export interface NewKeyRequest {
  user: string;
  sites: string[];
  readOnly: boolean;
  name?: string;
}

export interface AccountAdmin {
  listUsers(): Promise<UserView[]>;
  addUser(email: string, password: string, role: string): Promise<UserView>;
  removeUser(email: string): Promise<void>;
  /** A one-time link's token for the person to choose their password (auth/invites.ts). */
  inviteUser(email: string, role: string): Promise<{ user: UserView; token: string; expiresAt: string }>;
  /** The operator sets a password; every session of that user ends. */
  setPassword(email: string, password: string): Promise<void>;
  /** Turns the user's two-factor sign-in off (a lost phone, no recovery code left). */
  resetTwoFactor(email: string): Promise<void>;
  /** Every key, or one user's. */
  listKeys(email?: string): Promise<KeyWithUser[]>;
  /** The plaintext key is in the answer and nowhere else. */
  createKey(request: NewKeyRequest): Promise<KeyWithUser & { key: string }>;
  revokeKey(id: number): Promise<void>;
}

export interface LocalAdminDeps {
  accounts: AccountStore;
  hasher: PasswordHasher;
  now: () => number;
  randomBytes: (n: number) => Buffer;
}

export function localAccountAdmin({ accounts, hasher, now, randomBytes }: LocalAdminDeps): AccountAdmin {
  const userByEmail = async (email: string) => {
    const user = await accounts.findUserByEmail(normalizeEmail(email));
    if (!user) throw footfallError('FOOTFALL_ERR_USER_NOT_FOUND', email);
    return user;
  };
  return {
    listUsers: async () => (await accounts.listUsers()).map(userView),
    addUser: async (email, password, role) =>
      userView(await createUser(accounts, hasher, { email, password, role }, now())),
    removeUser: (email) => removeUserByEmail(accounts, email),
    async inviteUser(email, role) {
      const invite = await inviteUser(accounts, randomBytes, { email, role }, now());
      return {
        user: userView(invite.user),
        token: invite.token,
        expiresAt: new Date(invite.expiresAt).toISOString(),
      };
    },
    async setPassword(email, password) {
      const checked = checkNewPassword(password);
      const user = await userByEmail(email);
      await accounts.setPasswordHash(user.id, await hasher.hash(checked));
      // Whoever knew the old password may hold a session: none survives.
      await accounts.removeOtherSessions(user.id, undefined);
    },
    async resetTwoFactor(email) {
      await accounts.disableTwoFactor((await userByEmail(email)).id);
    },
    async listKeys(email) {
      const users = new Map((await accounts.listUsers()).map((u) => [u.id, u.email]));
      const keys = await accounts.listApiKeys(
        email === undefined ? undefined : (await userByEmail(email)).id,
      );
      return keys.map((k) => ({ ...keyView(k), user: users.get(k.userId) ?? '' }));
    },
    async createKey(request) {
      const user = await userByEmail(request.user);
      const { key, record } = await createApiKey(accounts, randomBytes, user, request, now());
      return { key, ...keyView(record), user: user.email };
    },
    async revokeKey(id) {
      if (!(await accounts.removeApiKey(id))) throw footfallError('FOOTFALL_ERR_KEY_NOT_FOUND', String(id));
    },
  };
}
