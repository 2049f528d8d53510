// The Stats API calls (Plausible Stats API v2 shape), shared by the dashboard and the share view.
import type { Api } from './http.js';
import type {
  FunnelRequest,
  FunnelResponse,
  JourneysRequest,
  JourneysResponse,
  PropKeysRequest,
  PropKeysResponse,
  QueryRequest,
  QueryResponse,
  RealtimeResponse,
} from './types.js';

export function query(api: Api, body: QueryRequest, signal?: AbortSignal): Promise<QueryResponse> {
  return api.send<QueryResponse>('POST', '/api/v2/query', body, signal);
}

export function realtime(api: Api, site: string, signal?: AbortSignal): Promise<RealtimeResponse> {
  return api.get<RealtimeResponse>(`/api/v2/realtime?site_id=${encodeURIComponent(site)}`, signal);
}

export function journeys(api: Api, body: JourneysRequest, signal?: AbortSignal): Promise<JourneysResponse> {
  return api.send<JourneysResponse>('POST', '/api/v2/journeys', body, signal);
}

export function funnel(api: Api, body: FunnelRequest, signal?: AbortSignal): Promise<FunnelResponse> {
  return api.send<FunnelResponse>('POST', '/api/v2/funnel', body, signal);
}

export function propKeys(api: Api, body: PropKeysRequest, signal?: AbortSignal): Promise<PropKeysResponse> {
  return api.send<PropKeysResponse>('POST', '/api/v2/prop-keys', body, signal);
}

/** A metric of the first row, or null (an aggregate over no events answers no rows, or zeros). */
export function firstMetric(res: QueryResponse | undefined, index = 0): number | null {
  const v = res?.results[0]?.metrics[index];
  return typeof v === 'number' ? v : null;
}
