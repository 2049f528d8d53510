// The lookups every per-site table's writes begin with, in the write's own transaction (so
// the check and the write cannot interleave with another request's).
import { footfallError } from '../../errors.js';
import type { Tx } from './serial-connection.js';

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
