// Custom events (page views and engagement pings left out). Clicking an event filters the
// dashboard by it, like any row; with that filter set the panel breaks the event down by
// one of its properties (event:props:<key>), e.g. the `url` of outbound-link clicks.
import { useState } from 'preact/hooks';
import { useDash } from '../dashboard/context.js';
import { isFilterValue } from '../state/url-state.js';
import { Breakdown } from './Breakdown.js';
import { Panel } from './Panel.js';
import { EVENTS_TAB, type TabDef } from './tabs.js';

/** Properties Footfall's tracker itself sends, offered first. */
const KNOWN_KEYS: Record<string, string> = {
  'Outbound Link: Click': 'url',
  'File Download': 'url',
  '404': 'path',
};

function propTab(key: string): TabDef {
  const dim = `event:props:${key}`;
  return { key: dim, label: key, dim: () => dim, heading: () => key, metrics: ['visitors', 'events'] };
}

export function EventsPanel() {
  const dash = useDash();
  const event = isFilterValue(dash.state, 'event:name');
  const [key, setKey] = useState<string | undefined>(undefined);
  const [typed, setTyped] = useState<string | undefined>(undefined);
  const propKey = key ?? (event ? KNOWN_KEYS[event] : undefined);
  return (
    <Panel id="events" title="Custom events">
      {event === undefined ? (
        <Breakdown tab={EVENTS_TAB} title="Custom events" />
      ) : (
        <div class="props">
          <p class="props-title">
            Properties of <strong dir="auto">{event}</strong>
          </p>
          <form
            class="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (typed?.trim()) setKey(typed.trim());
            }}
          >
            <label>
              Property
              <input
                value={typed ?? propKey ?? ''}
                placeholder="e.g. plan"
                onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
              />
            </label>
            <button type="submit">Show</button>
          </form>
          {propKey && <Breakdown key={propKey} tab={propTab(propKey)} title={`${event} properties`} />}
        </div>
      )}
    </Panel>
  );
}
