// How long a client may take, and how many connections one address may hold. Without these
// a POST body trickling one byte every 5 s stayed open forever (Fastify's requestTimeout is
// 0 by default), and ~20,000 such connections used up the file descriptors, so tracking
// failed for everyone (issue 11.4). Each limit below is stated in the README.
import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { TrustProxy } from '../enrich/client-ip.js';

export interface ServerTimeouts {
  /** From the first byte of a request to its last header line. */
  headersMs: number;
  /** From the first byte of a request to the last byte of its body. */
  requestMs: number;
  /** A kept-alive connection with no request in progress. */
  keepAliveMs: number;
  /** A connection on which nothing moves either way (covers slow readers of answers too). */
  idleMs: number;
  /** How often Node checks the header and request deadlines (it does not time each one). */
  checkIntervalMs: number;
}

// A browser sends a tracking request (≤ 64 KB) in well under a second; 30 s leaves room for
// a bad mobile link. Kept-alive connections stay open 72 s (Fastify's default): longer than
// a proxy's usual 60 s, so the client side closes first — with 5 s, clients that reused a
// connection just as the server closed it got ECONNRESET on POSTs (seen in the test suite).
// Idle is above both and above the 10 s query deadline, so a slow stats answer is not cut.
export const DEFAULT_TIMEOUTS: ServerTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 72_000,
  idleMs: 75_000,
  checkIntervalMs: 1_000,
};

/** Fastify options that apply the timeouts to the server it creates. */
export function timeoutOptions(t: ServerTimeouts): {
  requestTimeout: number;
  keepAliveTimeout: number;
  connectionTimeout: number;
  http: ServerOptions;
} {
  return {
    requestTimeout: t.requestMs,
    keepAliveTimeout: t.keepAliveMs,
    connectionTimeout: t.idleMs,
    http: { headersTimeout: t.headersMs, connectionsCheckingInterval: t.checkIntervalMs },
  };
}

/**
 * Closes a new connection at once when its address already holds `max` open ones. Trusted
 * proxies (--trust-proxy) are exempt: every visitor behind them shares their address, and
 * the proxy is where per-visitor connection limits belong.
 */
export function limitConnectionsPerAddress(
  server: Server,
  max: number,
  isTrustedProxy: TrustProxy,
  onRefused: () => void,
): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    if (isTrustedProxy(address)) return;
    const count = open.get(address) ?? 0;
    if (count >= max) {
      onRefused();
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
