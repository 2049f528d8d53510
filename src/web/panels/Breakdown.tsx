// One tab of a ranked-list panel: its top rows, and a "Details" button for the rest.
import { useState } from 'preact/hooks';
import { query } from '../api/stats.js';
import { useDash } from '../dashboard/context.js';
import { PanelError } from '../dashboard/failures.js';
import { importsNotice } from '../dashboard/imports.js';
import { breakdownRequest, metricsFor } from '../dashboard/requests.js';
import { Skeleton } from '../ui/Status.js';
import { useFetch } from '../ui/use-fetch.js';
import { Details } from './Details.js';
import { linkMaker } from './links.js';
import { RankedList } from './RankedList.js';
import { type TabDef, tabFilters } from './tabs.js';

export const TOP_ROWS = 9;

export function Breakdown(props: { tab: TabDef; title: string }) {
  const dash = useDash();
  const [details, setDetails] = useState(false);
  const dim = props.tab.dim(dash.state);
  const heading = props.tab.heading(dash.state);
  const extraFilters = tabFilters(props.tab, dash.state, dim);
  const metrics = metricsFor(dash.scope.filters, props.tab.metrics);
  const req = breakdownRequest(dash.scope, dim, metrics, { limit: TOP_ROWS, extraFilters });
  const res = useFetch(JSON.stringify(req), (signal) => query(dash.api, req, signal));
  const linkFor = linkMaker(props.tab, dash.domain);
  return (
    <div class={res.loading ? 'breakdown is-loading' : 'breakdown'} aria-busy={res.loading} data-dim={dim}>
      {res.error !== undefined ? (
        <PanelError error={res.error} retry={res.reload} />
      ) : !res.data ? (
        <Skeleton rows={5} />
      ) : res.data.results.length === 0 ? (
        <p class="empty">{props.tab.empty ?? 'No data yet'}</p>
      ) : (
        <>
          <RankedList
            heading={heading}
            dim={dim}
            rows={res.data.results}
            metrics={metrics}
            linkFor={linkFor}
            onPick={(value) => dash.addFilter(['is', dim, [value]])}
          />
          {importsNotice(res.data) && <p class="imports-notice">{importsNotice(res.data)}</p>}
          <button type="button" class="btn-link details-open" onClick={() => setDetails(true)}>
            Details
          </button>
        </>
      )}
      {details && (
        <Details
          title={`${props.title}: ${heading}`}
          heading={heading}
          dim={dim}
          metrics={metricsFor(dash.scope.filters, props.tab.detailMetrics ?? props.tab.metrics)}
          extraFilters={extraFilters}
          linkFor={linkFor}
          onClose={() => setDetails(false)}
        />
      )}
    </div>
  );
}
