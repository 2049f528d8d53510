// The seed stored its server's naive local time; the README promises how it is read: in the
// zone named, the earlier instant in a repeated hour, nothing for a time that cannot be.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localToUtc } from '../../src/import/seed-event.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe("the seed's naive timestamps", () => {
  it('are read in the named zone, microseconds cut to milliseconds', () => {
    assert.equal(iso(localToUtc('2026-06-01 10:00:00.123456', 'Europe/Berlin')), '2026-06-01T08:00:00.123Z');
    assert.equal(iso(localToUtc('2026-01-15 10:00:00', 'Europe/Berlin')), '2026-01-15T09:00:00.000Z');
    assert.equal(iso(localToUtc('2026-06-01T10:00:00', 'UTC')), '2026-06-01T10:00:00.000Z');
  });

  it('a repeated hour at the autumn change reads as the earlier instant (summer time)', () => {
    // 25 October 2026, 02:30 happens twice in Berlin: 00:30Z (CEST) and 01:30Z (CET).
    assert.equal(iso(localToUtc('2026-10-25 02:30:00', 'Europe/Berlin')), '2026-10-25T00:30:00.000Z');
  });

  it('a time in the skipped spring hour moves past the gap', () => {
    // 29 March 2026, 02:30 does not exist in Berlin; read with the winter offset it is 03:30 CEST.
    assert.equal(iso(localToUtc('2026-03-29 02:30:00', 'Europe/Berlin')), '2026-03-29T01:30:00.000Z');
  });

  it('malformed or impossible times are not read', () => {
    for (const bad of ['yesterday', '2026-02-30 10:00:00', '2026-06-01 24:00:00', '2026-06-01 10:61:00', ''])
      assert.equal(localToUtc(bad, 'Europe/Berlin'), undefined, bad);
  });
});
