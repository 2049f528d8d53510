// Failed-attempt limits for guessing secrets (login, a share link's password): at most 5
// failures per minute for each key (an IP address, an account). An attempt counts as a
// failure from the moment it starts and is taken back if it succeeds, so parallel guesses
// cannot all slip in before the first failure is recorded.
import { LRUCache } from 'lru-cache';
import { footfallError } from '../errors.js';

export const MAX_FAILURES = 5;
export const WINDOW_MS = 60_000;

export interface Attempt {
  /** The attempt succeeded: it no longer counts against its keys. */
  succeeded(): void;
}

export class AttemptLimiter {
  // Bounded, so a flood of distinct keys costs memory once, not forever.
  private readonly failures = new LRUCache<string, number[]>({ max: 50_000 });

  constructor(private readonly now: () => number) {}

  private recent(key: string, t: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((x) => x > t - WINDOW_MS);
    this.failures.set(key, times);
    return times;
  }

  /** Throws FOOTFALL_ERR_TOO_MANY_ATTEMPTS (with Retry-After) when any key is used up. */
  begin(keys: readonly string[]): Attempt {
    const t = this.now();
    let retryAfterMs = 0;
    const lists = keys.map((key) => this.recent(key, t));
    for (const times of lists) {
      if (times.length >= MAX_FAILURES) retryAfterMs = Math.max(retryAfterMs, times[0]! + WINDOW_MS - t);
    }
    if (retryAfterMs > 0) {
      const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
      throw footfallError('FOOTFALL_ERR_TOO_MANY_ATTEMPTS', `retry in ${seconds} s`, seconds);
    }
    for (const times of lists) times.push(t);
    return {
      succeeded: () => {
        for (const times of lists) {
          const i = times.indexOf(t);
          if (i !== -1) times.splice(i, 1);
        }
      },
    };
  }
}
