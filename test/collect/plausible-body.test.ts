// The Plausible Events API body (POST /api/event) read by the parser itself, field by field:
// every bound to its exact value, long and one-letter names, and the code and message of each
// refusal. Fast (no server); the HTTP tests show the same answers reach the client. Written for
// the mutants of plausible.ts that survived `npm run test:mutation -- collect` (issue 20).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromPlausibleBody, parseJsonObject, parseName, parseProps } from '../../src/collect/plausible.js';
import { answer, codeOf } from '../helpers/refusal.js';

const PAGE = 'https://shop.example/cart?utm_source=news#step2';

describe('parseJsonObject: bytes → a JSON object, or the 4xx saying why not', () => {
  it('a UTF-8 JSON object is returned as parsed', () => {
    assert.deepEqual(parseJsonObject(Buffer.from('{"n":"pageview","u":"é"}')), { n: 'pageview', u: 'é' });
  });

  it('bytes that are not UTF-8 are INVALID_ENCODING naming the body', () => {
    assert.equal(
      answer(() => parseJsonObject(Buffer.from([0x7b, 0xff, 0x7d]))),
      'FOOTFALL_ERR_INVALID_ENCODING: text must be valid UTF-8 without NUL bytes: body',
    );
  });

  it('text that is not JSON is INVALID_JSON', () => {
    assert.equal(
      answer(() => parseJsonObject(Buffer.from('{n:1}'))),
      'FOOTFALL_ERR_INVALID_JSON: body is not valid JSON',
    );
    assert.equal(
      codeOf(() => parseJsonObject(Buffer.alloc(0))),
      'FOOTFALL_ERR_INVALID_JSON',
    );
  });

  it('JSON that is not an object (text, number, null, array) is NOT_AN_OBJECT', () => {
    for (const text of ['"x"', '1', 'null', '[]', '[{"n":"a"}]', 'true']) {
      assert.equal(
        answer(() => parseJsonObject(Buffer.from(text))),
        'FOOTFALL_ERR_NOT_AN_OBJECT: body must be a JSON object',
        text,
      );
    }
  });
});

describe('parseName', () => {
  it('is trimmed, and kept up to 120 characters counted as code points', () => {
    assert.equal(parseName('  Signup  '), 'Signup');
    assert.equal(parseName('a'.repeat(120)), 'a'.repeat(120));
    // 120 emoji are 240 UTF-16 units and still 120 characters.
    assert.equal(parseName('😀'.repeat(120)), '😀'.repeat(120));
  });

  it('121 characters, an empty or blank name is INVALID_NAME', () => {
    for (const name of ['a'.repeat(121), '😀'.repeat(121), '', '   ']) {
      assert.equal(
        answer(() => parseName(name)),
        'FOOTFALL_ERR_INVALID_NAME: event name must be a non-empty string of at most 120 characters',
        name,
      );
    }
  });

  it('a missing name or one of another type says the name is required', () => {
    for (const name of [undefined, null, 5, ['pageview']]) {
      assert.equal(
        answer(() => parseName(name)),
        'FOOTFALL_ERR_INVALID_NAME: event name must be a non-empty string of at most 120 characters: name is required',
      );
    }
  });

  it('a NUL in the name is INVALID_ENCODING naming the field', () => {
    assert.equal(
      answer(() => parseName('a\0b')),
      'FOOTFALL_ERR_INVALID_ENCODING: text must be valid UTF-8 without NUL bytes: name',
    );
  });
});

describe('parseProps', () => {
  const PROPS_ERR = 'FOOTFALL_ERR_INVALID_PROPS: props must be an object of at most 30 scalar values';

  it('absent, null or the JSON text null are no props', () => {
    assert.deepEqual(parseProps(undefined), []);
    assert.deepEqual(parseProps(null), []);
    assert.deepEqual(parseProps('null'), []);
  });

  it('an object or its JSON text gives its entries in order, scalars as text, null values skipped', () => {
    const want = [
      ['plan', 'pro'],
      ['seats', '3'],
      ['trial', 'false'],
    ];
    assert.deepEqual(parseProps({ plan: 'pro', seats: 3, gone: null, trial: false }), want);
    assert.deepEqual(parseProps('{"plan":"pro","seats":3,"gone":null,"trial":false}'), want);
    assert.deepEqual(parseProps({ a: undefined, b: 'x' }), [['b', 'x']]);
  });

  it('text that is not JSON is refused as such', () => {
    assert.equal(
      answer(() => parseProps('{plan:1}')),
      `${PROPS_ERR} (keys ≤ 300 bytes, values ≤ 2,000 bytes): not valid JSON`,
    );
  });

  it('a value that is not an object (or JSON text of one) is refused', () => {
    for (const value of [5, true, '"text"', '[1]', ['a'], '7']) {
      assert.equal(
        answer(() => parseProps(value)),
        `${PROPS_ERR} (keys ≤ 300 bytes, values ≤ 2,000 bytes): not an object`,
        JSON.stringify(value),
      );
    }
  });

  it('30 props are kept and 31 refused, counted before null values are skipped', () => {
    const of = (n: number, value: unknown = 'v') =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, value]));
    assert.equal(parseProps(of(30)).length, 30);
    assert.equal(
      answer(() => parseProps(of(31))),
      `${PROPS_ERR} (keys ≤ 300 bytes, values ≤ 2,000 bytes): 31 props`,
    );
    assert.equal(
      codeOf(() => parseProps(of(31, null))),
      'FOOTFALL_ERR_INVALID_PROPS',
    );
  });

  it('a nested value is refused naming its key, cut at 40 characters', () => {
    assert.equal(
      answer(() => parseProps({ cart: { items: 2 } })),
      `${PROPS_ERR} (keys ≤ 300 bytes, values ≤ 2,000 bytes): value of "cart" is not a scalar`,
    );
    assert.equal(
      answer(() => parseProps({ ['k'.repeat(50)]: [1] })),
      `${PROPS_ERR} (keys ≤ 300 bytes, values ≤ 2,000 bytes): value of "${'k'.repeat(40)}" is not a scalar`,
    );
  });

  it('keys of 1 to 300 bytes and values up to 2,000 bytes are kept, counted in UTF-8', () => {
    const key = 'é'.repeat(150); // 300 bytes
    const value = 'é'.repeat(1000); // 2,000 bytes
    assert.deepEqual(parseProps({ [key]: value }), [[key, value]]);
    assert.deepEqual(parseProps({ k: '' }), [['k', '']]);
  });

  it('an empty key or one over 300 bytes is refused', () => {
    for (const key of ['', `${'é'.repeat(150)}a`]) {
      assert.equal(
        answer(() => parseProps({ [key]: 'v' })),
        `${PROPS_ERR} (keys ≤ 300 bytes, values ≤ 2,000 bytes): key length`,
      );
    }
  });

  it('a value over 2,000 bytes is refused, a number too', () => {
    assert.equal(
      answer(() => parseProps({ k: `${'é'.repeat(1000)}a` })),
      `${PROPS_ERR} (keys ≤ 300 bytes, values ≤ 2,000 bytes): value length`,
    );
  });

  it('a NUL in a key or a value is INVALID_ENCODING naming props', () => {
    for (const props of [{ 'a\0': 'v' }, { a: 'v\0' }]) {
      assert.equal(
        answer(() => parseProps(props)),
        'FOOTFALL_ERR_INVALID_ENCODING: text must be valid UTF-8 without NUL bytes: props',
      );
    }
  });
});

describe('fromPlausibleBody', () => {
  it('reads every field from its one-letter name, as the tracker sends it', () => {
    const raw = fromPlausibleBody({
      n: 'pageview',
      u: PAGE,
      d: 'shop.example',
      r: 'https://news.example/item?id=1',
      t: 'Cart',
      p: '{"plan":"pro"}',
      i: false,
      w: '1280',
      l: 'de-CH',
      sd: 55,
      e: 1500,
      $: '{"amount":"29.99","currency":"eur"}',
    });
    assert.deepEqual(raw, {
      name: 'pageview',
      url: {
        hostname: 'shop.example',
        pathname: '/cart',
        utmSource: 'news',
        utmMedium: '',
        utmCampaign: '',
        utmTerm: '',
        utmContent: '',
      },
      domains: ['shop.example'],
      referrer: 'https://news.example/item?id=1',
      title: 'Cart',
      props: [['plan', 'pro']],
      interactive: false,
      screenWidth: 1280,
      language: 'de-CH',
      scrollDepth: 55,
      engagementMs: 1500,
      revenue: { amount: '29.990', currency: 'EUR' },
    });
  });

  it('reads every field from its long name, and the long name wins over the short one', () => {
    const raw = fromPlausibleBody({
      name: 'Purchase',
      n: 'ignored',
      url: 'https://a.example/x',
      u: 'https://b.example/y',
      domain: 'a.example',
      d: 'b.example',
      referrer: 'https://r.example/',
      r: 'https://other.example/',
      title: 'T',
      t: 'other',
      props: { k: 'v' },
      p: { other: 'x' },
      interactive: true,
      i: false,
      screen_width: 375,
      w: 9999,
      language: 'fr',
      l: 'en',
      scroll_depth: 100,
      sd: 1,
      engagement_time: 86_400_000,
      e: 1,
      revenue: { amount: 5, currency: 'USD' },
      $: { amount: 7, currency: 'EUR' },
    });
    assert.equal(raw.name, 'Purchase');
    assert.equal(raw.url.hostname, 'a.example');
    assert.deepEqual(raw.domains, ['a.example']);
    assert.equal(raw.referrer, 'https://r.example/');
    assert.equal(raw.title, 'T');
    assert.deepEqual(raw.props, [['k', 'v']]);
    assert.equal(raw.interactive, true);
    assert.equal(raw.screenWidth, 375);
    assert.equal(raw.language, 'fr');
    assert.equal(raw.scrollDepth, 100);
    assert.equal(raw.engagementMs, 86_400_000);
    assert.deepEqual(raw.revenue, { amount: '5.000', currency: 'USD' });
  });

  it('a long name sent as null still wins over the short one (only undefined falls back)', () => {
    const raw = fromPlausibleBody({
      n: 'pageview',
      u: PAGE,
      title: null,
      t: 'short',
      w: 640,
      screen_width: null,
    });
    assert.equal(raw.title, '');
    assert.equal(raw.screenWidth, null);
  });

  it('the optional fields default to nothing: no referrer, title, props, screen, language or revenue', () => {
    const raw = fromPlausibleBody({ n: 'pageview', u: 'https://shop.example/' });
    assert.equal(raw.referrer, '');
    assert.equal(raw.title, '');
    assert.deepEqual(raw.props, []);
    assert.equal(raw.interactive, true);
    assert.equal(raw.screenWidth, null);
    assert.equal(raw.language, '');
    assert.equal(raw.scrollDepth, null);
    assert.equal(raw.engagementMs, null);
    assert.equal(raw.revenue, null);
  });

  it('only false and 0 make an event non-interactive', () => {
    const interactive = (i: unknown) => fromPlausibleBody({ n: 'x', u: PAGE, i }).interactive;
    assert.equal(interactive(false), false);
    assert.equal(interactive(0), false);
    for (const i of [true, 1, undefined, null, 'false', '0']) assert.equal(interactive(i), true, String(i));
  });

  it('the hash flag keeps the fragment in the path only as true or 1', () => {
    const path = (h: unknown) => fromPlausibleBody({ n: 'x', u: PAGE, h }).url.pathname;
    assert.equal(path(true), '/cart#step2');
    assert.equal(path(1), '/cart#step2');
    assert.equal(fromPlausibleBody({ n: 'x', u: PAGE, hash: true, h: false }).url.pathname, '/cart#step2');
    for (const h of [undefined, false, 0, 'true', '1', 2]) assert.equal(path(h), '/cart', String(h));
  });

  it('a domain list is trimmed, its empty entries dropped; without one the URL names the site', () => {
    const domains = (d: unknown) => fromPlausibleBody({ n: 'x', u: PAGE, d }).domains;
    assert.deepEqual(domains(' a.example , b.example,,'), ['a.example', 'b.example']);
    assert.deepEqual(domains(undefined), ['shop.example']);
    assert.deepEqual(domains(''), ['shop.example']);
    const ten = Array.from({ length: 10 }, (_, i) => `s${i}.example`);
    assert.deepEqual(domains(ten.join(',')), ten);
    const longest = `${'a'.repeat(245)}.example`; // 253 characters
    assert.deepEqual(domains(longest), [longest]);
  });

  it('a domain list of no names, more than 10, or a name over 253 characters is refused', () => {
    const ERR =
      'FOOTFALL_ERR_INVALID_FIELD: a field has the wrong type or size: domain must name 1 to 10 sites';
    const eleven = Array.from({ length: 11 }, (_, i) => `s${i}.example`).join(',');
    for (const d of [
      ',',
      ' , ',
      eleven,
      `${'a'.repeat(246)}.example`,
      `ok.example,${'a'.repeat(246)}.example`,
    ]) {
      assert.equal(
        answer(() => fromPlausibleBody({ n: 'x', u: PAGE, d })),
        ERR,
        d,
      );
    }
    assert.equal(
      answer(() => fromPlausibleBody({ n: 'x', u: PAGE, d: ['a.example'] })),
      'FOOTFALL_ERR_INVALID_FIELD: a field has the wrong type or size: domain must be a string',
    );
  });

  it('screen width takes 0 to 100,000, numbers or numeric text, rounded', () => {
    const width = (w: unknown) => fromPlausibleBody({ n: 'x', u: PAGE, w }).screenWidth;
    assert.equal(width(0), 0);
    assert.equal(width(100_000), 100_000);
    assert.equal(width(' 1024 '), 1024);
    assert.equal(width(1279.6), 1280);
    assert.equal(width(null), null);
  });

  it('screen width outside 0 to 100,000, not finite, blank or not a number is refused with its range', () => {
    const ERR =
      'FOOTFALL_ERR_INVALID_FIELD: a field has the wrong type or size: screen_width must be a number from 0 to 100000';
    for (const w of [
      -1,
      100_001,
      -0.5,
      100_000.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '',
      ' ',
      'wide',
      '12px',
      true,
      [800],
    ]) {
      assert.equal(
        answer(() => fromPlausibleBody({ n: 'x', u: PAGE, w })),
        ERR,
        String(w),
      );
    }
  });

  it('scroll depth takes 0 to 100 and engagement time 0 to a day, each refused past its bounds', () => {
    const body = (extra: object) => ({ n: 'x', u: PAGE, ...extra });
    assert.equal(fromPlausibleBody(body({ sd: 0 })).scrollDepth, 0);
    assert.equal(fromPlausibleBody(body({ e: 0 })).engagementMs, 0);
    assert.equal(
      answer(() => fromPlausibleBody(body({ sd: 101 }))),
      'FOOTFALL_ERR_INVALID_FIELD: a field has the wrong type or size: scroll_depth must be a number from 0 to 100',
    );
    assert.equal(
      answer(() => fromPlausibleBody(body({ sd: -1 }))),
      'FOOTFALL_ERR_INVALID_FIELD: a field has the wrong type or size: scroll_depth must be a number from 0 to 100',
    );
    assert.equal(
      answer(() => fromPlausibleBody(body({ e: 86_400_001 }))),
      'FOOTFALL_ERR_INVALID_FIELD: a field has the wrong type or size: engagement_time must be a number from 0 to 86400000',
    );
  });

  it('a title is cut at 1,000 characters and a language at 35', () => {
    const raw = fromPlausibleBody({ n: 'x', u: PAGE, t: 't'.repeat(1001), l: 'l'.repeat(36) });
    assert.equal(raw.title, 't'.repeat(1000));
    assert.equal(raw.language, 'l'.repeat(35));
  });

  it('a referrer over 2,000 bytes loses its query', () => {
    const ref = `https://news.example/item?${'q'.repeat(2000)}`;
    assert.equal(fromPlausibleBody({ n: 'x', u: PAGE, r: ref }).referrer, 'https://news.example/item');
  });

  it('text fields of another type are refused naming the field', () => {
    for (const [field, value] of [
      ['r', 5],
      ['t', {}],
      ['l', true],
    ] as const) {
      const name = { r: 'referrer', t: 'title', l: 'language' }[field];
      assert.equal(
        answer(() => fromPlausibleBody({ n: 'x', u: PAGE, [field]: value })),
        `FOOTFALL_ERR_INVALID_FIELD: a field has the wrong type or size: ${name} must be a string`,
      );
    }
  });

  it('a revenue that cannot be read is refused naming the field it came in', () => {
    assert.match(
      answer(() => fromPlausibleBody({ n: 'x', u: PAGE, revenue: { amount: 'x', currency: 'EUR' } })),
      /^FOOTFALL_ERR_INVALID_REVENUE: .*: revenue\.amount must be a number/,
    );
    assert.match(
      answer(() => fromPlausibleBody({ n: 'x', u: PAGE, $: { amount: 'x', currency: 'EUR' } })),
      /^FOOTFALL_ERR_INVALID_REVENUE: .*: \$\.amount must be a number/,
    );
  });

  it('the name and the URL are checked with their own codes', () => {
    assert.equal(
      codeOf(() => fromPlausibleBody({ u: PAGE })),
      'FOOTFALL_ERR_INVALID_NAME',
    );
    assert.equal(
      codeOf(() => fromPlausibleBody({ n: 'x' })),
      'FOOTFALL_ERR_MISSING_URL',
    );
    assert.equal(
      codeOf(() => fromPlausibleBody({ n: 'x', u: 'ftp://a.example/' })),
      'FOOTFALL_ERR_INVALID_URL',
    );
  });
});
