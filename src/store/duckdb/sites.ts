// The sites table: listing, adding, removing (with everything that belongs to a site) and
// changing a site's time zone.
import type { NewSite, Site, SiteStore } from '../types.js';
import { deleteSiteImports } from './imported.js';
import { forgetSite } from './rollups.js';
import type { SerialConnection } from './serial-connection.js';
import { deleteSiteRows, insertSite, SITE_COLUMNS, siteIdIn, toSite } from './site-rows.js';

export class DuckDbSiteStore implements SiteStore {
  constructor(
    /** Metadata statements, in turn (see DuckDbStore.queryRows for why reads take turns too). */
    private readonly metadata: SerialConnection,
    /** The ingest connection: a removal waits for the load in progress (see removeSite). */
    private readonly load: SerialConnection,
  ) {}

  async listSites(): Promise<Site[]> {
    const rows = await this.metadata.rows(`SELECT ${SITE_COLUMNS} FROM sites ORDER BY domain`);
    return rows.map(toSite);
  }

  addSite(site: NewSite): Promise<Site> {
    // The check and the insert in one turn: of two concurrent adds, the second sees the first.
    return this.metadata.transaction((tx) => insertSite(tx, site));
  }

  removeSite(domain: string): Promise<boolean> {
    // In the ingest connection's turn, so no load is running: one that began before the delete
    // committed would still see the site and insert its journaled events after it (orphans).
    return this.load.serial(() =>
      this.metadata.transaction(async (tx) => {
        const id = await siteIdIn(tx, domain);
        if (id === undefined) return false;
        await tx.run('DELETE FROM events WHERE site_id = $1', [id]);
        await tx.run('DELETE FROM visits WHERE site_id = $1', [id]);
        await tx.run('DELETE FROM visit_days WHERE site_id = $1', [id]);
        await forgetSite(tx, id);
        await deleteSiteImports(tx, id);
        await deleteSiteRows(tx, id);
        return true;
      }),
    );
  }

  async setSiteTimezone(domain: string, timezone: string): Promise<Site | undefined> {
    const rows = await this.metadata.rows(
      `UPDATE sites SET timezone = $1 WHERE domain = $2 RETURNING ${SITE_COLUMNS}`,
      [timezone, domain],
    );
    return rows[0] ? toSite(rows[0]) : undefined;
  }
}
