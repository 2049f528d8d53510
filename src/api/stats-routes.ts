// The stats API: Plausible's Stats API v2 query endpoint, realtime visitors and journeys.
// Who may read which site is decided before these handlers run, by the access rules in
// src/auth/rules.ts (each of these routes reads the site named by its `site_id`).
import type { FastifyPluginAsync } from 'fastify';
import { journeys, parseJourneyRequest } from '../query/journeys.js';
import { parseQuery } from '../query/parse.js';
import { realtime } from '../query/realtime.js';
import type { QueryEngine } from '../query/run-query.js';

export interface StatsRoutesOptions {
  engine: QueryEngine;
  now: () => number;
}

export const statsRoutes: FastifyPluginAsync<StatsRoutesOptions> = async (app, { engine, now }) => {
  app.post('/api/v2/query', async (req) => engine.query(parseQuery(req.body)));

  app.post('/api/v2/journeys', async (req) => journeys(engine, parseJourneyRequest(req.body)));

  app.get<{ Querystring: { site_id: string } }>('/api/v2/realtime', async (req) =>
    realtime(engine, req.query.site_id, now()),
  );
};
