// Date ranges: what each choice asks the API for, and the chart's interval for it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DashboardState, DEFAULT_STATE, type Period } from '../../src/web/state/url-state.js';
import {
  addDays,
  apiDateRange,
  chooseInterval,
  daysBetween,
  lastMonth,
  todayIn,
} from '../../src/web/time/range.js';

const at = (period: Period, extra: Partial<DashboardState> = {}): DashboardState => ({
  ...DEFAULT_STATE,
  period,
  ...extra,
});

test('the chart interval follows the range', () => {
  const expected: [DashboardState, string][] = [
    [at('day'), 'hour'],
    [at('yesterday'), 'hour'],
    [at('7d'), 'day'],
    [at('30d'), 'day'],
    [at('month'), 'day'],
    [at('last_month'), 'day'],
    [at('6mo'), 'week'],
    [at('12mo'), 'month'],
    [at('all'), 'month'],
    [at('custom', { from: '2026-03-01', to: '2026-03-02' }), 'hour'],
    [at('custom', { from: '2026-03-01', to: '2026-03-03' }), 'day'],
    [at('custom', { from: '2026-01-01', to: '2026-04-10' }), 'day'],
    [at('custom', { from: '2026-01-01', to: '2026-06-30' }), 'week'],
    [at('custom', { from: '2024-01-01', to: '2026-06-30' }), 'month'],
  ];
  for (const [state, interval] of expected) {
    assert.equal(chooseInterval(state), interval, `${state.period} ${state.from ?? ''} ${state.to ?? ''}`);
  }
});

test('symbolic ranges go to the API as they are; the rest become dates', () => {
  const today = '2026-03-01';
  assert.equal(apiDateRange(at('day'), today), 'day');
  assert.equal(apiDateRange(at('7d'), today), '7d');
  assert.equal(apiDateRange(at('all'), today), 'all');
  assert.deepEqual(apiDateRange(at('yesterday'), today), ['2026-02-28', '2026-02-28']);
  assert.deepEqual(apiDateRange(at('last_month'), today), ['2026-02-01', '2026-02-28']);
  assert.deepEqual(apiDateRange(at('custom', { from: '2026-01-05', to: '2026-01-09' }), today), [
    '2026-01-05',
    '2026-01-09',
  ]);
});

test('last month across a year boundary and in a leap year', () => {
  assert.deepEqual(lastMonth('2026-01-15'), ['2025-12-01', '2025-12-31']);
  assert.deepEqual(lastMonth('2024-03-31'), ['2024-02-01', '2024-02-29']);
});

test('day arithmetic', () => {
  assert.equal(addDays('2026-03-01', -1), '2026-02-28');
  assert.equal(addDays('2025-12-31', 1), '2026-01-01');
  assert.equal(daysBetween('2026-03-01', '2026-03-01'), 1);
  assert.equal(daysBetween('2026-01-01', '2026-12-31'), 365);
});

test("today is the site's date, not the browser's", () => {
  const now = new Date('2026-03-01T23:30:00Z');
  assert.equal(todayIn('UTC', now), '2026-03-01');
  assert.equal(todayIn('Asia/Tokyo', now), '2026-03-02');
  assert.equal(todayIn('America/Los_Angeles', now), '2026-03-01');
  assert.match(todayIn('Not/AZone', now), /^\d{4}-\d{2}-\d{2}$/);
});
