// The small secrets of sign-in, on their functions: random tokens and how they are recognised,
// the CSRF token, the share-unlock cookie (7 days), recovery codes (compared without case,
// dash or spaces), TOTP against RFC 6238's own test vectors (±1 step), and the cookie rules.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { cookieOptions, createIsHttps, SESSION_COOKIE, shareCookieName } from '../../src/auth/cookies.js';
import {
  newRecoveryCodes,
  RECOVERY_CODE,
  RECOVERY_CODE_COUNT,
  recoveryCodeHash,
} from '../../src/auth/recovery-codes.js';
import { isUnlocked, UNLOCK_SECONDS, unlockCookieValue } from '../../src/auth/share-unlock.js';
import {
  API_KEY_PREFIX,
  csrfToken,
  looksLikeToken,
  newToken,
  sameSecret,
  sha256,
  TOKEN_BYTES,
} from '../../src/auth/tokens.js';
import { matchTotp, newTotpSecret, TOTP_PERIOD_S, totpUri } from '../../src/auth/totp.js';

/** A random source that returns 0, 1, 2, … and records the sizes asked for. */
function counting(): { random: (n: number) => Buffer; asked: number[] } {
  const asked: number[] = [];
  let next = 0;
  return {
    asked,
    random: (n) => {
      asked.push(n);
      return Buffer.from(Array.from({ length: n }, () => next++ & 255));
    },
  };
}

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const TOKEN_43 = `${'A'.repeat(21)}${'_-z9'.repeat(5)}Q0`;

describe('tokens', () => {
  it('a new token is 32 random bytes in base64url (43 characters)', () => {
    const { random, asked } = counting();
    const token = newToken(random);
    assert.deepEqual(asked, [TOKEN_BYTES]);
    assert.equal(TOKEN_BYTES, 32);
    assert.equal(token, Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64url'));
    assert.equal(token.length, 43);
    assert.equal(looksLikeToken(token), true);
  });

  it('sha256 is the hex SHA-256 of the text (FIPS 180-2 test vector)', () => {
    assert.equal(sha256('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('sameSecret says whether two strings are equal, whatever their lengths', () => {
    assert.equal(sameSecret('s3cret-value', 's3cret-value'), true);
    assert.equal(sameSecret('s3cret-value', 's3cret-valuf'), false);
    assert.equal(sameSecret('short', 'a much longer string'), false);
    assert.equal(sameSecret('', ''), true);
  });

  it("a session's CSRF token is fixed by the session's token alone (it survives restarts and upgrades)", () => {
    const session = 'x'.repeat(43);
    assert.equal(csrfToken(session), 'J69-Ll7oKER77_mftaE2TW8LqTOv9gh1hG7M4QzHJz8');
    assert.equal(csrfToken(session), csrfToken(session));
    assert.notEqual(csrfToken(session), csrfToken('y'.repeat(43)));
    // Not the bare hash of the session token, which the store keeps (sessions are kept hashed).
    assert.notEqual(csrfToken(session), createHash('sha256').update(session).digest('base64url'));
  });

  it('only what could be a token we issued looks like one: 43 base64url characters after the prefix', () => {
    assert.equal(TOKEN_43.length, 43);
    assert.equal(looksLikeToken(TOKEN_43), true);
    assert.equal(looksLikeToken(TOKEN_43.slice(1)), false, '42 characters');
    assert.equal(looksLikeToken(`${TOKEN_43}A`), false, '44 characters');
    assert.equal(looksLikeToken(`+${TOKEN_43.slice(1)}`), false, 'base64, not base64url, at the start');
    assert.equal(looksLikeToken(`${TOKEN_43.slice(1)}=`), false, 'padding at the end');
    assert.equal(looksLikeToken(`${TOKEN_43.slice(0, 20)}/${TOKEN_43.slice(21)}`), false);
    assert.equal(looksLikeToken(`${API_KEY_PREFIX}${TOKEN_43}`, API_KEY_PREFIX), true);
    assert.equal(looksLikeToken(TOKEN_43, API_KEY_PREFIX), false, 'the prefix missing');
    assert.equal(
      looksLikeToken(`fx_${TOKEN_43}`, API_KEY_PREFIX),
      false,
      'another prefix of the same length',
    );
    assert.equal(looksLikeToken(`${API_KEY_PREFIX}${TOKEN_43}`), false, 'a key is not a session token');
  });
});

describe('share-unlock cookie', () => {
  const hash = 'scrypt$131072$8$1$c2FsdA==$a2V5';

  it('holds its expiry (7 days on, in seconds) and a 43-character MAC', () => {
    assert.equal(UNLOCK_SECONDS, 7 * 24 * 3600);
    const value = unlockCookieValue(3, hash, T0 + 999);
    assert.match(value, /^\d+\.[A-Za-z0-9_-]{43}$/);
    assert.equal(value.split('.')[0], String(T0 / 1000 + UNLOCK_SECONDS));
  });

  it('is the same for the same link, password and second after an upgrade (cookies given out keep working)', () => {
    assert.equal(unlockCookieValue(3, hash, T0), '1796731200.OAteCnTbRPENYfPaXE62Mso99aKr7mit-uJeDCOS_i0');
  });

  it('unlocks its own link for 7 days, to the millisecond, and no longer', () => {
    const value = unlockCookieValue(3, hash, T0);
    assert.equal(isUnlocked(3, hash, value, T0), true);
    assert.equal(isUnlocked(3, hash, value, T0 + UNLOCK_SECONDS * 1000 - 1), true);
    assert.equal(isUnlocked(3, hash, value, T0 + UNLOCK_SECONDS * 1000), false);
  });

  it('does not unlock another link, nor the same link after its password changed', () => {
    const value = unlockCookieValue(3, hash, T0);
    assert.equal(isUnlocked(4, hash, value, T0), false);
    assert.equal(isUnlocked(3, `${hash}x`, value, T0), false);
  });

  it('refuses a cookie whose expiry was pushed later, and malformed or missing cookies', () => {
    const value = unlockCookieValue(3, hash, T0);
    const [expires, mac] = value.split('.') as [string, string];
    assert.equal(isUnlocked(3, hash, `${Number(expires) + 3600}.${mac}`, T0), false);
    assert.equal(isUnlocked(3, hash, undefined, T0), false);
    assert.equal(isUnlocked(3, hash, '', T0), false);
    assert.equal(isUnlocked(3, hash, `${value}x`, T0), false, 'a character after the MAC');
    assert.equal(isUnlocked(3, hash, `x${value}`, T0), false, 'a character before the expiry');
    assert.equal(isUnlocked(3, hash, `000${expires}.${mac}`, T0), false, 'a 13-digit expiry');
    assert.equal(isUnlocked(3, hash, `${expires}.${mac.slice(1)}`, T0), false, 'a 42-character MAC');
    assert.equal(isUnlocked(3, hash, `${expires}.${mac.slice(0, 42)}+`, T0), false, 'base64, not base64url');
  });
});

describe('recovery codes', () => {
  it('ten codes of ten characters from 10 random bytes each, as xxxxx-xxxxx', () => {
    const { random, asked } = counting();
    const codes = newRecoveryCodes(random);
    assert.equal(RECOVERY_CODE_COUNT, 10);
    assert.deepEqual(asked, Array(10).fill(10));
    // Bytes 0…99, each read modulo 32 into the 32 symbols (no 0, 1, l, o).
    assert.deepEqual(codes.slice(0, 4), ['abcde-fghij', 'kmnpq-rstuv', 'wxyz2-34567', '89abc-defgh']);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) assert.match(code, RECOVERY_CODE);
  });

  it('uses the whole alphabet and only it, whatever the bytes', () => {
    const high = newRecoveryCodes((n) => Buffer.alloc(n, 0xff));
    assert.equal(high[0], '99999-99999');
    const seen = new Set(newRecoveryCodes(counting().random).join('').replace(/-/g, ''));
    assert.equal([...seen].sort().join(''), 'abcdefghijkmnpqrstuvwxyz23456789'.split('').sort().join(''));
  });

  it('the recovery-code pattern takes 10 symbols with or without the dash, and nothing around them', () => {
    assert.match('abcde-fghij', RECOVERY_CODE);
    assert.match('abcdefghij', RECOVERY_CODE);
    assert.doesNotMatch('abcde-fghijk', RECOVERY_CODE);
    assert.doesNotMatch('xabcde-fghij', RECOVERY_CODE);
    assert.doesNotMatch('abcd-efghij', RECOVERY_CODE);
    assert.doesNotMatch('abcde--fghij', RECOVERY_CODE);
    assert.doesNotMatch('abcd0-fghij', RECOVERY_CODE);
  });

  it('a code is kept as the SHA-256 of its symbols: case, dashes and spaces do not matter', () => {
    const kept = sha256('abcdefghij');
    assert.equal(recoveryCodeHash('abcde-fghij'), kept);
    assert.equal(recoveryCodeHash('ABCDE-FGHIJ'), kept);
    assert.equal(recoveryCodeHash(' ab cde-fg-hij\t'), kept);
    assert.notEqual(recoveryCodeHash('abcde-fghik'), kept);
  });
});

describe('TOTP (RFC 6238, SHA-1, 6 digits, 30 s)', () => {
  // RFC 6238 appendix B: the ASCII secret "12345678901234567890"; its 8-digit codes end in
  // the 6-digit ones an authenticator app shows.
  const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  const at = (seconds: number) => seconds * 1000;

  it('a new secret is 20 random bytes in base32, those bytes only', () => {
    const { random, asked } = counting();
    assert.equal(newTotpSecret(random), 'AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT');
    assert.deepEqual(asked, [20]);
    // A Buffer cut from a larger pool (as randomBytes gives for small sizes): only its own 20 bytes.
    const pool = Buffer.alloc(64, 0xff);
    pool.fill(0, 8, 28);
    assert.equal(
      newTotpSecret(() => pool.subarray(8, 28)),
      'A'.repeat(32),
    );
  });

  it('the URI names Footfall as issuer and the account, with the secret and the RFC parameters', () => {
    assert.equal(
      totpUri(RFC_SECRET, 'alice@example.com'),
      `otpauth://totp/Footfall:alice%40example.com?issuer=Footfall&secret=${RFC_SECRET}&algorithm=SHA1&digits=6&period=30`,
    );
  });

  it("RFC 6238's codes match their own time step", () => {
    assert.equal(TOTP_PERIOD_S, 30);
    assert.equal(matchTotp(RFC_SECRET, '287082', at(59)), 1);
    assert.equal(matchTotp(RFC_SECRET, '081804', at(1111111109)), 37037036);
    assert.equal(matchTotp(RFC_SECRET, '050471', at(1111111111)), 37037037);
    assert.equal(matchTotp(RFC_SECRET, '005924', at(1234567890)), 41152263);
    assert.equal(matchTotp(RFC_SECRET, '279037', at(2000000000)), 66666666);
  });

  it('a code passes one step early or late, with the step it was for; two steps off it does not', () => {
    // 081804 is the code of step 37037036 (1111111080 s to 1111111109 s).
    assert.equal(matchTotp(RFC_SECRET, '081804', at(1111111080 - 30)), 37037036, 'one step before');
    assert.equal(matchTotp(RFC_SECRET, '081804', at(1111111109 + 30)), 37037036, 'one step after');
    assert.equal(matchTotp(RFC_SECRET, '081804', at(1111111080 - 31)), undefined, 'two steps before');
    assert.equal(matchTotp(RFC_SECRET, '081804', at(1111111109 + 31)), undefined, 'two steps after');
    assert.equal(matchTotp(RFC_SECRET, '081805', at(1111111109)), undefined, 'a wrong code');
  });
});

describe('cookies', () => {
  const request = (remoteAddress: string | undefined, proto?: string | string[]) =>
    ({
      socket: { remoteAddress },
      headers: proto === undefined ? {} : { 'x-forwarded-proto': proto },
    }) as unknown as FastifyRequest;

  it('names the session cookie and one cookie per share link', () => {
    assert.equal(SESSION_COOKIE, 'footfall_session');
    assert.equal(shareCookieName(12), 'footfall_share_12');
  });

  it('HttpOnly, SameSite=Lax, Path=/, Secure as told, with its lifetime', () => {
    assert.deepEqual(cookieOptions(true, 600), {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: true,
      maxAge: 600,
    });
    assert.equal(cookieOptions(false, 600).secure, false);
  });

  it('an https public URL is always https; an http one without --trust-proxy never, whatever the headers say', () => {
    assert.equal(createIsHttps('https://stats.example.com', undefined)(request('203.0.113.1')), true);
    assert.equal(createIsHttps('http://stats.example.com', undefined)(request('127.0.0.1', 'https')), false);
  });

  it('behind a trusted proxy, the first X-Forwarded-Proto decides; from anyone else it is ignored', () => {
    const isHttps = createIsHttps('http://stats.example.com', '10.0.0.0/8');
    assert.equal(isHttps(request('10.1.2.3', 'https')), true);
    assert.equal(isHttps(request('::ffff:10.1.2.3', ' HTTPS , http')), true, 'mapped IPv4, spaces, case');
    assert.equal(isHttps(request('10.1.2.3', ['https', 'http'])), true, 'a repeated header: the first');
    assert.equal(isHttps(request('10.1.2.3', ['http', 'https'])), false);
    assert.equal(isHttps(request('10.1.2.3', 'http, https')), false, 'the client-side hop comes first');
    assert.equal(isHttps(request('10.1.2.3')), false, 'no header');
    assert.equal(isHttps(request('10.1.2.3', 'httpsx')), false);
    assert.equal(isHttps(request('192.0.2.1', 'https')), false, 'not a trusted proxy');
    assert.equal(isHttps(request(undefined, 'https')), false, 'no peer address');
  });

  it('only the IPv4-mapped prefix of a peer address is dropped, not a ::ffff: inside an IPv6 one', () => {
    const isHttps = createIsHttps('http://stats.example.com', '2001:db8::/32');
    assert.equal(isHttps(request('2001:db8::ffff:a01:203', 'https')), true);
  });
});
