// The JSON API for accounts, sites, members, keys, share links and goals, as one plugin. Who may
// call what is decided by the access hooks (src/auth/rules.ts) before any handler runs.
import type { FastifyInstance } from 'fastify';
import type { AccountApiDeps } from './account-deps.js';
import { authRoutes } from './auth.js';
import { funnelRoutes } from './funnels.js';
import { goalRoutes } from './goals.js';
import { jsonApi } from './input.js';
import { keyRoutes } from './keys.js';
import { memberRoutes } from './members.js';
import { passwordResetRoutes } from './password-reset.js';
import { segmentRoutes } from './segments.js';
import { shareRoutes } from './shares.js';
import { siteRoutes } from './sites.js';
import { twoFactorRoutes } from './two-factor.js';
import { userRoutes } from './users.js';

export async function accountRoutes(app: FastifyInstance, deps: AccountApiDeps): Promise<void> {
  jsonApi(app);
  await app.register(authRoutes, deps);
  await app.register(passwordResetRoutes, deps);
  await app.register(twoFactorRoutes, deps);
  await app.register(siteRoutes, deps);
  await app.register(memberRoutes, deps);
  await app.register(userRoutes, deps);
  await app.register(keyRoutes, deps);
  await app.register(shareRoutes, deps);
  await app.register(segmentRoutes, deps);
  await app.register(goalRoutes, {
    goals: deps.goals,
    now: deps.now,
    siteExists: (domain: string) => deps.accounts.siteExists(domain),
  });
  await app.register(funnelRoutes, {
    store: { listSites: () => deps.sites.listSites(), goals: deps.goals, funnels: deps.funnels },
    now: deps.now,
  });
}
