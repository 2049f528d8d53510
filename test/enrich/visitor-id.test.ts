import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { visitorId } from '../../src/enrich/visitor-id.js';

const salt = Buffer.alloc(32, 7);
const otherSalt = Buffer.alloc(32, 8);
const ua = 'Mozilla/5.0 (X11; Linux x86_64)';

describe('visitorId', () => {
  it('is the first 64 bits of HMAC-SHA256 and stays stable across releases', () => {
    // Pinned: changing the message layout would split every visitor counted that day.
    assert.equal(visitorId(salt, 1, '203.0.113.9', ua), 2560537373756065507n);
  });

  it('gives the same id for the same salt, site, IP and user agent', () => {
    assert.equal(visitorId(salt, 1, '203.0.113.9', ua), visitorId(salt, 1, '203.0.113.9', ua));
  });

  it('changes with the site, the IP, the user agent and the salt', () => {
    const base = visitorId(salt, 1, '203.0.113.9', ua);
    assert.notEqual(visitorId(salt, 2, '203.0.113.9', ua), base);
    assert.notEqual(visitorId(salt, 1, '203.0.113.10', ua), base);
    assert.notEqual(visitorId(salt, 1, '203.0.113.9', `${ua} Firefox`), base);
    assert.notEqual(visitorId(otherSalt, 1, '203.0.113.9', ua), base);
  });

  it('cannot be made to collide by moving characters between the fields', () => {
    assert.notEqual(visitorId(salt, 1, '2.3.4.5', 'x'), visitorId(salt, 1, '2.3.4.', '5x'));
    assert.notEqual(visitorId(salt, 1, 'a:b', 'c'), visitorId(salt, 1, 'a', 'b:c'));
    assert.notEqual(visitorId(salt, 1, '2.3.4.5', ua), visitorId(salt, 12, '.3.4.5', ua));
  });

  it('is an unsigned 64-bit value, never 0n', () => {
    for (let i = 0; i < 1000; i++) {
      const id = visitorId(salt, i, `198.51.100.${i % 256}`, ua);
      assert.ok(id > 0n && id < 2n ** 64n, String(id));
    }
  });
});

describe('visitorId computed without createHmac', () => {
  it('equals HMAC-SHA256 for short and long salts, any user agent, and messages past the scratch size', () => {
    const reference = (s: Buffer, site: number, ip: string, agent: string) => {
      const id = BigInt(
        `0x${createHmac('sha256', s).update(`${site}:${ip.length}:${ip}:${agent}`).digest('hex').slice(0, 16)}`,
      );
      return id === 0n ? 1n : id;
    };
    const salts = [Buffer.alloc(32, 7), randomBytes(16), randomBytes(64), randomBytes(65), randomBytes(200)];
    const agents = [ua, '', 'ünïcode 🦊 agent', 'x'.repeat(2730), 'y'.repeat(2731), 'é'.repeat(5000)];
    for (const [i, s] of salts.entries()) {
      for (const agent of agents) {
        assert.equal(visitorId(s, i, `198.51.100.${i}`, agent), reference(s, i, `198.51.100.${i}`, agent));
      }
    }
  });
});
