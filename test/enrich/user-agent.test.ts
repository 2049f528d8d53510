import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createUserAgentParser, type UserAgentInfo } from '../../src/enrich/user-agent.js';
import { BROWSERS } from './ua-corpus.js';

const EMPTY: UserAgentInfo = { browser: '', browserVersion: '', os: '', osVersion: '', device: '' };

describe('user agent parsing', () => {
  const parse = createUserAgentParser();

  for (const c of BROWSERS) {
    const x = c.expected;
    const os = x.osVersion === '' ? x.os : `${x.os} ${x.osVersion}`;
    test(`${c.label} reads as ${x.browser} ${x.browserVersion} on ${os}, ${x.device}`, () => {
      assert.deepEqual({ ...parse(c.ua) }, x);
    });
  }

  test('an empty user agent gives every field empty', () => {
    assert.deepEqual({ ...parse('') }, EMPTY);
    assert.deepEqual({ ...parse('   ') }, EMPTY);
  });

  test('a user agent the parser does not recognise gives empty fields, not guesses', () => {
    assert.deepEqual({ ...parse('definitely not a browser') }, EMPTY);
  });

  test('an iPad on iOS 12 is still called iOS (iPadOS began at 13)', () => {
    const info = parse(
      'Mozilla/5.0 (iPad; CPU OS 12_5_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1.2 Mobile/15E148 Safari/604.1',
    );
    assert.equal(info.os, 'iOS');
    assert.equal(info.osVersion, '12.5');
    assert.equal(info.device, 'Tablet');
  });
});

describe('user agent cache', () => {
  const ua = BROWSERS[0]!.ua;

  test('the same user agent twice returns the same cached result', () => {
    const parse = createUserAgentParser();
    const first = parse(ua);
    assert.equal(parse(ua), first);
  });

  test('cached results are frozen, so one caller cannot change what another sees', () => {
    const info = createUserAgentParser()(ua);
    assert.ok(Object.isFrozen(info));
  });

  test('with the cache off every call parses again and gives an equal result', () => {
    const parse = createUserAgentParser({ cacheSize: 0 });
    const first = parse(ua);
    const second = parse(ua);
    assert.notEqual(second, first);
    assert.deepEqual(second, first);
  });

  test('the cache keeps no more than cacheSize user agents', () => {
    const parse = createUserAgentParser({ cacheSize: 1 });
    const a = parse(BROWSERS[0]!.ua);
    parse(BROWSERS[1]!.ua);
    const again = parse(BROWSERS[0]!.ua);
    assert.notEqual(again, a, 'evicted entry was parsed again');
    assert.deepEqual(again, a);
  });

  test('a negative or fractional cacheSize is refused', () => {
    assert.throws(() => createUserAgentParser({ cacheSize: -1 }), RangeError);
    assert.throws(() => createUserAgentParser({ cacheSize: 1.5 }), RangeError);
  });

  test('user agents that differ only after 500 characters share one cache entry', () => {
    const parse = createUserAgentParser();
    const long = ua + ' '.repeat(500);
    assert.equal(parse(`${long}A`), parse(`${long}B`));
  });
});

describe('hostile user agents', () => {
  const parse = createUserAgentParser();

  function assertBounded(info: UserAgentInfo): void {
    for (const [field, value] of Object.entries(info)) {
      assert.equal(typeof value, 'string', field);
      assert.ok(value.length <= 50, `${field} is ${value.length} characters`);
      assert.match(value, /^[\x20-\x7e]*$/, `${field} is printable ASCII`);
    }
  }

  test('a 10 KB garbage user agent does not throw and gives bounded fields', () => {
    let seed = 42;
    const garbage = Array.from({ length: 10_240 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return String.fromCharCode(seed % 0x3000);
    }).join('');
    assertBounded(parse(garbage));
    assertBounded(parse(`Mozilla/5.0 (Windows NT 10.0) ${'('.repeat(10_000)}`));
  });

  test('an absurdly long version or name is cut to 50 characters', () => {
    const info = parse(`Mozilla/5.0 (X11; Linux x86_64; rv:1.0) Gecko/20100101 Firefox/${'9'.repeat(400)}`);
    assert.equal(info.browser, 'Firefox');
    assert.equal(info.browserVersion, '9'.repeat(50));
    assertBounded(parse(`Mozilla/5.0 (Windows NT ${'1'.repeat(300)}) Chrome/1.0 Safari/537.36`));
  });

  test('control characters and non-ASCII text never reach a field', () => {
    assertBounded(
      parse('Mozilla/5.0 (Linux; Android 14\u0000\u202e; Pixel) Chrome/124.0 Mobile Safari/537.36'),
    );
  });
});
