// Password hashing with scrypt from node:crypto at OWASP's recommended cost (N=2^17, r=8,
// p=1: 128 MiB and about 0.3 s of one core per hash here). The parameters are stored in
// each hash, so they can be raised later without invalidating existing passwords.
//
// Hashes run one at a time: each holds 128 MiB, and a burst of logins must neither exhaust a
// small VPS's memory nor take both cores from ingest. Waiters beyond a bound are refused.
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { footfallError } from '../errors.js';

const COST = { N: 2 ** 17, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Hashes waiting their turn before new ones are refused with 429. */
export const MAX_WAITING = 32;

export const PASSWORD_MIN_CHARS = 8;
export const PASSWORD_MAX_CHARS = 1000;

/**
 * Compared against when the email is unknown, so an unknown email costs one scrypt run like
 * a wrong password does and the two cannot be told apart by timing. Matches no password.
 */
const DUMMY_HASH = `scrypt$${COST.N}$${COST.r}$${COST.p}$${Buffer.alloc(SALT_BYTES).toString('base64')}$${Buffer.alloc(KEY_BYTES).toString('base64')}`;

interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** node:crypto's scrypt (a parameter so a test can watch how many run at once). */
export type Scrypt = (
  password: string,
  salt: Buffer,
  keylen: number,
  options: ScryptOptions,
  callback: (err: Error | null, key: Buffer) => void,
) => void;

function derive(kdf: Scrypt, password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // maxmem must exceed 128·N·r bytes (the default 32 MiB is below OWASP's cost).
  const maxmem = 128 * cost.N * cost.r * 2;
  return new Promise((resolve, reject) =>
    kdf(password.normalize('NFC'), salt, KEY_BYTES, { ...cost, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

function parseHash(stored: string): { cost: ScryptCost; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20 || r > 32 || p > 16) {
    return undefined;
  }
  return { cost: { N, r, p }, salt: Buffer.from(parts[4]!, 'base64'), key: Buffer.from(parts[5]!, 'base64') };
}

export class PasswordHasher {
  private running: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  constructor(
    private readonly random: (n: number) => Buffer = randomBytes,
    private readonly kdf: Scrypt = scrypt,
  ) {}

  /** Runs `fn` after the hashes before it; refuses when too many wait. */
  private turn<T>(fn: () => Promise<T>): Promise<T> {
    if (this.waiting >= MAX_WAITING) {
      return Promise.reject(footfallError('FOOTFALL_ERR_TOO_MANY_ATTEMPTS', 'the server is busy', 1));
    }
    this.waiting++;
    const next = this.running.then(fn).finally(() => {
      this.waiting--;
    });
    this.running = next.catch(() => {});
    return next;
  }

  hash(password: string): Promise<string> {
    return this.turn(async () => {
      const salt = this.random(SALT_BYTES);
      const key = await derive(this.kdf, password, salt, COST);
      return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64')}$${key.toString('base64')}`;
    });
  }

  /** True when `password` matches `stored`; with `stored` undefined, spends the same time and says false. */
  verify(password: string, stored: string | undefined): Promise<boolean> {
    // Anything but a scrypt hash (an unused invitation: invites.ts) spends the same time and
    // says false too, whatever the password.
    const own = stored === undefined ? undefined : parseHash(stored);
    const parsed = own ?? parseHash(DUMMY_HASH)!;
    return this.turn(async () => {
      const key = await derive(this.kdf, password, parsed.salt, parsed.cost);
      return own !== undefined && key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
    });
  }
}
