// Custom events (page views and engagement pings left out). Clicking an event filters the
// dashboard by it, like any row; with that filter set the panel breaks the event down by
// one of its properties (event:props:<key>), e.g. the `url` of outbound-link clicks. The
// keys offered are the ones that event's rows carry in the range and filters, most-used
// first (POST /api/v2/prop-keys), so nobody has to guess a key's spelling (issue 12, B4).
import { useState } from 'preact/hooks';
import { propKeys } from '../api/stats.js';
import { useDash } from '../dashboard/context.js';
import { PanelError } from '../dashboard/failures.js';
import { propKeysRequest } from '../dashboard/requests.js';
import { formatCount } from '../format/number.js';
import { isFilterValue } from '../state/url-state.js';
import { Skeleton } from '../ui/Status.js';
import { useFetch } from '../ui/use-fetch.js';
import { Breakdown } from './Breakdown.js';
import { Panel } from './Panel.js';
import { EVENTS_TAB, type TabDef } from './tabs.js';

/** Properties Footfall's tracker itself sends, chosen first when the event has them. */
const KNOWN_KEYS: Record<string, string> = {
  'Outbound Link: Click': 'url',
  'File Download': 'url',
  '404': 'path',
};

function propTab(key: string): TabDef {
  const dim = `event:props:${key}`;
  return { key: dim, label: key, dim: () => dim, heading: () => key, metrics: ['visitors', 'events'] };
}

function EventProps(props: { event: string }) {
  const dash = useDash();
  const req = propKeysRequest(dash.scope);
  const keys = useFetch(JSON.stringify(req), (signal) => propKeys(dash.api, req, signal));
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const list = keys.data?.keys ?? [];
  const known = KNOWN_KEYS[props.event];
  // The one picked, while the event still has it; else the tracker's own key; else the most used.
  const key =
    list.find((k) => k.key === chosen)?.key ?? list.find((k) => k.key === known)?.key ?? list[0]?.key;
  return (
    <div class="props">
      <p class="props-title">
        Properties of <strong dir="auto">{props.event}</strong>
      </p>
      {keys.error !== undefined ? (
        <PanelError error={keys.error} retry={keys.reload} />
      ) : !keys.data ? (
        <Skeleton rows={2} />
      ) : list.length === 0 ? (
        <p class="empty">This event has no properties in this period.</p>
      ) : (
        <>
          <label class="prop-picker">
            Property
            <select value={key} onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}>
              {list.map((k) => (
                <option key={k.key} value={k.key}>
                  {k.key} ({formatCount(k.events)})
                </option>
              ))}
            </select>
          </label>
          {key && <Breakdown key={key} tab={propTab(key)} title={`${props.event} properties`} />}
        </>
      )}
    </div>
  );
}

export function EventsPanel() {
  const dash = useDash();
  const event = isFilterValue(dash.state, 'event:name');
  return (
    <Panel id="events" title="Custom events">
      {event === undefined ? (
        <Breakdown tab={EVENTS_TAB} title="Custom events" />
      ) : (
        <EventProps key={event} event={event} />
      )}
    </Panel>
  );
}
