// The stats API: Plausible's Stats API v2 query endpoint, realtime visitors and journeys.
// Who may read which site is decided before these handlers run, by the access rules in
// src/auth/rules.ts (each of these routes reads the site named by its `site_id`). Each
// request's statements are counted against the identity asking (src/store/query-owner.ts),
// so one reader's flood of heavy queries waits on its own share of the query connections.
import type { FastifyPluginAsync } from 'fastify';
import type { Access } from '../auth/access.js';
import type { Identity } from '../auth/identity.js';
import { footfallError } from '../errors.js';
import { ENDPOINTS } from '../query/endpoints.js';
import type { QueryEngine } from '../query/run-query.js';
import { segmentLookup } from '../segments/lookup.js';
import { asQueryOwner } from '../store/query-owner.js';
import type { SegmentStore } from '../store/segments.js';

export interface StatsRoutesOptions {
  engine: QueryEngine;
  now: () => number;
  access: Access;
  segments: SegmentStore;
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

/**
 * A share link limited to a segment reads through it: the segment is added to whatever
 * filters its viewer sends (an AND, so they can narrow it, never widen it).
 */
function withForcedSegment(input: unknown, id: Identity): unknown {
  if (id.kind !== 'share' || id.segmentId === null) return input;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const filters = (input as { filters?: unknown }).filters;
  const own = Array.isArray(filters) ? filters : filters === undefined ? [] : [filters];
  return { ...input, filters: [...own, ['is', 'segment', [id.segmentId]]] };
}

export const statsRoutes: FastifyPluginAsync<StatsRoutesOptions> = async (
  app,
  { engine, now, access, segments },
) => {
  for (const def of Object.values(ENDPOINTS)) {
    app.route({
      method: def.method,
      url: def.path,
      handler: async (req) => {
        const id = await access.identify(req);
        // An endpoint without filters (realtime) would show a link limited to a segment pages
        // and sources outside it.
        if (def.unfiltered && id.kind === 'share' && id.segmentId !== null)
          throw footfallError(
            'FOOTFALL_ERR_FORBIDDEN',
            `${def.path} covers the whole site; this link shows one segment`,
          );
        const input = withForcedSegment(def.method === 'GET' ? req.query : req.body, id);
        // Personal segments are their owner's alone; everyone else uses the site's shared ones.
        const lookup = segmentLookup(segments, id.kind === 'user' ? id.userId : null);
        return asQueryOwner(queryOwnerOf(id), () => def.run(engine, input, now(), lookup));
      },
    });
  }
};
