// Footfall's browser tracker (src/tracker/, built to dist/script.js) at GET /script.js and
// GET /js/script.js (Plausible's path, so a swapped snippet keeps working). The file is read
// once at startup; a server without it refuses to start rather than serve a 404 to every site.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

export interface TrackerRouteOptions {
  /** Where the built tracker is; found next to the running bundle or in <repo>/dist when unset. */
  scriptPath?: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** dist/footfall.js runs next to dist/script.js; src/collect/*.ts (tsx) is two levels below the repo root. */
export function findTrackerScript(
  candidates = [path.join(here, 'script.js'), path.resolve(here, '../../dist/script.js')],
): string {
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`tracker script not found (looked for ${candidates.join(', ')}); run npm run build`);
  }
  return found;
}

export async function trackerRoutes(app: FastifyInstance, opts: TrackerRouteOptions = {}): Promise<void> {
  const script = readFileSync(findTrackerScript(opts.scriptPath ? [opts.scriptPath] : undefined), 'utf8');
  for (const url of ['/script.js', '/js/script.js']) {
    app.get(url, async (_req, reply) => {
      reply
        .header('cache-control', 'public, max-age=3600')
        .header('access-control-allow-origin', '*')
        .type('text/javascript; charset=utf-8');
      return script;
    });
  }
}
