// The daily visitor id: a keyed hash of (site, IP, user agent) under the day's random salt.
// Once the salt is deleted the id cannot be recomputed from an IP and user agent, so the
// stored ids say "same visitor that day" and nothing more.
import { createHash, createHmac, hash } from 'node:crypto';

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
  const hex = message.length * 3 <= MAX_MESSAGE_BYTES ? hmacHex(salt, message) : createHmacHex(salt, message);
  const id = BigInt(`0x${hex.slice(0, 16)}`);
  return id === 0n ? 1n : id;
}

function createHmacHex(salt: Buffer, message: string): string {
  return createHmac('sha256', salt).update(message).digest('hex');
}

// HMAC (RFC 2104) as two one-shot hashes over the salt's padded keys, worked out once per salt:
// createHmac sets up a keyed context on every call, which took ~4.5 µs of an event's CPU; an
// import of one-off visitors hashes every line (BENCHMARKS.md, "Importing access logs").
const BLOCK = 64;
/** Longest message (in UTF-8 bytes) hashed here; longer ones go through createHmac. */
const MAX_MESSAGE_BYTES = 8192;
/** Per salt: its key XOR ipad, and opad-key ‖ room for the inner digest. */
const padsBySalt = new WeakMap<Buffer, { ipad: Buffer; outer: Buffer }>();
/** ipad-key ‖ message, for the inner hash (one at a time: hashing is synchronous). */
const inner = Buffer.alloc(BLOCK + MAX_MESSAGE_BYTES);

function hmacHex(salt: Buffer, message: string): string {
  let pads = padsBySalt.get(salt);
  if (!pads) {
    const key = salt.length > BLOCK ? createHash('sha256').update(salt).digest() : salt;
    pads = { ipad: Buffer.alloc(BLOCK), outer: Buffer.alloc(BLOCK + 32) };
    for (let i = 0; i < BLOCK; i++) {
      const k = key[i] ?? 0;
      pads.ipad[i] = k ^ 0x36;
      pads.outer[i] = k ^ 0x5c;
    }
    padsBySalt.set(salt, pads);
  }
  pads.ipad.copy(inner, 0);
  const length = inner.write(message, BLOCK, 'utf8');
  hash('sha256', inner.subarray(0, BLOCK + length), 'buffer').copy(pads.outer, BLOCK);
  return hash('sha256', pads.outer, 'hex');
}

/** visitorId's signature: what identifyVisit hashes with. */
export type VisitorIdFn = typeof visitorId;

/**
 * visitorId remembering its result per (salt, site, IP, user agent): in an import, a visitor's
 * page views of a day come one after another, and each HMAC cost ~4.5 µs of CPU. The result
 * depends on those four alone. Salts are told apart by identity (each day's is one Buffer);
 * results are kept for the two salts asked last (today's and yesterday's), each table reused
 * for the next day's salt (a table per day cost seconds of allocation over a year of logs).
 * Plain Maps emptied when full: on a log of one-off visitors every lookup misses, and
 * lru-cache's bookkeeping on each miss showed in the profile.
 */
export function cachedVisitorIds(max = 20_000): VisitorIdFn {
  // Per user agent, then per address: the agent is the string the bot check just hashed (V8
  // keeps a string's hash), where a key joining the four was a new ~130-character string to
  // build and hash per event (~0.3 s of a 1 M-line import's profile).
  type Slot = { salt: Buffer; siteId: number; byAgent: Map<string, Map<string, bigint>>; size: number };
  const slots: Slot[] = [];
  return (salt, siteId, ip, userAgent) => {
    const first = slots[0];
    const second = slots[1];
    let slot =
      first?.salt === salt && first.siteId === siteId
        ? first
        : second?.salt === salt && second.siteId === siteId
          ? second
          : undefined;
    if (!slot) {
      const reused = slots.length === 2 ? slots.pop()!.byAgent : new Map<string, Map<string, bigint>>();
      reused.clear();
      slot = { salt, siteId, byAgent: reused, size: 0 };
      slots.unshift(slot);
    }
    let byIp = slot.byAgent.get(userAgent);
    let id = byIp?.get(ip);
    if (id === undefined) {
      id = visitorId(salt, siteId, ip, userAgent);
      if (slot.size >= max) {
        slot.byAgent.clear();
        slot.size = 0;
        byIp = undefined;
      }
      if (!byIp) {
        byIp = new Map();
        slot.byAgent.set(userAgent, byIp);
      }
      byIp.set(ip, id);
      slot.size++;
    }
    return id;
  };
}
