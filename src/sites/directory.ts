// The tracking path's view of sites: an in-memory map from site key to site, refreshed
// whenever sites change, so looking up the site of an event costs one Map.get.
import type { Site, SiteStore } from '../store/types.js';
import { siteKey } from './domain.js';

export class SiteDirectory {
  private byKey = new Map<string, Site>();
  private byUmamiId = new Map<string, Site>();

  constructor(private readonly store: SiteStore) {}

  async refresh(): Promise<void> {
    const sites = await this.store.listSites();
    this.byKey = new Map(sites.map((s) => [s.domain, s]));
    this.byUmamiId = new Map(sites.flatMap((s) => (s.umamiId ? [[s.umamiId, s] as const] : [])));
  }

  /** The site an Umami website id names. */
  lookupUmami(websiteId: string): Site | undefined {
    return this.byUmamiId.get(websiteId.toLowerCase());
  }

  /** The site a hostname (or a Plausible `domain` value) belongs to. */
  lookup(hostname: string): Site | undefined {
    return this.byKey.get(siteKey(hostname));
  }
}
