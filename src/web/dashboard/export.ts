// The dashboard's Export (a zip of the current view's panels as CSV, as Plausible's dashboard
// export) and each Details view's Download CSV: the same queries the panels send, under the
// same range, filters and drill-downs, but every row (up to the API's 10,000 a page), written
// by the CSV formatter of `footfall query --csv` (export/csv.ts: formula-safe cells).
import { zipSync } from 'fflate';
import { formatCsv } from '../../export/csv.js';
import type { Api } from '../api/http.js';
import { query } from '../api/stats.js';
import type { Filter, Metric, QueryRequest, QueryResponse } from '../api/types.js';
import { DEVICES, EVENTS_TAB, LOCATIONS, PAGES, SOURCES, type TabDef, tabFilters } from '../panels/tabs.js';
import { type DashboardState, TOP_METRICS } from '../state/url-state.js';
import { breakdownRequest, metricsFor, type Scope, timeseriesRequest } from './requests.js';

/** The most rows one file holds: the Stats API's largest page. */
export const MAX_ROWS = 10_000;

export interface ExportFile {
  /** The file's name in the zip: `pages.csv`, `utm_campaign.csv`… */
  name: string;
  heading: string;
  metrics: Metric[];
  request: QueryRequest;
}

/** A breakdown's whole query, as a Details view asks it (the tab's own filters included). */
export function detailsRequest(
  scope: Scope,
  dim: string,
  metrics: Metric[],
  extraFilters: Filter[] = [],
  search?: string,
): QueryRequest {
  return breakdownRequest(scope, dim, metrics, { limit: MAX_ROWS, extraFilters, search });
}

/** The files of the current view: the chart's series and every tab of every ranked panel. */
export function exportFiles(scope: Scope, state: DashboardState): ExportFile[] {
  const series = timeseriesRequest(scope, 'visitors');
  // The chart's series: the top row's metrics, one column each.
  const seriesMetrics = metricsFor(scope.filters, [...TOP_METRICS]);
  const files: ExportFile[] = [
    {
      name: 'visitors.csv',
      heading: 'date',
      metrics: seriesMetrics,
      request: { ...series, metrics: seriesMetrics, include: {} },
    },
  ];
  const tabs: TabDef[] = [...PAGES.tabs, ...SOURCES.tabs, ...LOCATIONS.tabs, ...DEVICES.tabs, EVENTS_TAB];
  for (const tab of tabs) {
    const dim = tab.dim(state);
    const metrics = metricsFor(scope.filters, tab.detailMetrics ?? tab.metrics);
    files.push({
      name: `${fileName(tab.heading(state))}.csv`,
      heading: tab.heading(state),
      metrics,
      request: detailsRequest(scope, dim, metrics, tabFilters(tab, state, dim)),
    });
  }
  return files;
}

/** "UTM campaign" → "utm_campaign"; "Firefox versions" → "firefox_versions". */
export function fileName(heading: string): string {
  return (
    heading
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'panel'
  );
}

export function csvOf(heading: string, metrics: readonly Metric[], res: QueryResponse): string {
  const rows = res.results.map((r) => [
    ...r.dimensions.map((d) => String(d)),
    ...r.metrics.map((m) => (m === null ? '' : String(m))),
  ]);
  return `${formatCsv([heading, ...metrics], rows)}\n`;
}

/** Asks every file's query (two at a time, as a share of the identity's query slots) and zips them. */
export async function exportZip(api: Api, files: readonly ExportFile[]): Promise<Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const queue = [...files];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      const res = await query(api, f.request);
      out[f.name] = new TextEncoder().encode(csvOf(f.heading, f.metrics, res));
    }
  };
  await Promise.all([worker(), worker()]);
  return zipSync(out, { level: 6 });
}

/** Hands bytes to the browser as a download named `name`. */
export function download(name: string, bytes: Uint8Array | string, type: string): void {
  // A copy on its own ArrayBuffer: what Blob takes.
  const part = typeof bytes === 'string' ? bytes : new Uint8Array(bytes);
  const url = URL.createObjectURL(new Blob([part], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
