// The server's lifecycle: open the store, load sites, start the writer and the HTTP app;
// close() stops accepting, waits for every accepted event to commit, and closes the store.
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createAccess } from '../auth/access.js';
import { AttemptLimiter } from '../auth/attempt-limiter.js';
import { createIsHttps } from '../auth/cookies.js';
import { PasswordHasher } from '../auth/passwords.js';
import { announceSetup } from '../auth/setup.js';
import { createTrack } from '../collect/track.js';
import { createClientIp, parseTrustProxy } from '../enrich/client-ip.js';
import { createEnricher } from '../enrich/enrich.js';
import { GeoDbError, type GeoLookup, openGeo } from '../enrich/geo.js';
import { msUntilNextUtcMidnight, SaltKeeper } from '../enrich/salts.js';
import { SessionTracker } from '../enrich/sessions.js';
import { createUserAgentParser } from '../enrich/user-agent.js';
import { IngestWriter } from '../ingest/writer.js';
import { createMetrics } from '../ops/metrics.js';
import { createQueryEngine } from '../query/run-query.js';
import { SiteDirectory } from '../sites/directory.js';
import { DB_FILE, openDuckDbStore, StoreLockedError } from '../store/duckdb/open.js';
import { isUpgradeRefusal, pruneBackups } from '../store/duckdb/upgrade.js';
import type { Store } from '../store/types.js';
import { buildApp } from './app.js';
import { ConfigError, type ServeConfig } from './config.js';
import { startControlServer } from './control.js';
import { reloadableGeo } from './geo-reload.js';
import { startJobs } from './jobs.js';
import type { LogLevel } from './log.js';

export interface ServeDeps {
  now?: () => number;
  randomBytes?: (n: number) => Buffer;
  /** One line per event; failures pass level 'error' (see log.ts). */
  log?: (msg: string, level?: LogLevel) => void;
}

export interface RunningServer {
  /** Where the server listens, e.g. http://127.0.0.1:8000 (the real port when 0 was asked). */
  url: string;
  app: FastifyInstance;
  store: Store;
  /** Resolves when every acknowledged event is in the store. */
  flush(): Promise<void>;
  /** What SIGHUP does: reopens the geo database; resolves to its description. */
  reload(): Promise<string>;
  close(): Promise<void>;
}

export async function startServer(config: ServeConfig, deps: ServeDeps = {}): Promise<RunningServer> {
  const log = deps.log ?? ((msg: string) => console.error(msg));
  const now = deps.now ?? Date.now;
  const randomBytes = deps.randomBytes ?? cryptoRandomBytes;
  let geo: GeoLookup;
  try {
    geo = await openGeo({ dbPath: config.geoipDb });
  } catch (err) {
    if (err instanceof GeoDbError) throw new ConfigError(err.message);
    throw err;
  }
  let store: Store;
  let upgradeBackup: string | undefined;
  try {
    store = await openDuckDbStore(config.dataDir, {
      memoryLimit: config.memoryLimit,
      onUpgrade: (u) => {
        upgradeBackup = u.backup;
        log(
          `upgraded the data directory from schema ${u.from} to ${u.to}; the old database is kept as ${u.backup} until the next start`,
        );
      },
    });
  } catch (err) {
    await geo.close();
    if (err instanceof StoreLockedError || isUpgradeRefusal(err)) throw new ConfigError(err.message);
    throw err;
  }
  const metrics = createMetrics();
  const sites = new SiteDirectory(store);
  await sites.refresh();
  await announceSetup(store.accounts, config.publicUrl, { now, randomBytes, log });
  const access = createAccess({ accounts: store.accounts, adminKey: config.adminKey, now });
  const hasher = new PasswordHasher(randomBytes);
  const salts = await SaltKeeper.open(store, {
    now,
    randomBytes,
    onError: (err) => log(`could not store today's salt (will retry): ${String(err)}`, 'error'),
  });
  const clientIp = createClientIp(config.trustProxy);
  const writer = await IngestWriter.open(store, config.dataDir, metrics, {
    maxQueue: config.queueSize,
    loadIntervalMs: 250,
    onError: (err) => log(`ingest: ${err instanceof Error ? err.message : String(err)}`, 'error'),
    log,
  });
  // After the journal's leftovers are loaded, so new session ids follow every stored one.
  const [{ last }] = (await store.queryRows('SELECT coalesce(max(session_id), 0) AS last FROM events')) as [
    { last: bigint },
  ];
  const liveGeo = reloadableGeo(geo, () => openGeo({ dbPath: config.geoipDb }));
  const enricher = createEnricher({
    parseUserAgent: createUserAgentParser(),
    geo: liveGeo,
    salts,
    sessions: new SessionTracker({ firstSessionId: BigInt(last) + 1n }),
    isExcludedIp: config.excludeIp ? parseTrustProxy(config.excludeIp, '--exclude-ip') : undefined,
  });
  const track = createTrack({ sites, enricher, sink: writer, metrics, now });
  const engine = createQueryEngine({ store, site: (domain) => sites.lookup(domain), now });
  const requestIp = (req: FastifyRequest) =>
    clientIp({ socketAddress: req.socket.remoteAddress ?? '', headers: req.headers });
  const app = buildApp({
    track,
    umamiSite: (id) => sites.lookupUmami(id)?.domain,
    metrics,
    store,
    ingestHealthy: () => writer.healthy,
    publicUrl: config.publicUrl,
    clientIp: requestIp,
    log,
    engine,
    now,
    access,
    accountApi: {
      access,
      accounts: store.accounts,
      sites: store,
      refreshSites: () => sites.refresh(),
      hasher,
      limiter: new AttemptLimiter(now),
      now,
      randomBytes,
      publicUrl: config.publicUrl,
      clientIp: requestIp,
      isHttps: createIsHttps(config.publicUrl, config.trustProxy),
    },
  });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await writer.close();
    await store.close();
    await geo.close();
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
  const control = await startControlServer(config.dataDir, store, sites, log, engine, now, {
    accounts: store.accounts,
    hasher,
    now,
    randomBytes,
  });
  const jobs = startJobs(
    [
      // Just after 00:00 UTC: create the new day's salt, delete the one from two days ago.
      {
        name: 'rotate-salts',
        nextRunIn: (t) => msUntilNextUtcMidnight(t) + 1000,
        run: (t) => salts.rotate(t),
      },
      {
        name: 'purge-expired-sessions',
        nextRunIn: () => 3600_000,
        run: (t) => store.accounts.removeExpiredSessions(t),
      },
    ],
    now,
    log,
  );
  // Started: backups of earlier upgrades have served their purpose (this start's is kept).
  for (const b of pruneBackups(path.join(config.dataDir, DB_FILE), upgradeBackup)) log(`removed ${b}`);
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    app,
    store,
    flush: () => writer.flush(),
    reload: () => liveGeo.reload(),
    close() {
      closing ??= (async () => {
        // Stop accepting; requests already in flight wait for their commit and are answered.
        jobs.stop();
        await app.close();
        await writer.close();
        await control?.close();
        await store.close();
        await liveGeo.close();
      })();
      return closing;
    },
  };
}
