// What the dashboard asks the query API for, built from the URL state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  breakdownRequest,
  buildScope,
  CUSTOM_EVENTS_ONLY,
  chartMetric,
  countriesRequest,
  heatmapRequest,
  journeysRequest,
  metricsFor,
  propKeysRequest,
  timeseriesRequest,
  topStatsRequest,
} from '../../src/web/dashboard/requests.js';
import { splitCountries } from '../../src/web/map/countries.js';
import { DEVICES } from '../../src/web/panels/tabs.js';
import { last24h, sparklineRequest } from '../../src/web/sites/requests.js';
import { type DashboardState, DEFAULT_STATE } from '../../src/web/state/url-state.js';

const state: DashboardState = {
  ...DEFAULT_STATE,
  period: '7d',
  compare: true,
  filters: [['is', 'event:page', ['/a']]],
};
const scope = buildScope('example.com', state, '2026-03-10');

test('the top row asks for the six headline metrics, with comparisons when comparing', () => {
  assert.deepEqual(topStatsRequest(scope), {
    site_id: 'example.com',
    metrics: ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration'],
    date_range: '7d',
    filters: [['is', 'event:page', ['/a']]],
    include: { comparisons: { mode: 'previous_period' } },
  });
  assert.equal(topStatsRequest({ ...scope, compare: false }).include, undefined);
});

test('the chart asks for the selected metric by the interval, with time labels (the previous period is its own query)', () => {
  const req = timeseriesRequest(scope, 'pageviews');
  assert.deepEqual(req.dimensions, ['time:day']);
  assert.deepEqual(req.metrics, ['pageviews']);
  assert.deepEqual(req.include, { time_labels: true });
});

test('a breakdown is ordered by its first metric then its value, paginated, and searched by contains', () => {
  const req = breakdownRequest(scope, 'visit:source', ['visitors', 'visits'], {
    limit: 20,
    offset: 40,
    search: ' goo ',
    totalRows: true,
  });
  assert.deepEqual(req.order_by, [
    ['visitors', 'desc'],
    ['visit:source', 'asc'],
  ]);
  assert.deepEqual(req.pagination, { limit: 20, offset: 40 });
  assert.deepEqual(req.filters, [
    ['is', 'event:page', ['/a']],
    ['contains', 'visit:source', ['goo']],
  ]);
  assert.deepEqual(req.include, { total_rows: true });
});

test('custom events leave out page views and engagement pings', () => {
  const req = breakdownRequest(scope, 'event:name', ['visitors', 'events'], {
    limit: 9,
    extraFilters: [CUSTOM_EVENTS_ONLY],
  });
  assert.deepEqual(req.filters?.at(-1), ['is_not', 'event:name', ['pageview', 'engagement']]);
});

test('browsers drill down to versions when a browser filter is set', () => {
  const browsers = DEVICES.tabs[0]!;
  assert.equal(browsers.dim(DEFAULT_STATE), 'visit:browser');
  const filtered: DashboardState = { ...DEFAULT_STATE, filters: [['is', 'visit:browser', ['Firefox']]] };
  assert.equal(browsers.dim(filtered), 'visit:browser_version');
  assert.equal(browsers.heading(filtered), 'Firefox versions');
  const os = DEVICES.tabs[1]!;
  assert.equal(os.dim({ ...DEFAULT_STATE, filters: [['is', 'visit:os', ['Linux']]] }), 'visit:os_version');
});

test('the heatmap asks for weekday × hour; journeys for three steps', () => {
  assert.deepEqual(heatmapRequest(scope).dimensions, ['time:day_of_week', 'time:hour_of_day']);
  assert.deepEqual(journeysRequest(scope), {
    site_id: 'example.com',
    date_range: '7d',
    filters: [['is', 'event:page', ['/a']]],
    steps: 3,
    limit: 10,
  });
});

test('the sites list counts the last 24 hours from the start of an hour', () => {
  const now = new Date('2026-03-10T15:42:10.000Z');
  assert.deepEqual(last24h(now), ['2026-03-09T16:00:00.000Z', '2026-03-10T15:42:10.000Z']);
  assert.deepEqual(sparklineRequest('example.com', now).dimensions, ['time:hour']);
});

test('the map and the countries list share one query, split by code and by name', () => {
  const req = countriesRequest(scope);
  assert.deepEqual(req.dimensions, ['visit:country', 'visit:country_name']);
  assert.deepEqual(req.pagination, { limit: 300, offset: 0 });
  const split = splitCountries(
    {
      results: [
        { dimensions: ['DE', 'Germany'], metrics: [5, 50] },
        { dimensions: ['FR', 'France'], metrics: [3, 30] },
        { dimensions: ['', ''], metrics: [2, 20] },
      ],
      meta: {},
      query: {},
    },
    2,
  );
  assert.deepEqual(split.map, [
    { code: 'DE', name: 'Germany', visitors: 5 },
    { code: 'FR', name: 'France', visitors: 3 },
    { code: '', name: '', visitors: 2 },
  ]);
  assert.deepEqual(split.rows, [
    { dimensions: ['Germany'], metrics: [5, 50] },
    { dimensions: ['France'], metrics: [3, 30] },
  ]);
});

test('with a goal filter the dashboard asks for conversions: top row, chart, panels and countries', () => {
  const goal: DashboardState = {
    ...state,
    compare: false,
    metric: 'bounce_rate',
    filters: [['is', 'event:goal', ['Signup']]],
  };
  const goalScope = buildScope('example.com', goal, '2026-03-10');
  // Revenue cards ride along (shown for revenue goals), except while comparing: the API compares no revenue.
  assert.deepEqual(topStatsRequest(goalScope).metrics, [
    'visitors',
    'events',
    'conversion_rate',
    'total_revenue',
    'average_revenue',
  ]);
  assert.deepEqual(topStatsRequest({ ...goalScope, compare: true }).metrics, [
    'visitors',
    'events',
    'conversion_rate',
  ]);
  // A visit rate chosen before the goal filter falls back to visitors; conversions can be charted.
  assert.equal(chartMetric(goal), 'visitors');
  assert.equal(chartMetric({ ...goal, metric: 'conversion_rate' }), 'conversion_rate');
  assert.equal(chartMetric({ ...state, metric: 'conversion_rate' }), 'visitors');
  // Panels keep what the API answers with goals and add each row's conversion rate.
  assert.deepEqual(metricsFor(goal.filters, ['visitors', 'pageviews', 'time_on_page', 'scroll_depth']), [
    'visitors',
    'pageviews',
    'group_conversion_rate',
  ]);
  assert.deepEqual(metricsFor(goal.filters, ['visitors', 'events', 'conversion_rate']), [
    'visitors',
    'events',
    'conversion_rate',
  ]);
  assert.deepEqual(metricsFor(state.filters, ['visitors', 'percentage']), ['visitors', 'percentage']);
  assert.deepEqual(countriesRequest(goalScope).metrics, ['visitors', 'group_conversion_rate']);
  // The property picker lists keys without the goal filter (the prop-keys endpoint takes none).
  assert.deepEqual(propKeysRequest(goalScope).filters, []);
});
