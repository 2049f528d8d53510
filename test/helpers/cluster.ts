// A Footfall cluster for tests, as README's "Scaling out" lays one out: N `footfall serve`
// processes (the CLI bundled from source), each with its own data directory (journal and load
// mark), sharing one PostgreSQL database (a real PostgreSQL 15, test/helpers/postgres.ts) and
// one ClickHouse (chdb in this process behind its HTTP front, clickhouse-http-front.ts), with
// the test load balancer (client-IP affinity) in front. One cluster per test file: starting
// it costs a PostgreSQL, a chdb engine and N node starts (~5–10 s on the 2-core machine).
import { type ClickHouseFront, startClickHouseFront } from './clickhouse-http-front.js';
import { type LoadBalancer, startLoadBalancer } from './load-balancer.js';
import { startPostgres, type TestPostgres } from './postgres.js';
import { type ChildServer, killServers, removeDir, seedSites, spawnServer, tempDir } from './server.js';

/** The ClickHouse database the nodes use on the front. */
export const CLUSTER_DATABASE = 'footfall';

export interface TestCluster {
  pg: TestPostgres;
  databaseUrl: string;
  front: ClickHouseFront;
  clickhouseUrl: string;
  dataDirs: string[];
  /** The running nodes (a restarted node's entry is replaced). */
  nodes: ChildServer[];
  lb: LoadBalancer;
  /** The flags every node runs with (besides --data). */
  nodeArgs: string[];
  /** Starts node i again on its data directory (after a kill) and points the balancer at it. */
  restart(i: number): Promise<ChildServer>;
  /** Rows of SQL on the shared ClickHouse, in the nodes' database. */
  clickhouse(sql: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export async function startCluster(options: { sites: string[]; nodes?: number }): Promise<TestCluster> {
  const count = options.nodes ?? 2;
  const pg = await startPostgres();
  const chdbDir = tempDir('footfall-cluster-chdb-');
  const dataDirs = Array.from({ length: count }, () => tempDir('footfall-node-'));
  let front: ClickHouseFront | undefined;
  let lb: LoadBalancer | undefined;
  const nodes: ChildServer[] = [];
  // A failed start must stop what it started: the front's socket and PostgreSQL would keep
  // the test process alive past its failure.
  const stop = async () => {
    for (const node of nodes) {
      if (node.proc.exitCode === null && node.proc.signalCode === null) node.proc.kill('SIGTERM');
    }
    await Promise.all(nodes.map((n) => n.exited));
    killServers();
    await lb?.close();
    await front?.close();
    await pg.stop();
    for (const dir of [...dataDirs, chdbDir]) removeDir(dir);
  };
  let databaseUrl: string;
  let clickhouseUrl: string;
  let nodeArgs: string[];
  try {
    databaseUrl = await pg.freshDatabase();
    front = await startClickHouseFront({ dir: chdbDir });
    clickhouseUrl = `${front.url}/${CLUSTER_DATABASE}`;
    nodeArgs = [
      '--clickhouse-url',
      clickhouseUrl,
      '--database-url',
      databaseUrl,
      '--trust-proxy',
      'loopback',
    ];
    // The shared schemas and sites, once: the nodes find them in place.
    await seedSites(dataDirs[0]!, options.sites, { clickhouseUrl, databaseUrl });
    // One after another: each start writes a new setup token (auth/setup.ts), and tests use
    // the last node's link.
    for (const dir of dataDirs) nodes.push(await spawnServer(dir, nodeArgs));
    lb = await startLoadBalancer(nodes.map((n) => n.url));
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
  const shared = front;
  const balancer = lb;
  return {
    pg,
    databaseUrl,
    front: shared,
    clickhouseUrl,
    dataDirs,
    nodes,
    lb: balancer,
    nodeArgs,
    restart: async (i) => {
      const node = await spawnServer(dataDirs[i]!, nodeArgs);
      nodes[i] = node;
      balancer.restore(i, node.url);
      return node;
    },
    clickhouse: (sql) => shared.rows(sql, CLUSTER_DATABASE),
    stop,
  };
}
