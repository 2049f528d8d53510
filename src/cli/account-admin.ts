// User and key commands run against the running server (through its control socket) when
// one holds the data directory, and against the DuckDB file directly when none does.
import { randomBytes } from 'node:crypto';
import type { AccountAdmin, KeyWithUser, UserView } from '../auth/admin.js';
import { localAccountAdmin } from '../auth/admin.js';
import { PasswordHasher } from '../auth/passwords.js';
import { ConfigError } from '../server/config.js';
import { controlRequest } from './control-client.js';
import { type LocalStoreOptions, withLocalStore } from './data-dir.js';
import { unwrap } from './user-error.js';

function remoteAdmin(dataDir: string): AccountAdmin {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await controlRequest(dataDir, method, path, body);
    if (!res) throw new ConfigError('the server stopped while the command ran: run it again');
    return unwrap(res);
  };
  return {
    listUsers: async () => ((await call('GET', '/users')) as { users: UserView[] }).users,
    addUser: async (email, password, role) =>
      ((await call('POST', '/users', { email, password, role })) as { user: UserView }).user,
    removeUser: async (email) => {
      await call('DELETE', `/users/${encodeURIComponent(email)}`);
    },
    inviteUser: async (email, role) =>
      (await call('POST', '/users/invite', { email, role })) as Awaited<
        ReturnType<AccountAdmin['inviteUser']>
      >,
    setPassword: async (email, password) => {
      await call('POST', `/users/${encodeURIComponent(email)}/password`, { password });
    },
    resetTwoFactor: async (email) => {
      await call('POST', `/users/${encodeURIComponent(email)}/reset-2fa`);
    },
    listKeys: async (email) =>
      (
        (await call('GET', email === undefined ? '/keys' : `/keys?user=${encodeURIComponent(email)}`)) as {
          keys: KeyWithUser[];
        }
      ).keys,
    createKey: async (request) => (await call('POST', '/keys', request)) as KeyWithUser & { key: string },
    revokeKey: async (id) => {
      await call('DELETE', `/keys/${id}`);
    },
  };
}

export async function withAccountAdmin<T>(
  dataDir: string,
  fn: (admin: AccountAdmin) => Promise<T>,
  options: LocalStoreOptions = {},
): Promise<T> {
  if (await controlRequest(dataDir, 'GET', '/users')) return fn(remoteAdmin(dataDir));
  return withLocalStore(
    dataDir,
    (store) =>
      fn(
        localAccountAdmin({
          accounts: store.accounts,
          hasher: new PasswordHasher(),
          now: Date.now,
          randomBytes,
        }),
      ),
    options,
  );
}
