// Funnels: a saved funnel of the site (chosen here, kept in the URL as `funnel=<id>`), one bar
// per step sized by its share of the visitors who entered, with the drop-off from the step
// before. The dashboard's range and filters apply (not a goal filter: funnels are of goals
// already). Step and funnel names are tracked-adjacent text: rendered as text, dir="auto".
import { funnels } from '../api/account.js';
import { funnel } from '../api/stats.js';
import type { FunnelInfo } from '../api/types.js';
import { useDash } from '../dashboard/context.js';
import { PanelError } from '../dashboard/failures.js';
import { hasGoalFilter } from '../dashboard/requests.js';
import { formatExact, formatPercent } from '../format/number.js';
import { Skeleton } from '../ui/Status.js';
import { useFetch } from '../ui/use-fetch.js';
import { Panel } from './Panel.js';

export function FunnelsPanel() {
  const dash = useDash();
  const saved = useFetch(`funnels:${dash.domain}`, () => funnels.list(dash.api, dash.domain));
  // A share link or a site without funnels: nothing to show, so no panel.
  if (saved.error !== undefined || !saved.data || saved.data.length === 0) return null;
  const chosen = saved.data.find((f) => f.id === dash.state.funnel) ?? saved.data[0]!;
  return (
    <Panel id="funnels" title="Funnels">
      <label class="funnel-pick">
        <span class="visually-hidden">Funnel</span>
        <select
          value={String(chosen.id)}
          onChange={(e) =>
            dash.update({ ...dash.state, funnel: Number((e.target as HTMLSelectElement).value) })
          }
        >
          {saved.data.map((f) => (
            <option key={f.id} value={String(f.id)}>
              {f.name}
            </option>
          ))}
        </select>
      </label>
      {hasGoalFilter(dash.scope.filters) ? (
        <p class="empty">Funnels do not take a goal filter: remove it to see them.</p>
      ) : (
        <FunnelSteps funnel={chosen} />
      )}
    </Panel>
  );
}

function FunnelSteps(props: { funnel: FunnelInfo }) {
  const dash = useDash();
  const req = {
    site_id: dash.scope.site,
    date_range: dash.scope.dateRange,
    filters: dash.scope.filters,
    funnel_id: props.funnel.id,
  };
  const res = useFetch(JSON.stringify(req), (signal) => funnel(dash.api, req, signal));
  if (res.error !== undefined) return <PanelError error={res.error} retry={res.reload} />;
  if (!res.data) return <Skeleton rows={props.funnel.steps.length} />;
  const data = res.data;
  return (
    <div class={res.loading ? 'is-loading' : ''}>
      <ol class="funnel-steps">
        {data.steps.map((s, i) => (
          <li key={`${i}:${s.label}`} class="funnel-step">
            <span class="funnel-label">
              <span class="bar" style={{ width: `${Math.min(100, s.conversion_rate)}%` }} />
              <span class="row-text" dir="auto" title={s.label}>
                {i + 1}. {s.label}
              </span>
            </span>
            <span class="num funnel-visitors" title={`${formatExact(s.visitors)} visitors`}>
              {formatExact(s.visitors)}
            </span>
            <span class="num funnel-rate" title={`${formatExact(s.conversion_rate)}% of those who entered`}>
              {formatPercent(s.conversion_rate)}
            </span>
            {i > 0 && (
              <span class="funnel-drop muted" title={`${formatExact(s.dropoff_percentage)}% dropped off`}>
                −{formatExact(s.dropoff)} ({formatPercent(s.dropoff_percentage)})
              </span>
            )}
          </li>
        ))}
      </ol>
      <p class="muted funnel-note">
        {formatExact(data.entering_visitors)} of {formatExact(data.all_visitors)} visitors entered;{' '}
        {data.funnel_type} within 24 hours.
      </p>
    </div>
  );
}
