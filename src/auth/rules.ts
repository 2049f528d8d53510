// Who may call each route: one line per route, keyed by method and Fastify's URL pattern.
// The access hooks look every request's route up here; a route missing from this table is
// refused to everyone (and fails the access matrix test), so a new route is closed until
// someone decides who may use it. HEAD follows GET.
import type { SiteNeed } from './identity.js';

export type Rule =
  /** Tracking endpoints: anyone, from any origin. */
  | { allow: 'tracking' }
  /** Anyone: health, metrics, the dashboard's HTML shell, login and setup, share link info. */
  | { allow: 'public' }
  /** Any user (session or key) or the admin key; not a share link. */
  | { allow: 'signed-in' }
  /** A person signed in with a session: their own account, sessions and keys. */
  | { allow: 'session' }
  /** An owner signed in, or the admin key. */
  | { allow: 'owner' }
  /** `need` on the site named by a path parameter, a query parameter or a body field. */
  | { allow: 'site'; need: SiteNeed; from: 'params' | 'query' | 'body'; name: string };

const tracking: Rule = { allow: 'tracking' };
const open: Rule = { allow: 'public' };
const signedIn: Rule = { allow: 'signed-in' };
const session: Rule = { allow: 'session' };
const owner: Rule = { allow: 'owner' };
const site = (need: SiteNeed, from: 'params' | 'query' | 'body', name: string): Rule => ({
  allow: 'site',
  need,
  from,
  name,
});
const pathSite = (need: SiteNeed) => site(need, 'params', 'domain');

export const ACCESS_RULES: Readonly<Record<string, Rule>> = {
  // Tracking (src/collect): cross-origin, no identity.
  'GET /a.js': tracking,
  'GET /a.gif': tracking,
  'GET /script.js': tracking,
  'GET /js/script.js': tracking,
  'POST /api/event': tracking,
  'OPTIONS /api/event': tracking,
  'POST /api/send': tracking,
  'OPTIONS /api/send': tracking,
  // Operations.
  'GET /healthz': open,
  'GET /metrics': open,
  // The dashboard's HTML shell (src/web): the page is public, its data comes from the API.
  'GET /': open,
  'GET /login': open,
  'GET /setup': open,
  'GET /invite': open,
  'GET /forgot': open,
  'GET /reset': open,
  'GET /account': open,
  'GET /sites/:domain': open,
  'GET /sites/:domain/settings': open,
  'GET /share/:token': open,
  'GET /assets/:file': open,
  // Every other GET: the shell with 404 for a browser, JSON 404 otherwise (src/web/routes.ts).
  'GET /*': open,
  // Accounts.
  'GET /api/auth/setup-status': open,
  'POST /api/auth/setup': open,
  'POST /api/auth/login': open,
  'POST /api/auth/invite': open,
  'POST /api/auth/forgot': open,
  'POST /api/auth/reset': open,
  // A pending sign-in's token (in the body) is the credential for the step after the password.
  'POST /api/auth/login/code': open,
  'POST /api/auth/login/enrol': open,
  'POST /api/auth/login/enrol/confirm': open,
  'GET /api/auth/2fa': session,
  'POST /api/auth/2fa/setup': session,
  'POST /api/auth/2fa/enable': session,
  'POST /api/auth/2fa/disable': session,
  'POST /api/auth/2fa/required': owner,
  'GET /api/auth/me': session,
  'POST /api/auth/logout': session,
  'POST /api/auth/password': session,
  'GET /api/auth/sessions': session,
  'DELETE /api/auth/sessions/:id': session,
  'GET /api/users': owner,
  'POST /api/users': owner,
  'DELETE /api/users/:id': owner,
  'GET /api/keys': session,
  'POST /api/keys': session,
  'DELETE /api/keys/:id': session,
  // Sites.
  'GET /api/sites': signedIn,
  'POST /api/sites': owner,
  'GET /api/sites/:domain': pathSite('read'),
  'PATCH /api/sites/:domain': pathSite('write'),
  'DELETE /api/sites/:domain': owner,
  'GET /api/sites/:domain/members': pathSite('admin'),
  'POST /api/sites/:domain/members': pathSite('admin'),
  'DELETE /api/sites/:domain/members/:userId': pathSite('admin'),
  'GET /api/sites/:domain/shares': pathSite('admin'),
  'POST /api/sites/:domain/shares': pathSite('admin'),
  'DELETE /api/sites/:domain/shares/:id': pathSite('admin'),
  // Raw events (src/export): site admins and read-write keys.
  'GET /api/sites/:domain/export': pathSite('write'),
  // Goals: read with the site's stats, written like its other settings.
  'GET /api/sites/:domain/goals': pathSite('read'),
  'POST /api/sites/:domain/goals': pathSite('write'),
  'PATCH /api/sites/:domain/goals/:id': pathSite('write'),
  'DELETE /api/sites/:domain/goals/:id': pathSite('write'),
  // Personal segments take only read access; site segments write access (src/api/segments.ts).
  'GET /api/sites/:domain/segments': pathSite('read'),
  'POST /api/sites/:domain/segments': pathSite('read'),
  'PATCH /api/sites/:domain/segments/:id': pathSite('read'),
  'DELETE /api/sites/:domain/segments/:id': pathSite('read'),
  // Email reports (src/api/reports.ts): subscriptions are the site's settings; the unsubscribe
  // link's signed token is its own credential.
  'GET /api/sites/:domain/reports': pathSite('write'),
  'POST /api/sites/:domain/reports': pathSite('write'),
  'DELETE /api/sites/:domain/reports/:id': pathSite('write'),
  'POST /api/sites/:domain/reports/send': pathSite('write'),
  'GET /api/reports/unsubscribe': open,
  // Traffic alerts and their webhook: the site's settings.
  'GET /api/sites/:domain/alerts': pathSite('write'),
  'PUT /api/sites/:domain/alerts': pathSite('write'),
  'POST /api/reports/unsubscribe': open,
  'GET /api/sites/:domain/funnels': pathSite('read'),
  'POST /api/sites/:domain/funnels': pathSite('write'),
  'PATCH /api/sites/:domain/funnels/:id': pathSite('write'),
  'DELETE /api/sites/:domain/funnels/:id': pathSite('write'),
  // Share links, as a visitor of one.
  'GET /api/share/info': open,
  'POST /api/share/unlock': open,
  // Stats (src/query, src/api/stats*): read on the named site.
  'POST /api/v2/query': site('read', 'body', 'site_id'),
  'GET /api/v2/realtime': site('read', 'query', 'site_id'),
  'POST /api/v2/journeys': site('read', 'body', 'site_id'),
  'POST /api/v2/funnel': site('read', 'body', 'site_id'),
  'POST /api/v2/prop-keys': site('read', 'body', 'site_id'),
};

/** The rule for a route, HEAD following GET; undefined when the route has none. */
export function ruleFor(
  rules: Readonly<Record<string, Rule>>,
  method: string,
  url: string,
): Rule | undefined {
  return rules[`${method === 'HEAD' ? 'GET' : method} ${url}`];
}
