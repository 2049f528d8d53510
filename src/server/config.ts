// `footfall serve` settings. Each one is declared once here — flag, environment variable,
// default, check — and the CLI options, README table and errors are derived from it.
// A flag wins over its environment variable.
import { nodeIdProblem } from '../cluster/node-id.js';
import { parseTrustProxy } from '../enrich/client-ip.js';
import { MailConfigError, mailSettings } from '../mail/smtp-settings.js';
import { parseClickHouseUrl } from '../store/clickhouse/url.js';
import { metadataWithoutClickHouse, parsePostgresUrl } from '../store/postgres/url.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './log.js';

export class ConfigError extends Error {}

export interface ServeConfig {
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string;
  queueSize: number;
  /** Most bytes of journal waiting for the store before tracking answers 503 (--journal-max). */
  journalMaxBytes: number;
  memoryLimit: string;
  /** Where events are kept (--clickhouse-url); unset: the DuckDB file in the data directory. */
  clickhouseUrl: string | undefined;
  /** Where sites, accounts, salts and the rest are kept (--database-url, PostgreSQL); unset: the data directory. */
  databaseUrl: string | undefined;
  /** This node's name among several (--node-id); unset: the one kept in the data directory. */
  nodeId: string | undefined;
  /** Proxies whose forwarding headers name the client (--trust-proxy); unset: headers ignored. */
  trustProxy: string | undefined;
  /** Addresses whose events are not stored (--exclude-ip). */
  excludeIp: string | undefined;
  /** A GeoLite2/GeoIP2 City .mmdb file; unset: the bundled DB-IP lite database. */
  geoipDb: string | undefined;
  /** The operator's full-access API key (--admin-key); unset: none. */
  adminKey: string | undefined;
  /** Bearer token GET /metrics asks for (--metrics-token); unset: /metrics is open. */
  metricsToken: string | undefined;
  /** Most open connections from one client address (--max-connections-per-ip). */
  maxConnectionsPerIp: number;
  /** The SMTP server mail goes through (--smtp-url); unset: mail is not configured. */
  smtpUrl: string | undefined;
  /** The sender of every mail (--mail-from); set exactly when smtpUrl is. */
  mailFrom: string | undefined;
  /** Webhooks may reach loopback, private and link-local addresses (--allow-private-webhooks). */
  allowPrivateWebhooks: boolean;
  logFormat: LogFormat;
  logLevel: LogLevel;
}

type Key = keyof ServeConfig;

export interface Setting {
  key: Key;
  flag: string;
  env: string;
  help: string;
  /** Shown in --help; computed defaults (publicUrl) are described in `help`. */
  defaultText: string;
  /** A flag without a value (on when given); its variable takes true/false. */
  switch?: boolean;
}

export const SETTINGS: readonly Setting[] = [
  { key: 'port', flag: '--port', env: 'PORT', help: 'TCP port to listen on', defaultText: '8000' },
  { key: 'host', flag: '--host', env: 'FOOTFALL_HOST', help: 'address to listen on', defaultText: '0.0.0.0' },
  {
    key: 'dataDir',
    flag: '--data',
    env: 'FOOTFALL_DATA',
    help: 'data directory (created if missing; holds footfall.duckdb)',
    defaultText: './data',
  },
  {
    key: 'publicUrl',
    flag: '--public-url',
    env: 'FOOTFALL_PUBLIC_URL',
    help: 'the URL visitors reach this server at, used in the scripts it serves',
    defaultText: 'http://localhost:<port>',
  },
  {
    key: 'queueSize',
    flag: '--queue-size',
    env: 'FOOTFALL_QUEUE_SIZE',
    help: 'most events waiting in memory for the journal before tracking answers 503',
    defaultText: '20000',
  },
  {
    key: 'journalMaxBytes',
    flag: '--journal-max',
    env: 'FOOTFALL_JOURNAL_MAX',
    help: 'most journal waiting for the store (e.g. while ClickHouse is unreachable) before tracking answers 503',
    defaultText: '1GB',
  },
  {
    key: 'memoryLimit',
    flag: '--memory-limit',
    env: 'FOOTFALL_MEMORY_LIMIT',
    help: "DuckDB's memory limit",
    defaultText: '512MB',
  },
  {
    key: 'clickhouseUrl',
    flag: '--clickhouse-url',
    env: 'FOOTFALL_CLICKHOUSE_URL',
    help: 'keep events in ClickHouse: http(s)://user:pass@host:8123/database, or chdb:<dir> for ClickHouse in this process (needs `npm install --no-save chdb@3.4.0`); sites, accounts and salts stay in the data directory (or in PostgreSQL with --database-url)',
    defaultText: 'none: events in footfall.duckdb',
  },
  {
    key: 'databaseUrl',
    flag: '--database-url',
    env: 'FOOTFALL_DATABASE_URL',
    help: 'keep sites, accounts, salts, goals, segments, funnels and the job ledger in PostgreSQL, shared by several nodes: postgres://user:pass@host:5432/database (a database of its own); needs --clickhouse-url',
    defaultText: 'none: metadata in footfall.duckdb',
  },
  {
    key: 'nodeId',
    flag: '--node-id',
    env: 'FOOTFALL_NODE_ID',
    help: "this node's name among several sharing one --database-url (1 to 63 letters, digits, dots, dashes, underscores); a second live node with the same id is refused",
    defaultText: 'made once from the host name and kept in <data>/node-id',
  },
  {
    key: 'trustProxy',
    flag: '--trust-proxy',
    env: 'FOOTFALL_TRUST_PROXY',
    help: 'reverse proxies (IPs, CIDRs, or loopback) whose X-Forwarded-For / X-Real-IP / CF-Connecting-IP are believed',
    defaultText: 'none: headers ignored',
  },
  {
    key: 'excludeIp',
    flag: '--exclude-ip',
    env: 'FOOTFALL_EXCLUDE_IP',
    help: 'IPs or CIDRs whose visits are not counted (your office, your monitoring)',
    defaultText: 'none',
  },
  {
    key: 'geoipDb',
    flag: '--geoip-db',
    env: 'FOOTFALL_GEOIP_DB',
    help: 'a MaxMind GeoLite2-City .mmdb file to use for locations',
    defaultText: 'bundled DB-IP lite',
  },
  {
    key: 'adminKey',
    flag: '--admin-key',
    env: 'FOOTFALL_ADMIN_KEY',
    help: 'operator key with full access, sent as "Authorization: Bearer <key>"; at least 32 characters',
    defaultText: 'none',
  },
  {
    key: 'metricsToken',
    flag: '--metrics-token',
    env: 'FOOTFALL_METRICS_TOKEN',
    help: 'token GET /metrics asks for, sent as "Authorization: Bearer <token>"; at least 32 characters',
    defaultText: 'none: /metrics is open',
  },
  {
    key: 'maxConnectionsPerIp',
    flag: '--max-connections-per-ip',
    env: 'FOOTFALL_MAX_CONNECTIONS_PER_IP',
    help: 'most open connections from one client address; more are closed at once (trusted proxies exempt)',
    defaultText: '256',
  },
  {
    key: 'smtpUrl',
    flag: '--smtp-url',
    env: 'FOOTFALL_SMTP_URL',
    help: 'send mail (password reset, reports, alerts) through this SMTP server: smtps://user:password@host:465 (TLS) or smtp://…:587 (STARTTLS when offered); needs --mail-from',
    defaultText: 'none: mail is not configured',
  },
  {
    key: 'mailFrom',
    flag: '--mail-from',
    env: 'FOOTFALL_MAIL_FROM',
    help: 'the sender of every mail, e.g. "Footfall <stats@example.com>"',
    defaultText: 'none',
  },
  {
    key: 'allowPrivateWebhooks',
    flag: '--allow-private-webhooks',
    env: 'FOOTFALL_ALLOW_PRIVATE_WEBHOOKS',
    help: 'let alert webhooks reach loopback, private and link-local addresses (a webhook receiver on the same network); off, they are refused after DNS resolution',
    defaultText: 'off',
    switch: true,
  },
  {
    key: 'logFormat',
    flag: '--log-format',
    env: 'FOOTFALL_LOG_FORMAT',
    help: 'log lines as plain text or as one JSON object each (text, json)',
    defaultText: 'text',
  },
  {
    key: 'logLevel',
    flag: '--log-level',
    env: 'FOOTFALL_LOG_LEVEL',
    help: 'the least important lines logged (debug, info, warn, error)',
    defaultText: 'info',
  },
];

export type ServeFlags = Partial<Record<Key, string>>;

function parsePort(text: string, source: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(
      `${source}="${text}" is not a port number: use a whole number from 1 to 65535, e.g. 8000`,
    );
  }
  return port;
}

function parsePositive(text: string, source: string, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new ConfigError(`${source}="${text}" must be a whole number from 1 to ${max}`);
  }
  return n;
}

function parsePublicUrl(text: string, source: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(
      `${source}="${text}" is not a URL: use the address visitors reach, e.g. https://stats.example.com`,
    );
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username) {
    throw new ConfigError(
      `${source}="${text}" must be a plain http(s) URL without query, fragment or credentials, e.g. https://stats.example.com`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

const UNIT_BYTES: Record<string, number> = { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

/** A size such as 500MB or 2GB (units of 1024, as DuckDB's memory limit takes them). */
function parseBytes(text: string, source: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.exec(text);
  const bytes = m ? Math.floor(Number(m[1]) * UNIT_BYTES[m[2]!.toLowerCase().replace('i', '')]!) : 0;
  if (bytes < 1024) throw new ConfigError(`${source}="${text}" is not a size: use e.g. 500MB or 2GB`);
  return bytes;
}

function parseMemoryLimit(text: string, source: string): string {
  if (!/^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i.test(text)) {
    throw new ConfigError(`${source}="${text}" is not a size: use e.g. 512MB or 2GB`);
  }
  return text;
}

/** Checked here so a malformed URL stops the start before anything is opened. */
function parseEngineUrl(text: string, source: string): string {
  try {
    parseClickHouseUrl(text, source);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  return text;
}

function parseDatabaseUrl(text: string, source: string, clickhouse: unknown): string {
  try {
    parsePostgresUrl(text, source);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  if (!clickhouse) throw new ConfigError(metadataWithoutClickHouse().message);
  return text;
}

function parseNodeId(text: string, source: string): string {
  const problem = nodeIdProblem(text, source);
  if (problem) throw new ConfigError(problem);
  return text;
}

function parseAddressList(text: string, source: string): string {
  try {
    parseTrustProxy(text, source);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  return text;
}

export const ADMIN_KEY_MIN_CHARS = 32;

/** Never echoes the key (or token): the message may end up in logs. */
function parseSecret(text: string, source: string, what: string): string {
  if (text.length < ADMIN_KEY_MIN_CHARS) {
    throw new ConfigError(
      `${source} is ${text.length} characters long; ${what} needs at least ${ADMIN_KEY_MIN_CHARS}: ` +
        'generate one with `openssl rand -base64 32`',
    );
  }
  return text;
}

function parseSwitch(text: string, source: string): boolean {
  const t = text.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(t)) return true;
  if (['false', '0', 'no', 'off'].includes(t)) return false;
  throw new ConfigError(`${source}="${text}" must be true or false`);
}

function parseChoice<T extends string>(text: string, source: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) {
    throw new ConfigError(`${source}="${text}" must be one of ${choices.join(', ')}`);
  }
  return text as T;
}

export function resolveServeConfig(flags: ServeFlags, env: NodeJS.ProcessEnv): ServeConfig {
  const pick = (key: Key): { text: string; source: string } | undefined => {
    const s = SETTINGS.find((x) => x.key === key)!;
    if (flags[key] !== undefined) return { text: String(flags[key]), source: s.flag };
    const fromEnv = env[s.env];
    if (fromEnv !== undefined && fromEnv !== '') return { text: fromEnv, source: s.env };
    return undefined;
  };
  let mail: ReturnType<typeof mailSettings>;
  try {
    mail = mailSettings(pick('smtpUrl'), pick('mailFrom'));
  } catch (err) {
    if (err instanceof MailConfigError) throw new ConfigError(err.message);
    throw err;
  }
  const port = ((v) => (v ? parsePort(v.text, v.source) : 8000))(pick('port'));
  const publicUrlSetting = pick('publicUrl');
  return {
    port,
    host: pick('host')?.text ?? '0.0.0.0',
    dataDir: pick('dataDir')?.text ?? './data',
    publicUrl: publicUrlSetting
      ? parsePublicUrl(publicUrlSetting.text, publicUrlSetting.source)
      : `http://localhost:${port}`,
    queueSize: ((v) => (v ? parsePositive(v.text, v.source, 10_000_000) : 20_000))(pick('queueSize')),
    journalMaxBytes: ((v) => (v ? parseBytes(v.text, v.source) : 1024 ** 3))(pick('journalMaxBytes')),
    memoryLimit: ((v) => (v ? parseMemoryLimit(v.text, v.source) : '512MB'))(pick('memoryLimit')),
    clickhouseUrl: ((v) => (v ? parseEngineUrl(v.text, v.source) : undefined))(pick('clickhouseUrl')),
    databaseUrl: ((v) => (v ? parseDatabaseUrl(v.text, v.source, pick('clickhouseUrl')) : undefined))(
      pick('databaseUrl'),
    ),
    nodeId: ((v) => (v ? parseNodeId(v.text, v.source) : undefined))(pick('nodeId')),
    trustProxy: ((v) => (v ? parseAddressList(v.text, v.source) : undefined))(pick('trustProxy')),
    excludeIp: ((v) => (v ? parseAddressList(v.text, v.source) : undefined))(pick('excludeIp')),
    geoipDb: pick('geoipDb')?.text,
    adminKey: ((v) => (v ? parseSecret(v.text, v.source, 'an admin key') : undefined))(pick('adminKey')),
    metricsToken: ((v) => (v ? parseSecret(v.text, v.source, 'a metrics token') : undefined))(
      pick('metricsToken'),
    ),
    maxConnectionsPerIp: ((v) => (v ? parsePositive(v.text, v.source, 1_000_000) : 256))(
      pick('maxConnectionsPerIp'),
    ),
    smtpUrl: mail?.smtpUrl,
    mailFrom: mail?.from,
    allowPrivateWebhooks: ((v) => (v ? parseSwitch(v.text, v.source) : false))(pick('allowPrivateWebhooks')),
    logFormat: ((v) => (v ? parseChoice(v.text, v.source, LOG_FORMATS) : 'text'))(pick('logFormat')),
    logLevel: ((v) => (v ? parseChoice(v.text, v.source, LOG_LEVELS) : 'info'))(pick('logLevel')),
  };
}
