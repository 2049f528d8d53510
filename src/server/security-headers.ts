// Security headers on every response — pages, API, tracking, 404s and errors alike. The CSP
// allows only our own scripts and styles (no inline script, no eval) and no framing; a share
// link page may be framed by any site when its link was made `embeddable`. When the public
// URL is https, browsers are told to use nothing else (HSTS, one year, this host only: the
// operator's other subdomains may still be plain http).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../errors.js';
import { toFootfallError } from './error-handler.js';

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const EMBEDDABLE_CSP = CSP.replace("frame-ancestors 'none'", 'frame-ancestors *');
const SHARE_PAGE = /^\/share\/([A-Za-z0-9_-]{1,100})(?:[/?#]|$)/;

export const HSTS = 'max-age=31536000';

type SetHeaders = (reply: FastifyReply, csp: string) => void;

function headerSetter(publicUrl: string): SetHeaders {
  const https = publicUrl.startsWith('https:');
  return (reply, csp) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('content-security-policy', csp);
    if (https) reply.header('strict-transport-security', HSTS);
  };
}

/**
 * Fastify's `frameworkErrors` handler: a request the router cannot even parse (a broken
 * %-escape in the path) is answered before any hook runs, so it gets its headers and
 * Footfall's error shape here.
 */
export function answerUnroutable(
  publicUrl: string,
): (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => void {
  const setHeaders = headerSetter(publicUrl);
  return (err, _req, reply) => {
    const ffe = toFootfallError(err);
    setHeaders(reply, CSP);
    reply.code(ffe.status).header('cache-control', 'no-store').send(errorBody(ffe));
  };
}

export function installSecurityHeaders(
  app: FastifyInstance,
  publicUrl: string,
  isEmbeddableShare: (token: string) => Promise<boolean>,
): void {
  const setHeaders = headerSetter(publicUrl);
  // Callback style: this runs for every tracked event too, and must not cost a promise there.
  app.addHook('onSend', (req, reply, payload, done) => {
    const share = req.url.startsWith('/share/') ? SHARE_PAGE.exec(req.url) : null;
    if (!share) {
      setHeaders(reply, CSP);
      return done(null, payload);
    }
    isEmbeddableShare(share[1]!).then(
      (embeddable) => {
        setHeaders(reply, embeddable ? EMBEDDABLE_CSP : CSP);
        done(null, payload);
      },
      () => {
        setHeaders(reply, CSP);
        done(null, payload);
      },
    );
  });
}
