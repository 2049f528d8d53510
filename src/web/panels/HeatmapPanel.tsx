// When visitors come: a 7 × 24 table whose cells are shaded by visitors (opacity set
// through the CSSOM, which the CSP allows, unlike style attributes in HTML).
import type { ComponentChildren } from 'preact';
import { query } from '../api/stats.js';
import { useDash } from '../dashboard/context.js';
import { PanelError } from '../dashboard/failures.js';
import { heatmapRequest } from '../dashboard/requests.js';
import { formatExact } from '../format/number.js';
import { Skeleton } from '../ui/Status.js';
import { useFetch } from '../ui/use-fetch.js';
import { heatGrid, WEEKDAYS } from './heat-grid.js';
import { Panel } from './Panel.js';

const HOURS = Array.from({ length: 24 }, (_, h) => h);

export function HeatmapPanel() {
  const dash = useDash();
  const req = heatmapRequest(dash.scope);
  const res = useFetch(JSON.stringify(req), (signal) => query(dash.api, req, signal));
  let body: ComponentChildren;
  if (res.error !== undefined) body = <PanelError error={res.error} retry={res.reload} />;
  else if (!res.data) body = <Skeleton block />;
  else {
    const { cells, max } = heatGrid(res.data.results);
    body = (
      <table class="heatmap" aria-label="Visitors by weekday and hour">
        <thead>
          <tr>
            <td />
            {HOURS.map((h) => (
              <th scope="col" key={h}>
                {h % 6 === 0 ? String(h) : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cells.map((row, d) => (
            <tr key={WEEKDAYS[d]}>
              <th scope="row">{WEEKDAYS[d]}</th>
              {row.map((v, h) => (
                <td
                  key={HOURS[h]}
                  class="heat"
                  title={`${WEEKDAYS[d]} ${String(h).padStart(2, '0')}:00 — ${formatExact(v)} visitors`}
                >
                  <span class="heat-fill" style={{ opacity: max > 0 ? String(v / max) : '0' }} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  return (
    <Panel id="heatmap" title="Busiest times" class={res.loading ? 'is-loading' : ''}>
      {body}
    </Panel>
  );
}
