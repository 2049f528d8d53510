// What `footfall goal` and `footfall funnel` share: a site's list of things (goals, funnels)
// listed, added and removed through the running server's control socket when one holds the
// data directory (`/<resource>/<domain>`), else on the DuckDB file directly.
import type { Store } from '../store/types.js';
import { controlRequest } from './control-client.js';
import { withLocalStore } from './data-dir.js';
import { unwrap } from './user-error.js';

export interface ResourceAdmin<V> {
  list(domain: string): Promise<V[]>;
  add(domain: string, fields: Record<string, unknown>): Promise<V>;
  remove(domain: string, id: number): Promise<void>;
}

/**
 * Runs `fn` with the admin of `resource` (the control socket's path and the list's key, e.g.
 * 'goals'; `one` the key of a single answer, e.g. 'goal'); `local` makes it on an open store.
 */
export async function withResourceAdmin<V, T>(
  dir: string,
  names: { resource: string; one: string },
  local: (store: Store) => ResourceAdmin<V>,
  fn: (admin: ResourceAdmin<V>) => Promise<T>,
): Promise<T> {
  const path = (domain: string) => `/${names.resource}/${encodeURIComponent(domain)}`;
  if (await controlRequest(dir, 'GET', '/sites')) {
    const answer = async (method: 'GET' | 'POST' | 'DELETE', to: string, body?: unknown) =>
      unwrap((await controlRequest(dir, method, to, body))!) as Record<string, unknown>;
    return fn({
      list: async (domain) => (await answer('GET', path(domain)))[names.resource] as V[],
      add: async (domain, fields) => (await answer('POST', path(domain), fields))[names.one] as V,
      remove: async (domain, id) => {
        await answer('DELETE', `${path(domain)}/${id}`);
      },
    });
  }
  return withLocalStore(dir, (store) => fn(local(store)));
}
