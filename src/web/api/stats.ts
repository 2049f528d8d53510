// The Stats API calls (Plausible Stats API v2 shape), shared by the dashboard and the share view.
import type { Api } from './http.js';
import type {
  FunnelRequest,
  FunnelResponse,
  JourneysRequest,
  JourneysResponse,
  Money,
  PropKeysRequest,
  PropKeysResponse,
  QueryRequest,
  QueryResponse,
  QueryRow,
  RealtimeResponse,
} from './types.js';

export async function query(
  api: Api,
  body: QueryRequest,
  signal?: AbortSignal,
  /** 'high': before the other requests waiting for a connection (request-queue.ts). */
  priority?: RequestPriority,
): Promise<QueryResponse> {
  const res = await api.send<QueryResponse>('POST', '/api/v2/query', body, signal, priority);
  for (const row of res.results) splitMoney(row);
  return res;
}

/**
 * Revenue metrics arrive as {value, currency, short, long}: every panel, chart and card reads
 * numbers, so the amount stays in `metrics` and the whole value moves to `money`.
 */
function splitMoney(row: QueryRow): void {
  const values = row.metrics as unknown[];
  if (!values.some((v) => typeof v === 'object' && v !== null)) return;
  row.money = values.map((v) => (typeof v === 'object' && v !== null ? (v as Money) : null));
  row.metrics = row.money.map((m, i) => (m ? m.value : (values[i] as number | null)));
}

export function realtime(api: Api, site: string, signal?: AbortSignal): Promise<RealtimeResponse> {
  return api.get<RealtimeResponse>(`/api/v2/realtime?site_id=${encodeURIComponent(site)}`, signal);
}

export function journeys(api: Api, body: JourneysRequest, signal?: AbortSignal): Promise<JourneysResponse> {
  // The dashboard's slowest panel, and among the last to ask: it goes before the others waiting
  // for a connection (request-queue.ts).
  return api.send<JourneysResponse>('POST', '/api/v2/journeys', body, signal, 'high');
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
