import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { iso31662 } from 'iso-3166/2.js';
import { GeoDbError, type GeoLookup, openGeo } from '../../src/enrich/geo.js';
import { aliasCodes, createRegionResolver } from '../../src/enrich/geo-regions.js';
import {
  arr,
  bool,
  buildMmdb,
  dataSection,
  dbl,
  map,
  ptr,
  raw,
  str,
  u16,
  u32,
  type Value,
} from '../fixtures/geo/mmdb.js';

const EMPTY = { country: '', region: '', city: '' };
const FIXTURES = path.join(import.meta.dirname, '../fixtures/geo');

const PRIVATE = [
  '127.0.0.1',
  '10.0.0.1',
  '172.16.5.4',
  '172.31.255.255',
  '192.168.1.1',
  '169.254.1.1',
  '100.64.0.1',
  '100.127.255.254',
  '0.0.0.0',
  '255.255.255.255',
  '224.0.0.1',
  '192.0.2.1',
  '::1',
  '::',
  'fe80::1',
  'fe80::1%eth0',
  'fc00::1',
  'fd12:3456:789a::1',
  'ff02::1',
  '2001:db8::1',
  '::ffff:127.0.0.1',
  '::ffff:192.168.1.1',
  '::ffff:10.0.0.1',
  '::ffff:7f00:1',
];

const GARBAGE = [
  '',
  'garbage',
  '1.2.3',
  '256.1.1.1',
  '1.2.3.4.5',
  '01.2.3.4',
  ' 8.8.8.8',
  '8.8.8.8\n',
  ':::',
  'gggg::1',
  '1:2:3:4:5:6:7:8:9',
  'x'.repeat(10_000),
  '8.8.8.8/24',
  '8.8.8.8%eth0',
];

describe('geo with the bundled DB-IP lite database', () => {
  let geo: GeoLookup;
  before(async () => {
    geo = await openGeo({});
  });
  after(async () => {
    await geo.close();
  });

  it('names DB-IP in its source line (CC BY 4.0 asks for credit)', () => {
    assert.match(geo.source, /DB-IP/);
    assert.match(geo.source, /CC BY 4\.0/);
  });

  it('resolves long-stable public allocations to their country', () => {
    assert.equal(geo.lookup('8.8.8.8').country, 'US'); // Google Public DNS
    assert.equal(geo.lookup('193.99.144.80').country, 'DE'); // heise.de, Hanover
    assert.equal(geo.lookup('81.2.69.142').country, 'GB'); // MaxMind's London test address
    assert.equal(geo.lookup('1.1.1.1').country, 'AU'); // APNIC/Cloudflare, Australian in DB-IP
    assert.equal(geo.lookup('2a02:2e0:3fe:1001:302::').country, 'DE'); // heise.de over IPv6
  });

  it('fills region as an ISO 3166-2 code and city as a name', () => {
    const g = geo.lookup('8.8.8.8');
    assert.match(g.region, /^US-[A-Z]{2}$/);
    assert.notEqual(g.city, '');
    assert.match(geo.lookup('193.99.144.80').region, /^DE-[A-Z]{2}$/);
  });

  it('routes IPv4-mapped and NAT64 IPv6 addresses to the IPv4 data', () => {
    const v4 = geo.lookup('8.8.8.8');
    assert.deepEqual(geo.lookup('::ffff:8.8.8.8'), v4);
    assert.deepEqual(geo.lookup('::ffff:808:808'), v4);
    assert.deepEqual(geo.lookup('64:ff9b::8.8.8.8'), v4);
  });

  it('returns empty for private, loopback, link-local, CGNAT, unique-local and unspecified', () => {
    for (const ip of PRIVATE) assert.deepEqual(geo.lookup(ip), EMPTY, ip);
  });

  it('returns empty for strings that are not IP addresses, never throwing', () => {
    for (const ip of GARBAGE) assert.deepEqual(geo.lookup(ip), EMPTY, ip.slice(0, 40));
    assert.deepEqual(geo.lookup(undefined as unknown as string), EMPTY);
    assert.deepEqual(geo.lookup(42 as unknown as string), EMPTY);
  });

  it('returns the same answer for the same range (record cache) and frozen objects', () => {
    const a = geo.lookup('8.8.8.8');
    const b = geo.lookup('8.8.8.8');
    assert.equal(a, b);
    assert.ok(Object.isFrozen(a));
  });
});

describe('geo region names (DB-IP lite carries names, not codes)', () => {
  const region = createRegionResolver();

  it('maps English, local, prefixed and historic names to ISO 3166-2 codes', () => {
    const cases: [string, string, string][] = [
      ['DE', 'Bavaria', 'DE-BY'],
      ['DE', 'State of Berlin', 'DE-BE'],
      ['DE', 'Berlin', 'DE-BE'],
      ['DE', 'Free and Hanseatic City of Hamburg', 'DE-HH'],
      ['DE', 'Baden-Wurttemberg', 'DE-BW'],
      ['DE', 'Rheinland-Pfalz', 'DE-RP'],
      ['US', 'California', 'US-CA'],
      ['US', 'District of Columbia', 'US-DC'],
      ['GB', 'England', 'GB-ENG'],
      ['FR', 'Ile-de-France', 'FR-IDF'],
      ['FR', 'Rhone-Alpes', 'FR-ARA'],
      ['ES', 'Madrid', 'ES-MD'],
      ['JP', 'Tokyo', 'JP-13'],
      ['RU', 'Moscow', 'RU-MOW'],
      ['RU', 'Moscow Oblast', 'RU-MOS'],
      ['KR', 'Gyeonggi-do', 'KR-41'],
      ['NO', 'Trondelag', 'NO-50'],
      ['PL', 'Mazovia', 'PL-14'],
    ];
    for (const [cc, name, code] of cases) assert.equal(region(cc, name), code, `${cc} ${name}`);
  });

  it('gives empty rather than a guess for names it does not know', () => {
    assert.equal(region('TW', 'Taiwan'), '');
    assert.equal(region('DE', 'Atlantis'), '');
    assert.equal(region('', 'Berlin'), '');
    assert.equal(region('DE', ''), '');
  });

  it('has only aliases that point to real ISO 3166-2 codes', () => {
    const known = new Set(iso31662.map((e) => e.code));
    assert.deepEqual(
      aliasCodes().filter((c) => !known.has(c)),
      [],
    );
  });
});

describe('geo with --geoip-db', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'footfall-geo-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const file = (name: string, bytes: Uint8Array): string => {
    const p = path.join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };

  // GeoLite2-City layout, IPv6 tree with the IPv4 space under ::/96, as MaxMind ships it.
  function geoLite2(recordSize: 24 | 28 | 32 = 28): Buffer {
    const names = (en: string): Value => map({ de: str(en), en: str(en), ja: str('名前') });
    const { data, offsets } = dataSection([
      str('en'), // shared key, referenced through a pointer below
      map({
        city: map({ geoname_id: u32(2643743), names: names('London') }),
        continent: map({ code: str('EU'), geoname_id: u32(6255148), names: names('Europe') }),
        country: map({ geoname_id: u32(2635167), is_in_european_union: bool(false), iso_code: str('GB') }),
        location: map({ accuracy_radius: u16(20), latitude: dbl(51.5142), longitude: dbl(-0.0931) }),
        subdivisions: arr(map({ iso_code: str('ENG'), names: names('England') })),
      }),
      map({
        city: map({ names: { t: 'map', v: [[ptr(0), str('Berlin')]] } }),
        country: map({ iso_code: str('DE') }),
        subdivisions: arr(map({ iso_code: str('BE') }), map({ iso_code: str('XX') })),
      }),
      // DB-IP's own .mmdb uses this layout but gives subdivisions by name only.
      map({
        city: map({ names: map({ en: str('Munich') }) }),
        country: map({ iso_code: str('DE') }),
        subdivisions: arr(map({ names: map({ en: str('Bavaria') }) })),
      }),
      map({ registered_country: map({ iso_code: str('US') }) }),
    ]);
    return buildMmdb({
      ipVersion: 6,
      databaseType: 'GeoLite2-City',
      recordSize,
      data,
      networks: [
        { cidr: '81.2.69.0/24', record: offsets[1] ?? 0 },
        { cidr: '2a02:ff00::/32', record: offsets[2] ?? 0 },
        { cidr: '2a02:ff01::/32', record: offsets[3] ?? 0 },
        { cidr: '2a02:ff02::/32', record: offsets[4] ?? 0 },
      ],
    });
  }

  it('reads a GeoLite2-City file: country, subdivision code, English city name', async () => {
    const p = file('GeoLite2-City.mmdb', geoLite2());
    const geo = await openGeo({ dbPath: p });
    try {
      assert.match(geo.source, /GeoLite2-City/);
      assert.ok(geo.source.includes(p));
      const london = { country: 'GB', region: 'GB-ENG', city: 'London' };
      assert.deepEqual(geo.lookup('81.2.69.142'), london);
      assert.deepEqual(geo.lookup('::ffff:81.2.69.142'), london);
      assert.deepEqual(geo.lookup('2a02:ff00::1'), { country: 'DE', region: 'DE-BE', city: 'Berlin' });
      assert.deepEqual(geo.lookup('2a02:ff01:1234::5'), { country: 'DE', region: 'DE-BY', city: 'Munich' });
      assert.deepEqual(geo.lookup('2a02:ff02::1'), EMPTY); // no country, only registered_country
      assert.deepEqual(geo.lookup('81.2.70.1'), EMPTY); // not in the tree
      assert.deepEqual(geo.lookup('2a03::1'), EMPTY);
      assert.deepEqual(geo.lookup('192.168.1.1'), EMPTY);
    } finally {
      await geo.close();
    }
    const closed = await openGeo({ dbPath: p });
    await closed.close();
    assert.deepEqual(closed.lookup('81.2.69.142'), EMPTY);
  });

  it('walks trees with 24-, 28- and 32-bit records alike', async () => {
    for (const size of [24, 28, 32] as const) {
      const geo = await openGeo({ dbPath: file(`City-${size}.mmdb`, geoLite2(size)) });
      try {
        assert.equal(geo.lookup('81.2.69.142').city, 'London', `${size}-bit`);
        assert.equal(geo.lookup('2a02:ff00::1').city, 'Berlin', `${size}-bit`);
        assert.deepEqual(geo.lookup('2a03::1'), EMPTY, `${size}-bit`);
      } finally {
        await geo.close();
      }
    }
  });

  it('reads the ip-location-db layout through dbPath too (IPv4-only tree)', async () => {
    const rec = (cc: string, state: string, city: string): Value =>
      map({
        city: str(city),
        country_code: str(cc),
        latitude: dbl(1.5),
        longitude: dbl(2.5),
        postcode: str(''),
        state1: str(state),
        state2: str(''),
        timezone: str(''),
      });
    const { data, offsets } = dataSection([
      rec('US', 'California', 'Mountain View'),
      rec('DE', 'Lower Saxony', 'Hanover'),
      rec('ZZ', '', ''),
    ]);
    const p = file(
      'city-ipv4.mmdb',
      buildMmdb({
        ipVersion: 4,
        databaseType: 'city ipv4',
        data,
        networks: [
          { cidr: '8.8.8.0/24', record: offsets[0] ?? 0 },
          { cidr: '193.99.144.0/24', record: offsets[1] ?? 0 },
          { cidr: '5.0.0.0/8', record: offsets[2] ?? 0 },
        ],
      }),
    );
    const geo = await openGeo({ dbPath: p });
    try {
      assert.deepEqual(geo.lookup('8.8.8.8'), { country: 'US', region: 'US-CA', city: 'Mountain View' });
      assert.deepEqual(geo.lookup('193.99.144.80'), { country: 'DE', region: 'DE-NI', city: 'Hanover' });
      assert.deepEqual(geo.lookup('5.1.2.3'), EMPTY); // ZZ means unknown
      assert.deepEqual(geo.lookup('2a02:2e0::1'), EMPTY); // IPv6 against an IPv4-only file
      assert.deepEqual(geo.lookup('::ffff:8.8.8.8').country, 'US');
    } finally {
      await geo.close();
    }
  });

  it('never throws on corrupt records inside a valid file', async () => {
    const good = map({ country_code: str('US'), city: str('X'), state1: str('') });
    const pointerAt = dataSection([good, ptr(0)]).offsets[1] ?? 0;
    const { data, offsets } = dataSection([
      good,
      ptr(0), // a pointer, legal as a record (it leads to `good`)
      raw(new Uint8Array([0xe0 | 30, 0xff, 0xff])), // a map claiming 65 820 entries
      ptr(pointerAt), // a pointer to a pointer, which the format forbids
      raw(new Uint8Array([0x5f, 0xff, 0xff, 0xff])), // a string running past the end of the file
    ]);
    const p = file(
      'bad-records.mmdb',
      buildMmdb({
        ipVersion: 4,
        databaseType: 'city ipv4',
        data,
        networks: [
          { cidr: '8.8.8.0/24', record: offsets[0] ?? 0 },
          { cidr: '8.8.4.0/24', record: offsets[1] ?? 0 },
          { cidr: '9.9.9.0/24', record: offsets[2] ?? 0 },
          { cidr: '9.9.10.0/24', record: offsets[3] ?? 0 },
          { cidr: '9.9.11.0/24', record: offsets[4] ?? 0 },
        ],
      }),
    );
    const geo = await openGeo({ dbPath: p });
    try {
      assert.equal(geo.lookup('8.8.8.8').country, 'US');
      assert.equal(geo.lookup('8.8.4.4').country, 'US');
      for (const ip of ['9.9.9.9', '9.9.10.1', '9.9.11.1']) assert.deepEqual(geo.lookup(ip), EMPTY, ip);
    } finally {
      await geo.close();
    }
  });

  async function rejects(dbPath: string, message: RegExp): Promise<void> {
    await assert.rejects(openGeo({ dbPath }), (err: unknown) => {
      assert.ok(err instanceof GeoDbError, String(err));
      assert.equal(err.path, path.resolve(dbPath));
      assert.ok(err.message.includes(path.resolve(dbPath)), err.message);
      assert.match(err.message, message);
      // Every message says how to fix it.
      assert.match(err.message, /GeoLite2-City \.mmdb|bundled DB-IP/);
      return true;
    });
  }

  it('rejects a missing file, naming the path and the fix', async () => {
    await rejects(path.join(dir, 'nope', 'GeoLite2-City.mmdb'), /file not found/);
  });

  it('rejects a directory', async () => {
    await rejects(dir, /not a regular file|directory/);
  });

  it('rejects random bytes (the committed corrupt.mmdb fixture)', async () => {
    await rejects(path.join(FIXTURES, 'corrupt.mmdb'), /not a MaxMind DB/);
  });

  it('rejects an empty file', async () => {
    await rejects(file('empty.mmdb', new Uint8Array(0)), /not a MaxMind DB/);
  });

  it('rejects a gzip archive with a hint to extract it', async () => {
    await rejects(file('GeoLite2-City.tar.gz', new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0])), /gzip/);
  });

  it('rejects a truncated file', async () => {
    const whole = geoLite2();
    await rejects(file('truncated.mmdb', whole.subarray(0, whole.length >> 1)), /not a MaxMind DB/);
  });

  it('rejects impossible metadata', async () => {
    const { data, offsets } = dataSection([map({ country_code: str('US') })]);
    const networks = [{ cidr: '8.8.8.0/24', record: offsets[0] ?? 0 }];
    const build = (overrides: Record<string, Value>) =>
      buildMmdb({ ipVersion: 4, databaseType: 'x', data, networks, metadataOverrides: overrides });
    await rejects(file('rs.mmdb', build({ record_size: u16(20) })), /record size/);
    await rejects(file('nc.mmdb', build({ node_count: u32(10_000_000) })), /search tree is larger/);
    await rejects(file('ver.mmdb', build({ binary_format_major_version: u16(3) })), /format version/);
    await rejects(file('ipv.mmdb', build({ ip_version: u16(5) })), /ip_version/);
  });

  it('rejects a database without locations, by type or by what it holds for 8.8.8.8', async () => {
    const { data, offsets } = dataSection([
      map({ autonomous_system_number: u32(15169), autonomous_system_organization: str('GOOGLE') }),
    ]);
    const asn = (databaseType: string) =>
      buildMmdb({
        ipVersion: 4,
        databaseType,
        data,
        networks: [{ cidr: '8.8.8.0/24', record: offsets[0] ?? 0 }],
      });
    await rejects(file('GeoLite2-ASN.mmdb', asn('GeoLite2-ASN')), /"GeoLite2-ASN" has no locations/);
    await rejects(
      file('owners.mmdb', asn('acme-network-owners')),
      /"acme-network-owners" has no country data/,
    );
  });
});
