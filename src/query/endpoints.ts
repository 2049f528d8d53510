// The read endpoints — stats query, journeys, realtime — defined once: the HTTP API
// (api/stats-routes.ts), the control socket (server/control.ts) and `footfall query` opening
// the data directory itself (cli/query-target.ts) all route through this table, so the three
// can never parse or answer a request differently.
import { resolveSegments, type SegmentLookup } from '../segments/resolve.js';
import { funnel, parseFunnelRequest } from './funnel.js';
import { journeys, parseJourneyRequest } from './journeys.js';
import { parseQuery } from './parse.js';
import { parsePropKeysRequest, propKeys } from './prop-keys.js';
import { realtime } from './realtime.js';
import type { QueryEngine } from './run-query.js';

export type Endpoint = 'query' | 'journeys' | 'realtime' | 'prop-keys' | 'funnel';

export interface EndpointDef {
  /** The HTTP API's method and path; GET endpoints read their input from the query string. */
  method: 'GET' | 'POST';
  path: string;
  /**
   * Answers a request: `input` is the JSON body (POST) or the query string's fields (GET);
   * `segments` resolves its saved-segment filters for the one asking (src/segments/).
   */
  run(engine: QueryEngine, input: unknown, nowMs: number, segments: SegmentLookup): Promise<unknown>;
  /** Takes no filters (so a share link limited to a segment may not ask it: it would see the whole site). */
  unfiltered?: true;
}

export const ENDPOINTS: Readonly<Record<Endpoint, EndpointDef>> = {
  query: {
    method: 'POST',
    path: '/api/v2/query',
    run: async (engine, body, _now, segments) =>
      engine.query(parseQuery(await resolveSegments(body, segments))),
  },
  journeys: {
    method: 'POST',
    path: '/api/v2/journeys',
    run: async (engine, body, _now, segments) =>
      journeys(engine, parseJourneyRequest(await resolveSegments(body, segments, false))),
  },
  // Funnels of saved or given goal steps (funnel.ts).
  funnel: {
    method: 'POST',
    path: '/api/v2/funnel',
    run: async (engine, body, _now, segments) =>
      funnel(engine, parseFunnelRequest(await resolveSegments(body, segments, false))),
  },
  // The custom-property keys an event carries, for the dashboard's property picker.
  'prop-keys': {
    method: 'POST',
    path: '/api/v2/prop-keys',
    run: async (engine, body, _now, segments) =>
      propKeys(engine, parsePropKeysRequest(await resolveSegments(body, segments, false))),
  },
  realtime: {
    method: 'GET',
    path: '/api/v2/realtime',
    unfiltered: true,
    run: (engine, input, nowMs) => realtime(engine, siteIdOf(input), nowMs),
  },
};

function siteIdOf(input: unknown): string {
  const v =
    input !== null && typeof input === 'object' ? (input as { site_id?: unknown }).site_id : undefined;
  return typeof v === 'string' ? v : '';
}
