// The geo database behind a handle that SIGHUP can swap: a GeoLite2 file updated in place
// (weekly, by geoipupdate) takes effect without a restart. Lookups never wait: they use the
// old database until the new one has opened, and a file that fails to open leaves the old
// one in use.
import type { GeoLookup } from '../enrich/geo.js';

export interface ReloadableGeo extends GeoLookup {
  /** Opens the database again and switches to it; resolves to its description. */
  reload(): Promise<string>;
}

export function reloadableGeo(first: GeoLookup, open: () => Promise<GeoLookup>): ReloadableGeo {
  let current = first;
  return {
    lookup: (ip) => current.lookup(ip),
    get source() {
      return current.source;
    },
    close: () => current.close(),
    async reload() {
      const next = await open();
      const old = current;
      current = next;
      await old.close();
      return next.source;
    },
  };
}
