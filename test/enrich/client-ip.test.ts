import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClientIp, parseTrustProxy } from '../../src/enrich/client-ip.js';

type Headers = Record<string, string | string[] | undefined>;
const req = (socketAddress: string, headers: Headers = {}) => ({ socketAddress, headers });

const FORGED: Headers = {
  'x-forwarded-for': '198.51.100.1',
  'x-real-ip': '198.51.100.2',
  'cf-connecting-ip': '198.51.100.3',
};

describe('client IP without --trust-proxy', () => {
  const clientIp = createClientIp(undefined);

  it('is the socket address, whatever the headers claim', () => {
    assert.equal(clientIp(req('203.0.113.9', FORGED)), '203.0.113.9');
    assert.equal(clientIp(req('127.0.0.1', FORGED)), '127.0.0.1');
  });

  it('writes IPv4-mapped IPv6 as IPv4 and drops IPv6 zone ids', () => {
    assert.equal(clientIp(req('::ffff:203.0.113.9')), '203.0.113.9');
    assert.equal(clientIp(req('::FFFF:203.0.113.9')), '203.0.113.9');
    assert.equal(clientIp(req('fe80::1%eth0')), 'fe80::1');
    assert.equal(clientIp(req('2001:DB8::1')), '2001:db8::1');
  });
});

describe('client IP with --trust-proxy loopback', () => {
  const clientIp = createClientIp('loopback');

  it('honours X-Forwarded-For from a proxy on 127.0.0.1', () => {
    assert.equal(clientIp(req('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })), '203.0.113.9');
    assert.equal(clientIp(req('::ffff:127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })), '203.0.113.9');
    assert.equal(clientIp(req('::1', { 'x-forwarded-for': '2001:db8::7' })), '2001:db8::7');
  });

  it('ignores every header when the socket address is not a trusted proxy', () => {
    assert.equal(clientIp(req('203.0.113.9', FORGED)), '203.0.113.9');
  });

  it('takes CF-Connecting-IP, then X-Real-IP, then X-Forwarded-For', () => {
    assert.equal(clientIp(req('127.0.0.1', FORGED)), '198.51.100.3');
    const { 'cf-connecting-ip': _, ...noCf } = FORGED;
    assert.equal(clientIp(req('127.0.0.1', noCf)), '198.51.100.2');
    assert.equal(clientIp(req('127.0.0.1', { 'x-forwarded-for': '198.51.100.1' })), '198.51.100.1');
  });

  it('walks X-Forwarded-For from the right past trusted proxies only', () => {
    // The client wrote "6.6.6.6"; the proxy appended the address it saw.
    const headers = { 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 127.0.0.2' };
    assert.equal(clientIp(req('127.0.0.1', headers)), '203.0.113.9');
    assert.equal(
      clientIp(req('127.0.0.1', { 'x-forwarded-for': ['6.6.6.6', '203.0.113.9'] })),
      '203.0.113.9',
    );
  });

  it('ignores header values that are not IP addresses', () => {
    assert.equal(
      clientIp(req('127.0.0.1', { 'cf-connecting-ip': 'evil', 'x-real-ip': '1.2.3.4, 5.6.7.8' })),
      '127.0.0.1',
    );
    assert.equal(clientIp(req('127.0.0.1', { 'x-real-ip': ['1.2.3.4', '5.6.7.8'] })), '127.0.0.1');
    assert.equal(clientIp(req('127.0.0.1', { 'x-forwarded-for': '<script>' })), '127.0.0.1');
    assert.equal(clientIp(req('127.0.0.1', { 'x-forwarded-for': 'garbage, 127.0.0.3' })), '127.0.0.3');
    assert.equal(clientIp(req('127.0.0.1', { 'x-forwarded-for': '203.0.113.9:4711' })), '127.0.0.1');
    assert.equal(clientIp(req('127.0.0.1', { 'x-real-ip': ' 203.0.113.9 ' })), '203.0.113.9');
  });

  it('normalises addresses taken from headers', () => {
    assert.equal(clientIp(req('127.0.0.1', { 'x-real-ip': '::ffff:203.0.113.9' })), '203.0.113.9');
    assert.equal(clientIp(req('127.0.0.1', { 'x-forwarded-for': 'FE80::1%25eth0' })), 'fe80::1');
  });
});

describe('client IP with CIDR ranges', () => {
  it('trusts exactly the listed proxies', () => {
    const clientIp = createClientIp('10.0.0.0/8, 192.0.2.1');
    const xff = { 'x-forwarded-for': '203.0.113.9, 10.1.2.3' };
    assert.equal(clientIp(req('192.0.2.1', xff)), '203.0.113.9');
    assert.equal(clientIp(req('10.9.9.9', xff)), '203.0.113.9');
    assert.equal(clientIp(req('192.0.2.2', xff)), '192.0.2.2');
    assert.equal(clientIp(req('127.0.0.1', xff)), '127.0.0.1');
  });
});

describe('parseTrustProxy', () => {
  it('accepts addresses, ranges and the named ranges', () => {
    const trusted = parseTrustProxy('loopback,uniquelocal, 192.0.2.0/24, 2001:db8::/32, LinkLocal');
    for (const ip of ['127.0.0.1', '::1', '10.1.1.1', '192.0.2.77', '2001:db8::1', '169.254.1.1']) {
      assert.equal(trusted(ip), true, ip);
    }
    assert.equal(trusted('203.0.113.9'), false);
  });

  it('rejects a bad value with a message that says how to fix it', () => {
    for (const bad of ['localhost', '10.0.0.300', '10.0.0.0/33', 'true', '10.0.0.1,,10.0.0.2', '', ' ']) {
      assert.throws(
        () => parseTrustProxy(bad),
        (err: unknown) =>
          err instanceof Error &&
          err.message.startsWith('--trust-proxy') &&
          err.message.includes('comma-separated list of IP addresses or CIDR ranges') &&
          err.message.includes('loopback'),
        bad,
      );
    }
    assert.throws(() => createClientIp('localhost'), /--trust-proxy "localhost" is not valid/);
  });
});
