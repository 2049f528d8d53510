// The Locations panel's first tab: the world map over the ranked list of countries, both
// from one query (countriesRequest); rows and map clicks filter by country name.
import { useState } from 'preact/hooks';
import { query } from '../api/stats.js';
import { useDash } from '../dashboard/context.js';
import { PanelError } from '../dashboard/failures.js';
import { countriesRequest, metricsFor } from '../dashboard/requests.js';
import { splitCountries } from '../map/countries.js';
import { WorldMap } from '../map/WorldMap.js';
import { Skeleton } from '../ui/Status.js';
import { useFetch } from '../ui/use-fetch.js';
import { TOP_ROWS } from './Breakdown.js';
import { Details } from './Details.js';
import { RankedList } from './RankedList.js';
import type { TabDef } from './tabs.js';

export function CountriesTab(props: { tab: TabDef; title: string }) {
  const dash = useDash();
  const [details, setDetails] = useState(false);
  const dim = 'visit:country_name';
  const req = countriesRequest(dash.scope);
  const res = useFetch(JSON.stringify(req), (signal) => query(dash.api, req, signal));
  const pick = (name: string) => dash.addFilter(['is', dim, [name]]);
  const split = res.data && splitCountries(res.data, TOP_ROWS);
  return (
    <div class={res.loading ? 'breakdown is-loading' : 'breakdown'} aria-busy={res.loading} data-dim={dim}>
      {res.error !== undefined ? (
        <PanelError error={res.error} retry={res.reload} />
      ) : !split ? (
        <Skeleton rows={6} />
      ) : (
        <>
          <WorldMap countries={split.map} onPick={pick} />
          {split.rows.length === 0 ? (
            <p class="empty">No data yet</p>
          ) : (
            <>
              <RankedList
                heading={props.tab.label}
                rows={split.rows}
                metrics={metricsFor(dash.scope.filters, props.tab.metrics)}
                onPick={pick}
              />
              <button type="button" class="btn-link details-open" onClick={() => setDetails(true)}>
                Details
              </button>
            </>
          )}
        </>
      )}
      {details && (
        <Details
          title={`${props.title}: ${props.tab.label}`}
          heading={props.tab.label}
          dim={dim}
          metrics={metricsFor(dash.scope.filters, props.tab.metrics)}
          onClose={() => setDetails(false)}
        />
      )}
    </div>
  );
}
