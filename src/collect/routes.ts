// The tracking endpoints as one Fastify plugin: the seed's script and beacon, and the
// Plausible-shaped events API. Open to every origin (CORS *, no credentials) — and only
// these routes are.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FootfallError } from '../errors.js';
import type { Metrics } from '../ops/metrics.js';
import { LIMITS } from './limits.js';
import { fromPlausibleBody, parseJsonObject } from './plausible.js';
import type { ClientInfo } from './raw-event.js';
import { BEACON_GIF, fromBeacon, seedScript } from './seed.js';
import type { Track } from './track.js';
import { fromUmamiBody } from './umami.js';

export interface CollectOptions {
  track: Track;
  /** The domain of the site with this Umami website id. */
  umamiSite: (websiteId: string) => string | undefined;
  publicUrl: string;
  metrics: Metrics;
  /** The client address of a request (socket address, or a trusted proxy's header). */
  clientIp: (req: FastifyRequest) => string;
}

const NO_CACHE = 'no-store, no-cache, private';

function allowAnyOrigin(reply: FastifyReply): void {
  reply.header('access-control-allow-origin', '*');
}

export async function collectRoutes(app: FastifyInstance, opts: CollectOptions): Promise<void> {
  const { track, metrics } = opts;
  const script = seedScript(opts.publicUrl);

  const client = (req: FastifyRequest): ClientInfo => ({
    ip: opts.clientIp(req),
    userAgent: req.headers['user-agent'] ?? '',
    acceptLanguage: req.headers['accept-language'] ?? '',
  });

  // Bodies arrive as bytes; parseJsonObject checks UTF-8 and JSON itself, so a bad body
  // gets Footfall's own error code rather than a framework message.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['text/plain', 'application/json'],
    { parseAs: 'buffer', bodyLimit: LIMITS.bodyBytes },
    (_req, body, done) => done(null, body),
  );

  // Callback-style hooks: an async hook costs a promise per request on the hot path.
  app.addHook('onRequest', (_req, reply, done) => {
    allowAnyOrigin(reply);
    done();
  });
  app.addHook('onError', async (_req, _reply, err) => {
    const code = err instanceof FootfallError ? err.code : (err as { code?: string }).code;
    metrics.rejected((code ?? 'unknown').replace(/^(FOOTFALL_ERR_|FST_ERR_)/, '').toLowerCase());
  });

  app.get('/a.js', async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=3600').type('text/javascript; charset=utf-8');
    return script;
  });

  app.get('/a.gif', async (req, reply) => {
    metrics.received();
    const raw = req.raw.url ?? '';
    const q = raw.indexOf('?');
    await track(fromBeacon(q === -1 ? '' : raw.slice(q + 1)), client(req));
    reply.header('cache-control', NO_CACHE).type('image/gif');
    return BEACON_GIF;
  });

  app.post('/api/event', async (req, reply) => {
    metrics.received();
    const body = req.body instanceof Buffer ? req.body : Buffer.alloc(0);
    await track(fromPlausibleBody(parseJsonObject(body)), client(req));
    reply.code(202).header('cache-control', NO_CACHE).type('text/plain; charset=utf-8');
    return 'ok';
  });

  app.post('/api/send', async (req, reply) => {
    metrics.received();
    const body = req.body instanceof Buffer ? req.body : Buffer.alloc(0);
    const raw = fromUmamiBody(parseJsonObject(body), opts.umamiSite);
    if (raw) await track(raw, client(req));
    // Umami's script reads this JSON; without a `cache` token it sends no x-umami-cache header.
    reply.header('cache-control', NO_CACHE);
    return {};
  });

  for (const url of ['/api/event', '/api/send']) {
    app.options(url, async (_req, reply) => {
      reply
        .code(204)
        .header('access-control-allow-methods', 'POST, OPTIONS')
        .header('access-control-allow-headers', 'Content-Type, x-umami-cache')
        .header('access-control-max-age', '86400');
      return '';
    });
  }
}
