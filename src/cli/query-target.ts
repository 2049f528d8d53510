// Where `footfall query` runs: a server's HTTP API (--url, with --key), the running server's
// control socket (it holds the database), or the data directory opened directly.
import { readFileSync } from 'node:fs';
import { ENDPOINTS, type Endpoint } from '../query/endpoints.js';
import { createQueryEngine } from '../query/run-query.js';
import { segmentLookup } from '../segments/lookup.js';
import { ConfigError } from '../server/config.js';
import { SiteDirectory } from '../sites/directory.js';
import { controlRequest } from './control-client.js';
import { withLocalStore } from './data-dir.js';
import { unwrap } from './user-error.js';

export interface Target {
  url?: string;
  key?: string;
  dataDir: string;
  /** --clickhouse-url for a data directory opened directly. */
  clickhouseUrl?: string;
}

export async function runEndpoint(
  target: Target,
  endpoint: Endpoint,
  body: Record<string, unknown>,
): Promise<unknown> {
  if (target.url) {
    if (!target.key) throw new ConfigError('--url needs --key (or FOOTFALL_KEY): an API key for that server');
    const base = target.url.replace(/\/+$/, '');
    const def = ENDPOINTS[endpoint];
    const res =
      def.method === 'GET'
        ? await fetch(`${base}${def.path}?site_id=${encodeURIComponent(String(body.site_id))}`, {
            headers: { authorization: `Bearer ${target.key}` },
          })
        : await fetch(`${base}${def.path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${target.key}` },
            body: JSON.stringify(body),
          });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return unwrap({ status: res.status, body: parsed });
  }
  const viaSocket = await controlRequest(target.dataDir, 'POST', `/${endpoint}`, body);
  if (viaSocket) return unwrap(viaSocket);

  return withLocalStore(
    target.dataDir,
    async (store) => {
      const sites = new SiteDirectory(store);
      await sites.refresh();
      const engine = createQueryEngine({
        store,
        site: (d) => sites.lookup(d),
        goals: (d) => store.goals.listGoals(d),
        funnels: (d) => store.funnels.listFunnels(d),
        imported: store.imported,
        now: Date.now,
      });
      // The operator reads as no one in particular: the site's shared segments, no personal ones.
      return ENDPOINTS[endpoint].run(engine, body, Date.now(), segmentLookup(store.segments, null));
    },
    { clickhouseUrl: target.clickhouseUrl },
  );
}

export function readQueryFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    const body = JSON.parse(text) as unknown;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    return body as Record<string, unknown>;
  } catch {
    throw new ConfigError(`${file} is not a JSON object: write the query as POST /api/v2/query takes it`);
  }
}
