// A tiny HTTP load balancer for the two-node tests, doing what README's nginx
// (`hash $remote_addr consistent`) and Caddy (`lb_policy client_ip_hash`) configurations do:
// each client address goes to one node, so a visit (cut by the node that sees its events)
// stays whole. The client address is the TCP peer, or the `x-test-client-ip` header a test
// sets to play many visitors from one loopback socket; the balancer passes it on as
// X-Forwarded-For (the nodes run with --trust-proxy loopback) and drops the test header.
//
// Rendezvous hashing (highest score of hash(node, client) wins) is consistent as nginx's
// ketama ring is: when a node is dropped, only its own clients move, each to one other node;
// the rest stay where they were. A node that cannot be reached answers 502, as nginx does
// for a POST it will not retry (a tracked event that got no 202 was not acknowledged).
import { createHash } from 'node:crypto';
import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';

export const TEST_CLIENT_IP = 'x-test-client-ip';

export interface LoadBalancer {
  url: string;
  /** The node (index) a client address goes to now. */
  nodeFor(clientIp: string): number;
  /** Stops sending to a node; its clients move to the others. */
  drop(node: number): void;
  /** Sends to a node again, at `url` when it came back on another port. */
  restore(node: number, url?: string): void;
  /** Requests passed to each node so far. */
  counts(): number[];
  close(): Promise<void>;
}

function score(node: number, client: string): bigint {
  return createHash('sha256').update(`${node}|${client}`).digest().readBigUInt64BE(0);
}

export async function startLoadBalancer(nodeUrls: string[]): Promise<LoadBalancer> {
  const nodes = nodeUrls.map((url) => ({ url: new URL(url), up: true, count: 0 }));
  // Connections to the nodes are kept and reused, as nginx's `keepalive` does.
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });

  const nodeFor = (client: string): number => {
    let best = -1;
    let bestScore = -1n;
    nodes.forEach((n, i) => {
      if (!n.up) return;
      const s = score(i, client);
      if (s > bestScore) {
        best = i;
        bestScore = s;
      }
    });
    if (best === -1) throw new Error('no node is up');
    return best;
  };

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const header = req.headers[TEST_CLIENT_IP];
    const client = (typeof header === 'string' && header) || req.socket.remoteAddress || '';
    let index: number;
    try {
      index = nodeFor(client);
    } catch {
      res.writeHead(502).end();
      return;
    }
    const node = nodes[index]!;
    node.count++;
    const headers: Record<string, string | string[] | undefined> = {
      ...req.headers,
      'x-forwarded-for': client,
      host: req.headers.host ?? node.url.host,
    };
    delete headers[TEST_CLIENT_IP];
    const upstream = request(
      { agent, host: node.url.hostname, port: node.url.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  };

  const server: Server = createServer(forward);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    nodeFor,
    drop: (i) => {
      nodes[i]!.up = false;
    },
    restore: (i, url) => {
      nodes[i]!.up = true;
      if (url) nodes[i]!.url = new URL(url);
    },
    counts: () => nodes.map((n) => n.count),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
