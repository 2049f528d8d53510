import assert from 'node:assert/strict';
import { test } from 'node:test';
import { screenClass } from '../../src/enrich/screen.js';

test('a screen narrower than 576 px is mobile', () => {
  assert.equal(screenClass(320), 'mobile');
  assert.equal(screenClass(575), 'mobile');
});

test('a screen from 576 to 991 px is tablet', () => {
  assert.equal(screenClass(576), 'tablet');
  assert.equal(screenClass(768), 'tablet');
  assert.equal(screenClass(991), 'tablet');
});

test('a screen from 992 to 1439 px is laptop', () => {
  assert.equal(screenClass(992), 'laptop');
  assert.equal(screenClass(1366), 'laptop');
  assert.equal(screenClass(1439), 'laptop');
});

test('a screen 1440 px or wider is desktop', () => {
  assert.equal(screenClass(1440), 'desktop');
  assert.equal(screenClass(1920), 'desktop');
  assert.equal(screenClass(7680), 'desktop');
});

test('a fractional width is classed by its value', () => {
  assert.equal(screenClass(575.5), 'mobile');
  assert.equal(screenClass(1439.9), 'laptop');
});

test('a missing, zero or invalid width gives no class', () => {
  for (const width of [null, 0, -1, -600, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    assert.equal(screenClass(width), '', String(width));
  }
});
