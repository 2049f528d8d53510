// The stats API: Plausible's Stats API v2 query endpoint, realtime visitors, journeys and
// the property keys of events.
// Who may read which site is decided before these handlers run, by the access rules in
// src/auth/rules.ts (each of these routes reads the site named by its `site_id`). Each
// request's statements are counted against the identity asking (src/store/query-owner.ts),
// so one reader's flood of heavy queries waits on its own share of the query connections.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Access } from '../auth/access.js';
import type { Identity } from '../auth/identity.js';
import { journeys, parseJourneyRequest } from '../query/journeys.js';
import { parseQuery } from '../query/parse.js';
import { parsePropKeysRequest, propKeys } from '../query/prop-keys.js';
import { realtime } from '../query/realtime.js';
import type { QueryEngine } from '../query/run-query.js';
import { asQueryOwner } from '../store/query-owner.js';

export interface StatsRoutesOptions {
  engine: QueryEngine;
  now: () => number;
  access: Access;
}

/** One budget per person (their sessions and API keys together), per share link, for the admin key. */
export function queryOwnerOf(id: Identity): string {
  switch (id.kind) {
    case 'user':
      return `user:${id.userId}`;
    case 'share':
      return `share:${id.shareId}`;
    case 'admin-key':
      return 'admin-key';
    case 'anonymous':
      return 'anonymous';
  }
}

export const statsRoutes: FastifyPluginAsync<StatsRoutesOptions> = async (app, { engine, now, access }) => {
  const owned = async <T>(req: FastifyRequest, fn: () => Promise<T>): Promise<T> =>
    asQueryOwner(queryOwnerOf(await access.identify(req)), fn);

  app.post('/api/v2/query', async (req) => owned(req, () => engine.query(parseQuery(req.body))));

  app.post('/api/v2/journeys', async (req) =>
    owned(req, () => journeys(engine, parseJourneyRequest(req.body))),
  );

  // The custom-property keys an event carries, for the dashboard's property picker.
  app.post('/api/v2/prop-keys', async (req) =>
    owned(req, () => propKeys(engine, parsePropKeysRequest(req.body))),
  );

  app.get<{ Querystring: { site_id: string } }>('/api/v2/realtime', async (req) =>
    owned(req, () => realtime(engine, req.query.site_id, now())),
  );
};
