// Where an alert webhook may go (no SSRF): an http(s) URL without credentials, whose host —
// the literal address, or every address its name resolves to, checked again at each delivery
// and then connected to as checked, so a name that re-resolves elsewhere (DNS rebinding) gains
// nothing — is not loopback, private, link-local, shared (CGNAT), multicast or reserved, unless
// the operator allows private targets (--allow-private-webhooks). Redirects are not followed.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { footfallError } from '../errors.js';

const BLOCKED = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 127], // :: and ::1
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  BLOCKED.addSubnet(net, bits, 'ipv6');
}

/** Whether an IP address is one a webhook may not reach without --allow-private-webhooks. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::/96) addresses reach an IPv4 address: no
  // webhook needs them. (Not as BlockList subnets: BlockList matches IPv4 against ::ffff:0:0/96.)
  if (family === 6 && /^(::ffff:|64:ff9b::)/i.test(address)) return true;
  return BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Checks a webhook URL as it is saved; the names it resolves to are checked at each delivery. */
export function parseWebhookUrl(input: unknown, allowPrivate: boolean): URL {
  if (typeof input !== 'string' || input.length === 0 || input.length > 2000) {
    throw footfallError('FOOTFALL_ERR_INVALID_WEBHOOK', 'give an http(s) URL of at most 2,000 characters');
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw footfallError('FOOTFALL_ERR_INVALID_WEBHOOK', 'not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw footfallError('FOOTFALL_ERR_INVALID_WEBHOOK', `${url.protocol} URLs are not allowed: use https://`);
  }
  if (url.username || url.password) {
    throw footfallError(
      'FOOTFALL_ERR_INVALID_WEBHOOK',
      'no user or password in the URL: put a secret in its path',
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && isIP(host) && isPrivateAddress(host)) {
    throw footfallError(
      'FOOTFALL_ERR_INVALID_WEBHOOK',
      `${host} is a loopback, private or link-local address (the operator may allow them with --allow-private-webhooks)`,
    );
  }
  return url;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request that resolves the name and refuses it when any address it
 * resolves to is private: the connection then goes to an address that was checked.
 */
/** The refusal of a private target (code PRIVATE_TARGET: deliveries do not retry it). */
export function privateTarget(message: string): NodeJS.ErrnoException {
  const refusal = new Error(message) as NodeJS.ErrnoException;
  refusal.code = PRIVATE_TARGET;
  return refusal;
}

export const PRIVATE_TARGET = 'FOOTFALL_PRIVATE_TARGET';

export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses) => {
      if (err) return callback(err, []);
      const bad = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (bad) {
        return callback(
          privateTarget(
            `${hostname} resolves to ${bad.address}, a loopback, private or link-local address (allowed only with --allow-private-webhooks)`,
          ),
          [],
        );
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}
