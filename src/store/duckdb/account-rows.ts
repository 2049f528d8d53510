// Account rows as DuckDB (or PostgreSQL) returns them → the AccountStore's records, and the column lists the
// queries select. Times leave DuckDB as epoch milliseconds (epoch_ms), so no time zone
// conversion happens on the way.
import type {
  ApiKeyRecord,
  SessionRecord,
  ShareLinkRecord,
  SiteRole,
  User,
  UserWithPassword,
} from '../accounts.js';
import type { Row } from '../metadata-sql.js';

export const USER_COLUMNS = 'u.id, u.email, u.role, u.password_hash, epoch_ms(u.created_at) AS created_ms';
export const SESSION_COLUMNS =
  's.id AS session_id, s.user_id, epoch_ms(s.created_at) AS s_created_ms, ' +
  'epoch_ms(s.last_seen_at) AS last_seen_ms, epoch_ms(s.expires_at) AS expires_ms';
// A key's sites as a list, ignoring sites removed since (removeSite deletes their rows too);
// NULL when it has none. array_agg, not DuckDB's list(): the same SQL runs on PostgreSQL.
export const KEY_SELECT = `
  SELECT k.id AS key_id, k.user_id, k.name, k.prefix, k.read_only,
         epoch_ms(k.created_at) AS k_created_ms, epoch_ms(k.last_used_at) AS last_used_ms,
         (SELECT array_agg(s.domain ORDER BY s.domain) FROM api_key_sites ks
          JOIN sites s ON s.id = ks.site_id WHERE ks.key_id = k.id) AS sites
  FROM api_keys k`;
export const SHARE_SELECT = `
  SELECT l.id, s.domain, l.token, l.password_hash, l.embeddable, l.segment_id, epoch_ms(l.created_at) AS created_ms
  FROM share_links l JOIN sites s ON s.id = l.site_id`;

const ms = (v: unknown): number => Number(v);

export function toUser(r: Row): UserWithPassword {
  return {
    id: Number(r.id),
    email: String(r.email),
    role: r.role === 'owner' ? 'owner' : 'member',
    passwordHash: String(r.password_hash),
    createdAt: ms(r.created_ms),
  };
}

export function publicUser(u: UserWithPassword): User {
  return { id: u.id, email: u.email, role: u.role, createdAt: u.createdAt };
}

export function toSession(r: Row): SessionRecord {
  return {
    id: Number(r.session_id),
    userId: Number(r.user_id),
    createdAt: ms(r.s_created_ms),
    lastSeenAt: ms(r.last_seen_ms),
    expiresAt: ms(r.expires_ms),
  };
}

export function toKey(r: Row): ApiKeyRecord {
  return {
    id: Number(r.key_id),
    userId: Number(r.user_id),
    name: String(r.name),
    prefix: String(r.prefix),
    readOnly: r.read_only === true,
    sites: ((r.sites as unknown[] | null) ?? []).map(String),
    createdAt: ms(r.k_created_ms),
    lastUsedAt: r.last_used_ms === null || r.last_used_ms === undefined ? null : ms(r.last_used_ms),
  };
}

export function toShare(r: Row): ShareLinkRecord {
  return {
    id: Number(r.id),
    siteDomain: String(r.domain),
    token: String(r.token),
    passwordHash: r.password_hash === null ? null : String(r.password_hash),
    embeddable: r.embeddable === true,
    segmentId: r.segment_id === null || r.segment_id === undefined ? null : Number(r.segment_id),
    createdAt: ms(r.created_ms),
  };
}

export const toSiteRole = (v: unknown): SiteRole => (v === 'admin' ? 'admin' : 'viewer');
