// What nodes sharing one metadata database (PostgreSQL, --database-url) ask of it beyond the
// metadata itself: who is running (a registration row with a heartbeat, and the node's number,
// which keeps its session ids apart from every other node's), and failed sign-in attempts
// counted across the cluster. A single node has none of this: Store.cluster is undefined.

/** Who holds a node id: a second holder is refused while the first one's heartbeat is fresh. */
export interface NodeHolder {
  id: string;
  /** Host name and data directory: the same holder restarting (after kill -9) takes its row back at once. */
  holder: string;
}

export class NodeIdTakenError extends Error {}

export interface NodeRegistry {
  /**
   * Registers `node` as running at `now` and resolves with its number (stable per node id,
   * from 1). Throws NodeIdTakenError when another holder's heartbeat is younger than `staleMs`.
   */
  join(node: NodeHolder, now: number, staleMs: number): Promise<number>;
  /** The number of a node id, made if new, without registering it as running (imports). */
  numberOf(id: string): Promise<number>;
  /** Says the node is alive at `now` (only while `node.holder` still holds the id). */
  beat(node: NodeHolder, now: number): Promise<void>;
  /** A clean stop: the id is free for another holder at once (if `node.holder` still held it). */
  leave(node: NodeHolder): Promise<void>;
}

export interface FailureLedger {
  /**
   * Counts one failure on each of `keys` at `now`, unless one of them already has `max`
   * failures since `now - windowMs`: then nothing is counted and the wait until the oldest of
   * those expires is returned. Atomic across nodes. The returned `undo` takes the counted
   * failures back (the secret was right, or was never checked).
   */
  begin(
    keys: readonly string[],
    now: number,
    windowMs: number,
    max: number,
  ): Promise<{ retryAfterMs: number } | { undo: () => Promise<void> }>;
}

export interface ClusterStore {
  readonly nodes: NodeRegistry;
  readonly failures: FailureLedger;
  /** Resolves when the metadata database answers; throws FOOTFALL_ERR_METADATA_UNAVAILABLE when not. */
  ping(): Promise<void>;
}
