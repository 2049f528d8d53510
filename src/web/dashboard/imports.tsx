// "Include imported data": data imported from Plausible (README, "Imported stats") merged into
// every panel when on (`imports=1` in the URL). The api of such a dashboard adds
// include.imports to each Stats API query, so no panel needs to know. The switch shows only
// for sites with imports in the range, and says when a panel's question cannot use them.
import type { Api } from '../api/http.js';
import { query } from '../api/stats.js';
import type { QueryResponse } from '../api/types.js';
import { RefreshTick, useFetch } from '../ui/use-fetch.js';
import { useDash } from './context.js';

/** `api`, with include.imports on every POST /api/v2/query. */
export function withImports(api: Api): Api {
  return {
    get: (path, signal) => api.get(path, signal),
    send: (method, path, body, signal) => {
      const b = body as { include?: Record<string, unknown> } | undefined;
      const merged =
        path === '/api/v2/query' && b && typeof b === 'object'
          ? { ...b, include: { ...(b.include ?? {}), imports: true } }
          : body;
      return api.send(method, path, merged, signal);
    },
    setCsrf: (token) => api.setCsrf(token),
    get shareToken() {
      return api.shareToken;
    },
  };
}

/** Why imports were left out of an answer, in words (README: imports_skip_reason). */
export function importsNotice(res: QueryResponse | undefined): string | undefined {
  const reason = res?.meta.imports_skip_reason;
  if (typeof reason !== 'string' || reason === 'no_imported_data' || reason === 'out_of_range')
    return undefined;
  return typeof res?.meta.imports_warning === 'string' ? res.meta.imports_warning : undefined;
}

/**
 * The switch. Its probe does not follow the dashboard's 30-second refresh (imports do not
 * arrive while "Today" is shown): it asks again only when the range changes.
 */
export function ImportsToggle() {
  return (
    <RefreshTick.Provider value={0}>
      <ImportsSwitch />
    </RefreshTick.Provider>
  );
}

function ImportsSwitch() {
  const dash = useDash();
  const { scope, state } = dash;
  // One small question: does the site have imported days in this range?
  const probe = useFetch(`imports:${scope.site}:${JSON.stringify(scope.dateRange)}`, (signal) =>
    query(
      dash.api,
      { site_id: scope.site, metrics: ['visitors'], date_range: scope.dateRange, include: { imports: true } },
      signal,
    ),
  );
  const reason = probe.data?.meta.imports_skip_reason;
  if (
    !state.imports &&
    (probe.data === undefined || reason === 'no_imported_data' || reason === 'out_of_range')
  ) {
    return null;
  }
  return (
    <label class="compare imports-toggle">
      <input
        type="checkbox"
        checked={state.imports === true}
        onChange={(e) => {
          const { imports: _i, ...rest } = state;
          dash.update((e.target as HTMLInputElement).checked ? { ...rest, imports: true } : rest);
        }}
      />
      Include imported data
    </label>
  );
}
