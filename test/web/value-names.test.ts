// Readable names in the Devices panel (issue 12, item 7): languages by name, device and
// screen classes capitalised; everything else, and anything malformed, exactly as tracked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayValue } from '../../src/web/format/value.js';

test('language tags are shown by their English names', () => {
  assert.equal(displayValue('en-US', 'visit:language'), 'English (United States)');
  assert.equal(displayValue('de', 'visit:language'), 'German');
  assert.equal(displayValue('pt-BR', 'visit:language'), 'Portuguese (Brazil)');
});

test('device and screen classes are capitalised; names the API already gives pass through', () => {
  assert.equal(displayValue('laptop', 'visit:screen'), 'Laptop');
  assert.equal(displayValue('mobile', 'visit:device'), 'Mobile');
  assert.equal(displayValue('Desktop', 'visit:device'), 'Desktop');
  assert.equal(displayValue('(not set)', 'visit:screen'), '(not set)');
});

test('other dimensions, empty and malformed values are left alone', () => {
  assert.equal(displayValue('laptop', 'event:page'), 'laptop');
  assert.equal(displayValue('en-US'), 'en-US');
  assert.equal(displayValue('', 'visit:language'), '(none)');
  for (const hostile of ['<img src=x onerror=alert(1)>', 'en-US\u202e', 'x'.repeat(300), '(not set)']) {
    assert.equal(displayValue(hostile, 'visit:language'), hostile);
  }
});
