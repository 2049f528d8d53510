import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIRECT_SOURCE, sourceCategory, sourceOf } from '../../src/enrich/source.js';

const SITE = 'example.com';

function fromReferrer(referrerHost: string, siteDomain = SITE): string {
  return sourceOf({ referrerHost, utmSource: '', siteDomain });
}

function tagged(utmSource: string, referrerHost = ''): string {
  return sourceOf({ referrerHost, utmSource, siteDomain: SITE });
}

describe('sourceOf: referrer hosts', () => {
  const cases: [host: string, source: string][] = [
    ['google.com', 'Google'],
    ['google.de', 'Google'],
    ['google.co.uk', 'Google'],
    ['google.com.br', 'Google'],
    ['news.google.co.jp', 'Google'],
    ['bing.com', 'Bing'],
    ['cn.bing.com', 'Bing'],
    ['duckduckgo.com', 'DuckDuckGo'],
    ['search.yahoo.com', 'Yahoo'],
    ['yandex.ru', 'Yandex'],
    ['yandex.com.tr', 'Yandex'],
    ['search.brave.com', 'Brave Search'],
    ['news.ycombinator.com', 'Hacker News'],
    ['reddit.com', 'Reddit'],
    ['old.reddit.com', 'Reddit'],
    ['out.reddit.com', 'Reddit'],
    ['t.co', 'Twitter'],
    ['twitter.com', 'Twitter'],
    ['x.com', 'Twitter'],
    ['facebook.com', 'Facebook'],
    ['m.facebook.com', 'Facebook'],
    ['l.facebook.com', 'Facebook'],
    ['lm.facebook.com', 'Facebook'],
    ['linkedin.com', 'LinkedIn'],
    ['lnkd.in', 'LinkedIn'],
    ['github.com', 'GitHub'],
    ['mail.google.com', 'Gmail'],
    ['gemini.google.com', 'Gemini'],
    ['chatgpt.com', 'ChatGPT'],
    ['en.m.wikipedia.org', 'Wikipedia'],
    ['bsky.app', 'Bluesky'],
    ['amazon.co.uk', 'Amazon'],
    ['com.google.android.gm', 'Gmail'],
  ];
  for (const [host, source] of cases) {
    it(`${host} → ${source}`, () => assert.equal(fromReferrer(host), source));
  }

  it('keeps an unknown host as the source', () =>
    assert.equal(fromReferrer('blog.example.org'), 'blog.example.org'));

  it('normalises case, www. and a trailing dot', () => {
    assert.equal(fromReferrer('WWW.Google.DE.'), 'Google');
    assert.equal(fromReferrer('www.someblog.net'), 'someblog.net');
  });

  it('does not take a look-alike host for a brand', () => {
    assert.equal(fromReferrer('notgoogle.com'), 'notgoogle.com');
    assert.equal(fromReferrer('google.evil.com'), 'google.evil.com');
    assert.equal(fromReferrer('myt.co'), 'myt.co');
  });
});

describe('sourceOf: direct and self-referrals', () => {
  it('no referrer and no utm_source is Direct / None', () => assert.equal(fromReferrer(''), DIRECT_SOURCE));

  it('a referral from the site itself is Direct / None', () => {
    assert.equal(fromReferrer('example.com'), DIRECT_SOURCE);
    assert.equal(fromReferrer('www.example.com'), DIRECT_SOURCE);
    assert.equal(fromReferrer('shop.example.com'), DIRECT_SOURCE);
    assert.equal(fromReferrer('example.com', 'www.Example.com'), DIRECT_SOURCE);
  });

  it('a domain that merely ends the same way is not the site', () => {
    assert.equal(fromReferrer('notexample.com'), 'notexample.com');
  });

  it('utm_source still wins on a self-referral', () =>
    assert.equal(tagged('newsletter', 'example.com'), 'newsletter'));
});

describe('sourceOf: utm_source', () => {
  const cases: [utmSource: string, source: string][] = [
    ['google', 'Google'],
    ['GOOGLE', 'Google'],
    ['fb', 'Facebook'],
    ['facebook', 'Facebook'],
    ['twitter', 'Twitter'],
    ['x', 'Twitter'],
    ['hn', 'Hacker News'],
    ['news.ycombinator.com', 'Hacker News'],
    ['linkedin', 'LinkedIn'],
    ['reddit', 'Reddit'],
    ['GitHub', 'GitHub'],
    ['ig', 'Instagram'],
    ['www.google.co.uk', 'Google'],
  ];
  for (const [utmSource, source] of cases) {
    it(`${utmSource} → ${source}`, () => assert.equal(tagged(utmSource), source));
  }

  it('wins over the referrer', () => assert.equal(tagged('fb', 'google.com'), 'Facebook'));

  it('keeps an unknown value as given, trimmed', () =>
    assert.equal(tagged('  Spring Mailing  '), 'Spring Mailing'));

  it('caps a long value without splitting characters', () => {
    const long = tagged('😀'.repeat(150));
    assert.equal(Array.from(long).length, 100);
    assert.doesNotMatch(long, /[\uD800-\uDFFF]/u);
  });

  it('drops control characters', () => assert.equal(tagged('ev\u001b[2Jil'), 'ev[2Jil'));

  it('a blank utm_source falls back to the referrer', () => assert.equal(tagged('   ', 'bing.com'), 'Bing'));
});

describe('sourceCategory', () => {
  it('tells the category of a known source', () => {
    assert.equal(sourceCategory('Google'), 'search');
    assert.equal(sourceCategory('Reddit'), 'social');
    assert.equal(sourceCategory('YouTube'), 'video');
    assert.equal(sourceCategory('Gmail'), 'email');
    assert.equal(sourceCategory('Amazon'), 'shopping');
    assert.equal(sourceCategory('Perplexity'), 'ai');
  });

  it('accepts raw spellings and hosts', () => {
    assert.equal(sourceCategory('google'), 'search');
    assert.equal(sourceCategory('google.fr'), 'search');
  });

  it('is undefined for unknown sources and Direct / None', () => {
    assert.equal(sourceCategory('blog.example.org'), undefined);
    assert.equal(sourceCategory(DIRECT_SOURCE), undefined);
  });
});
