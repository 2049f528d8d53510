// The lookups every per-site table's writes begin with, in the write's own transaction (so
// the check and the write cannot interleave with another request's), and the sites table's
// own rows: the same SQL in DuckDB and in PostgreSQL metadata (store/metadata-sql.ts).
import { footfallError } from '../../errors.js';
import type { Row, Tx } from '../metadata-sql.js';
import type { NewSite, Site } from '../types.js';

export const SITE_COLUMNS = 'id, domain, timezone, umami_id, created_at';

export function toSite(row: Row): Site {
  return {
    id: Number(row.id),
    domain: String(row.domain),
    timezone: String(row.timezone),
    umamiId: row.umami_id === null || row.umami_id === undefined ? null : String(row.umami_id),
    createdAt: row.created_at as Date,
  };
}

/** Adds the site, or FOOTFALL_ERR_SITE_EXISTS when its domain or Umami id is taken. */
export async function insertSite(tx: Tx, site: NewSite): Promise<Site> {
  const existing = await tx.rows('SELECT domain, umami_id FROM sites WHERE domain = $1 OR umami_id = $2', [
    site.domain,
    site.umamiId ?? null,
  ]);
  if (existing.length > 0) {
    const taken = existing[0]!.domain === site.domain ? site.domain : `Umami id ${site.umamiId}`;
    throw footfallError('FOOTFALL_ERR_SITE_EXISTS', taken);
  }
  const rows = await tx.rows(
    `INSERT INTO sites (domain, timezone, umami_id) VALUES ($1, $2, $3) RETURNING ${SITE_COLUMNS}`,
    [site.domain, site.timezone, site.umamiId ?? null],
  );
  return toSite(rows[0]!);
}

/** Removes a site's row and every metadata row that belongs to it (not its events or imports). */
export async function deleteSiteRows(tx: Tx, id: number): Promise<void> {
  // Who had access to it goes with it (tables from the accounts migration).
  await tx.run('DELETE FROM site_members WHERE site_id = $1', [id]);
  await tx.run('DELETE FROM api_key_sites WHERE site_id = $1', [id]);
  await tx.run('DELETE FROM share_links WHERE site_id = $1', [id]);
  await tx.run('DELETE FROM goals WHERE site_id = $1', [id]);
  await tx.run('DELETE FROM funnels WHERE site_id = $1', [id]);
  await tx.run('DELETE FROM segments WHERE site_id = $1', [id]);
  await tx.run('DELETE FROM site_retention WHERE site_id = $1', [id]);
  await tx.run('DELETE FROM report_subscriptions WHERE site_id = $1', [id]);
  await tx.run('DELETE FROM alert_rules WHERE site_id = $1', [id]);
  await tx.run('DELETE FROM sites WHERE id = $1', [id]);
}

/** The site's id; undefined when there is no such site. */
export async function siteIdIn(tx: Tx, domain: string): Promise<number | undefined> {
  const rows = await tx.rows('SELECT id FROM sites WHERE domain = $1', [domain]);
  return rows.length === 0 ? undefined : Number(rows[0]!.id);
}

/** The site's id, or FOOTFALL_ERR_SITE_NOT_FOUND. */
export async function requireSiteId(tx: Tx, domain: string): Promise<number> {
  const id = await siteIdIn(tx, domain);
  if (id === undefined) throw footfallError('FOOTFALL_ERR_SITE_NOT_FOUND', domain);
  return id;
}

/** Whether another row of `table` (not `id`) of the site has the name (names are unique per site). */
export async function nameTaken(
  tx: Tx,
  table: 'goals' | 'funnels',
  siteId: number,
  name: string,
  id: number | null,
): Promise<boolean> {
  const rows = await tx.rows(`SELECT 1 FROM ${table} WHERE site_id = $1 AND name = $2 AND id <> $3`, [
    siteId,
    name,
    id ?? -1,
  ]);
  return rows.length > 0;
}
