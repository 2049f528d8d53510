// The dashboard's ranked-list panels: for each tab the dimension it breaks down by, the
// metrics shown, and which values are links. A tab's dimension may depend on the filters,
// to drill down: with a browser filter set, "Browsers" lists that browser's versions.
import type { Filter, Metric } from '../api/types.js';
import { CUSTOM_EVENTS_ONLY } from '../dashboard/requests.js';
import { type DashboardState, isFilterValue } from '../state/url-state.js';

export interface TabDef {
  key: string;
  label: string;
  dim: (state: DashboardState) => string;
  /** Column heading for the dimension (may also depend on the drill-down). */
  heading: (state: DashboardState) => string;
  metrics: Metric[];
  /** The Details view's columns, when it shows more than the panel (as Plausible's pages do). */
  detailMetrics?: Metric[];
  extraFilters?: Filter[];
  /**
   * Leave out the row of visits without a value (no UTM tag, no referrer, no region), which
   * would otherwise lead the list, unless the dashboard is filtered on this dimension.
   */
  hideEmpty?: boolean;
  /** What an empty list says (default "No data yet"). */
  empty?: string;
  /** 'url': the value is a URL (referrers); 'page': a path on the site. */
  link?: 'url' | 'page';
}

export interface PanelDef {
  key: string;
  title: string;
  tabs: TabDef[];
}

function tab(
  key: string,
  label: string,
  dim: string,
  metrics: Metric[],
  extra: Partial<TabDef> = {},
): TabDef {
  return { key, label, dim: () => dim, heading: () => label, metrics, ...extra };
}

/** "Browsers" → versions of the filtered browser; same for operating systems. */
function drill(key: string, label: string, dim: string, child: string, childLabel: string): TabDef {
  return {
    key,
    label,
    dim: (s) => (isFilterValue(s, dim) === undefined ? dim : child),
    heading: (s) => {
      const v = isFilterValue(s, dim);
      return v === undefined ? label : `${v} ${childLabel}`;
    },
    metrics: ['visitors', 'percentage'],
  };
}

export const PAGES: PanelDef = {
  key: 'pages',
  title: 'Pages',
  tabs: [
    // Time on page and scroll depth come from the tracker's engagement events; bounce rate
    // per page is over the visits that saw the page (README, "How every number is counted").
    tab('top', 'Top pages', 'event:page', ['visitors', 'pageviews', 'time_on_page', 'scroll_depth'], {
      link: 'page',
      detailMetrics: ['visitors', 'pageviews', 'bounce_rate', 'time_on_page', 'scroll_depth'],
    }),
    tab('entry', 'Entry pages', 'visit:entry_page', ['visitors', 'visits'], {
      link: 'page',
      detailMetrics: ['visitors', 'visits', 'bounce_rate', 'visit_duration'],
    }),
    tab('exit', 'Exit pages', 'visit:exit_page', ['visitors', 'visits'], { link: 'page' }),
    tab('titles', 'Titles', 'event:title', ['visitors', 'pageviews']),
  ],
};

export const SOURCES: PanelDef = {
  key: 'sources',
  title: 'Sources',
  tabs: [
    tab('sources', 'Sources', 'visit:source', ['visitors', 'visits']),
    tab('channels', 'Channels', 'visit:channel', ['visitors', 'visits']),
    tab('referrers', 'Referrers', 'visit:referrer', ['visitors', 'visits'], { link: 'url', hideEmpty: true }),
    tab('utm_medium', 'UTM medium', 'visit:utm_medium', ['visitors', 'visits'], { hideEmpty: true }),
    tab('utm_source', 'UTM source', 'visit:utm_source', ['visitors', 'visits'], { hideEmpty: true }),
    tab('utm_campaign', 'UTM campaign', 'visit:utm_campaign', ['visitors', 'visits'], { hideEmpty: true }),
  ],
};

export const LOCATIONS: PanelDef = {
  key: 'locations',
  title: 'Locations',
  tabs: [
    tab('countries', 'Countries', 'visit:country_name', ['visitors', 'percentage']),
    tab('regions', 'Regions', 'visit:region_name', ['visitors', 'percentage'], { hideEmpty: true }),
    tab('cities', 'Cities', 'visit:city_name', ['visitors', 'percentage'], { hideEmpty: true }),
  ],
};

export const DEVICES: PanelDef = {
  key: 'devices',
  title: 'Devices',
  tabs: [
    drill('browsers', 'Browsers', 'visit:browser', 'visit:browser_version', 'versions'),
    drill('os', 'Operating systems', 'visit:os', 'visit:os_version', 'versions'),
    tab('devices', 'Devices', 'visit:device', ['visitors', 'percentage']),
    tab('screens', 'Screens', 'visit:screen', ['visitors', 'percentage']),
    tab('languages', 'Languages', 'visit:language', ['visitors', 'percentage']),
  ],
};

/** Goals: each goal's converted visitors, its conversions and its conversion rate; a click filters by it. */
export const GOALS_TAB: TabDef = tab(
  'goals',
  'Goal',
  'event:goal',
  // Revenue columns show only for revenue goals (RankedList).
  ['visitors', 'events', 'conversion_rate', 'total_revenue', 'average_revenue'],
  {
    empty: "No conversions in this period. Goals are made in the site's settings.",
  },
);

export const EVENTS_TAB: TabDef = tab('events', 'Custom events', 'event:name', ['visitors', 'events'], {
  extraFilters: [CUSTOM_EVENTS_ONLY],
});

/**
 * The filters a tab adds to the dashboard's own: its fixed ones, and for `hideEmpty` tabs the
 * stored empty value left out (the value as stored, so it holds whatever name the API gives
 * the empty row) — unless the dashboard already filters on the dimension.
 */
export function tabFilters(tab: TabDef, state: DashboardState, dim: string): Filter[] {
  const own = tab.extraFilters ?? [];
  if (!tab.hideEmpty || state.filters.some((f) => f[1] === dim)) return own;
  return [...own, ['is_not', dim, ['']]];
}

/** Column headings for metrics in tables. */
export const METRIC_HEADINGS: Record<Metric, string> = {
  visitors: 'Visitors',
  visits: 'Visits',
  pageviews: 'Views',
  views_per_visit: 'Views/visit',
  bounce_rate: 'Bounce',
  visit_duration: 'Duration',
  events: 'Events',
  percentage: '%',
  scroll_depth: 'Scroll',
  time_on_page: 'Time',
  conversion_rate: 'CR',
  group_conversion_rate: 'CR',
  total_revenue: 'Revenue',
  average_revenue: 'Average',
};
