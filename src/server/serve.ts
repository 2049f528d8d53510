// The server's lifecycle: open the store, load sites, start the writer and the HTTP app;
// close() stops accepting, waits for every accepted event to commit, and closes the store.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createTrack } from '../collect/track.js';
import { createEnricher } from '../enrich/enrich.js';
import { IngestWriter } from '../ingest/writer.js';
import { createMetrics } from '../ops/metrics.js';
import { SiteDirectory } from '../sites/directory.js';
import { openDuckDbStore, StoreLockedError } from '../store/duckdb/open.js';
import type { Store } from '../store/types.js';
import { buildApp } from './app.js';
import { ConfigError, type ServeConfig } from './config.js';
import { startControlServer } from './control.js';

export interface ServeDeps {
  now?: () => number;
  log?: (msg: string) => void;
}

export interface RunningServer {
  /** Where the server listens, e.g. http://127.0.0.1:8000 (the real port when 0 was asked). */
  url: string;
  app: FastifyInstance;
  store: Store;
  close(): Promise<void>;
}

export async function startServer(config: ServeConfig, deps: ServeDeps = {}): Promise<RunningServer> {
  const log = deps.log ?? ((msg: string) => console.error(msg));
  let store: Store;
  try {
    store = await openDuckDbStore(config.dataDir, { memoryLimit: config.memoryLimit });
  } catch (err) {
    if (err instanceof StoreLockedError) throw new ConfigError(err.message);
    throw err;
  }
  const metrics = createMetrics();
  const sites = new SiteDirectory(store);
  await sites.refresh();
  const writer = new IngestWriter(store, metrics, {
    maxQueue: config.queueSize,
    maxBatch: 5000,
    onError: (err) => log(`commit failed: ${err instanceof Error ? err.message : String(err)}`),
  });
  const track = createTrack({
    sites,
    enricher: createEnricher(),
    sink: writer,
    metrics,
    now: deps.now ?? Date.now,
  });
  const app = buildApp({
    track,
    metrics,
    store,
    publicUrl: config.publicUrl,
    clientIp: (req) => req.socket.remoteAddress ?? '',
    log,
  });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await store.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new ConfigError(
        `port ${config.port} is already in use: stop the other program or pick another with --port`,
      );
    }
    if (code === 'EACCES')
      throw new ConfigError(`no permission to listen on port ${config.port}: use a port above 1023`);
    throw err;
  }
  const control = await startControlServer(config.dataDir, store, sites, log);
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    app,
    store,
    close() {
      closing ??= (async () => {
        // Stop accepting; requests already in flight wait for their commit and are answered.
        await app.close();
        await writer.close();
        await control?.close();
        await store.close();
      })();
      return closing;
    },
  };
}
