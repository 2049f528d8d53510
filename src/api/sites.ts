// /api/sites: the sites an identity may see, and (by role) adding, changing and deleting them.
// Adding and removing go through src/sites/manage.ts, like the CLI and the control socket.
import type { FastifyInstance } from 'fastify';
import type { EffectiveRole, Identity } from '../auth/identity.js';
import { footfallError } from '../errors.js';
import { checkRetentionMonths } from '../jobs/retention.js';
import { localDate } from '../query/zoned-time.js';
import { addSite, removeSite } from '../sites/manage.js';
import { normalizeTimezone } from '../sites/timezone.js';
import type { Site } from '../store/types.js';
import type { AccountApiDeps } from './account-deps.js';
import { bodyFields, domainParam, requiredString } from './input.js';

interface SiteView {
  domain: string;
  timezone: string;
  umamiId?: string | null;
  /** Months the site keeps its events; null: forever. */
  retentionMonths?: number | null;
  /** The date (site's time zone) of the oldest event kept; only on GET /api/sites/:domain. */
  oldestEvent?: string | null;
  role: EffectiveRole | undefined;
}

function siteView(
  site: Site,
  role: EffectiveRole | undefined,
  id: Identity,
  retentionMonths: number | null,
): SiteView {
  // A share link shows only what its dashboard needs.
  if (id.kind === 'share') return { domain: site.domain, timezone: site.timezone, role };
  return { domain: site.domain, timezone: site.timezone, umamiId: site.umamiId, retentionMonths, role };
}

export async function siteRoutes(app: FastifyInstance, deps: AccountApiDeps): Promise<void> {
  const { access, sites, siteData } = deps;
  const retentionOf = (domain: string) => siteData.jobs.retentionOf(domain);

  const findSite = async (domain: string): Promise<Site> => {
    const site = (await sites.listSites()).find((s) => s.domain === domain);
    if (!site) throw footfallError('FOOTFALL_ERR_SITE_NOT_FOUND', domain);
    return site;
  };

  app.get('/api/sites', async (req) => {
    const id = await access.identify(req);
    const visible = new Set(await access.sitesVisibleTo(id));
    const list = (await sites.listSites()).filter((s) => visible.has(s.domain));
    const limits = new Map((await siteData.jobs.retentionRules()).map((r) => [r.siteId, r.months]));
    const views: SiteView[] = [];
    for (const s of list)
      views.push(siteView(s, await access.roleOn(id, s.domain), id, limits.get(s.id) ?? null));
    return { sites: views };
  });

  app.get('/api/sites/:domain', async (req) => {
    const id = await access.identify(req);
    const site = await findSite(domainParam(req));
    const view = siteView(site, await access.roleOn(id, site.domain), id, await retentionOf(site.domain));
    if (id.kind !== 'share') {
      const oldest = await siteData.firstEventMs(site);
      view.oldestEvent = oldest === undefined ? null : localDate(oldest, site.timezone);
    }
    return { site: view };
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
    return { site: siteView(site, 'owner', await access.identify(req), null) };
  });

  // Either setting or both; each is checked before either is written.
  app.patch('/api/sites/:domain', async (req) => {
    const fields = bodyFields(req, ['timezone', 'retentionMonths']);
    const timezone =
      fields.timezone === undefined ? undefined : normalizeTimezone(requiredString(fields, 'timezone', 100));
    const months = 'retentionMonths' in fields ? checkRetentionMonths(fields.retentionMonths) : undefined;
    if (timezone === undefined && months === undefined) {
      throw footfallError('FOOTFALL_ERR_INVALID_FIELD', 'send timezone, retentionMonths or both');
    }
    const id = await access.identify(req);
    let site = await findSite(domainParam(req));
    if (timezone !== undefined) {
      site = (await sites.setSiteTimezone(site.domain, timezone)) ?? site;
      await deps.refreshSites();
    }
    if (months !== undefined) await siteData.jobs.setRetention(site.domain, months);
    return { site: siteView(site, await access.roleOn(id, site.domain), id, await retentionOf(site.domain)) };
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
