// Site commands run against the running server (through its control socket) when one holds
// the data directory, and against the DuckDB file directly when none does.
import { addSite, removeSite, setSiteRetention } from '../sites/manage.js';
import type { Site } from '../store/types.js';
import { controlRequest } from './control-client.js';
import { type LocalStoreOptions, withLocalStore } from './data-dir.js';
import { unwrap } from './user-error.js';

export interface SiteAdmin {
  list(): Promise<Site[]>;
  add(domain: string, timezone?: string, umamiId?: string): Promise<Site>;
  remove(domain: string): Promise<void>;
  /** Months the site keeps its events; null: forever. */
  setRetention(domain: string, months: number | null): Promise<void>;
}

export async function withSiteAdmin<T>(
  dataDir: string,
  fn: (admin: SiteAdmin) => Promise<T>,
  options: LocalStoreOptions = {},
): Promise<T> {
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
      setRetention: async (domain, months) => {
        unwrap(
          (await controlRequest(dataDir, 'PATCH', `/sites/${encodeURIComponent(domain)}`, {
            retentionMonths: months,
          }))!,
        );
      },
    });
  }
  return withLocalStore(
    dataDir,
    (store) =>
      fn({
        list: () => store.listSites(),
        add: (domain, timezone, umamiId) => addSite(store, { domain, timezone, umamiId }),
        remove: (domain) => removeSite(store, domain),
        setRetention: (domain, months) => setSiteRetention(store, domain, months),
      }),
    options,
  );
}
