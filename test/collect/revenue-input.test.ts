// Revenue as a tracked event carries it (revenue-input.ts): Plausible's `{amount, currency}`
// object or its JSON text, and Umami's amount and currency given apart. A revenue that cannot
// be read refuses the event with a message naming the field. Fast; written for the mutants of
// revenue-input.ts (issue 20).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRevenue, revenueOf } from '../../src/collect/revenue-input.js';
import { answer } from '../helpers/refusal.js';

const ERR =
  'FOOTFALL_ERR_INVALID_REVENUE: revenue must be {amount, currency}: a number with at most 15 digits before the point, and an ISO 4217 code';

describe('parseRevenue', () => {
  it('absent or null is no revenue', () => {
    assert.equal(parseRevenue(undefined, 'revenue'), null);
    assert.equal(parseRevenue(null, 'revenue'), null);
  });

  it('an object or its JSON text gives the exact amount and the upper-case currency', () => {
    assert.deepEqual(parseRevenue({ amount: 29.99, currency: 'eur' }, 'revenue'), {
      amount: '29.990',
      currency: 'EUR',
    });
    assert.deepEqual(parseRevenue('{"amount":"-5","currency":"USD"}', '$'), {
      amount: '-5.000',
      currency: 'USD',
    });
  });

  it('text that is not JSON is refused naming the field', () => {
    assert.equal(
      answer(() => parseRevenue('{amount:1}', '$')),
      `${ERR}: $ is not valid JSON`,
    );
  });

  it('a value that is not an object is refused naming the field', () => {
    for (const value of [5, true, '"29.99"', '[1,"EUR"]', '5', 'null', ['x']]) {
      assert.equal(
        answer(() => parseRevenue(value, 'revenue')),
        `${ERR}: revenue must be an object {amount, currency}`,
        JSON.stringify(value),
      );
    }
  });

  it('a bad amount or currency is refused naming the field inside the object', () => {
    assert.equal(
      answer(() => parseRevenue({ amount: 'much', currency: 'EUR' }, '$')),
      `${ERR}: $.amount must be a number (or numeric text) between -999999999999999.999 and 999999999999999.999`,
    );
    assert.equal(
      answer(() => parseRevenue({ amount: 1 }, 'revenue')),
      `${ERR}: revenue.currency must be an ISO 4217 currency code`,
    );
  });
});

describe('revenueOf', () => {
  it('an amount and a currency given apart → money', () => {
    assert.deepEqual(revenueOf('0.5', 'chf', 'a', 'c'), { amount: '0.500', currency: 'CHF' });
  });

  it('the amount is checked before the currency, each refusal naming its own field', () => {
    assert.equal(
      answer(() => revenueOf(undefined, 'nope', 'data.revenue', 'data.currency')),
      `${ERR}: data.revenue must be a number (or numeric text) between -999999999999999.999 and 999999999999999.999`,
    );
    assert.equal(
      answer(() => revenueOf(1, 'XXX', 'data.revenue', 'data.currency')),
      `${ERR}: data.currency must be an ISO 4217 currency code`,
    );
  });
});
