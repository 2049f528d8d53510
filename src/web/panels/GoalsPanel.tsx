// Goals: each goal's conversions — unique visitors, total conversions and conversion rate —
// from the event:goal breakdown. Clicking a goal filters the whole dashboard by it; the site's
// goals are made in its settings.
import { Breakdown } from './Breakdown.js';
import { Panel } from './Panel.js';
import { GOALS_TAB } from './tabs.js';

export function GoalsPanel() {
  return (
    <Panel id="goals" title="Goals">
      <Breakdown tab={GOALS_TAB} title="Goals" />
    </Panel>
  );
}
