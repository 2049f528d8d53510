// The edges of the tracking inputs' text rules, checked on the functions themselves (the HTTP
// tests show the codes reach the client; these pin each bound to its byte). Written for the
// mutants that survived `npm run test:mutation -- collect` (BENCHMARKS.md, issue 20).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LIMITS } from '../../src/collect/limits.js';
import { fromPlausibleBody } from '../../src/collect/plausible.js';
import { clampReferrer, decodeComponent, optionalText, truncateChars } from '../../src/collect/text.js';
import { parseTrackedUrl } from '../../src/collect/tracked-url.js';
import { codeOf, refusal } from '../helpers/refusal.js';

/** The message a call fails with, or 'ok'. */
const messageOf = (fn: () => unknown): string => refusal(fn)?.message ?? 'ok';

/** An absolute URL of exactly `bytes` bytes. */
function urlOf(bytes: number): string {
  const head = 'https://example.com/';
  return head + 'a'.repeat(bytes - head.length);
}

describe('the page URL', () => {
  it('a missing, null or empty url is FOOTFALL_ERR_MISSING_URL; another type is INVALID_URL', () => {
    assert.equal(
      codeOf(() => parseTrackedUrl(undefined)),
      'FOOTFALL_ERR_MISSING_URL',
    );
    assert.equal(
      codeOf(() => parseTrackedUrl(null)),
      'FOOTFALL_ERR_MISSING_URL',
    );
    assert.equal(
      codeOf(() => parseTrackedUrl('')),
      'FOOTFALL_ERR_MISSING_URL',
    );
    assert.equal(
      codeOf(() => parseTrackedUrl(0)),
      'FOOTFALL_ERR_INVALID_URL',
    );
    assert.equal(
      codeOf(() => parseTrackedUrl(['https://example.com/'])),
      'FOOTFALL_ERR_INVALID_URL',
    );
  });

  it('2,000 bytes is accepted and 2,001 refused, counted in UTF-8 bytes', () => {
    assert.equal(LIMITS.urlBytes, 2000);
    assert.equal(parseTrackedUrl(urlOf(2000)).pathname.length, 2000 - 'https://example.com'.length);
    assert.equal(
      codeOf(() => parseTrackedUrl(urlOf(2001))),
      'FOOTFALL_ERR_URL_TOO_LONG',
    );
    // 999 two-byte characters: 1,020 characters but 2,018 bytes.
    const wide = `https://example.com/${'é'.repeat(999)}`;
    assert.ok(wide.length < 2000);
    assert.equal(
      codeOf(() => parseTrackedUrl(wide)),
      'FOOTFALL_ERR_URL_TOO_LONG',
    );
  });

  it('only http and https with a host are tracked', () => {
    assert.equal(
      codeOf(() => parseTrackedUrl('ftp://example.com/')),
      'FOOTFALL_ERR_INVALID_URL',
    );
    assert.equal(
      codeOf(() => parseTrackedUrl('/relative')),
      'FOOTFALL_ERR_INVALID_URL',
    );
    assert.equal(
      codeOf(() => parseTrackedUrl('https://example.com/\0')),
      'FOOTFALL_ERR_INVALID_ENCODING',
    );
    assert.equal(parseTrackedUrl('http://example.com/a').hostname, 'example.com');
  });

  it("each refusal's message says what was wrong and names the field (README: a clear 4xx)", () => {
    assert.match(
      messageOf(() => parseTrackedUrl(42)),
      /: not a string$/,
    );
    assert.match(
      messageOf(() => parseTrackedUrl('example.com/page')),
      /: not an absolute URL$/,
    );
    assert.match(
      messageOf(() => parseTrackedUrl('ftp://example.com/')),
      /: scheme ftp: is not tracked$/,
    );
    // A lone surrogate as sent, and a NUL byte once the path is decoded: both name the url.
    assert.match(
      messageOf(() => parseTrackedUrl('https://example.com/a\uD800b')),
      /: url$/,
    );
    assert.match(
      messageOf(() => parseTrackedUrl('https://example.com/%00x')),
      /: url$/,
    );
    assert.match(
      messageOf(() => optionalText(5, 'referrer')),
      /: referrer must be a string$/,
    );
  });

  it('the fragment is part of the path only with hash routing', () => {
    assert.equal(parseTrackedUrl('https://example.com/app#/settings').pathname, '/app');
    assert.equal(parseTrackedUrl('https://example.com/app#/settings', true).pathname, '/app#/settings');
    assert.equal(parseTrackedUrl('https://example.com/app', true).pathname, '/app');
  });

  it('the h flag turns hash routing on as true or 1, and nothing else does', () => {
    const page = (h: unknown) =>
      fromPlausibleBody({ n: 'pageview', u: 'https://example.com/app#/x', d: 'example.com', h } as never).url
        .pathname;
    assert.equal(page(1), '/app#/x');
    assert.equal(page(true), '/app#/x');
    assert.equal(page(0), '/app');
    assert.equal(page(false), '/app');
    assert.equal(page(undefined), '/app');
    assert.equal(page('1'), '/app');
  });

  it('ref= and source= stand in for a missing utm_source, in that order', () => {
    const source = (q: string) => parseTrackedUrl(`https://example.com/?${q}`).utmSource;
    assert.equal(source('ref=news'), 'news');
    assert.equal(source('source=mail'), 'mail');
    assert.equal(source('source=mail&ref=news'), 'news');
    assert.equal(source('utm_source=ad&ref=news&source=mail'), 'ad');
    assert.equal(source('ref=&source=mail'), 'mail');
    assert.equal(source('x=1'), '');
  });

  it('UTM values are cut at 500 characters', () => {
    const long = 'u'.repeat(600);
    assert.equal(parseTrackedUrl(`https://example.com/?utm_campaign=${long}`).utmCampaign, 'u'.repeat(500));
  });
});

describe('text that is cut, not refused', () => {
  it('truncateChars keeps short text and cuts long text at the limit', () => {
    assert.equal(truncateChars('abc', 3), 'abc');
    assert.equal(truncateChars('abcd', 3), 'abc');
  });

  it('truncateChars never splits a surrogate pair', () => {
    // '😀' is two UTF-16 units; cutting after its first would leave a lone surrogate.
    assert.equal(truncateChars('ab😀c', 3), 'ab');
    assert.equal(truncateChars('ab😀c', 4), 'ab😀');
    assert.equal(truncateChars('😀😀', 2), '😀');
  });

  it('a referrer within 2,000 bytes is kept as sent', () => {
    const ref = `https://news.example/?q=${'a'.repeat(2000 - 'https://news.example/?q='.length)}`;
    assert.equal(Buffer.byteLength(ref), 2000);
    assert.equal(clampReferrer(ref), ref);
  });

  it('a longer referrer loses its query and fragment first', () => {
    const ref = `https://news.example/story?q=${'a'.repeat(2500)}`;
    assert.equal(clampReferrer(ref), 'https://news.example/story');
    assert.equal(
      clampReferrer(`https://news.example/story#${'a'.repeat(2500)}`),
      'https://news.example/story',
    );
  });

  it('a referrer still too long is cut at 2,000 bytes on a character boundary', () => {
    const path = 'https://news.example/';
    const ascii = path + 'p'.repeat(3000);
    assert.equal(clampReferrer(ascii), ascii.slice(0, 2000));
    // 'é' is two bytes: the 2,000-byte cut would fall inside one, so it keeps 1,999 bytes.
    const odd = `${path}${'é'.repeat(2000)}`; // 21 ASCII bytes, then two-byte characters
    const cut = clampReferrer(odd);
    assert.equal(Buffer.byteLength(cut), 1999);
    assert.ok(!cut.includes('\uFFFD'));
    assert.ok(odd.startsWith(cut));
    // A four-byte emoji split by the cut leaves no replacement character either.
    const emoji = `${path}${'😀'.repeat(600)}`; // 21 + 2,400 bytes; 2,000 − 21 = 1,979 = 4 × 494 + 3
    const cutEmoji = clampReferrer(emoji);
    assert.equal(Buffer.byteLength(cutEmoji), 21 + 4 * 494);
    assert.ok(emoji.startsWith(cutEmoji));
  });

  it('a cut referrer loses only a replacement character the cut itself made', () => {
    // A U+FFFD sent inside the referrer stays; the cut ends on a whole character here.
    const ref = `https://news.example/\uFFFD${'a'.repeat(2500)}`;
    const cut = clampReferrer(ref);
    assert.equal(Buffer.byteLength(cut), 2000);
    assert.ok(cut.startsWith('https://news.example/\uFFFDaaa'));
  });

  it('a referrer that fits once its query is gone keeps a U+FFFD it ends with', () => {
    assert.equal(
      clampReferrer(`https://news.example/x\uFFFD?${'q'.repeat(2500)}`),
      'https://news.example/x\uFFFD',
    );
    // Exactly 2,000 bytes without the query (the U+FFFD is 3 of them).
    const path = `https://news.example/${'p'.repeat(2000 - 21 - 3)}\uFFFD`;
    assert.equal(Buffer.byteLength(path), 2000);
    assert.equal(clampReferrer(`${path}#${'f'.repeat(100)}`), path);
  });

  it('decodeComponent turns + into a space and bad escapes into INVALID_ENCODING', () => {
    assert.equal(decodeComponent('a+b%20c', 'q'), 'a b c');
    assert.equal(decodeComponent('%2B', 'q'), '+');
    assert.equal(
      codeOf(() => decodeComponent('%E0%A4%A', 'q')),
      'FOOTFALL_ERR_INVALID_ENCODING',
    );
    assert.equal(
      codeOf(() => decodeComponent('%00', 'q')),
      'FOOTFALL_ERR_INVALID_ENCODING',
    );
  });
});
