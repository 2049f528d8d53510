// Enforces the rule table (rules.ts) on every route of the app, and CSRF protection:
// - onRoute records each route with its rule, so tests can enumerate every route;
// - onRequest refuses cross-site unsafe requests, identifies the caller, checks the CSRF
//   token of cookie-authenticated unsafe requests, and applies the route's rule — before
//   any body is read;
// - preHandler applies rules that name the site in the body, once it is parsed.
// Tracking routes skip all of it: they take no identity and stay open to every origin.
import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { footfallError } from '../errors.js';
import type { Access } from './access.js';
import { isOwner, isSessionUser } from './identity.js';
import { ACCESS_RULES, type Rule, ruleFor } from './rules.js';
import { sameSecret } from './tokens.js';

export interface RouteEntry {
  method: string;
  url: string;
  rule: Rule | undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const routesByApp = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Every route of an app built with installAccessControl, with its rule (undefined: none). */
export function routesOf(app: FastifyInstance): readonly RouteEntry[] {
  return routesByApp.get(app) ?? [];
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function siteName(req: FastifyRequest, from: 'params' | 'query' | 'body', name: string): string {
  const source = from === 'params' ? req.params : from === 'query' ? req.query : req.body;
  const value =
    source && typeof source === 'object' && !Buffer.isBuffer(source)
      ? (source as Record<string, unknown>)[name]
      : undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 253) {
    throw footfallError('FOOTFALL_ERR_INVALID_FIELD', `${name} must be the domain of a site`);
  }
  return value;
}

async function enforce(access: Access, req: FastifyRequest, rule: Rule | undefined): Promise<void> {
  const id = await access.identify(req);
  // A browser attaches the session cookie to any request, whoever's page makes it; only
  // our own pages can read the CSRF token (from /api/auth/me) and send it back.
  if (!SAFE_METHODS.has(req.method) && isSessionUser(id)) {
    const token = header(req, 'x-csrf-token');
    if (token === undefined || id.csrf === undefined || !sameSecret(token, id.csrf)) {
      throw footfallError('FOOTFALL_ERR_CSRF');
    }
  }
  if (!rule) throw footfallError('FOOTFALL_ERR_FORBIDDEN', 'this route has no access rule');
  if (rule.allow === 'public' || rule.allow === 'tracking') return;
  if (id.kind === 'anonymous') throw footfallError('FOOTFALL_ERR_UNAUTHORIZED');
  switch (rule.allow) {
    case 'signed-in':
      if (id.kind === 'share')
        throw footfallError('FOOTFALL_ERR_FORBIDDEN', 'a share link only reads its site');
      return;
    case 'session':
      if (!isSessionUser(id))
        throw footfallError('FOOTFALL_ERR_FORBIDDEN', 'sign in with a password for this');
      return;
    case 'owner':
      if (!isOwner(id)) throw footfallError('FOOTFALL_ERR_FORBIDDEN', 'only an owner may do this');
      return;
    case 'site':
      // A site named in the body is checked in preHandler, once the body is parsed.
      if (rule.from !== 'body') await access.requireSite(req, siteName(req, rule.from, rule.name), rule.need);
      return;
  }
}

export function installAccessControl(
  app: FastifyInstance,
  access: Access,
  rules: Readonly<Record<string, Rule>> = ACCESS_RULES,
): void {
  // Cookies are parsed only where an identity is needed, not on the tracking path.
  app.register(fastifyCookie, { hook: false });

  const routes: RouteEntry[] = [];
  routesByApp.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      routes.push({ method, url: route.url, rule: ruleFor(rules, method, route.url) });
    }
  });

  app.addHook('onRequest', (req, _reply, done) => {
    const url = req.routeOptions.url;
    if (url === undefined) return done(); // no such route: the 404 handler answers
    const rule = ruleFor(rules, req.method, url);
    if (rule?.allow === 'tracking') return done();
    // Browsers say where a request comes from; a page on another site (or a sibling
    // subdomain, which SameSite=Lax cookies reach) never gets to change anything here.
    // Header values are case-insensitive tokens: `Cross-Site` is as cross-site as `cross-site`.
    const fetchSite = header(req, 'sec-fetch-site')?.toLowerCase();
    if (!SAFE_METHODS.has(req.method) && (fetchSite === 'cross-site' || fetchSite === 'same-site')) {
      return done(footfallError('FOOTFALL_ERR_CSRF'));
    }
    if (rule?.allow === 'public') return done();
    enforce(access, req, rule).then(() => done(), done);
  });

  app.addHook('preHandler', (req, _reply, done) => {
    const url = req.routeOptions.url;
    const rule = url === undefined ? undefined : ruleFor(rules, req.method, url);
    if (rule?.allow !== 'site' || rule.from !== 'body') return done();
    let domain: string;
    try {
      domain = siteName(req, 'body', rule.name);
    } catch (err) {
      return done(err as Error);
    }
    access.requireSite(req, domain, rule.need).then(() => done(), done);
  });
}
