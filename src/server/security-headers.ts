// Security headers on every response — pages, API, tracking, 404s and errors alike. The CSP
// allows only our own scripts and styles (no inline script, no eval) and no framing; a share
// link page may be framed by any site when its link was made `embeddable`.
import type { FastifyInstance } from 'fastify';

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const EMBEDDABLE_CSP = CSP.replace("frame-ancestors 'none'", 'frame-ancestors *');
const SHARE_PAGE = /^\/share\/([A-Za-z0-9_-]{1,100})(?:[/?#]|$)/;

export function installSecurityHeaders(
  app: FastifyInstance,
  isEmbeddableShare: (token: string) => Promise<boolean>,
): void {
  // Callback style: this runs for every tracked event too, and must not cost a promise there.
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    const share = req.url.startsWith('/share/') ? SHARE_PAGE.exec(req.url) : null;
    if (!share) {
      reply.header('content-security-policy', CSP);
      return done(null, payload);
    }
    isEmbeddableShare(share[1]!).then(
      (embeddable) => {
        reply.header('content-security-policy', embeddable ? EMBEDDABLE_CSP : CSP);
        done(null, payload);
      },
      () => {
        reply.header('content-security-policy', CSP);
        done(null, payload);
      },
    );
  });
}
