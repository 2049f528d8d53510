// The read endpoints — stats query, journeys, realtime — defined once: the HTTP API
// (api/stats-routes.ts), the control socket (server/control.ts) and `footfall query` opening
// the data directory itself (cli/query-target.ts) all route through this table, so the three
// can never parse or answer a request differently.
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
  /** Answers a request: `input` is the JSON body (POST) or the query string's fields (GET). */
  run(engine: QueryEngine, input: unknown, nowMs: number): Promise<unknown>;
}

export const ENDPOINTS: Readonly<Record<Endpoint, EndpointDef>> = {
  query: { method: 'POST', path: '/api/v2/query', run: (engine, body) => engine.query(parseQuery(body)) },
  journeys: {
    method: 'POST',
    path: '/api/v2/journeys',
    run: (engine, body) => journeys(engine, parseJourneyRequest(body)),
  },
  // Funnels of saved or given goal steps (funnel.ts).
  funnel: {
    method: 'POST',
    path: '/api/v2/funnel',
    run: (engine, body) => funnel(engine, parseFunnelRequest(body)),
  },
  // The custom-property keys an event carries, for the dashboard's property picker.
  'prop-keys': {
    method: 'POST',
    path: '/api/v2/prop-keys',
    run: (engine, body) => propKeys(engine, parsePropKeysRequest(body)),
  },
  realtime: {
    method: 'GET',
    path: '/api/v2/realtime',
    run: (engine, input, nowMs) => realtime(engine, siteIdOf(input), nowMs),
  },
};

function siteIdOf(input: unknown): string {
  const v =
    input !== null && typeof input === 'object' ? (input as { site_id?: unknown }).site_id : undefined;
  return typeof v === 'string' ? v : '';
}
