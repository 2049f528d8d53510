import assert from 'node:assert/strict';
import { test } from 'node:test';
import { screenClass } from '../../src/enrich/screen.js';

test("a screen narrower than 576 px is Mobile (Plausible's names)", () => {
  assert.equal(screenClass(320), 'Mobile');
  assert.equal(screenClass(575), 'Mobile');
});

test('a screen from 576 to 991 px is Tablet', () => {
  assert.equal(screenClass(576), 'Tablet');
  assert.equal(screenClass(768), 'Tablet');
  assert.equal(screenClass(991), 'Tablet');
});

test('a screen from 992 to 1439 px is Laptop', () => {
  assert.equal(screenClass(992), 'Laptop');
  assert.equal(screenClass(1366), 'Laptop');
  assert.equal(screenClass(1439), 'Laptop');
});

test('a screen 1440 px or wider is Desktop', () => {
  assert.equal(screenClass(1440), 'Desktop');
  assert.equal(screenClass(1920), 'Desktop');
  assert.equal(screenClass(7680), 'Desktop');
});

test('a fractional width is classed by its value', () => {
  assert.equal(screenClass(575.5), 'Mobile');
  assert.equal(screenClass(1439.9), 'Laptop');
});

test('a missing, zero or invalid width gives no class', () => {
  for (const width of [null, 0, -1, -600, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    assert.equal(screenClass(width), '', String(width));
  }
});
