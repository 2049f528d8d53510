// The sites table: listing, adding, removing (with everything that belongs to a site) and
// changing a site's time zone.
import { footfallError } from '../../errors.js';
import type { NewSite, Site, SiteStore } from '../types.js';
import { deleteSiteImports } from './imported.js';
import type { SerialConnection } from './serial-connection.js';
import { siteIdIn } from './site-rows.js';

const SITE_COLUMNS = 'id, domain, timezone, umami_id, created_at';

function toSite(row: Record<string, unknown>): Site {
  return {
    id: Number(row.id),
    domain: String(row.domain),
    timezone: String(row.timezone),
    umamiId: row.umami_id === null || row.umami_id === undefined ? null : String(row.umami_id),
    createdAt: row.created_at as Date,
  };
}

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
    return this.metadata.transaction(async (tx) => {
      const existing = await tx.rows(
        'SELECT domain, umami_id FROM sites WHERE domain = $1 OR umami_id = $2',
        [site.domain, site.umamiId ?? null],
      );
      if (existing.length > 0) {
        const taken = existing[0]!.domain === site.domain ? site.domain : `Umami id ${site.umamiId}`;
        throw footfallError('FOOTFALL_ERR_SITE_EXISTS', taken);
      }
      const rows = await tx.rows(
        `INSERT INTO sites (domain, timezone, umami_id) VALUES ($1, $2, $3) RETURNING ${SITE_COLUMNS}`,
        [site.domain, site.timezone, site.umamiId ?? null],
      );
      return toSite(rows[0]!);
    });
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
        // Who had access to it goes with it (tables from the accounts migration).
        await tx.run('DELETE FROM site_members WHERE site_id = $1', [id]);
        await tx.run('DELETE FROM api_key_sites WHERE site_id = $1', [id]);
        await tx.run('DELETE FROM share_links WHERE site_id = $1', [id]);
        await tx.run('DELETE FROM goals WHERE site_id = $1', [id]);
        await tx.run('DELETE FROM funnels WHERE site_id = $1', [id]);
        await deleteSiteImports(tx, id);
        await tx.run('DELETE FROM segments WHERE site_id = $1', [id]);
        await tx.run('DELETE FROM site_retention WHERE site_id = $1', [id]);
        await tx.run('DELETE FROM report_subscriptions WHERE site_id = $1', [id]);
        await tx.run('DELETE FROM alert_rules WHERE site_id = $1', [id]);
        await tx.run('DELETE FROM sites WHERE id = $1', [id]);
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
