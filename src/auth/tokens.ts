// Random secrets and how they are kept: sessions, API keys and setup tokens are stored as
// SHA-256 hashes (they are 256 random bits, so a fast hash is enough: nothing to guess),
// compared in constant time where a comparison happens in code.
import { createHash, timingSafeEqual } from 'node:crypto';

export const TOKEN_BYTES = 32;
/** API keys start with this, so a leaked one is recognisable (secret scanners, logs). */
export const API_KEY_PREFIX = 'ff_';

export function newToken(random: (n: number) => Buffer): string {
  return random(TOKEN_BYTES).toString('base64url');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/**
 * The CSRF token of a session: derived from the session's own secret, so it is bound to the
 * session, survives restarts, and cannot be computed by a page that cannot read the cookie.
 */
export function csrfToken(sessionToken: string): string {
  return createHash('sha256').update(`footfall-csrf\0${sessionToken}`).digest('base64url');
}

/** Tokens we issue are base64url of 32 bytes; anything else is not worth a database lookup. */
export function looksLikeToken(value: string, prefix = ''): boolean {
  return (
    value.length === prefix.length + 43 &&
    value.startsWith(prefix) &&
    /^[A-Za-z0-9_-]+$/.test(value.slice(prefix.length))
  );
}
