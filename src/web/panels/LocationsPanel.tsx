// Locations: countries on a world map above their ranked list, then regions and cities.
import { useState } from 'preact/hooks';
import { Breakdown } from './Breakdown.js';
import { CountriesTab } from './CountriesTab.js';
import { Panel } from './Panel.js';
import { LOCATIONS } from './tabs.js';

export function LocationsPanel() {
  const [active, setActive] = useState(LOCATIONS.tabs[0]!.key);
  const tab = LOCATIONS.tabs.find((t) => t.key === active) ?? LOCATIONS.tabs[0]!;
  return (
    <Panel id="locations" title={LOCATIONS.title} tabs={LOCATIONS.tabs} active={tab.key} onTab={setActive}>
      {tab.key === 'countries' ? (
        <CountriesTab tab={tab} title={LOCATIONS.title} />
      ) : (
        <Breakdown key={tab.key} tab={tab} title={LOCATIONS.title} />
      )}
    </Panel>
  );
}
