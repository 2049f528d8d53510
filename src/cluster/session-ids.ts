// Session ids unique across nodes. One node counts up from one past the largest stored id
// (enrich/sessions.ts). Several nodes writing into one ClickHouse cannot all do that: two
// starting together would read the same maximum and hand out the same ids. Each node therefore
// counts in a range of its own — its number (from its PostgreSQL registration, store/cluster.ts)
// in the high bits, a counter in the low 40:
//   [number × 2^40, (number + 1) × 2^40)
// Why not blocks reserved from a PostgreSQL sequence: a node would then need PostgreSQL every
// so many visits, and a node that cannot reach PostgreSQL must keep tracking (README, "Scaling
// out"); with a range, only the start asks, and the counter resumes from the largest id stored
// in the node's own range. Ids stay consecutive within a node, which keeps them compact in the
// column stores (1.1 bytes/event sequential against 6.4 random, BENCHMARKS.md). 2^40 is a
// trillion visits per node; numbers from 1 leave the ids a single node stored before (counted
// from 1, far below 2^40) outside every node's range. UInt64 holds 2^24 node numbers.
import type { EventStore } from '../store/types.js';

export const NODE_ID_BITS = 40n;

/** The session ids a node number counts in. */
export function sessionIdRange(number: number): { from: bigint; to: bigint } {
  const from = BigInt(number) << NODE_ID_BITS;
  return { from, to: from + (1n << NODE_ID_BITS) };
}

/**
 * The first session id to hand out: one past the largest stored, or with a node number, one
 * past the largest stored in that node's range (its start when none).
 */
export async function firstSessionId(
  store: Pick<EventStore, 'lastSessionId'>,
  number?: number,
): Promise<bigint> {
  if (number === undefined) return (await store.lastSessionId()) + 1n;
  const range = sessionIdRange(number);
  const last = await store.lastSessionId(range);
  return last >= range.from ? last + 1n : range.from;
}
