// Who is asking, and what each kind of identity may do on a site. Pure: no I/O.
import type { SiteRole, UserRole } from '../store/accounts.js';

/** What a request wants to do with a site: read its stats, change its data or settings, manage who sees it. */
export type SiteNeed = 'read' | 'write' | 'admin';

export type Identity =
  | { kind: 'anonymous' }
  | {
      kind: 'user';
      userId: number;
      email: string;
      role: UserRole;
      via: 'session' | 'key';
      /** Always false for sessions; a read-only API key's flag. */
      readOnly: boolean;
      /** The session's id (via 'session'). */
      sessionId?: number;
      /** The session's CSRF token (via 'session'). */
      csrf?: string;
      /** The key's id and the domains it is scoped to (via 'key'). */
      keyId?: number;
      keySites?: readonly string[];
    }
  | { kind: 'admin-key' }
  /** A share link; `segmentId` when it is limited to one saved segment. */
  | { kind: 'share'; shareId: number; siteDomain: string; segmentId: number | null };

export type UserIdentity = Extract<Identity, { kind: 'user' }>;

/** The role an identity acts with on a site; undefined when it has none there. */
export type EffectiveRole = 'owner' | SiteRole;

const ALLOWED: Record<EffectiveRole, readonly SiteNeed[]> = {
  owner: ['read', 'write', 'admin'],
  admin: ['read', 'write', 'admin'],
  viewer: ['read'],
};

/**
 * What an API key may do on a site, given its user's role there: never more than the user,
 * nothing outside the key's sites, only reads when read-only, and never 'admin' (managing
 * members and share links takes a person signed in).
 */
export function keyAllows(
  key: { readOnly: boolean; sites: readonly string[] },
  domain: string,
  role: EffectiveRole | undefined,
  need: SiteNeed,
): boolean {
  if (!role || !key.sites.includes(domain) || need === 'admin') return false;
  if (key.readOnly && need !== 'read') return false;
  return ALLOWED[role].includes(need);
}

export function roleAllows(role: EffectiveRole | undefined, need: SiteNeed): boolean {
  return role !== undefined && ALLOWED[role].includes(need);
}

/** Signed in as a person through the browser (not a key, not a share link). */
export function isSessionUser(id: Identity): id is UserIdentity {
  return id.kind === 'user' && id.via === 'session';
}

/** Full access over every site and user: an owner signed in, or the operator's admin key. */
export function isOwner(id: Identity): boolean {
  return id.kind === 'admin-key' || (isSessionUser(id) && id.role === 'owner');
}
