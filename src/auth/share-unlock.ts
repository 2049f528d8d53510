// Proof that a browser gave a share link's password: a cookie holding an expiry and an HMAC
// over (share id, expiry) keyed by the link's password hash. The hash never leaves the server
// and has 384 random-looking bits, and changing or removing the password (or revoking the
// link) invalidates every cookie made with it — no extra secret or table needed.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const UNLOCK_SECONDS = 7 * 24 * 3600;

function mac(shareId: number, expires: number, passwordHash: string): Buffer {
  return createHmac('sha256', passwordHash).update(`footfall-share\0${shareId}\0${expires}`).digest();
}

export function unlockCookieValue(shareId: number, passwordHash: string, nowMs: number): string {
  const expires = Math.floor(nowMs / 1000) + UNLOCK_SECONDS;
  return `${expires}.${mac(shareId, expires, passwordHash).toString('base64url')}`;
}

export function isUnlocked(
  shareId: number,
  passwordHash: string,
  cookie: string | undefined,
  nowMs: number,
): boolean {
  const m = cookie ? /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(cookie) : null;
  if (!m) return false;
  const expires = Number(m[1]);
  if (expires * 1000 <= nowMs) return false;
  return timingSafeEqual(Buffer.from(m[2]!, 'base64url'), mac(shareId, expires, passwordHash));
}
