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
import { joinCluster, type Membership } from '../cluster/membership.js';
import { storedNodeId } from '../cluster/node-id.js';
import { firstSessionId } from '../cluster/session-ids.js';
import { createTrack } from '../collect/track.js';
import { createClientIp, parseTrustProxy } from '../enrich/client-ip.js';
import { createEnricher } from '../enrich/enrich.js';
import { GeoDbError, type GeoLookup, openGeo } from '../enrich/geo.js';
import { SaltKeeper } from '../enrich/salts.js';
import { SessionTracker } from '../enrich/sessions.js';
import { createUserAgentParser } from '../enrich/user-agent.js';
import { journalDir } from '../ingest/journal.js';
import type { JournalFs } from '../ingest/journal-fs.js';
import { IngestWriter, JournalError } from '../ingest/writer.js';
import type { AlertDeps } from '../jobs/alerts.js';
import type { ReportDeps } from '../jobs/reports.js';
import { type Job, startJobs } from '../jobs/scheduler.js';
import { unsubscribeKeys } from '../jobs/unsubscribe.js';
import { createMailer, type Mailer } from '../mail/mailer.js';
import { createMetrics } from '../ops/metrics.js';
import { createQueryEngine, type QueryEngineDeps } from '../query/run-query.js';
import { SiteDirectory } from '../sites/directory.js';
import { NodeIdTakenError } from '../store/cluster.js';
import { createStore, type StoreConfig } from '../store/create-store.js';
import { DB_FILE, privatePaths, StoreLockedError, StoreOpenError } from '../store/duckdb/open.js';
import { isUpgradeRefusal, pruneBackups } from '../store/duckdb/upgrade.js';
import { EngineConfigError } from '../store/engine-config-error.js';
import { widerThanPrivate } from '../store/private-files.js';
import type { Store } from '../store/types.js';
import { buildApp } from './app.js';
import { ConfigError, type ServeConfig } from './config.js';
import { DEFAULT_TIMEOUTS, type ServerTimeouts } from './connection-limits.js';
import { startControlServer } from './control.js';
import { reloadableGeo } from './geo-reload.js';
import { serverJobs } from './jobs.js';
import type { LogLevel } from './log.js';

export interface ServeDeps {
  now?: () => number;
  /** Client timeouts (tests shorten them); default DEFAULT_TIMEOUTS. */
  timeouts?: ServerTimeouts;
  randomBytes?: (n: number) => Buffer;
  /** One line per event; failures pass level 'error' (see log.ts). */
  log?: (msg: string, level?: LogLevel) => void;
  /** The ingest journal's file-system calls (tests inject failures). */
  journalFs?: JournalFs;
  /** Stands between the ClickHouse client and chdb (tests make ClickHouse unreachable). */
  wrapChdbConnection?: StoreConfig['wrapChdbConnection'];
  /** How the operator runs the CLI here, for hints in the log (default `footfall`). */
  command?: string;
  /** How often the journal is loaded (tests hold events back); default LOAD_INTERVAL_MS. */
  loadIntervalMs?: number;
  /** The query planner's switches (tests run the oracle cases on each path). */
  query?: Pick<QueryEngineDeps, 'visitsTable' | 'onPlan'>;
  /** false: the background jobs are not scheduled (tests run them by hand on a driven clock). */
  schedule?: boolean;
  /** Waits between webhook attempts (tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>;
}

export interface RunningServer {
  /** Where the server listens, e.g. http://127.0.0.1:8000 (the real port when 0 was asked). */
  url: string;
  app: FastifyInstance;
  store: Store;
  /** This node's id (--node-id, or the one kept in the data directory). */
  nodeId: string;
  /** The background jobs the server runs (salts, retention, reports, alerts, session purge; src/server/jobs.ts). */
  jobs: readonly Job[];
  /** Resolves when every acknowledged event is in the store. */
  flush(): Promise<void>;
  /** What SIGHUP does: reopens the geo database; resolves to its description. */
  reload(): Promise<string>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** How often journaled events are loaded into the store: the README's "about a quarter of a second". */
const LOAD_INTERVAL_MS = 250;

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
    store = await createStore({
      dataDir: config.dataDir,
      clickhouseUrl: config.clickhouseUrl,
      databaseUrl: config.databaseUrl,
      wrapChdbConnection: deps.wrapChdbConnection,
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
    if (
      err instanceof StoreLockedError ||
      err instanceof StoreOpenError ||
      err instanceof EngineConfigError ||
      isUpgradeRefusal(err)
    ) {
      throw new ConfigError(err.message);
    }
    throw err;
  }
  // Events the DuckDB file kept before ClickHouse took over are not counted from ClickHouse.
  // (With --database-url, queryRows reads PostgreSQL, which holds no events: not checked.)
  if (store.engine === 'clickhouse' && !config.databaseUrl) {
    const [left] = await store.queryRows('SELECT count(*) AS n FROM events');
    if (Number(left?.n ?? 0) > 0) {
      log(
        `${Number(left!.n)} events in ${path.join(config.dataDir, DB_FILE)} are not in ClickHouse and not counted: ` +
          'stop the server and run `footfall migrate events --to <the same URL>` to move them',
        'warn',
      );
    }
  }
  // Files made before modes were private stay as they are; say so, once, at start.
  for (const warning of widerThanPrivate([...privatePaths(config.dataDir), journalDir(config.dataDir)])) {
    log(warning);
  }
  const nodeId = config.nodeId ?? storedNodeId(config.dataDir);
  // With shared metadata, a second live node with the same id is refused before it writes.
  let membership: Membership | undefined;
  if (store.cluster) {
    try {
      membership = await joinCluster(store.cluster, nodeId, config.dataDir, now);
    } catch (err) {
      await store.close();
      await geo.close();
      if (err instanceof NodeIdTakenError) throw new ConfigError(err.message);
      throw err;
    }
  }
  const metrics = createMetrics();
  metrics.watchJobs(() => store.jobs.summary());
  metrics.nodeInfo(nodeId);
  const mailer: Mailer | undefined =
    config.smtpUrl && config.mailFrom
      ? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom })
      : undefined;
  const sites = new SiteDirectory(store);
  await sites.refresh();
  const access = createAccess({ accounts: store.accounts, adminKey: config.adminKey, now });
  const hasher = new PasswordHasher(randomBytes);
  const salts = await SaltKeeper.open(store, {
    now,
    randomBytes,
    onError: (err) => log(`could not store today's salt (will retry): ${String(err)}`, 'error'),
  });
  const clientIp = createClientIp(config.trustProxy);
  let writer: IngestWriter;
  try {
    writer = await IngestWriter.open(store, config.dataDir, metrics, {
      maxQueue: config.queueSize,
      journalMaxBytes: config.journalMaxBytes,
      now,
      loadIntervalMs: deps.loadIntervalMs ?? LOAD_INTERVAL_MS,
      onError: (err) => log(`ingest: ${err instanceof Error ? err.message : String(err)}`, 'error'),
      log,
      fs: deps.journalFs,
    });
  } catch (err) {
    await membership?.leave();
    await store.close();
    await geo.close();
    if (err instanceof JournalError) throw new ConfigError(err.message);
    throw err;
  }
  // After the journal's leftovers are loaded, so new session ids follow every stored one (with
  // several nodes: every one stored in this node's range, cluster/session-ids.ts).
  const first = await firstSessionId(store, membership?.number);
  const liveGeo = reloadableGeo(geo, () => openGeo({ dbPath: config.geoipDb }));
  const sessions = new SessionTracker({ firstSessionId: first });
  const enricher = createEnricher({
    parseUserAgent: createUserAgentParser(),
    geo: liveGeo,
    salts,
    sessions,
    isExcludedIp: config.excludeIp ? parseTrustProxy(config.excludeIp, '--exclude-ip') : undefined,
  });
  const track = createTrack({ sites, enricher, sink: writer, metrics, now });
  const engine = createQueryEngine({
    store,
    site: (domain) => sites.lookup(domain),
    goals: (domain) => store.goals.listGoals(domain),
    funnels: (domain) => store.funnels.listFunnels(domain),
    imported: store.imported,
    now,
    ...deps.query,
  });
  const reports: ReportDeps = {
    subscriptions: store.jobs,
    goals: store.goals,
    engine,
    mailer,
    publicUrl: config.publicUrl,
    unsubscribe: unsubscribeKeys(store.jobs, randomBytes),
  };
  const alerts: AlertDeps = {
    alerts: store.jobs,
    engine,
    mailer,
    publicUrl: config.publicUrl,
    webhook: { allowPrivate: config.allowPrivateWebhooks, sleep: deps.sleep ?? sleep, now },
    log,
  };
  const requestIp = (req: FastifyRequest) =>
    clientIp({ socketAddress: req.socket.remoteAddress ?? '', headers: req.headers });
  const app = buildApp({
    track,
    umamiSite: (id) => sites.lookupUmami(id)?.domain,
    metrics,
    store,
    ingestHealth: () => writer.health(),
    publicUrl: config.publicUrl,
    clientIp: requestIp,
    log,
    metricsToken: config.metricsToken,
    nodeId,
    exports: { store, dataDir: config.dataDir },
    connections: {
      timeouts: deps.timeouts ?? DEFAULT_TIMEOUTS,
      maxPerIp: config.maxConnectionsPerIp,
      isTrustedProxy: config.trustProxy ? parseTrustProxy(config.trustProxy) : () => false,
    },
    engine,
    now,
    access,
    reports: { ...reports, access, now },
    alerts: {
      alerts: store.jobs,
      mailConfigured: mailer !== undefined,
      allowPrivateWebhooks: config.allowPrivateWebhooks,
      randomBytes,
    },
    accountApi: {
      access,
      accounts: store.accounts,
      sites: store,
      // The oldest kept event, read as every stats query reads events (its gate and time limit).
      siteData: { jobs: store.jobs, firstEventMs: (site) => engine.firstEventMs(site) },
      goals: store.goals,
      segments: store.segments,
      funnels: store.funnels,
      refreshSites: () => sites.refresh(),
      hasher,
      limiter: new AttemptLimiter(now, undefined, store.cluster?.failures),
      now,
      randomBytes,
      publicUrl: config.publicUrl,
      clientIp: requestIp,
      isHttps: createIsHttps(config.publicUrl, config.trustProxy),
      mailer,
      log,
    },
  });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await writer.close();
    await membership?.leave();
    await store.close();
    await liveGeo.close();
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
  // Only once listening: a busy port is the one line a failed start prints, not a setup
  // link that leads nowhere (issue 12, B9).
  await announceSetup(store.accounts, config.publicUrl, {
    now,
    randomBytes,
    log,
    command: deps.command ?? 'footfall',
  });
  const control = await startControlServer(
    config.dataDir,
    store,
    sites,
    log,
    engine,
    now,
    { accounts: store.accounts, hasher, now, randomBytes },
    { flush: () => writer.flush(), imports: { sessions, writer, sites: store } },
    { mailer, publicUrl: config.publicUrl },
    reports,
  );
  const jobTable = serverJobs({
    salts,
    accounts: store.accounts,
    store,
    reports,
    alerts,
    now,
    log,
    node: nodeId,
  });
  // A period this node left half done is not run again (at most once, jobs/ledger.ts); other
  // nodes' running periods are theirs (their leases lapse if they died).
  for (const left of await store.jobs.interruptLeftovers(now(), nodeId)) {
    log(`job ${left.job} was stopped while running ${left.period}: not repeated`, 'warn');
  }
  const jobs = deps.schedule === false ? { stop: async () => {} } : startJobs(jobTable, now, log);
  // Started: backups of earlier upgrades have served their purpose (this start's is kept).
  for (const b of pruneBackups(path.join(config.dataDir, DB_FILE), upgradeBackup)) log(`removed ${b}`);
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    app,
    store,
    nodeId,
    jobs: jobTable,
    flush: () => writer.flush(),
    reload: () => liveGeo.reload(),
    close() {
      closing ??= (async () => {
        // No job starts from here; one under way finishes before the store closes.
        const jobsDone = jobs.stop();
        // Stop accepting; requests already in flight wait for their commit and are answered.
        await app.close();
        await jobsDone;
        try {
          await writer.close();
        } finally {
          // A last load that failed left its events in the journal for the next start;
          // everything else still closes, so the process can exit.
          await control?.close();
          await membership?.leave();
          await store.close();
          await liveGeo.close();
          mailer?.close();
        }
      })();
      return closing;
    },
  };
}
