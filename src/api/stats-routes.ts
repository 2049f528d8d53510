// The stats API: Plausible's Stats API v2 query endpoint, realtime visitors and journeys.
// Every route names its site and asks `access` whether the caller may read it.
import type { FastifyPluginAsync } from 'fastify';
import type { Access } from '../auth/access.js';
import { footfallError } from '../errors.js';
import { journeys, parseJourneyRequest } from '../query/journeys.js';
import { parseQuery } from '../query/parse.js';
import { realtime } from '../query/realtime.js';
import type { QueryEngine } from '../query/run-query.js';

export interface StatsRoutesOptions {
  engine: QueryEngine;
  access: Access;
  now: () => number;
}

function siteOf(body: unknown): string {
  const site = (body as { site_id?: unknown } | null)?.site_id;
  if (typeof site !== 'string' || site === '') {
    throw footfallError('FOOTFALL_ERR_INVALID_QUERY', "site_id: give the site's domain");
  }
  return site;
}

export const statsRoutes: FastifyPluginAsync<StatsRoutesOptions> = async (app, { engine, access, now }) => {
  app.post('/api/v2/query', async (req) => {
    // Authorise before validating, so an anonymous caller learns nothing about the query.
    await access.requireSite(req, siteOf(req.body), 'read');
    return engine.query(parseQuery(req.body));
  });

  app.post('/api/v2/journeys', async (req) => {
    await access.requireSite(req, siteOf(req.body), 'read');
    return journeys(engine, parseJourneyRequest(req.body));
  });

  app.get('/api/v2/realtime', async (req) => {
    const site = siteOf(req.query);
    await access.requireSite(req, site, 'read');
    return realtime(engine, site, now());
  });
};
