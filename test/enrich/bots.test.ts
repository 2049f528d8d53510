import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isBotRequest } from '../../src/enrich/bots.js';
import { BOTS, BROWSERS } from './ua-corpus.js';

// "a Googlebot", "an AhrefsBot"; labels that already read as a noun phrase stay as they are.
function article(label: string): string {
  if (/^(a|an|the)\s|^\w+'s\s/i.test(label)) return label;
  return /^[aeiou]/i.test(label) ? `an ${label}` : `a ${label}`;
}

describe('bot detection', () => {
  for (const c of BOTS) {
    test(`${article(c.label)} user agent is a bot`, () => {
      assert.equal(isBotRequest(c.ua), true);
    });
  }

  for (const c of BROWSERS) {
    test(`${c.label} is not a bot`, () => {
      assert.equal(isBotRequest(c.ua), false);
    });
  }

  test('an empty user agent is a bot, since every real browser sends one', () => {
    assert.equal(isBotRequest(''), true);
    assert.equal(isBotRequest('  \t'), true);
  });

  test('a 10 KB garbage user agent does not throw', () => {
    assert.equal(typeof isBotRequest('x('.repeat(5_120)), 'boolean');
  });
});
