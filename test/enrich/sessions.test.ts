import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SaltKeeper } from '../../src/enrich/salts.js';
import { identifyVisit, SessionTracker, type VisitOrigin } from '../../src/enrich/sessions.js';
import { visitorId } from '../../src/enrich/visitor-id.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import type { Salt, SaltStore } from '../../src/store/types.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const NOON = Date.parse('2026-03-10T12:00:00.000Z');
const MIDNIGHT = Date.parse('2026-03-11T00:00:00.000Z');
const ua = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)';
const ORIGIN = origin('Google');

function origin(source: string): VisitOrigin {
  return {
    referrer: '',
    referrerHost: '',
    source,
    channel: '',
    utmSource: '',
    utmMedium: '',
    utmCampaign: '',
    utmTerm: '',
    utmContent: '',
  };
}

/** Pinned randomness: consecutive 64-bit big-endian counters 1, 2, 3… */
function counterBytes(): (n: number) => Buffer {
  let next = 0n;
  return (n) => {
    const bytes = Buffer.alloc(n);
    for (let at = 0; at + 8 <= n; at += 8) bytes.writeBigUInt64BE(++next, at);
    return bytes;
  };
}

describe('SessionTracker', () => {
  it("keeps the first event's origin for the whole visit, and a new visit takes its own", () => {
    const sessions = new SessionTracker({});
    assert.equal(sessions.touch(1, 42n, NOON, undefined, origin('Google')).origin.source, 'Google');
    assert.equal(sessions.touch(1, 42n, NOON + MIN, undefined, origin('')).origin.source, 'Google');
    assert.equal(sessions.touch(1, 42n, NOON + 40 * MIN, undefined, origin('Bing')).origin.source, 'Bing');
  });

  it('keeps events 29 minutes apart in one visit, for as long as they keep coming', () => {
    const sessions = new SessionTracker({});
    const first = sessions.touch(1, 42n, NOON, undefined, ORIGIN);
    for (let i = 1; i <= 5; i++) {
      assert.deepEqual(sessions.touch(1, 42n, NOON + i * 29 * MIN, undefined, ORIGIN), first);
    }
    assert.equal(first.visitorId, 42n);
    assert.notEqual(first.sessionId, 0n);
  });

  it('starts a new visit after 31 minutes without events, with the same visitor id', () => {
    const sessions = new SessionTracker({});
    const first = sessions.touch(1, 42n, NOON, undefined, ORIGIN);
    const second = sessions.touch(1, 42n, NOON + 31 * MIN, undefined, ORIGIN);
    assert.notEqual(second.sessionId, first.sessionId);
    assert.equal(second.visitorId, 42n);
    assert.equal(sessions.touch(1, 42n, NOON + 40 * MIN, undefined, ORIGIN).sessionId, second.sessionId);
  });

  it('ends a visit exactly 30 minutes after its last event', () => {
    const sessions = new SessionTracker({});
    const first = sessions.touch(1, 42n, NOON, undefined, ORIGIN);
    assert.notEqual(sessions.touch(1, 42n, NOON + 30 * MIN, undefined, ORIGIN).sessionId, first.sessionId);
  });

  it('keeps visits apart per site and per visitor', () => {
    const sessions = new SessionTracker({});
    const a = sessions.touch(1, 42n, NOON, undefined, ORIGIN);
    const b = sessions.touch(2, 42n, NOON, undefined, ORIGIN);
    const c = sessions.touch(1, 43n, NOON, undefined, ORIGIN);
    assert.equal(new Set([a.sessionId, b.sessionId, c.sessionId]).size, 3);
  });

  it('counts session ids up from the first one it is given, never 0n', () => {
    assert.equal(
      new SessionTracker({ firstSessionId: 0n }).touch(1, 42n, NOON, undefined, ORIGIN).sessionId,
      1n,
    );
    const sessions = new SessionTracker({ firstSessionId: 500n });
    assert.equal(sessions.touch(1, 42n, NOON, undefined, ORIGIN).sessionId, 500n);
    assert.equal(sessions.touch(1, 43n, NOON, undefined, ORIGIN).sessionId, 501n);
  });

  it('is bounded and forgets the least recently active visitor first', () => {
    const sessions = new SessionTracker({ maxEntries: 3 });
    const one = sessions.touch(1, 1n, NOON, undefined, ORIGIN);
    const two = sessions.touch(1, 2n, NOON, undefined, ORIGIN);
    sessions.touch(1, 3n, NOON, undefined, ORIGIN);
    sessions.touch(1, 1n, NOON + MIN, undefined, ORIGIN); // 1 is now more recent than 2
    sessions.touch(1, 4n, NOON + 2 * MIN, undefined, ORIGIN); // evicts 2
    assert.equal(sessions.size, 3);
    assert.equal(sessions.touch(1, 1n, NOON + 3 * MIN, undefined, ORIGIN).sessionId, one.sessionId);
    assert.notEqual(
      sessions.touch(1, 2n, NOON + 3 * MIN, undefined, ORIGIN).sessionId,
      two.sessionId,
      '2 was forgotten',
    );
    assert.equal(sessions.size, 3);
  });

  it("continues a live visit found under yesterday's visitor id, keeping that id", () => {
    const sessions = new SessionTracker({});
    const before = sessions.touch(1, 100n, MIDNIGHT - 10 * MIN, undefined, ORIGIN);
    const after = sessions.touch(1, 200n, MIDNIGHT + 10 * MIN, 100n, ORIGIN);
    assert.deepEqual(after, before);
    // Later events find the visit under today's id, even past the first 30 minutes.
    assert.deepEqual(sessions.touch(1, 200n, MIDNIGHT + 35 * MIN, 100n, ORIGIN), before);
    assert.deepEqual(sessions.touch(1, 200n, MIDNIGHT + 60 * MIN, undefined, ORIGIN), before);
  });

  it("does not continue a visit under yesterday's id once it has expired", () => {
    const sessions = new SessionTracker({});
    const before = sessions.touch(1, 100n, MIDNIGHT - 20 * MIN, undefined, ORIGIN);
    const after = sessions.touch(1, 200n, MIDNIGHT + 15 * MIN, 100n, ORIGIN);
    assert.notEqual(after.sessionId, before.sessionId);
    assert.equal(after.visitorId, 200n);
  });

  it("computes yesterday's id only when today's has no visit, in the first 30 minutes of the day", () => {
    const sessions = new SessionTracker({});
    let calls = 0;
    const prev = () => {
      calls++;
      return 100n;
    };
    sessions.touch(1, 200n, MIDNIGHT + 5 * MIN, prev, ORIGIN); // new visitor: looks once
    sessions.touch(1, 200n, MIDNIGHT + 6 * MIN, prev, ORIGIN); // live visit under today's id
    sessions.touch(1, 300n, MIDNIGHT + 31 * MIN, prev, ORIGIN); // too late for a visit from yesterday
    sessions.touch(1, 400n, MIDNIGHT + 12 * 60 * MIN, prev, ORIGIN);
    assert.equal(calls, 1);
  });
});

describe('identifyVisit with salts rotating at midnight', () => {
  it('keeps a visit that crosses UTC midnight as one visit with one visitor id', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footfall-sessions-'));
    const store = await openDuckDbStore(dir);
    try {
      const keeper = await SaltKeeper.open(store, {
        now: () => MIDNIGHT - 20 * MIN,
        randomBytes: counterBytes(),
      });
      const sessions = new SessionTracker({});
      const visit = (now: number, ip = '203.0.113.9') =>
        identifyVisit(sessions, keeper.saltsFor(now), 1, ip, ua, now, ORIGIN);

      const evening = visit(MIDNIGHT - 20 * MIN);
      assert.deepEqual(visit(MIDNIGHT - 5 * MIN), evening);

      await keeper.rotate(MIDNIGHT);
      const todaysId = visitorId(keeper.saltsFor(MIDNIGHT).today, 1, '203.0.113.9', ua);
      assert.notEqual(todaysId, evening.visitorId, 'the salt did rotate');

      assert.deepEqual(visit(MIDNIGHT + 10 * MIN), evening);
      assert.deepEqual(visit(MIDNIGHT + 38 * MIN), evening);
      // Someone else arriving after midnight is counted with today's salt.
      const newcomer = visit(MIDNIGHT + 12 * MIN, '198.51.100.7');
      assert.equal(newcomer.visitorId, visitorId(keeper.saltsFor(MIDNIGHT).today, 1, '198.51.100.7', ua));

      // After a long pause the same person starts a new visit under today's id.
      const later = visit(MIDNIGHT + 3 * 60 * MIN);
      assert.notEqual(later.sessionId, evening.sessionId);
      assert.equal(later.visitorId, todaysId);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('also carries the visit over when the salt timer is late', async () => {
    // An in-memory salt store: this test is about saltsFor() creating the new day's salt.
    const rows: Salt[] = [];
    const store: SaltStore = {
      listSalts: async () => rows,
      addSalt: async (salt) => {
        const held = rows.find((r) => r.day === salt.day);
        if (held) return held;
        rows.push(salt);
        return salt;
      },
      deleteSaltsBefore: async () => {},
    };
    const keeper = await SaltKeeper.open(store, {
      now: () => MIDNIGHT - DAY / 2,
      randomBytes: counterBytes(),
    });
    const sessions = new SessionTracker({});
    const visit = (now: number) =>
      identifyVisit(sessions, keeper.saltsFor(now), 1, '203.0.113.9', ua, now, ORIGIN);
    const before = visit(MIDNIGHT - 1 * MIN);
    assert.deepEqual(visit(MIDNIGHT + 1 * MIN), before);
    assert.equal(keeper.saltsFor(MIDNIGHT).yesterday, rows[0]!.salt);
  });
});
