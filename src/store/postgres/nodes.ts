// Node registrations in PostgreSQL (store/cluster.ts): one row per node id with its number, who
// holds it and its last heartbeat. A start takes the row in one statement — INSERT … ON CONFLICT
// DO UPDATE … WHERE is atomic — when it is new, left by a clean stop, held by the same host and
// data directory (a restart after kill -9: the data directory's lock already proves the old
// process gone), or stale; otherwise nothing changes and the start is refused.
import { type NodeHolder, NodeIdTakenError, type NodeRegistry } from '../cluster.js';
import type { PostgresSql } from './connection.js';

export class PostgresNodeRegistry implements NodeRegistry {
  constructor(private readonly sql: PostgresSql) {}

  async join(node: NodeHolder, now: number, staleMs: number): Promise<number> {
    const [row] = await this.sql.rows(
      `INSERT INTO nodes (node_id, holder, started_at, heartbeat_at)
         VALUES ($1, $2, epoch_ms($3::BIGINT), epoch_ms($3::BIGINT))
       ON CONFLICT (node_id) DO UPDATE SET holder = excluded.holder, started_at = excluded.started_at,
         heartbeat_at = excluded.heartbeat_at
       WHERE nodes.heartbeat_at IS NULL OR nodes.holder = excluded.holder
         OR nodes.heartbeat_at < epoch_ms($4::BIGINT)
       RETURNING number`,
      [node.id, node.holder, now, now - staleMs],
    );
    if (row) return Number(row.number);
    const [held] = await this.sql.rows(
      'SELECT holder, epoch_ms(heartbeat_at) AS beat FROM nodes WHERE node_id = $1',
      [node.id],
    );
    const ago = held ? Math.max(0, Math.round((now - Number(held.beat)) / 1000)) : 0;
    throw new NodeIdTakenError(
      `--node-id ${node.id} is already running (${String(held?.holder ?? 'another node')}, last heartbeat ${ago} s ago): ` +
        `give this node an id of its own with --node-id, or stop the other one (a dead node's id is free ${Math.round(staleMs / 1000)} s after its last heartbeat)`,
    );
  }

  async numberOf(id: string): Promise<number> {
    const [row] = await this.sql.rows(
      `INSERT INTO nodes (node_id) VALUES ($1)
       ON CONFLICT (node_id) DO UPDATE SET node_id = excluded.node_id RETURNING number`,
      [id],
    );
    return Number(row!.number);
  }

  async beat(node: NodeHolder, now: number): Promise<void> {
    // A node that was out of reach long enough for its id to pass to another holder does not
    // take it back by beating.
    await this.sql.rows(
      'UPDATE nodes SET heartbeat_at = epoch_ms($3::BIGINT) WHERE node_id = $1 AND holder = $2',
      [node.id, node.holder, now],
    );
  }

  async leave(node: NodeHolder): Promise<void> {
    await this.sql.rows('UPDATE nodes SET heartbeat_at = NULL WHERE node_id = $1 AND holder = $2', [
      node.id,
      node.holder,
    ]);
  }
}
