// A bounded load generator for loopback tests: `concurrency` workers send events with
// unique paths and record which ones the server acknowledged.
import { Agent, request } from 'node:http';
import { BROWSER_UA } from './server.js';

export interface LoadResult {
  acked: Set<number>;
  statuses: Map<number, number>;
  retryAfter: Set<string>;
}

export interface LoadOptions {
  url: string;
  total: number;
  concurrency: number;
  /** Called after each acknowledgement with the running count. */
  onAck?: (count: number) => void;
  pathPrefix?: string;
  /** Extra headers for event i (e.g. the client address a test load balancer hashes). */
  headers?: (i: number) => Record<string, string>;
}

function send(
  agent: Agent,
  base: URL,
  i: number,
  prefix: string,
  extra: Record<string, string> = {},
): Promise<{ status: number; retryAfter?: string }> {
  const body = JSON.stringify({ n: 'pageview', u: `https://example.com${prefix}${i}`, d: 'example.com' });
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path: '/api/event',
        method: 'POST',
        headers: {
          'content-type': 'text/plain',
          'content-length': Buffer.byteLength(body),
          'user-agent': BROWSER_UA,
          ...extra,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] }));
        res.on('error', () => resolve({ status: 0 }));
      },
    );
    req.on('error', () => resolve({ status: 0 }));
    req.end(body);
  });
}

export async function fireEvents(options: LoadOptions): Promise<LoadResult> {
  const base = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const result: LoadResult = { acked: new Set(), statuses: new Map(), retryAfter: new Set() };
  let next = 0;
  const worker = async () => {
    while (next < options.total) {
      const i = next++;
      const { status, retryAfter } = await send(
        agent,
        base,
        i,
        options.pathPrefix ?? '/e/',
        options.headers?.(i),
      );
      result.statuses.set(i, status);
      if (retryAfter) result.retryAfter.add(retryAfter);
      if (status >= 200 && status < 300) {
        result.acked.add(i);
        options.onAck?.(result.acked.size);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  agent.destroy();
  return result;
}
