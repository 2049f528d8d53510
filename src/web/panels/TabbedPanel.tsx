// A panel whose tabs are all ranked lists (Pages, Sources, Devices).
import { useState } from 'preact/hooks';
import { Breakdown } from './Breakdown.js';
import { Panel } from './Panel.js';
import type { PanelDef } from './tabs.js';

export function TabbedPanel(props: { def: PanelDef }) {
  const [active, setActive] = useState(props.def.tabs[0]!.key);
  const tab = props.def.tabs.find((t) => t.key === active) ?? props.def.tabs[0]!;
  return (
    <Panel
      id={props.def.key}
      title={props.def.title}
      tabs={props.def.tabs}
      active={tab.key}
      onTab={setActive}
    >
      <Breakdown key={tab.key} tab={tab} title={props.def.title} />
    </Panel>
  );
}
