// The seed's beacon read by its own functions: the script it serves, the GIF, the strict query
// parser, and the page view a hit becomes (the same shape every import records). Fast (no
// server); seed-beacon.test.ts runs it through HTTP into the store. Written for the mutants of
// seed.ts and raw-event.ts that survived the collect run (issue 20).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pageviewEvent, type TrackedUrl } from '../../src/collect/raw-event.js';
import { BEACON_GIF, fromBeacon, parseQuery, seedScript } from '../../src/collect/seed.js';
import { answer } from '../helpers/refusal.js';

const ENCODING = 'FOOTFALL_ERR_INVALID_ENCODING: text must be valid UTF-8 without NUL bytes';

describe("the seed's script and GIF", () => {
  it('the script requests <public-url>/a.gif with the page, the referrer and the title encoded', () => {
    assert.equal(
      seedScript('https://stats.example'),
      '(function(){var d=document,i=new Image,e=encodeURIComponent;' +
        `i.src="https://stats.example/a.gif?url="+e(d.location.href)+'&ref='+e(d.referrer)+'&t='+e(d.title);})()`,
    );
  });

  it('the public URL is JSON-quoted, so a quote in it cannot break out of the string', () => {
    assert.ok(
      seedScript('https://x.example/"+alert(1)+"').includes(
        '"https://x.example/\\"+alert(1)+\\"/a.gif?url="',
      ),
    );
  });

  it('the GIF is the 43-byte transparent 1×1 GIF89a', () => {
    assert.equal(BEACON_GIF.length, 43);
    assert.equal(BEACON_GIF.subarray(0, 6).toString('latin1'), 'GIF89a');
    assert.equal(BEACON_GIF.readUInt16LE(6), 1);
    assert.equal(BEACON_GIF.readUInt16LE(8), 1);
  });
});

describe('parseQuery', () => {
  it('reads key=value pairs, percent-decoded, + as a space', () => {
    assert.deepEqual(
      [...parseQuery('url=https%3A%2F%2Fa.example%2F&t=Hello+world&ref=')],
      [
        ['url', 'https://a.example/'],
        ['t', 'Hello world'],
        ['ref', ''],
      ],
    );
  });

  it('an empty query has no keys', () => {
    assert.equal(parseQuery('').size, 0);
  });

  it('a key without = has an empty value; an empty key is skipped; the first of a repeated key wins', () => {
    assert.deepEqual(
      [...parseQuery('flag&=x&t=one&t=two&=&a=b=c')],
      [
        ['flag', ''],
        ['t', 'one'],
        ['a', 'b=c'],
      ],
    );
  });

  it('keys are decoded too', () => {
    assert.deepEqual([...parseQuery('u%72l=x')], [['url', 'x']]);
  });

  it('8 KB is read and one byte more is QUERY_TOO_LONG', () => {
    const at = (n: number) => `t=${'a'.repeat(n - 2)}`;
    assert.equal(parseQuery(at(8192)).get('t')?.length, 8190);
    assert.equal(
      answer(() => parseQuery(at(8193))),
      'FOOTFALL_ERR_QUERY_TOO_LONG: query string is longer than 8 KB',
    );
  });

  it('a bad escape is INVALID_ENCODING naming the key, or "query" when the key itself is bad', () => {
    assert.equal(
      answer(() => parseQuery('t=%E0%A4')),
      `${ENCODING}: t`,
    );
    assert.equal(
      answer(() => parseQuery('ref=%zz')),
      `${ENCODING}: ref`,
    );
    assert.equal(
      answer(() => parseQuery('%ff=1')),
      `${ENCODING}: query`,
    );
    assert.equal(
      answer(() => parseQuery('t=%00')),
      `${ENCODING}: t`,
    );
  });
});

describe('fromBeacon', () => {
  it('a hit is a page view of its url, with its referrer and title, for the URL’s host', () => {
    const raw = fromBeacon(
      `url=${encodeURIComponent('https://blog.example/post?utm_source=x')}&ref=${encodeURIComponent('https://r.example/')}&t=Post`,
    );
    assert.deepEqual(raw, {
      name: 'pageview',
      url: {
        hostname: 'blog.example',
        pathname: '/post',
        utmSource: 'x',
        utmMedium: '',
        utmCampaign: '',
        utmTerm: '',
        utmContent: '',
      },
      domains: ['blog.example'],
      referrer: 'https://r.example/',
      title: 'Post',
      props: [],
      interactive: true,
      screenWidth: null,
      language: '',
      scrollDepth: null,
      engagementMs: null,
      revenue: null,
    });
  });

  it('without ref and t the referrer and title are empty', () => {
    const raw = fromBeacon('url=https%3A%2F%2Fblog.example%2F');
    assert.equal(raw.referrer, '');
    assert.equal(raw.title, '');
  });

  it('without url the hit is MISSING_URL', () => {
    assert.equal(
      answer(() => fromBeacon('t=x')),
      'FOOTFALL_ERR_MISSING_URL: url is required',
    );
    assert.equal(
      answer(() => fromBeacon('')),
      'FOOTFALL_ERR_MISSING_URL: url is required',
    );
  });
});

describe('pageviewEvent', () => {
  const url: TrackedUrl = {
    hostname: 'a.example',
    pathname: '/',
    utmSource: '',
    utmMedium: '',
    utmCampaign: '',
    utmTerm: '',
    utmContent: '',
  };

  it('cuts the title at 1,000 characters and a long referrer as the tracking endpoints do', () => {
    const raw = pageviewEvent(
      url,
      ['a.example', 'b.example'],
      `https://r.example/p?${'q'.repeat(2000)}`,
      't'.repeat(1001),
    );
    assert.equal(raw.title, 't'.repeat(1000));
    assert.equal(raw.referrer, 'https://r.example/p');
    assert.deepEqual(raw.domains, ['a.example', 'b.example']);
    assert.equal(raw.url, url);
  });
});
