// SiteStore on PostgreSQL metadata: the statements are the shared ones (duckdb/site-rows.ts);
// only removal differs, as there are no events here to delete with a site (they are in
// ClickHouse, removed by the ClickHouse store before it asks for this).

import { deleteSiteRows, insertSite, SITE_COLUMNS, siteIdIn, toSite } from '../duckdb/site-rows.js';
import type { NewSite, Site, SiteStore } from '../types.js';
import type { PostgresSql } from './connection.js';

export class PostgresSiteStore implements SiteStore {
  constructor(private readonly sql: PostgresSql) {}

  async listSites(): Promise<Site[]> {
    return (await this.sql.rows(`SELECT ${SITE_COLUMNS} FROM sites ORDER BY domain`)).map(toSite);
  }

  addSite(site: NewSite): Promise<Site> {
    return this.sql.transaction((tx) => insertSite(tx, site));
  }

  removeSite(domain: string): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const id = await siteIdIn(tx, domain);
      if (id === undefined) return false;
      await deleteSiteRows(tx, id);
      return true;
    });
  }

  async setSiteTimezone(domain: string, timezone: string): Promise<Site | undefined> {
    const rows = await this.sql.rows(
      `UPDATE sites SET timezone = $1 WHERE domain = $2 RETURNING ${SITE_COLUMNS}`,
      [timezone, domain],
    );
    return rows[0] ? toSite(rows[0]) : undefined;
  }
}
