// Failed-attempt limits for guessing secrets (login, a share link's password): at most 5
// failures per minute for each client address and each account. An attempt counts as a
// failure from the moment it starts and is taken back if the secret was right, so parallel
// guesses cannot all slip in before the first failure is recorded. It is taken back too when
// the check never ran (the server was too busy to hash): only a wrong secret is a failure.
//
// The failures live in a bounded cache (a flood of distinct keys costs memory once, not
// forever). A refused attempt adds no key to it: before, 52,000 refused logins with random
// emails pushed a victim's lock out of the 50,000 entries (issue 11.6). With several nodes
// (--database-url) they live in PostgreSQL instead (store/postgres/attempt-failures.ts), so the
// limit holds for the cluster: 3 failures on one node and 2 on another lock both — the same
// rule, counted in one place.
import { isIP } from 'node:net';
import { LRUCache } from 'lru-cache';
import { footfallError } from '../errors.js';
import type { FailureLedger } from '../store/cluster.js';

export const MAX_FAILURES = 5;
export const WINDOW_MS = 60_000;
const MAX_KEYS = 50_000;

export class AttemptLimiter {
  private readonly failures: LRUCache<string, number[]>;

  constructor(
    private readonly now: () => number,
    maxKeys = MAX_KEYS,
    /** Shared by the nodes of a cluster; unset: this process's memory. */
    private readonly shared?: FailureLedger,
  ) {
    this.failures = new LRUCache({ max: maxKeys });
  }

  /**
   * Runs `verify` (a secret comparison) as an attempt from `address` on `account` within
   * `scope` ('login', 'share'), and returns what it says. Throws
   * FOOTFALL_ERR_TOO_MANY_ATTEMPTS (with Retry-After) without running it when either is used up.
   */
  async check(
    scope: string,
    address: string,
    account: string,
    verify: () => Promise<boolean>,
  ): Promise<boolean> {
    const keys = [`${scope}-ip:${addressBucket(address)}`, `${scope}:${account}`];
    const t = this.now();
    const begun = this.shared
      ? await this.shared.begin(keys, t, WINDOW_MS, MAX_FAILURES)
      : this.begin(keys, t);
    if ('retryAfterMs' in begun) {
      const seconds = Math.max(1, Math.ceil(begun.retryAfterMs / 1000));
      throw footfallError('FOOTFALL_ERR_TOO_MANY_ATTEMPTS', `retry in ${seconds} s`, seconds);
    }
    // Taking a failure back may fail (the database went away): it then stays counted, the
    // safe side.
    const undo = () => begun.undo().catch(() => {});
    let ok: boolean;
    try {
      ok = await verify();
    } catch (err) {
      await undo(); // the check never ran (busy, store error): not a guess
      throw err;
    }
    if (ok) await undo();
    return ok;
  }

  /** Counts a failure on every key at `t` in memory, unless one is used up. */
  private begin(
    keys: readonly string[],
    t: number,
  ): { retryAfterMs: number } | { undo: () => Promise<void> } {
    let retryAfterMs = 0;
    // Read without inserting: a refused attempt must not add keys (and evict others).
    const lists = keys.map((key) => (this.failures.get(key) ?? []).filter((x) => x > t - WINDOW_MS));
    for (const times of lists) {
      if (times.length >= MAX_FAILURES) retryAfterMs = Math.max(retryAfterMs, times[0]! + WINDOW_MS - t);
    }
    if (retryAfterMs > 0) return { retryAfterMs };
    keys.forEach((key, i) => {
      lists[i]!.push(t);
      this.failures.set(key, lists[i]!);
    });
    return {
      // From the lists the cache holds now: an attempt begun meanwhile on the same key put a
      // new list there, and taking the failure from this attempt's own (stale) copy left it
      // counted — a right secret then still counted as a wrong guess.
      undo: async () => {
        for (const key of keys) {
          const times = this.failures.peek(key) ?? [];
          const i = times.indexOf(t);
          if (i !== -1) times.splice(i, 1);
        }
      },
    };
  }
}

/**
 * The key a client address is limited under: an IPv4 address as it is, an IPv6 address by
 * its /64, the smallest block a provider hands one customer — anyone with one address has
 * 2^64 of them.
 */
export function addressBucket(address: string): string {
  if (isIP(address) !== 6) return address;
  const groups = ipv6Groups(address);
  // IPv4-mapped (::ffff:a.b.c.d): the IPv4 address.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (with `::` and a dotted IPv4 tail expanded). */
function ipv6Groups(address: string): number[] {
  const parse = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [Number.parseInt(g, 16)];
          const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number];
          return [(a << 8) | b, (c << 8) | d];
        });
  const cut = address.indexOf('::');
  if (cut === -1) return parse(address);
  const head = parse(address.slice(0, cut));
  const tail = parse(address.slice(cut + 2));
  return [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}
