// A small seeded PRNG (mulberry32), so generated data is the same on every run.
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** Picks with a skew towards the first items (Zipf-like), as real page popularity is. */
  skewed<T>(items: readonly T[]): T {
    return items[this.skewedIndex(items.length)]!;
  }
  /** An index in [0, n) skewed towards 0, like skewed(). */
  skewedIndex(n: number): number {
    const r = this.next();
    return Math.floor(r * r * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  bigint64(): bigint {
    return (BigInt(Math.floor(this.next() * 2 ** 32)) << 32n) | BigInt(Math.floor(this.next() * 2 ** 32));
  }
}
