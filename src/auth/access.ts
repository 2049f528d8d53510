// The Access service: who a request is (session cookie, API key, the operator's admin key,
// or a share link token) and what it may do with a site. Routes call requireSite; the access
// hooks (access-hooks.ts) call it for every route from the rule table.
import type { FastifyRequest } from 'fastify';
import { footfallError } from '../errors.js';
import { siteKey } from '../sites/domain.js';
import type { AccountStore, UserWithPassword } from '../store/accounts.js';
import { SESSION_COOKIE, shareCookieName } from './cookies.js';
import {
  type EffectiveRole,
  type Identity,
  keyAllows,
  roleAllows,
  type SiteNeed,
  type UserIdentity,
} from './identity.js';
import { isUnlocked } from './share-unlock.js';
import { API_KEY_PREFIX, csrfToken, looksLikeToken, sameSecret, sha256 } from './tokens.js';

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
// A session's expiry slides with use, and a key records when it was last used; each such
// write is a DuckDB commit (~2 ms), so it is done at most once per interval, not per request.
const TOUCH_EVERY_MS = 60_000;

export interface Access {
  /** Session cookie, Bearer key (a user's key or FOOTFALL_ADMIN_KEY), or share token. */
  identify(req: FastifyRequest): Promise<Identity>;
  /** Throws 401 when anonymous, 403 when not allowed; a share only ever reads its own site. */
  requireSite(req: FastifyRequest, siteDomain: string, need: SiteNeed): Promise<Identity>;
  /** Domains of the sites the identity may read. */
  sitesVisibleTo(identity: Identity): Promise<string[]>;
  /** The role the identity acts with on the site, if any. */
  roleOn(identity: Identity, siteDomain: string): Promise<EffectiveRole | undefined>;
  /** Whether the token names a share link that may be shown inside other sites' frames. */
  isEmbeddableShare(token: string): Promise<boolean>;
}

export interface AccessDeps {
  accounts: AccountStore;
  /** The operator's full-access key (FOOTFALL_ADMIN_KEY), already checked for length. */
  adminKey: string | undefined;
  now: () => number;
}

const ANONYMOUS: Identity = { kind: 'anonymous' };

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function cookie(req: FastifyRequest, name: string): string | undefined {
  const raw = req.headers.cookie;
  return raw ? req.server.parseCookie(raw)[name] : undefined;
}

/** A share token from X-Footfall-Share, or from ?auth= on reads (Plausible's shared-link URLs). */
export function shareTokenOf(req: FastifyRequest): string | undefined {
  const fromHeader = header(req, 'x-footfall-share');
  if (fromHeader !== undefined) return fromHeader;
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  const auth = (req.query as Record<string, unknown> | undefined)?.auth;
  return typeof auth === 'string' ? auth : undefined;
}

export function createAccess({ accounts, adminKey, now }: AccessDeps): Access {
  const cache = new WeakMap<FastifyRequest, Promise<Identity>>();

  const asUser = (u: UserWithPassword, rest: Partial<UserIdentity> & Pick<UserIdentity, 'via'>) =>
    ({
      kind: 'user',
      userId: u.id,
      email: u.email,
      role: u.role,
      readOnly: false,
      ...rest,
    }) as UserIdentity;

  async function fromBearer(key: string): Promise<Identity> {
    if (adminKey !== undefined && sameSecret(key, adminKey)) return { kind: 'admin-key' };
    if (!looksLikeToken(key, API_KEY_PREFIX)) return ANONYMOUS;
    const found = await accounts.findApiKey(sha256(key));
    if (!found) return ANONYMOUS;
    const t = now();
    if (found.key.lastUsedAt === null || t - found.key.lastUsedAt > TOUCH_EVERY_MS) {
      await accounts.touchApiKey(found.key.id, t);
    }
    return asUser(found.user, {
      via: 'key',
      readOnly: found.key.readOnly,
      keyId: found.key.id,
      keySites: found.key.sites,
    });
  }

  async function fromShare(req: FastifyRequest, token: string): Promise<Identity> {
    if (!looksLikeToken(token)) return ANONYMOUS;
    const share = await accounts.findShareLink(token);
    if (!share) return ANONYMOUS;
    if (
      share.passwordHash !== null &&
      !isUnlocked(share.id, share.passwordHash, cookie(req, shareCookieName(share.id)), now())
    ) {
      throw footfallError('FOOTFALL_ERR_SHARE_PASSWORD');
    }
    return { kind: 'share', shareId: share.id, siteDomain: share.siteDomain, segmentId: share.segmentId };
  }

  async function fromSession(token: string): Promise<Identity> {
    if (!looksLikeToken(token)) return ANONYMOUS;
    const t = now();
    const found = await accounts.findSession(sha256(token), t);
    if (!found) return ANONYMOUS;
    if (t - found.session.lastSeenAt > TOUCH_EVERY_MS) {
      await accounts.touchSession(found.session.id, t, t + SESSION_TTL_MS);
    }
    return asUser(found.user, { via: 'session', sessionId: found.session.id, csrf: csrfToken(token) });
  }

  async function resolve(req: FastifyRequest): Promise<Identity> {
    // Explicit credentials win over the ambient cookie; credentials that do not check out
    // make the request anonymous rather than falling back to another credential.
    const authorization = header(req, 'authorization');
    if (authorization !== undefined) {
      const m = /^Bearer +(\S+)$/i.exec(authorization);
      return m ? fromBearer(m[1]!) : ANONYMOUS;
    }
    const share = shareTokenOf(req);
    if (share !== undefined) return fromShare(req, share);
    const session = cookie(req, SESSION_COOKIE);
    return session === undefined ? ANONYMOUS : fromSession(session);
  }

  async function roleOn(id: Identity, domain: string): Promise<EffectiveRole | undefined> {
    switch (id.kind) {
      case 'admin-key':
        return 'owner';
      case 'share':
        return id.siteDomain === domain ? 'viewer' : undefined;
      case 'user': {
        const role = id.role === 'owner' ? 'owner' : await accounts.siteRole(id.userId, domain);
        if (id.via === 'session') return role;
        const key = { readOnly: id.readOnly, sites: id.keySites ?? [] };
        if (keyAllows(key, domain, role, 'write')) return role === 'owner' ? 'admin' : role;
        return keyAllows(key, domain, role, 'read') ? 'viewer' : undefined;
      }
      default:
        return undefined;
    }
  }

  const access: Access = {
    identify(req) {
      let found = cache.get(req);
      if (!found) {
        found = resolve(req);
        cache.set(req, found);
      }
      return found;
    },

    async requireSite(req, siteDomain, need) {
      const id = await access.identify(req);
      if (id.kind === 'anonymous') throw footfallError('FOOTFALL_ERR_UNAUTHORIZED');
      const domain = siteKey(siteDomain.trim());
      let allowed: boolean;
      if (id.kind === 'share') {
        allowed = need === 'read' && id.siteDomain === domain;
      } else if (id.kind === 'user' && id.via === 'key') {
        const role = id.role === 'owner' ? 'owner' : await accounts.siteRole(id.userId, domain);
        allowed = keyAllows({ readOnly: id.readOnly, sites: id.keySites ?? [] }, domain, role, need);
      } else {
        allowed = roleAllows(await roleOn(id, domain), need);
      }
      // Only those who may see every site learn whether a site exists.
      if (id.kind === 'admin-key' || (id.kind === 'user' && id.role === 'owner' && id.via === 'session')) {
        if (!(await accounts.siteExists(domain))) throw footfallError('FOOTFALL_ERR_SITE_NOT_FOUND', domain);
      }
      if (!allowed) throw footfallError('FOOTFALL_ERR_FORBIDDEN', `${need} access to ${domain}`);
      return id;
    },

    async sitesVisibleTo(id) {
      switch (id.kind) {
        case 'admin-key':
          return accounts.allSiteDomains();
        case 'share':
          return [id.siteDomain];
        case 'user': {
          const all =
            id.role === 'owner'
              ? await accounts.allSiteDomains()
              : (await accounts.memberSites(id.userId)).map((s) => s.domain);
          return id.via === 'key' ? all.filter((d) => id.keySites?.includes(d)) : all;
        }
        default:
          return [];
      }
    },

    roleOn,

    async isEmbeddableShare(token) {
      if (!looksLikeToken(token)) return false;
      return (await accounts.findShareLink(token))?.embeddable === true;
    },
  };
  return access;
}
