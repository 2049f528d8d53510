// Failed sign-in and share-password attempts in PostgreSQL, so the limit (5 a minute per address
// and per account, auth/attempt-limiter.ts) holds across nodes: 3 guesses on one node and 2 on
// another lock both. A check and its count are one transaction under an advisory lock per key
// (taken in sorted order, so two attempts never wait on each other crosswise): parallel guesses
// on several nodes queue, and each sees the failures counted before it, as in one process.
// Bounded: a refused attempt adds no row, and rows past the window are deleted at most once a
// window by each node.
import type { FailureLedger } from '../cluster.js';
import { type PostgresSql, unavailable } from './connection.js';

export class PostgresFailureLedger implements FailureLedger {
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly sql: PostgresSql) {}

  async begin(
    keys: readonly string[],
    now: number,
    windowMs: number,
    max: number,
  ): Promise<{ retryAfterMs: number } | { undo: () => Promise<void> }> {
    if (now - this.prunedAt >= windowMs) {
      this.prunedAt = now;
      await this.sql.rows('DELETE FROM attempt_failures WHERE at_ms <= $1', [now - windowMs]);
    }
    const sorted = [...new Set(keys)].sort();
    const result = await this.counted(sorted, now, windowMs, max);
    if ('retryAfterMs' in result) return result;
    return {
      undo: async () => {
        for (const id of result.ids) await this.sql.rows('DELETE FROM attempt_failures WHERE id = $1', [id]);
      },
    };
  }

  private async counted(
    sorted: readonly string[],
    now: number,
    windowMs: number,
    max: number,
  ): Promise<{ retryAfterMs: number } | { ids: number[] }> {
    return this.sql
      .session(async (client) => {
        // READ COMMITTED, not the store's SERIALIZABLE: each statement after the lock sees what
        // the lock's previous holder committed, so queued attempts count each other without retries.
        await client.query('BEGIN');
        try {
          for (const key of sorted) await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
          let retryAfterMs = 0;
          for (const key of sorted) {
            const { rows } = await client.query<{ at_ms: number }>(
              'SELECT at_ms FROM attempt_failures WHERE key = $1 AND at_ms > $2 ORDER BY at_ms LIMIT $3',
              [key, now - windowMs, max],
            );
            if (rows.length >= max)
              retryAfterMs = Math.max(retryAfterMs, Number(rows[0]!.at_ms) + windowMs - now);
          }
          const ids: number[] = [];
          if (retryAfterMs === 0) {
            for (const key of sorted) {
              const { rows } = await client.query<{ id: number }>(
                'INSERT INTO attempt_failures (key, at_ms) VALUES ($1, $2) RETURNING id',
                [key, now],
              );
              ids.push(Number(rows[0]!.id));
            }
          }
          await client.query('COMMIT');
          return retryAfterMs > 0 ? { retryAfterMs } : { ids };
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          throw err;
        }
      })
      .catch((err: unknown) => {
        throw unavailable(err);
      });
  }
}
