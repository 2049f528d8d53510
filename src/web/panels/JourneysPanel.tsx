// Journeys: the most common sequences of pages within a visit.
import type { ComponentChildren } from 'preact';
import { journeys } from '../api/stats.js';
import { useDash } from '../dashboard/context.js';
import { PanelError } from '../dashboard/failures.js';
import { hasGoalFilter, journeysRequest } from '../dashboard/requests.js';
import { formatExact } from '../format/number.js';
import { Skeleton } from '../ui/Status.js';
import { useFetch } from '../ui/use-fetch.js';
import { Panel } from './Panel.js';

export function JourneysPanel() {
  const dash = useDash();
  // Journeys follow pages, not goals: the API takes no goal filter there (README).
  if (hasGoalFilter(dash.scope.filters)) {
    return (
      <Panel id="journeys" title="Journeys">
        <p class="empty">Journeys do not take a goal filter: remove it to see them.</p>
      </Panel>
    );
  }
  return <JourneysList />;
}

function JourneysList() {
  const dash = useDash();
  const req = journeysRequest(dash.scope);
  const res = useFetch(JSON.stringify(req), (signal) => journeys(dash.api, req, signal));
  let body: ComponentChildren;
  if (res.error !== undefined) body = <PanelError error={res.error} retry={res.reload} />;
  else if (!res.data) body = <Skeleton rows={3} />;
  else if (!Array.isArray(res.data.journeys) || res.data.journeys.length === 0)
    body = <p class="empty">No journeys yet</p>;
  else
    body = (
      <ol class="journeys">
        {res.data.journeys.map((j) => {
          const visits = j.visits ?? j.sessions ?? 0;
          return (
            <li key={j.pages.join('\n')}>
              <span class="journey-pages">
                {j.pages.map((p, i) => (
                  <span key={`${i}:${p}`} class="journey-step">
                    {i > 0 && (
                      <span class="journey-arrow" aria-hidden="true">
                        →
                      </span>
                    )}
                    <span dir="auto">{p}</span>
                  </span>
                ))}
              </span>
              <span class="num" title={`${formatExact(visits)} visits`}>
                {formatExact(visits)}
              </span>
            </li>
          );
        })}
      </ol>
    );
  return (
    <Panel id="journeys" title="Journeys" class={res.loading ? 'is-loading' : ''}>
      {body}
    </Panel>
  );
}
