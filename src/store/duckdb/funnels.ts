// FunnelStore on DuckDB: the funnels table of the metadata file. Writes take their turn on the
// metadata connection (serial-connection.ts), as goals' do, so a name's check and the write
// that takes it cannot interleave with another request's.
import { footfallError } from '../../errors.js';
import type { Funnel, FunnelStore, FunnelType, NewFunnel } from '../funnels.js';
import type { MetadataSql, Row, SqlParam, Tx } from '../metadata-sql.js';
import { nameTaken, requireSiteId } from './site-rows.js';

const SELECT = `SELECT f.id, f.name, f.funnel_type, f.steps, epoch_ms(f.created_at) AS created_ms
  FROM funnels f JOIN sites s ON s.id = f.site_id`;

function toFunnel(r: Row): Funnel {
  return {
    id: Number(r.id),
    name: String(r.name),
    type: String(r.funnel_type) as FunnelType,
    steps: JSON.parse(String(r.steps)) as number[],
    createdAt: Number(r.created_ms),
  };
}

export class DuckDbFunnelStore implements FunnelStore {
  constructor(
    private readonly query: (sql: string, params?: readonly SqlParam[]) => Promise<Row[]>,
    private readonly writes: MetadataSql,
  ) {}

  async listFunnels(domain: string): Promise<Funnel[]> {
    return (await this.query(`${SELECT} WHERE s.domain = $1 ORDER BY f.id`, [domain])).map(toFunnel);
  }

  /** The site's id, or FOOTFALL_ERR_SITE_NOT_FOUND; refuses a name another funnel has. */
  private async check(tx: Tx, domain: string, name: string, id: number | null): Promise<number> {
    const siteId = await requireSiteId(tx, domain);
    if (await nameTaken(tx, 'funnels', siteId, name, id)) {
      throw footfallError(
        'FOOTFALL_ERR_INVALID_FUNNEL',
        `name: ${domain} already has a funnel named ${name}`,
      );
    }
    return siteId;
  }

  addFunnel(domain: string, funnel: NewFunnel, now: number): Promise<Funnel> {
    return this.writes.transaction(async (tx) => {
      const siteId = await this.check(tx, domain, funnel.name, null);
      const rows = await tx.rows(
        `INSERT INTO funnels (site_id, name, funnel_type, steps, created_at)
         VALUES ($1, $2, $3, $4, epoch_ms($5::BIGINT)) RETURNING id`,
        [siteId, funnel.name, funnel.type, JSON.stringify(funnel.steps), now],
      );
      return toFunnel((await tx.rows(`${SELECT} WHERE f.id = $1`, [Number(rows[0]!.id)]))[0]!);
    });
  }

  updateFunnel(domain: string, id: number, funnel: NewFunnel): Promise<Funnel | undefined> {
    return this.writes.transaction(async (tx) => {
      const found = await tx.rows(`${SELECT} WHERE s.domain = $1 AND f.id = $2`, [domain, id]);
      if (found.length === 0) return undefined;
      await this.check(tx, domain, funnel.name, id);
      await tx.run('UPDATE funnels SET name = $1, funnel_type = $2, steps = $3 WHERE id = $4', [
        funnel.name,
        funnel.type,
        JSON.stringify(funnel.steps),
        id,
      ]);
      return toFunnel((await tx.rows(`${SELECT} WHERE f.id = $1`, [id]))[0]!);
    });
  }

  async removeFunnel(domain: string, id: number): Promise<boolean> {
    const rows = await this.writes.rows(
      'DELETE FROM funnels WHERE id = $1 AND site_id = (SELECT id FROM sites WHERE domain = $2) RETURNING 1',
      [id, domain],
    );
    return rows.length > 0;
  }
}

/** In a goal's removal: the site's funnels that have the goal as a step go with it. */
export async function removeFunnelsWithGoal(tx: Tx, siteId: number, goalId: number): Promise<void> {
  const rows = await tx.rows('SELECT id, steps FROM funnels WHERE site_id = $1', [siteId]);
  for (const r of rows) {
    if ((JSON.parse(String(r.steps)) as number[]).includes(goalId)) {
      await tx.run('DELETE FROM funnels WHERE id = $1', [Number(r.id)]);
    }
  }
}
