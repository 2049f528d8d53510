// The visitor's IP address for hashing. By default it is the socket's peer address and
// every header is ignored, so nobody can pose as many visitors by sending X-Forwarded-For.
// Behind a reverse proxy the operator lists the proxy's addresses in --trust-proxy; only
// a request that arrives from one of them has its forwarding headers read.
import { isIP } from 'node:net';
import proxyAddr from 'proxy-addr';

export interface ClientRequest {
  socketAddress: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Whether an address belongs to a trusted proxy. */
export type TrustProxy = (address: string) => boolean;

const TRUST_PROXY_HELP =
  'use a comma-separated list of IP addresses or CIDR ranges (e.g. 10.0.0.0/8,::1) ' +
  'and the words loopback, linklocal, uniquelocal';

/**
 * Checks a list of addresses and CIDR ranges (--trust-proxy, --exclude-ip) and returns its
 * address test. Throws an Error that names the setting, says what is wrong and how to write it.
 */
export function parseTrustProxy(value: string, setting = '--trust-proxy'): TrustProxy {
  if (value.trim() === '') throw new Error(`${setting} is empty: ${TRUST_PROXY_HELP}`);
  const entries = value.split(',').map((entry) => entry.trim().toLowerCase());
  if (entries.some((entry) => entry === '')) {
    throw new Error(`${setting} ${JSON.stringify(value)} has an empty entry: ${TRUST_PROXY_HELP}`);
  }
  let compiled: (address: string, i: number) => boolean;
  try {
    compiled = proxyAddr.compile(entries);
  } catch (err) {
    // proxy-addr's messages name the offending entry ("invalid IP address: 10.0.0.300").
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`${setting} ${JSON.stringify(value)} is not valid (${reason}): ${TRUST_PROXY_HELP}`);
  }
  return (address) => compiled(address, 0);
}

/** Returns the function that picks a request's client IP under the --trust-proxy setting. */
export function createClientIp(trustProxy: string | undefined): (req: ClientRequest) => string {
  if (trustProxy === undefined) return (req) => normalizeIp(req.socketAddress);
  const trusted = parseTrustProxy(trustProxy);
  return (req) => {
    const socket = normalizeIp(req.socketAddress);
    if (!trusted(socket)) return socket;
    return (
      singleIp(req.headers['cf-connecting-ip']) ??
      singleIp(req.headers['x-real-ip']) ??
      forwardedFor(req.headers['x-forwarded-for'], socket, trusted)
    );
  };
}

/**
 * Walks X-Forwarded-For from the right, past trusted proxies, to the first untrusted
 * address: each proxy appends the address it received from, so entries left of the first
 * untrusted one were written by the client and prove nothing. An entry that is not an IP
 * ends the walk at the last proxy that named a real address.
 */
function forwardedFor(header: string | string[] | undefined, socket: string, trusted: TrustProxy): string {
  if (header === undefined) return socket;
  // Repeated headers arrive as an array; their order is the order the proxies added them.
  const hops = (Array.isArray(header) ? header.join(',') : header).split(',');
  let client = socket;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = validIp(hops[i]!.trim());
    if (hop === undefined) return client;
    client = hop;
    if (!trusted(hop)) return hop;
  }
  return client;
}

function singleIp(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) return header.length === 1 ? validIp(header[0]!.trim()) : undefined;
  return validIp(header.trim());
}

function validIp(value: string): string | undefined {
  const ip = normalizeIp(value);
  return isIP(ip) === 0 ? undefined : ip;
}

/**
 * One spelling per address, so one visitor hashes alike whichever way it was written:
 * no IPv6 zone id (it names the server's interface, not the visitor), IPv4-mapped IPv6
 * as plain IPv4, IPv6 in lower case.
 */
function normalizeIp(address: string): string {
  if (!address.includes(':')) return address;
  const zone = address.indexOf('%');
  const ip = (zone === -1 ? address : address.slice(0, zone)).toLowerCase();
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}
