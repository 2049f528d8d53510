// /api/sites: the sites an identity may see, and (by role) adding, changing and deleting them.
// Adding and removing go through src/sites/manage.ts, like the CLI and the control socket.
import type { FastifyInstance } from 'fastify';
import type { EffectiveRole, Identity } from '../auth/identity.js';
import { footfallError } from '../errors.js';
import { addSite, removeSite } from '../sites/manage.js';
import { normalizeTimezone } from '../sites/timezone.js';
import type { Site } from '../store/types.js';
import type { AccountApiDeps } from './account-deps.js';
import { bodyFields, domainParam, requiredString } from './input.js';

interface SiteView {
  domain: string;
  timezone: string;
  umamiId?: string | null;
  role: EffectiveRole | undefined;
}

function siteView(site: Site, role: EffectiveRole | undefined, id: Identity): SiteView {
  // A share link shows only what its dashboard needs.
  if (id.kind === 'share') return { domain: site.domain, timezone: site.timezone, role };
  return { domain: site.domain, timezone: site.timezone, umamiId: site.umamiId, role };
}

export async function siteRoutes(app: FastifyInstance, deps: AccountApiDeps): Promise<void> {
  const { access, sites } = deps;

  const findSite = async (domain: string): Promise<Site> => {
    const site = (await sites.listSites()).find((s) => s.domain === domain);
    if (!site) throw footfallError('FOOTFALL_ERR_SITE_NOT_FOUND', domain);
    return site;
  };

  app.get('/api/sites', async (req) => {
    const id = await access.identify(req);
    const visible = new Set(await access.sitesVisibleTo(id));
    const list = (await sites.listSites()).filter((s) => visible.has(s.domain));
    const views: SiteView[] = [];
    for (const s of list) views.push(siteView(s, await access.roleOn(id, s.domain), id));
    return { sites: views };
  });

  app.get('/api/sites/:domain', async (req) => {
    const id = await access.identify(req);
    const site = await findSite(domainParam(req));
    return { site: siteView(site, await access.roleOn(id, site.domain), id) };
  });

  app.post('/api/sites', async (req, reply) => {
    const fields = bodyFields(req, ['domain', 'timezone', 'umamiId']);
    const site = await addSite(sites, {
      domain: requiredString(fields, 'domain', 300),
      timezone: fields.timezone === undefined ? undefined : requiredString(fields, 'timezone', 100),
      umamiId: fields.umamiId === undefined ? undefined : requiredString(fields, 'umamiId', 100),
    });
    await deps.refreshSites();
    reply.code(201);
    return { site: siteView(site, 'owner', await access.identify(req)) };
  });

  app.patch('/api/sites/:domain', async (req) => {
    const fields = bodyFields(req, ['timezone']);
    const timezone = normalizeTimezone(requiredString(fields, 'timezone', 100));
    const id = await access.identify(req);
    const site = await sites.setSiteTimezone(domainParam(req), timezone);
    if (!site) throw footfallError('FOOTFALL_ERR_SITE_NOT_FOUND', domainParam(req));
    await deps.refreshSites();
    return { site: siteView(site, await access.roleOn(id, site.domain), id) };
  });

  app.delete('/api/sites/:domain', async (req, reply) => {
    const fields = bodyFields(req, ['confirm']);
    const domain = domainParam(req);
    // Deleting every event of a site is not undone: the caller types the domain again.
    if (fields.confirm !== domain)
      throw footfallError('FOOTFALL_ERR_CONFIRM_MISMATCH', `send {"confirm": "${domain}"}`);
    await removeSite(sites, domain);
    await deps.refreshSites();
    reply.code(204);
  });
}
