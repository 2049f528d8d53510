// A site's dashboard. The URL's query string is the state (decoded on every render, so the
// back button and a pasted link just work); changing anything navigates to a new URL. Every
// panel loads on its own, all at once. While "Today" is shown, every panel reloads every
// 30 s in the background (paused while the tab is hidden), and the last 30 minutes' pages and
// sources are listed first.
import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { Api } from '../api/http.js';
import type { SimpleFilter } from '../api/types.js';
import { navigate, useLocation } from '../app/navigation.js';
import { EventsPanel } from '../panels/EventsPanel.js';
import { FunnelsPanel } from '../panels/FunnelsPanel.js';
import { GoalsPanel } from '../panels/GoalsPanel.js';
import { HeatmapPanel } from '../panels/HeatmapPanel.js';
import { JourneysPanel } from '../panels/JourneysPanel.js';
import { LocationsPanel } from '../panels/LocationsPanel.js';
import { RealtimePanel } from '../panels/RealtimePanel.js';
import { TabbedPanel } from '../panels/TabbedPanel.js';
import { DEVICES, PAGES, SOURCES } from '../panels/tabs.js';
import { type DashboardState, decodeState, encodeState, withFilter } from '../state/url-state.js';
import { todayIn } from '../time/range.js';
import { RefreshTick, useInterval } from '../ui/use-fetch.js';
import { ComparePicker } from './ComparePicker.js';
import { type Dash, DashContext, useDash } from './context.js';
import { ExportButton } from './ExportButton.js';
import { FilterChips } from './FilterChips.js';
import { FilterMenu } from './FilterMenu.js';
import { FailureScope } from './failures.js';
import { ImportsToggle, withImports } from './imports.js';
import { MainChart } from './MainChart.js';
import { RangePicker } from './RangePicker.js';
import { REFRESH_MS, Realtime, useRealtime } from './Realtime.js';
import { buildScope } from './requests.js';
import { SegmentMenu } from './SegmentMenu.js';
import { TopStats } from './TopStats.js';

export interface DashboardProps {
  api: Api;
  domain: string;
  timezone: string | undefined;
  /** Links shown beside the site's name (sites list, settings); none on a share page. */
  actions?: ComponentChildren;
}

export function Dashboard(props: DashboardProps) {
  const loc = useLocation();
  const today = todayIn(props.timezone);
  const dash = useMemo<Dash>(() => {
    const state = decodeState(loc.search);
    const scope = buildScope(props.domain, state, today);
    const update = (next: DashboardState) => navigate(loc.pathname + encodeState(next));
    return {
      api: state.imports ? withImports(props.api) : props.api,
      domain: props.domain,
      timezone: props.timezone,
      state,
      scope,
      scopeKey: JSON.stringify(scope),
      update,
      addFilter: (f: SimpleFilter) => update(withFilter(state, f)),
    };
  }, [loc.pathname, loc.search, props.api, props.domain, props.timezone, today]);
  return (
    <DashContext.Provider value={dash}>
      {/* Remounted when imports are switched, so every panel asks again (its request is the same). */}
      <DashboardBody key={dash.state.imports ? 'with-imports' : 'tracked'} actions={props.actions} />
    </DashContext.Provider>
  );
}

function DashboardBody(props: { actions?: ComponentChildren }) {
  const loc = useLocation();
  const dash = useDash();
  const today = todayIn(dash.timezone);
  const realtime = useRealtime();
  const live = dash.state.period === 'day';
  const [tick, setTick] = useState(0);
  useInterval(() => live && setTick((t) => t + 1), REFRESH_MS, [live]);
  return (
    <RefreshTick.Provider value={live ? tick : 0}>
      <div class="dashboard">
        <header class="dash-head">
          <h1 class="site-name" dir="auto">
            {dash.domain}
          </h1>
          <Realtime state={realtime} />
          {props.actions && <nav class="dash-actions">{props.actions}</nav>}
        </header>
        <div class="toolbar">
          <div class="toolbar-start">
            <RangePicker key={loc.search} today={today} />
            <ComparePicker key={loc.search} today={today} />
            <ImportsToggle />
          </div>
          <div class="toolbar-end">
            <ExportButton />
            <SegmentMenu />
            <FilterMenu />
          </div>
        </div>
        <FilterChips />
        <FailureScope>
          <TopStats />
          <MainChart />
          <div class="panels">
            {live && <RealtimePanel state={realtime} />}
            <TabbedPanel def={PAGES} />
            <TabbedPanel def={SOURCES} />
            <LocationsPanel />
            <TabbedPanel def={DEVICES} />
            <EventsPanel />
            {/* After Custom events, which sits beside the tall Locations panel. */}
            <GoalsPanel />
            <FunnelsPanel />
            <HeatmapPanel />
            <JourneysPanel />
          </div>
        </FailureScope>
      </div>
    </RefreshTick.Provider>
  );
}
