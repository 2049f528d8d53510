// The cookies Footfall sets: the session, and one per unlocked password-protected share link.
// HttpOnly (no script reads them), SameSite=Lax (not sent on cross-site posts), Path=/, and
// Secure whenever the browser reached us over https.
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import { parseTrustProxy } from '../enrich/client-ip.js';

export const SESSION_COOKIE = 'footfall_session';
export const shareCookieName = (shareId: number): string => `footfall_share_${shareId}`;

/**
 * Whether the browser's connection is https: always when the public URL is https; otherwise
 * only when a proxy named in --trust-proxy says so in X-Forwarded-Proto.
 */
export function createIsHttps(
  publicUrl: string,
  trustProxy: string | undefined,
): (req: FastifyRequest) => boolean {
  if (publicUrl.startsWith('https:')) return () => true;
  if (trustProxy === undefined) return () => false;
  const trusted = parseTrustProxy(trustProxy);
  return (req) => {
    const peer = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const proto = req.headers['x-forwarded-proto'];
    const first = (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim().toLowerCase();
    return first === 'https' && trusted(peer);
  };
}

export function cookieOptions(secure: boolean, maxAgeSeconds: number): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure, maxAge: maxAgeSeconds };
}
