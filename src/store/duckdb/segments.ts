import type { MetadataSql, Row, SqlParam } from '../metadata-sql.js';
import type { NewSegment, Segment, SegmentStore, SegmentType } from '../segments.js';
import { requireSiteId } from './site-rows.js';

const SELECT = `SELECT g.id, g.name, g.type, g.owner_id, g.filters, epoch_ms(g.created_at) AS created_ms,
  epoch_ms(g.updated_at) AS updated_ms FROM segments g JOIN sites s ON s.id = g.site_id`;

function toSegment(r: Row): Segment {
  return {
    id: Number(r.id),
    name: String(r.name),
    type: String(r.type) as SegmentType,
    ownerId: r.owner_id === null || r.owner_id === undefined ? null : Number(r.owner_id),
    filters: JSON.parse(String(r.filters)) as unknown[],
    createdAt: Number(r.created_ms),
    updatedAt: Number(r.updated_ms),
  };
}

export class DuckDbSegmentStore implements SegmentStore {
  constructor(
    private readonly query: (sql: string, params?: readonly SqlParam[]) => Promise<Row[]>,
    private readonly writes: MetadataSql,
  ) {}

  async listSegments(domain: string, viewerId: number | null): Promise<Segment[]> {
    const rows = await this.query(
      `${SELECT} WHERE s.domain = $1 AND (g.type = 'site' OR g.owner_id = $2) ORDER BY g.id`,
      [domain, viewerId ?? -1],
    );
    return rows.map(toSegment);
  }

  async getSegment(domain: string, id: number): Promise<Segment | undefined> {
    const rows = await this.query(`${SELECT} WHERE s.domain = $1 AND g.id = $2`, [domain, id]);
    return rows[0] ? toSegment(rows[0]) : undefined;
  }

  addSegment(domain: string, segment: NewSegment, ownerId: number | null, now: number): Promise<Segment> {
    return this.writes.transaction(async (tx) => {
      const siteId = await requireSiteId(tx, domain);
      const rows = await tx.rows(
        `INSERT INTO segments (site_id, name, type, owner_id, filters, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, epoch_ms($6::BIGINT), epoch_ms($6::BIGINT)) RETURNING id`,
        [siteId, segment.name, segment.type, ownerId, JSON.stringify(segment.filters), now],
      );
      return toSegment((await tx.rows(`${SELECT} WHERE g.id = $1`, [Number(rows[0]!.id)]))[0]!);
    });
  }

  updateSegment(
    domain: string,
    id: number,
    segment: NewSegment,
    ownerId: number | null,
    now: number,
  ): Promise<Segment | undefined> {
    return this.writes.transaction(async (tx) => {
      const found = await tx.rows(`${SELECT} WHERE s.domain = $1 AND g.id = $2`, [domain, id]);
      if (found.length === 0) return undefined;
      await tx.run(
        `UPDATE segments SET name = $1, type = $2, owner_id = $3, filters = $4,
         updated_at = epoch_ms($5::BIGINT) WHERE id = $6`,
        [segment.name, segment.type, ownerId, JSON.stringify(segment.filters), now, id],
      );
      return toSegment((await tx.rows(`${SELECT} WHERE g.id = $1`, [id]))[0]!);
    });
  }

  async removeSegment(domain: string, id: number): Promise<boolean> {
    // A share link limited to the segment goes with it: left behind it would show the whole site.
    return this.writes.transaction(async (tx) => {
      const rows = await tx.rows(
        'DELETE FROM segments WHERE id = $1 AND site_id = (SELECT id FROM sites WHERE domain = $2) RETURNING 1',
        [id, domain],
      );
      if (rows.length === 0) return false;
      await tx.run('DELETE FROM share_links WHERE segment_id = $1', [id]);
      return true;
    });
  }
}
