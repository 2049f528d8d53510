// A journal line and back, and the edges of what a line may hold, on the functions themselves
// (no store): an import into a running server decodes lines it received, and a load that failed
// judges each line with lineProblem() before moving any to quarantine — a bound off by one
// there either quarantines good events or blocks a segment on a bad one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineProblem } from '../../src/ingest/line-check.js';
import { decodeRow, encodeRow } from '../../src/ingest/row-codec.js';
import { sampleRow } from '../helpers/sample-row.js';

const good = JSON.parse(encodeRow(sampleRow(4))) as Record<string, unknown>;
const check = (o: Record<string, unknown>) => lineProblem(Buffer.from(JSON.stringify(o)));

describe('journal line codec', () => {
  it('a decoded line is the row that was encoded, every field with its type', () => {
    for (const i of [1, 2, 4]) assert.deepEqual(decodeRow(encodeRow(sampleRow(i))), sampleRow(i));
  });

  it('a line from before revenue (no "ra", no "rc") decodes with both null', () => {
    const { ra: _ra, rc: _rc, ...old } = JSON.parse(encodeRow(sampleRow(1))) as Record<string, unknown>;
    const row = decodeRow(JSON.stringify(old));
    assert.equal(row.revenueAmount, null);
    assert.equal(row.revenueCurrency, null);
  });
});

describe('journal line check: the edges', () => {
  it('the largest and smallest values of each kind can be loaded', () => {
    const edges: Record<string, unknown>[] = [
      { s: 0 },
      { s: 0xffff_ffff },
      { sd: 0 },
      { sd: 255 },
      { e: 0xffff_ffff },
      { t: Number.MAX_SAFE_INTEGER },
      { v: '0' },
      { v: '18446744073709551615' },
      { ra: '-999999999999999.999' },
      { ra: '0.000' },
      { rc: 'USD' },
      { pr: {} },
      { i: false },
      { n: '' },
    ];
    for (const edge of edges) assert.equal(check({ ...good, ...edge }), undefined, JSON.stringify(edge));
  });

  it('nullable columns may be null or absent; the others may not', () => {
    const { sd: _sd, e: _e, ra: _ra, rc: _rc, ...without } = good;
    assert.equal(check(without), undefined);
    assert.equal(check({ ...good, sd: null, e: null, ra: null, rc: null }), undefined);
    assert.equal(check({ ...good, pr: null }), '"pr" (props) is not a valid props');
    assert.equal(check({ ...good, i: null }), '"i" (interactive) is not a valid bool');
  });

  it('a value just past an edge, or of another shape, names the key, the column and the kind', () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ s: 0x1_0000_0000 }, '"s" (site_id) is not a valid u32'],
      [{ s: 1.5 }, '"s" (site_id) is not a valid u32'],
      [{ sd: 256 }, '"sd" (scroll_depth) is not a valid u8'],
      [{ sd: -1 }, '"sd" (scroll_depth) is not a valid u8'],
      [{ e: 0x1_0000_0000 }, '"e" (engagement_ms) is not a valid u32'],
      [{ t: Number.MAX_SAFE_INTEGER + 1 }, '"t" (ts) is not a valid epoch_ms'],
      [{ t: 1.5 }, '"t" (ts) is not a valid epoch_ms'],
      [{ v: '' }, '"v" (visitor_id) is not a valid u64'],
      [{ v: '-1' }, '"v" (visitor_id) is not a valid u64'],
      [{ v: 'x1' }, '"v" (visitor_id) is not a valid u64'],
      [{ v: '1x' }, '"v" (visitor_id) is not a valid u64'],
      [{ v: '000000000000000000001' }, '"v" (visitor_id) is not a valid u64'], // 21 digits
      [{ v: 1 }, '"v" (visitor_id) is not a valid u64'],
      [{ se: '18446744073709551616' }, '"se" (session_id) is not a valid u64'],
      [{ n: 1 }, '"n" (name) is not a valid text'],
      [{ i: 1 }, '"i" (interactive) is not a valid bool'],
      [{ ra: '29.99' }, '"ra" (revenue_amount) is not a valid decimal'],
      [{ ra: '29.9900' }, '"ra" (revenue_amount) is not a valid decimal'],
      [{ ra: 'x29.990' }, '"ra" (revenue_amount) is not a valid decimal'],
      [{ ra: '.990' }, '"ra" (revenue_amount) is not a valid decimal'],
      [{ ra: '29,990' }, '"ra" (revenue_amount) is not a valid decimal'],
      [{ ra: '1234567890123456.000' }, '"ra" (revenue_amount) is not a valid decimal'], // 16 digits
      [{ ra: 29.99 }, '"ra" (revenue_amount) is not a valid decimal'],
      [{ rc: 'eur' }, '"rc" (revenue_currency) is not a valid currency'],
      [{ rc: 'EURO' }, '"rc" (revenue_currency) is not a valid currency'],
      [{ rc: 'XEUR' }, '"rc" (revenue_currency) is not a valid currency'],
      [{ rc: 'EU' }, '"rc" (revenue_currency) is not a valid currency'],
      [{ rc: 1 }, '"rc" (revenue_currency) is not a valid currency'],
      [{ pr: ['a'] }, '"pr" (props) is not a valid props'],
      [{ pr: 'a=b' }, '"pr" (props) is not a valid props'],
      [{ pr: { a: 'b', c: 1 } }, '"pr" (props) is not a valid props'],
    ];
    for (const [change, problem] of bad)
      assert.equal(check({ ...good, ...change }), problem, JSON.stringify(change));
  });

  it('a line that is JSON but no object says so', () => {
    for (const text of ['42', 'null', '"text"', 'true', '[]'])
      assert.equal(lineProblem(Buffer.from(text)), 'not a JSON object', text);
    assert.equal(lineProblem(Buffer.from('{"s":1')), 'not valid JSON');
    assert.equal(lineProblem(Buffer.from([0x7b, 0xc3, 0x7d])), 'not valid UTF-8');
  });
});
