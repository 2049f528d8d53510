// Site commands run against the running server (through its control socket) when one holds
// the data directory, and against the DuckDB file directly when none does.
import { FootfallError } from '../errors.js';
import { ConfigError } from '../server/config.js';
import { addSite, removeSite } from '../sites/manage.js';
import { openDuckDbStore, StoreLockedError } from '../store/duckdb/open.js';
import type { Site } from '../store/types.js';
import { controlRequest } from './control-client.js';

export interface SiteAdmin {
  list(): Promise<Site[]>;
  add(domain: string, timezone?: string, umamiId?: string): Promise<Site>;
  remove(domain: string): Promise<void>;
}

/** An error the server answered over the socket, shown as the user would see it locally. */
export class RemoteError extends Error {}

export function unwrap(res: { status: number; body: unknown }): unknown {
  if (res.status < 400) return res.body;
  const message = (res.body as { error?: { message?: string } })?.error?.message;
  throw new RemoteError(message ?? `server answered ${res.status}`);
}

export async function withSiteAdmin<T>(dataDir: string, fn: (admin: SiteAdmin) => Promise<T>): Promise<T> {
  const probe = await controlRequest(dataDir, 'GET', '/sites');
  if (probe) {
    return fn({
      list: async () => (unwrap(probe) as { sites: Site[] }).sites,
      add: async (domain, timezone, umamiId) =>
        (
          unwrap((await controlRequest(dataDir, 'POST', '/sites', { domain, timezone, umamiId }))!) as {
            site: Site;
          }
        ).site,
      remove: async (domain) => {
        unwrap((await controlRequest(dataDir, 'DELETE', `/sites/${encodeURIComponent(domain)}`))!);
      },
    });
  }
  let store: Awaited<ReturnType<typeof openDuckDbStore>>;
  try {
    store = await openDuckDbStore(dataDir);
  } catch (err) {
    if (err instanceof StoreLockedError) throw new ConfigError(err.message);
    throw err;
  }
  try {
    return await fn({
      list: () => store.listSites(),
      add: (domain, timezone, umamiId) => addSite(store, { domain, timezone, umamiId }),
      remove: (domain) => removeSite(store, domain),
    });
  } finally {
    await store.close();
  }
}

export function isUserError(err: unknown): err is Error {
  return err instanceof FootfallError || err instanceof RemoteError || err instanceof ConfigError;
}
