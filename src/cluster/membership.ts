// A node's membership of a cluster: it registers at start (refused when another live node has
// its id), says it is alive every HEARTBEAT_MS, and leaves on a clean stop. A missed heartbeat
// (PostgreSQL unreachable for a while) costs nothing on this node: it keeps its number and its
// place; only a second node trying the same id could then take it, after STALE_MS.
import { hostname } from 'node:os';
import path from 'node:path';
import type { ClusterStore } from '../store/cluster.js';

export const HEARTBEAT_MS = 10_000;
/** A registration this old is a dead node's: its id may be taken by another holder. */
export const STALE_MS = 30_000;

export interface Membership {
  /** The node's number (session id ranges, cluster/session-ids.ts). */
  readonly number: number;
  leave(): Promise<void>;
}

export async function joinCluster(
  cluster: ClusterStore,
  node: string,
  dataDir: string,
  now: () => number,
): Promise<Membership> {
  const holder = `${hostname()}:${path.resolve(dataDir)}`;
  const number = await cluster.nodes.join({ id: node, holder }, now(), STALE_MS);
  const timer = setInterval(() => {
    void cluster.nodes.beat({ id: node, holder }, now()).catch(() => {});
  }, HEARTBEAT_MS);
  timer.unref();
  return {
    number,
    async leave() {
      clearInterval(timer);
      await cluster.nodes.leave({ id: node, holder }).catch(() => {});
    },
  };
}
