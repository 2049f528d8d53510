// Daily random salts for visitor ids, one per UTC day. Only today's and yesterday's are
// kept (yesterday's so a visit that crosses midnight keeps its visitor id); older salts are
// deleted, after which no stored visitor id can be linked to an IP and user agent again.
//
// Events read salts from memory only. When an event is the first of a new day (the
// rotation timer is late, or the process was asleep), the day's salt is created in memory
// at once and written to the store in the background: an event never waits on disk.
import type { SaltStore } from '../store/types.js';

const DAY_MS = 86_400_000;
/** 256 bits: the salt is the HMAC key, and a key as long as the hash output costs nothing. */
const SALT_BYTES = 32;
const MIN_SALT_BYTES = 16;

export interface SaltDeps {
  now: () => number;
  randomBytes: (n: number) => Buffer;
  /** A background salt write failed; the salt stays in memory and rotate() retries it. */
  onError?: (err: unknown) => void;
}

/** The salts an event is hashed with. `yesterday` is missing on a fresh install. */
export interface DaySalts {
  today: Buffer;
  yesterday: Buffer | undefined;
}

/** Milliseconds from `now` to the next 00:00 UTC (a full day when `now` is midnight). */
export function msUntilNextUtcMidnight(now: number): number {
  return DAY_MS - mod(now, DAY_MS);
}

export class SaltKeeper {
  private readonly salts = new Map<string, Buffer>();
  // The answer for the day saltsFor() last saw, so the per-event path formats no dates.
  // Cleared whenever `salts` changes.
  private current: { start: number; salts: DaySalts } | undefined;
  // Background writes, chained so rotate() can wait for them and they never overlap.
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    private readonly store: SaltStore,
    private readonly deps: SaltDeps,
  ) {}

  /** Loads the stored salts and makes sure today's exists before the first event. */
  static async open(store: SaltStore, deps: SaltDeps): Promise<SaltKeeper> {
    const keeper = new SaltKeeper(store, deps);
    await keeper.rotate(deps.now());
    return keeper;
  }

  /** Today's and yesterday's salt for an event at `now`. Synchronous; never touches disk. */
  saltsFor(now: number): DaySalts {
    const current = this.current;
    if (current && now >= current.start && now - current.start < DAY_MS) return current.salts;
    const start = now - mod(now, DAY_MS);
    const day = utcDay(start);
    let today = this.salts.get(day);
    if (!today) {
      today = this.create(day);
      this.persist(day, today);
      // A new day began without rotate(): forget what is now older than yesterday, as
      // rotate() will do in the store.
      this.forgetBefore(utcDay(start - DAY_MS));
    }
    // Frozen: the same object is handed to every event of the day.
    const salts = Object.freeze({ today, yesterday: this.salts.get(utcDay(start - DAY_MS)) });
    this.current = { start, salts };
    return salts;
  }

  /**
   * Makes sure today's salt is stored (the store keeps the first salt written for a day,
   * so processes sharing a store agree), deletes every salt older than yesterday, and
   * reloads today's and yesterday's from the store. Call it at each UTC midnight.
   */
  async rotate(now: number = this.deps.now()): Promise<void> {
    const start = now - mod(now, DAY_MS);
    const today = utcDay(start);
    const yesterday = utcDay(start - DAY_MS);
    // In memory first, so events arriving while the store works use the same salt.
    const mine = this.salts.get(today) ?? this.create(today);
    await this.writes;
    // Written again even when a background write already did it: that write may have failed.
    await this.store.addSalt({ day: today, salt: mine });
    await this.store.deleteSaltsBefore(yesterday);
    this.forgetBefore(yesterday);
    for (const stored of await this.store.listSalts()) {
      if (stored.day === today || stored.day === yesterday) this.replace(stored.day, stored.salt);
    }
  }

  private create(day: string): Buffer {
    const salt = this.deps.randomBytes(SALT_BYTES);
    if (salt.length < MIN_SALT_BYTES) {
      throw new Error(`randomBytes returned ${salt.length} bytes; a salt needs at least ${MIN_SALT_BYTES}`);
    }
    this.salts.set(day, salt);
    this.current = undefined;
    return salt;
  }

  private persist(day: string, salt: Buffer): void {
    this.writes = this.writes
      .then(async () => {
        const stored = await this.store.addSalt({ day, salt });
        // Another process stored the day's salt first: adopt it so both count alike.
        // Only a few events hashed before this moment carry the other id.
        if (this.salts.get(day) === salt) this.replace(day, stored.salt);
      })
      .catch((err: unknown) => this.deps.onError?.(err));
  }

  private replace(day: string, salt: Buffer): void {
    const held = this.salts.get(day);
    if (held?.equals(salt)) return;
    this.salts.set(day, salt);
    this.current = undefined;
  }

  private forgetBefore(day: string): void {
    // YYYY-MM-DD strings compare in date order.
    for (const held of this.salts.keys()) {
      if (held < day) this.salts.delete(held);
    }
    this.current = undefined;
  }
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}
