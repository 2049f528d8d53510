// Umami's collect body (POST /api/send) read by the parser itself: the type and payload checks,
// the website id, the URL built from hostname and path, the screen → width, the name, nested
// event data and revenue. Fast (no server); umami-api.test.ts runs the same through HTTP into
// the store. Written for the mutants of umami.ts that survived the collect run (issue 20).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromUmamiBody } from '../../src/collect/umami.js';
import { answer } from '../helpers/refusal.js';

const FIELD = 'FOOTFALL_ERR_INVALID_FIELD: a field has the wrong type or size';
const WEBSITE = '4fb7fa4c-5b46-438d-94b3-3a8fb9bc2e8b';
const SITES: Record<string, string> = { [WEBSITE]: 'shop.example' };
const siteDomain = (id: string): string | undefined => SITES[id];

/** An event body with this payload (the website id filled in). */
const send = (payload: Record<string, unknown>, type: unknown = 'event') =>
  fromUmamiBody({ type, payload: { website: WEBSITE, ...payload } }, siteDomain);

describe('fromUmamiBody', () => {
  it("reads a page view as Umami's script sends it, every field", () => {
    const raw = send({
      hostname: 'shop.example',
      url: '/cart?utm_source=news&utm_medium=mail',
      referrer: 'https://news.example/item',
      title: 'Cart',
      screen: '1920x1080',
      language: 'de-CH',
    });
    assert.deepEqual(raw, {
      name: 'pageview',
      url: {
        hostname: 'shop.example',
        pathname: '/cart',
        utmSource: 'news',
        utmMedium: 'mail',
        utmCampaign: '',
        utmTerm: '',
        utmContent: '',
      },
      domains: ['shop.example'],
      referrer: 'https://news.example/item',
      title: 'Cart',
      props: [],
      interactive: true,
      screenWidth: 1920,
      language: 'de-CH',
      scrollDepth: null,
      engagementMs: null,
      revenue: null,
    });
  });

  it('a missing type is an event', () => {
    const raw = fromUmamiBody({ payload: { website: WEBSITE, url: '/a' } }, siteDomain);
    assert.equal(raw?.name, 'pageview');
    assert.equal(fromUmamiBody({ type: null, payload: { website: WEBSITE } }, siteDomain)?.name, 'pageview');
  });

  it('identify is answered with nothing to store, but its website id is still checked', () => {
    assert.equal(send({ data: { plan: 'pro' } }, 'identify'), undefined);
    assert.equal(
      answer(() => fromUmamiBody({ type: 'identify', payload: {} }, siteDomain)),
      `${FIELD}: payload.website must be a website id`,
    );
  });

  it('another type is refused', () => {
    for (const type of ['pageview', 'Event', '', 1]) {
      assert.equal(
        answer(() => send({}, type)),
        `${FIELD}: type must be "event" or "identify"`,
        String(type),
      );
    }
  });

  it('a payload that is not an object is refused', () => {
    for (const payload of [undefined, null, 'x', 5, [{ website: WEBSITE }]]) {
      assert.equal(
        answer(() => fromUmamiBody({ type: 'event', payload }, siteDomain)),
        `${FIELD}: payload must be an object`,
        JSON.stringify(payload),
      );
    }
  });

  it('the website id is required, at most 100 characters, and a string', () => {
    const id = 'w'.repeat(100);
    assert.deepEqual(
      fromUmamiBody({ payload: { website: id, hostname: 'h.example' } }, siteDomain)?.domains,
      [id],
    );
    for (const website of ['', 'w'.repeat(101), undefined]) {
      assert.equal(
        answer(() => fromUmamiBody({ payload: { website } }, siteDomain)),
        `${FIELD}: payload.website must be a website id`,
      );
    }
    assert.equal(
      answer(() => fromUmamiBody({ payload: { website: 7 } }, siteDomain)),
      `${FIELD}: website must be a string`,
    );
  });

  it('an unknown website id is the domain looked up; the hostname then comes from the payload', () => {
    const raw = fromUmamiBody(
      { payload: { website: 'nobody', hostname: 'blog.example', url: '/p' } },
      siteDomain,
    );
    assert.deepEqual(raw?.domains, ['nobody']);
    assert.equal(raw?.url.hostname, 'blog.example');
  });

  it("without a hostname the site's domain is used, and without either unknown.invalid", () => {
    assert.equal(send({ url: '/p' })?.url.hostname, 'shop.example');
    const raw = fromUmamiBody({ payload: { website: 'nobody', url: '/p' } }, siteDomain);
    assert.equal(raw?.url.hostname, 'unknown.invalid');
    assert.equal(raw?.url.pathname, '/p');
  });

  it('the hostname sent wins over the domain of the website id', () => {
    const raw = send({ hostname: 'www.shop.example', url: '/p' });
    assert.equal(raw?.url.hostname, 'www.shop.example');
    assert.deepEqual(raw?.domains, ['shop.example']);
  });

  it('without a url the page is /, and a full URL is taken as it is', () => {
    assert.equal(send({})?.url.pathname, '/');
    assert.equal(send({ url: '' })?.url.pathname, '/');
    const full = send({ hostname: 'shop.example', url: 'https://other.example/full?utm_campaign=x' });
    assert.equal(full?.url.hostname, 'other.example');
    assert.equal(full?.url.pathname, '/full');
    assert.equal(full?.url.utmCampaign, 'x');
  });

  it('a url that is neither a path nor an absolute URL is refused', () => {
    assert.match(
      answer(() => send({ url: 'cart' })),
      /^FOOTFALL_ERR_INVALID_URL/,
    );
  });

  it('the screen gives the width of WIDTHxHEIGHT, up to 6 digits each; anything else gives none', () => {
    const width = (screen: unknown) => send({ screen })?.screenWidth;
    assert.equal(width('375x812'), 375);
    assert.equal(width('999999x1'), 999_999);
    assert.equal(width('0x0'), 0);
    for (const screen of [
      '1234567x1',
      '1x1234567',
      'x1080',
      '1920x',
      '1920',
      ' 1920x1080',
      '1920x1080 ',
      'ax1080',
      '1920xb',
    ]) {
      assert.equal(width(screen), null, screen);
    }
    assert.equal(width(undefined), null);
    assert.equal(
      answer(() => send({ screen: 1920 })),
      `${FIELD}: screen must be a string`,
    );
  });

  it('a missing, null or empty name is a page view; another name is checked as Plausible names are', () => {
    assert.equal(send({ name: null })?.name, 'pageview');
    assert.equal(send({ name: '' })?.name, 'pageview');
    assert.equal(send({ name: ' Signup ' })?.name, 'Signup');
    assert.match(
      answer(() => send({ name: 'n'.repeat(121) })),
      /^FOOTFALL_ERR_INVALID_NAME/,
    );
    assert.match(
      answer(() => send({ name: 5 })),
      /^FOOTFALL_ERR_INVALID_NAME/,
    );
  });

  it('event data becomes props; nested values become JSON text and null values are skipped', () => {
    const raw = send({
      name: 'Order',
      data: { plan: 'pro', seats: 3, cart: { items: [1, 2] }, list: ['a'], gone: null },
    });
    assert.deepEqual(raw?.props, [
      ['plan', 'pro'],
      ['seats', '3'],
      ['cart', '{"items":[1,2]}'],
      ['list', '["a"]'],
    ]);
  });

  it('event data that is not an object is checked as Plausible props are', () => {
    assert.deepEqual(send({ data: null })?.props, []);
    assert.deepEqual(send({ data: '{"a":"b"}' })?.props, [['a', 'b']]);
    assert.match(
      answer(() => send({ data: ['a'] })),
      /^FOOTFALL_ERR_INVALID_PROPS: .*: not an object$/,
    );
    assert.match(
      answer(() => send({ data: 5 })),
      /^FOOTFALL_ERR_INVALID_PROPS: .*: not an object$/,
    );
  });

  it('revenue and currency in the event data are the revenue, and stay props too', () => {
    const raw = send({ name: 'Purchase', data: { revenue: '19.5', currency: 'usd' } });
    assert.deepEqual(raw?.revenue, { amount: '19.500', currency: 'USD' });
    assert.deepEqual(raw?.props, [
      ['revenue', '19.5'],
      ['currency', 'usd'],
    ]);
  });

  it('no revenue without event data as an object with a revenue key', () => {
    assert.equal(send({})?.revenue, null);
    assert.equal(send({ data: null })?.revenue, null);
    // JSON text is read as props (Plausible's way), not for revenue.
    assert.equal(send({ data: '{"revenue":5,"currency":"EUR"}' })?.revenue, null);
    assert.equal(send({ data: { currency: 'EUR' } })?.revenue, null);
    assert.equal(send({ data: { revenue: null, currency: 'EUR' } })?.revenue, null);
  });

  it('a revenue that cannot be read is refused naming the payload field', () => {
    assert.match(
      answer(() => send({ data: { revenue: 'lots', currency: 'EUR' } })),
      /^FOOTFALL_ERR_INVALID_REVENUE: .*: payload\.data\.revenue must be a number/,
    );
    assert.match(
      answer(() => send({ data: { revenue: 5 } })),
      /^FOOTFALL_ERR_INVALID_REVENUE: .*: payload\.data\.currency must be an ISO 4217 currency code$/,
    );
  });

  it('a title is cut at 1,000 characters, a language at 35, a long referrer loses its query', () => {
    const raw = send({
      title: 't'.repeat(1001),
      language: 'l'.repeat(36),
      referrer: `https://r.example/?${'q'.repeat(2000)}`,
    });
    assert.equal(raw?.title, 't'.repeat(1000));
    assert.equal(raw?.language, 'l'.repeat(35));
    assert.equal(raw?.referrer, 'https://r.example/');
  });

  it('text fields of another type are refused naming the field', () => {
    for (const field of ['hostname', 'url', 'referrer', 'title', 'language']) {
      assert.equal(
        answer(() => send({ [field]: 1 })),
        `${FIELD}: ${field} must be a string`,
        field,
      );
    }
  });
});
