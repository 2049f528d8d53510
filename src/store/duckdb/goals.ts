// GoalStore on DuckDB: the goals table of the metadata file. Writes take their turn on the
// metadata connection (serial-connection.ts), so the check that a name is free and the write
// that takes it cannot interleave with another request's.
import { footfallError } from '../../errors.js';
import type { Goal, GoalStore, NewGoal } from '../goals.js';
import type { MetadataSql, Row, SqlParam, Tx } from '../metadata-sql.js';
import { removeFunnelsWithGoal } from './funnels.js';
import { nameTaken, requireSiteId } from './site-rows.js';

const SELECT = `SELECT g.id, g.name, g.event_name, g.page_path, g.scroll_threshold, g.props, g.currency,
  epoch_ms(g.created_at) AS created_ms FROM goals g JOIN sites s ON s.id = g.site_id`;

function toGoal(r: Row): Goal {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: Number(r.id),
    name: String(r.name),
    event: text(r.event_name),
    page: text(r.page_path),
    scroll:
      r.scroll_threshold === null || r.scroll_threshold === undefined ? null : Number(r.scroll_threshold),
    props: JSON.parse(String(r.props)) as [string, string][],
    currency: text(r.currency),
    createdAt: Number(r.created_ms),
  };
}

/** A goal's stored columns, in the order INSERT and UPDATE name them: name … currency. */
function goalColumns(goal: NewGoal): (string | number | null)[] {
  return [goal.name, goal.event, goal.page, goal.scroll, JSON.stringify(goal.props), goal.currency ?? null];
}

export class DuckDbGoalStore implements GoalStore {
  constructor(
    private readonly query: (sql: string, params?: readonly SqlParam[]) => Promise<Row[]>,
    private readonly writes: MetadataSql,
  ) {}

  async listGoals(domain: string): Promise<Goal[]> {
    return (await this.query(`${SELECT} WHERE s.domain = $1 ORDER BY g.id`, [domain])).map(toGoal);
  }

  /** The site's id, or FOOTFALL_ERR_SITE_NOT_FOUND; refuses a name another goal has. */
  private async check(tx: Tx, domain: string, name: string, id: number | null): Promise<number> {
    const siteId = await requireSiteId(tx, domain);
    if (await nameTaken(tx, 'goals', siteId, name, id)) {
      throw footfallError('FOOTFALL_ERR_INVALID_GOAL', `name: ${domain} already has a goal named ${name}`);
    }
    return siteId;
  }

  addGoal(domain: string, goal: NewGoal, now: number): Promise<Goal> {
    return this.writes.transaction(async (tx) => {
      const siteId = await this.check(tx, domain, goal.name, null);
      const rows = await tx.rows(
        `INSERT INTO goals (site_id, name, event_name, page_path, scroll_threshold, props, currency, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, epoch_ms($8::BIGINT)) RETURNING id`,
        [siteId, ...goalColumns(goal), now],
      );
      return toGoal((await tx.rows(`${SELECT} WHERE g.id = $1`, [Number(rows[0]!.id)]))[0]!);
    });
  }

  updateGoal(domain: string, id: number, goal: NewGoal): Promise<Goal | undefined> {
    return this.writes.transaction(async (tx) => {
      const found = await tx.rows(`${SELECT} WHERE s.domain = $1 AND g.id = $2`, [domain, id]);
      if (found.length === 0) return undefined;
      await this.check(tx, domain, goal.name, id);
      await tx.run(
        `UPDATE goals SET name = $1, event_name = $2, page_path = $3, scroll_threshold = $4, props = $5,
         currency = $6 WHERE id = $7`,
        [...goalColumns(goal), id],
      );
      return toGoal((await tx.rows(`${SELECT} WHERE g.id = $1`, [id]))[0]!);
    });
  }

  /** The funnels the goal is a step of go with it (a funnel of the remaining steps would mislead). */
  removeGoal(domain: string, id: number): Promise<boolean> {
    return this.writes.transaction(async (tx) => {
      const rows = await tx.rows(
        'DELETE FROM goals WHERE id = $1 AND site_id = (SELECT id FROM sites WHERE domain = $2) RETURNING site_id',
        [id, domain],
      );
      if (rows.length === 0) return false;
      await removeFunnelsWithGoal(tx, Number(rows[0]!.site_id), id);
      return true;
    });
  }
}
