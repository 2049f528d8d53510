// TOTP (RFC 6238) through otpauth: SHA-1, 6 digits, 30-second steps — what every authenticator
// app reads from an otpauth:// URI. A code is accepted for the step before and after the
// current one (clocks drift); the caller learns which step matched, so it can refuse a code
// for a step already used (no replay within the window).
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD_S = 30;
const DIGITS = 6;
/** 160 bits, the HMAC-SHA-1 block RFC 4226 recommends. */
const SECRET_BYTES = 20;

export function newTotpSecret(randomBytes: (n: number) => Buffer): string {
  const b = randomBytes(SECRET_BYTES);
  return new Secret({ buffer: b.buffer.slice(b.byteOffset, b.byteOffset + b.length) }).base32;
}

function totp(secret: string, label = ''): TOTP {
  return new TOTP({
    issuer: 'Footfall',
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: TOTP_PERIOD_S,
    secret: Secret.fromBase32(secret),
  });
}

/** What the QR code holds: otpauth://totp/Footfall:<email>?secret=…&issuer=Footfall… */
export function totpUri(secret: string, email: string): string {
  return totp(secret, email).toString();
}

/** The time step a 6-digit code is valid for at `now` (±1 step), or undefined. */
export function matchTotp(secret: string, code: string, now: number): number | undefined {
  const delta = totp(secret).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? undefined : TOTP.counter({ period: TOTP_PERIOD_S, timestamp: now }) + delta;
}
