// Visits (sessions): events from one visitor on one site belong to one visit until the
// visitor is idle for 30 minutes. Kept in a bounded in-memory LRU cache: nothing about
// sessions is written except the session id on each event, and a restart at worst splits
// the visits that were open at that moment.
//
// Across midnight the salt changes, so a visitor's id changes too. An event whose today's
// id has no live visit is checked against yesterday's id; a live visit found there goes on,
// with yesterday's visitor id, and is filed under today's id as well so later events find
// it directly.
import { LRUCache } from 'lru-cache';
import type { DaySalts } from './salts.js';
import { type VisitorIdFn, visitorId } from './visitor-id.js';

const DAY_MS = 86_400_000;
// Session ids count up from one past the largest stored id. Consecutive events then carry
// nearby ids, which DuckDB packs into a few bits each: measured 6.4 bytes/event for random
// 64-bit ids against ~1.1 for sequential ones (BENCHMARKS.md). A session id says nothing
// about a person; the visitor id stays a keyed hash.

export const SESSION_TIMEOUT_MS = 30 * 60_000;

/**
 * Where a visit came from: taken from its first event and carried onto every later event of
 * the visit, so `visit:source` and friends are one plain column per event (a second page view
 * has the site itself as referrer, which says nothing about how the visit began).
 */
export interface VisitOrigin {
  readonly referrer: string;
  readonly referrerHost: string;
  readonly source: string;
  readonly channel: string;
  readonly utmSource: string;
  readonly utmMedium: string;
  readonly utmCampaign: string;
  readonly utmTerm: string;
  readonly utmContent: string;
}

export interface Visit {
  visitorId: bigint;
  sessionId: bigint;
  origin: VisitOrigin;
}

export interface SessionTrackerOptions {
  /** The first session id to hand out (one past the largest stored; at least 1). */
  firstSessionId?: bigint;
  /** Most visits held at once; the least recently active is forgotten first. */
  maxEntries?: number;
  /** Idle time after which the next event starts a new visit. */
  timeoutMs?: number;
  /**
   * Hands out new session ids instead of counting up from firstSessionId (an import into a
   * running server takes ids from blocks the server reserved for it).
   */
  allocate?: () => bigint;
}

interface Entry {
  visitorId: bigint;
  sessionId: bigint;
  lastSeen: number;
  origin: VisitOrigin;
}

export class SessionTracker {
  private readonly cache: LRUCache<string, Entry>;
  private readonly timeoutMs: number;
  private nextSessionId: bigint;
  private readonly allocate: (() => bigint) | undefined;

  constructor(options: SessionTrackerOptions) {
    this.cache = new LRUCache({ max: options.maxEntries ?? 100_000 });
    this.timeoutMs = options.timeoutMs ?? SESSION_TIMEOUT_MS;
    this.allocate = options.allocate;
    this.nextSessionId =
      options.firstSessionId !== undefined && options.firstSessionId > 0n ? options.firstSessionId : 1n;
  }

  /** Visits held in memory (live or idle but not yet evicted). */
  get size(): number {
    return this.cache.size;
  }

  /**
   * Records an event at `now` and returns its visit. `prevDayVisitorId` is the visitor's
   * id under yesterday's salt, or a function computing it: it is called only when today's
   * id has no live visit and a visit from before midnight could still be live, which
   * spares most events a second hash. `origin` is kept when the event starts a visit.
   */
  touch(
    siteId: number,
    visitorId: bigint,
    now: number,
    prevDayVisitorId: bigint | (() => bigint | undefined) | undefined,
    origin: VisitOrigin,
  ): Visit {
    const key = `${siteId}:${visitorId}`;
    const live = this.live(key, now);
    if (live) return this.extend(live, now);

    // A visit filed only under yesterday's id had its last event before midnight, so it
    // can be live only in the first `timeoutMs` of the UTC day. Later in the day, a visit
    // that crossed midnight is already filed under today's id.
    if (prevDayVisitorId !== undefined && mod(now, DAY_MS) < this.timeoutMs) {
      const prev = typeof prevDayVisitorId === 'function' ? prevDayVisitorId() : prevDayVisitorId;
      if (prev !== undefined && prev !== visitorId) {
        const carried = this.live(`${siteId}:${prev}`, now);
        if (carried) {
          this.cache.set(key, carried);
          return this.extend(carried, now);
        }
      }
    }

    const entry: Entry = { visitorId, sessionId: this.newSessionId(), lastSeen: now, origin };
    this.cache.set(key, entry);
    return { visitorId, sessionId: entry.sessionId, origin };
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.cache.get(key);
    return entry && now - entry.lastSeen < this.timeoutMs ? entry : undefined;
  }

  private extend(entry: Entry, now: number): Visit {
    // max(): an event that arrives with an earlier clock reading must not shorten the visit.
    if (now > entry.lastSeen) entry.lastSeen = now;
    return { visitorId: entry.visitorId, sessionId: entry.sessionId, origin: entry.origin };
  }

  /**
   * Sets `count` session ids aside for someone else (an import into this running server) and
   * returns the first; this tracker's own visits continue after them.
   */
  reserve(count: number): bigint {
    const first = this.nextSessionId;
    this.nextSessionId += BigInt(count);
    return first;
  }

  private newSessionId(): bigint {
    return this.allocate ? this.allocate() : this.nextSessionId++;
  }
}

/**
 * The visit of an event: its visitor id under today's salt (or yesterday's, for a visit
 * that began before midnight) and its session id. Hashes with yesterday's salt only when
 * that could matter.
 */
export function identifyVisit(
  sessions: SessionTracker,
  salts: DaySalts,
  siteId: number,
  ip: string,
  userAgent: string,
  now: number,
  origin: VisitOrigin,
  hash: VisitorIdFn = visitorId,
): Visit {
  const today = hash(salts.today, siteId, ip, userAgent);
  const yesterdaySalt = salts.yesterday;
  const prev = yesterdaySalt ? () => hash(yesterdaySalt, siteId, ip, userAgent) : undefined;
  return sessions.touch(siteId, today, now, prev, origin);
}

function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}
