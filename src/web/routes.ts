// Serves the dashboard built into dist/web/ (scripts/build-web.mjs): the same HTML shell at
// every dashboard path — the browser picks the view — and the content-hashed assets under
// /assets/ with a one-year immutable cache. The shell is never cached, so a new build is
// picked up on the next load. Files are read once at startup, and each is gzipped once, when first asked for. Each path is
// public in src/auth/rules.ts: the pages hold no data; the API they call checks access.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, footfallError } from '../errors.js';

export interface WebRouteOptions {
  /** The server's public URL, given to the page for the snippet it shows. */
  publicUrl: string;
  /** Where the built dashboard is; found next to the running bundle or in <repo>/dist when unset. */
  webDir?: string;
}

/** The views of src/web/app/routes.ts; each answers with the shell. */
export const SHELL_PATHS = [
  '/',
  '/login',
  '/setup',
  '/invite',
  '/forgot',
  '/reset',
  '/account',
  '/sites/:domain',
  '/sites/:domain/settings',
  '/share/:token',
] as const;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

interface Asset {
  body: Buffer;
  /** Made at the first request that accepts gzip (level 9 of every asset took ~0.15 s of CPU
   * at each start, a quarter of a start's own CPU, whether or not a browser ever came). */
  gzipped?: Buffer;
  type: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** dist/footfall.js runs next to dist/web/; src/web/routes.ts (tsx) is two levels below the repo root. */
export function findWebDir(
  candidates = [path.join(here, 'web'), path.resolve(here, '../../dist/web')],
): string {
  const found = candidates.find((p) => existsSync(path.join(p, 'index.html')));
  if (!found) throw new Error(`dashboard not built (looked in ${candidates.join(', ')}); run npm run build`);
  return found;
}

function escapeAttribute(s: string): string {
  return s.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[path.extname(name)];
    if (!type) continue;
    const body = readFileSync(path.join(dir, name));
    assets.set(name, { body, type });
  }
  return assets;
}

/** A browser navigation (it asks for HTML first), not an API call or an asset. */
function wantsPage(req: FastifyRequest): boolean {
  const accept = req.headers.accept;
  const path = req.url.split('?')[0] ?? '';
  return typeof accept === 'string' && /^text\/html\b/.test(accept) && !/^\/(api|assets)\//.test(path);
}

function acceptsGzip(req: FastifyRequest): boolean {
  const accept = req.headers['accept-encoding'];
  return typeof accept === 'string' && /\bgzip\b/.test(accept);
}

export async function webRoutes(app: FastifyInstance, opts: WebRouteOptions): Promise<void> {
  const dir = findWebDir(opts.webDir ? [opts.webDir] : undefined);
  const shell = readFileSync(path.join(dir, 'index.html'), 'utf8').replace(
    '%PUBLIC_URL%',
    escapeAttribute(opts.publicUrl),
  );
  const assets = loadAssets(path.join(dir, 'assets'));

  // The Content Security Policy and referrer policy come with every response
  // (src/server/security-headers.ts); the shell needs nothing looser.
  const sendShell = (_req: FastifyRequest, reply: FastifyReply) => {
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(shell);
  };
  for (const url of SHELL_PATHS) app.get(url, sendShell);

  // Any other GET: a browser asking for a page gets the shell with status 404, so it shows the
  // dashboard's own "Page not found" (with a way back) instead of raw JSON; API clients and
  // anything not asking for HTML keep the JSON error. The most specific route always wins in
  // Fastify, so this catches only what nothing else serves.
  app.get('/*', (req, reply) => {
    if (wantsPage(req)) {
      reply.code(404).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(shell);
      return;
    }
    reply
      .code(404)
      .header('cache-control', 'no-store')
      .send(errorBody(footfallError('FOOTFALL_ERR_NOT_FOUND')));
  });

  app.get<{ Params: { file: string } }>('/assets/:file', (req, reply) => {
    const asset = assets.get(req.params.file);
    if (!asset) {
      reply
        .code(404)
        .header('cache-control', 'no-store')
        .send(errorBody(footfallError('FOOTFALL_ERR_NOT_FOUND')));
      return;
    }
    const gzip = acceptsGzip(req);
    reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('vary', 'accept-encoding')
      .type(asset.type);
    if (!gzip) {
      reply.send(asset.body);
      return;
    }
    asset.gzipped ??= gzipSync(asset.body, { level: 9 });
    reply.header('content-encoding', 'gzip').send(asset.gzipped);
  });
}
