// The URL holds the dashboard's whole state: every state survives a round trip through the
// query string, defaults stay out of the URL, and a hand-edited link never breaks the page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type DashboardState,
  DEFAULT_STATE,
  decodeFilter,
  decodeState,
  encodeFilter,
  encodeState,
  isFilterValue,
  withFilter,
  withoutFilter,
} from '../../src/web/state/url-state.js';

const roundTrip = (s: DashboardState) => decodeState(encodeState(s));

test('the default state is an empty query string', () => {
  assert.equal(encodeState(DEFAULT_STATE), '');
  assert.deepEqual(decodeState(''), DEFAULT_STATE);
});

test('period, comparison, metric and filters survive a round trip', () => {
  const state: DashboardState = {
    period: '7d',
    compare: true,
    metric: 'bounce_rate',
    filters: [
      ['is', 'event:page', ['/about']],
      ['contains', 'visit:source', ['goo']],
      ['is_not', 'visit:browser', ['Chrome', 'Firefox']],
    ],
  };
  assert.equal(
    encodeState(state),
    '?period=7d&compare=1&metric=bounce_rate&f=is%2Cevent%3Apage%2C%2Fabout&f=contains%2Cvisit%3Asource%2Cgoo&f=is_not%2Cvisit%3Abrowser%2CChrome%2CFirefox',
  );
  assert.deepEqual(roundTrip(state), state);
});

test('a custom range keeps its dates', () => {
  const state: DashboardState = { ...DEFAULT_STATE, period: 'custom', from: '2026-01-01', to: '2026-02-28' };
  assert.deepEqual(roundTrip(state), state);
});

test('commas, backslashes and every other character in values survive', () => {
  const values = [
    'a,b',
    'back\\slash',
    '\\,',
    ',',
    '',
    'ünïcødé ✓ 𝔘',
    '<script>alert(1)</script>',
    '%2C&f=x',
    ' spaced ',
  ];
  for (const v of values) {
    const f = ['is', 'event:page', [v]] as ['is', string, string[]];
    assert.deepEqual(decodeFilter(encodeFilter(f)), f, JSON.stringify(v));
    assert.deepEqual(roundTrip({ ...DEFAULT_STATE, filters: [f] }).filters, [f], JSON.stringify(v));
  }
});

test('property filters keep their key, even with a comma in it', () => {
  const f = ['is', 'event:props:plan,tier', ['pro']] as ['is', string, string[]];
  assert.deepEqual(roundTrip({ ...DEFAULT_STATE, filters: [f] }).filters, [f]);
});

test('unknown periods, metrics, operators and dimensions are dropped', () => {
  const s = decodeState(
    '?period=forever&metric=revenue&f=equals,event:page,/a&f=is,visit:ip,1.2.3.4&f=is,event:page,/ok',
  );
  assert.equal(s.period, '30d');
  assert.equal(s.metric, 'visitors');
  assert.deepEqual(s.filters, [['is', 'event:page', ['/ok']]]);
});

test('a filter without values, and bare garbage, are dropped', () => {
  assert.deepEqual(decodeState('?f=is,event:page&f=&f=is&f=%E0%A4%A').filters, []);
});

test('a custom range with bad or reversed dates falls back to the default period', () => {
  for (const q of [
    '?period=custom',
    '?period=custom&from=2026-02-30&to=2026-03-01',
    '?period=custom&from=2026-03-02&to=2026-03-01',
    '?period=custom&from=yesterday&to=today',
  ]) {
    const s = decodeState(q);
    assert.equal(s.period, '30d', q);
    assert.equal(s.from, undefined, q);
  }
});

test('at most 20 filters are read from a link', () => {
  const q = Array.from({ length: 30 }, (_, i) => `f=is,event:page,/p${i}`).join('&');
  assert.equal(decodeState(`?${q}`).filters.length, 20);
});

test('a new filter replaces the one on the same dimension; removing takes one out', () => {
  let s = withFilter(DEFAULT_STATE, ['is', 'event:page', ['/a']]);
  s = withFilter(s, ['is', 'visit:source', ['Google']]);
  s = withFilter(s, ['is', 'event:page', ['/b']]);
  assert.deepEqual(s.filters, [
    ['is', 'visit:source', ['Google']],
    ['is', 'event:page', ['/b']],
  ]);
  assert.deepEqual(withoutFilter(s, 0).filters, [['is', 'event:page', ['/b']]]);
  assert.equal(isFilterValue(s, 'event:page'), '/b');
  assert.equal(isFilterValue(s, 'visit:browser'), undefined);
});

test('the funnel chosen survives a round trip; a hand-edited funnel id that is no id is dropped', () => {
  const state: DashboardState = { ...DEFAULT_STATE, filters: [], funnel: 12 };
  assert.equal(encodeState(state), '?funnel=12');
  assert.deepEqual(roundTrip(state), state);
  for (const bad of ['?funnel=0', '?funnel=-3', '?funnel=1.5', '?funnel=x', '?funnel=']) {
    assert.deepEqual(decodeState(bad), DEFAULT_STATE, bad);
  }
});
