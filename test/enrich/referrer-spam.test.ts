import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isReferrerSpam } from '../../src/enrich/referrer-spam.js';

describe('isReferrerSpam', () => {
  it('flags a listed domain', () => {
    assert.equal(isReferrerSpam('semalt.com'), true);
    assert.equal(isReferrerSpam('darodar.com'), true);
  });

  it('flags any subdomain of a listed domain', () => {
    assert.equal(isReferrerSpam('semalt.semalt.com'), true);
    assert.equal(isReferrerSpam('forum.topic123.darodar.com'), true);
  });

  it('ignores case and a trailing dot', () => assert.equal(isReferrerSpam('Buttons-For-Website.COM.'), true));

  it('passes normal hosts', () => {
    for (const host of ['google.com', 'news.ycombinator.com', 'example.org', 'com', '']) {
      assert.equal(isReferrerSpam(host), false, host);
    }
  });

  it('does not flag a domain that merely ends with a listed name', () => {
    assert.equal(isReferrerSpam('notsemalt.com'), false);
    assert.equal(isReferrerSpam('semalt.com.example.org'), false);
  });
});
