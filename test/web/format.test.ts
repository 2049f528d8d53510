// Numbers on the dashboard read the same everywhere: short counts, percentages, durations,
// and changes that say whether they are good news.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatChange,
  formatCount,
  formatDuration,
  formatExact,
  formatMetric,
  formatPercent,
} from '../../src/web/format/number.js';

test('counts are short: 999, 1.2k, 12k, 1.2M, 1B', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1000, '1k'],
    [1234, '1.2k'],
    [9999, '10k'],
    [12_345, '12k'],
    [999_499, '999k'],
    [999_999, '1M'],
    [1_234_567, '1.2M'],
    [45_000_000, '45M'],
    [1_000_000_000, '1B'],
    [-1500, '-1.5k'],
    [2.5, '2.5'],
  ];
  for (const [n, s] of cases) assert.equal(formatCount(n), s, String(n));
});

test('missing numbers show as a dash', () => {
  for (const f of [formatCount, formatExact, formatPercent, formatDuration]) {
    assert.equal(f(null), '—');
    assert.equal(f(undefined), '—');
    assert.equal(f(Number.NaN), '—');
  }
});

test('exact numbers are grouped by thousands', () => {
  assert.equal(formatExact(1_234_567), '1,234,567');
  assert.equal(formatExact(999), '999');
  assert.equal(formatExact(1234.567), '1,234.57');
});

test('durations: seconds, minutes and seconds, hours and minutes', () => {
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(45.4), '45s');
  assert.equal(formatDuration(187), '3m 7s');
  assert.equal(formatDuration(3720), '1h 2m');
});

test('each metric has its format', () => {
  assert.equal(formatMetric('visitors', 12_345), '12k');
  assert.equal(formatMetric('bounce_rate', 41.6), '42%');
  assert.equal(formatMetric('visit_duration', 65), '1m 5s');
  assert.equal(formatMetric('views_per_visit', 2.345), '2.35');
  assert.equal(formatMetric('views_per_visit', 2), '2');
  assert.equal(formatMetric('percentage', 33.3), '33%');
});

test('changes carry a sign and say whether they are good', () => {
  assert.deepEqual(formatChange('visitors', 12.4), { text: '+12%', tone: 'good' });
  assert.deepEqual(formatChange('visitors', -5), { text: '\u22125%', tone: 'bad' });
  assert.deepEqual(formatChange('bounce_rate', -5), { text: '\u22125%', tone: 'good' });
  assert.deepEqual(formatChange('bounce_rate', 3), { text: '+3%', tone: 'bad' });
  assert.deepEqual(formatChange('visitors', 0.2), { text: '0%', tone: 'flat' });
  assert.deepEqual(formatChange('visitors', null), { text: '—', tone: 'flat' });
});
