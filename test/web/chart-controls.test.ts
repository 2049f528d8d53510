// The chart's controls and what they ask for (issue 12, item 6): the interval picker's choices
// per range, year-over-year and custom comparisons in the URL and the requests, buckets still
// to come left blank, and "new" instead of a percentage from an empty period.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryResponse } from '../../src/web/api/types.js';
import { comparisonRange, toSeries, withoutFuture } from '../../src/web/chart/series.js';
import { buildScope, topStatsRequest } from '../../src/web/dashboard/requests.js';
import { formatChange } from '../../src/web/format/number.js';
import {
  type DashboardState,
  DEFAULT_STATE,
  decodeState,
  encodeState,
  type Period,
} from '../../src/web/state/url-state.js';
import { addYears, chooseInterval, intervalsFor, nowIn } from '../../src/web/time/range.js';

const at = (period: Period, extra: Partial<DashboardState> = {}): DashboardState => ({
  ...DEFAULT_STATE,
  period,
  ...extra,
});

test('the interval picker offers the buckets that make sense for the range', () => {
  const expected: [DashboardState, string[]][] = [
    [at('day'), ['hour']],
    [at('7d'), ['hour', 'day']],
    [at('30d'), ['day', 'week']],
    [at('month'), ['day', 'week']],
    [at('6mo'), ['day', 'week', 'month']],
    [at('12mo'), ['day', 'week', 'month']],
    [at('all'), ['week', 'month']],
    [at('custom', { from: '2026-03-01', to: '2026-03-02' }), ['hour', 'day']],
    [at('custom', { from: '2020-01-01', to: '2026-03-02' }), ['week', 'month']],
  ];
  for (const [state, intervals] of expected) assert.deepEqual(intervalsFor(state), intervals, state.period);
});

test('a picked interval is used only where the range offers it', () => {
  assert.equal(chooseInterval(at('30d', { interval: 'week' })), 'week');
  assert.equal(chooseInterval(at('7d', { interval: 'hour' })), 'hour');
  // Months over 30 days would be one or two points: the range's own choice instead.
  assert.equal(chooseInterval(at('30d', { interval: 'month' })), 'day');
  assert.equal(chooseInterval(at('all', { interval: 'hour' })), 'month');
});

test('interval and comparison mode survive the URL; bad values are dropped', () => {
  const states: DashboardState[] = [
    at('30d', { interval: 'week' }),
    at('7d', { compare: true, compareMode: 'year_over_year' }),
    at('7d', { compare: true, compareMode: 'custom', compareFrom: '2026-01-01', compareTo: '2026-01-07' }),
  ];
  for (const s of states) assert.deepEqual(decodeState(encodeState(s)), s);
  assert.equal(encodeState(states[1]!), '?period=7d&compare=yoy');
  assert.deepEqual(decodeState('?interval=fortnight'), DEFAULT_STATE);
  assert.deepEqual(decodeState('?compare=custom&cfrom=2026-02-01&cto=2026-01-01'), DEFAULT_STATE);
  assert.deepEqual(decodeState('?compare=custom&cfrom=nope&cto=2026-01-01'), DEFAULT_STATE);
});

test('the top row asks the API for the chosen comparison', () => {
  const yoy = buildScope(
    'example.com',
    at('7d', { compare: true, compareMode: 'year_over_year' }),
    '2026-03-10',
  );
  assert.deepEqual(topStatsRequest(yoy).include, { comparisons: { mode: 'year_over_year' } });
  const custom = buildScope(
    'example.com',
    at('7d', { compare: true, compareMode: 'custom', compareFrom: '2026-01-01', compareTo: '2026-01-07' }),
    '2026-03-10',
  );
  assert.deepEqual(topStatsRequest(custom).include, {
    comparisons: { mode: 'custom', date_range: ['2026-01-01', '2026-01-07'] },
  });
  // Turning comparison off leaves the mode in the state but out of the request.
  const off = buildScope(
    'example.com',
    at('7d', { compare: false, compareMode: 'year_over_year' }),
    '2026-03-10',
  );
  assert.equal(topStatsRequest(off).include, undefined);
});

test("the chart's dashed line covers the previous period, the same dates a year earlier, or the custom range", () => {
  const resolved = ['2026-03-01T00:00:00+01:00', '2026-03-07T23:59:59.999+01:00'];
  assert.deepEqual(comparisonRange(resolved, { mode: 'previous_period' }), ['2026-02-22', '2026-02-28']);
  assert.deepEqual(comparisonRange(resolved, { mode: 'year_over_year' }), ['2025-03-01', '2025-03-07']);
  assert.deepEqual(comparisonRange(resolved, { mode: 'custom', date_range: ['2026-01-05', '2026-01-11'] }), [
    '2026-01-05',
    '2026-01-11',
  ]);
  assert.equal(addYears('2028-02-29', -1), '2027-02-28');
  assert.equal(addYears('2027-03-01', -1), '2026-03-01');
});

test('buckets after now are blank, not 0; the compared period keeps all of its buckets', () => {
  const hours = Array.from({ length: 24 }, (_, h) => `2026-03-10 ${String(h).padStart(2, '0')}:00:00`);
  const res: QueryResponse = {
    results: [{ dimensions: ['2026-03-10 09:00:00'], metrics: [4] }],
    meta: { time_labels: hours },
    query: {},
  };
  const before: QueryResponse = { results: [], meta: { time_labels: hours }, query: {} };
  const s = withoutFuture(toSeries(res, before), '2026-03-10 09:41:07');
  assert.deepEqual(s.current.slice(8, 11), [0, 4, null]);
  assert.equal(s.current.filter((v) => v === null).length, 14);
  assert.equal(s.previous?.length, 24);
  // Day buckets: today is drawn, tomorrow is not.
  const days = withoutFuture(
    toSeries({ results: [], meta: { time_labels: ['2026-03-10', '2026-03-11'] }, query: {} }),
    '2026-03-10 09:41:07',
  );
  assert.deepEqual(days.current, [0, null]);
});

test("now is read in the site's time zone, in the form of the API's hourly labels", () => {
  const instant = new Date('2026-03-10T23:30:15Z');
  assert.equal(nowIn('UTC', instant), '2026-03-10 23:30:15');
  assert.equal(nowIn('Europe/Berlin', instant), '2026-03-11 00:30:15');
  assert.equal(nowIn('America/New_York', instant), '2026-03-10 19:30:15');
});

test('a change from a period without visitors reads "new", not a percentage', () => {
  assert.deepEqual(formatChange('visitors', 69471, true), { text: 'new', tone: 'flat' });
  assert.deepEqual(formatChange('visitors', 12, false), { text: '+12%', tone: 'good' });
});
