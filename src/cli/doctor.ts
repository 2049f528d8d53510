// `footfall doctor`: checks a data directory and a configuration before (or while) a server
// runs on them, and says what to fix. It reads the same environment `footfall serve` does —
// or the service's environment file (--env-file) — and changes nothing: the database is
// opened read-only, and not at all while a server holds it.
//
// Not checked: whether the public URL is reachable from outside (a server cannot see itself
// as visitors do), nor the proxy's own configuration.
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Command } from 'commander';
import { GeoDbError, openGeo } from '../enrich/geo.js';
import { listSegments } from '../ingest/journal.js';
import { ConfigError, resolveServeConfig, type ServeConfig } from '../server/config.js';
import { type ClickHouseProbe, probeClickHouse } from '../store/clickhouse/client.js';
import { MIGRATIONS as CLICKHOUSE_MIGRATIONS } from '../store/clickhouse/schema.js';
import { parseClickHouseUrl } from '../store/clickhouse/url.js';
import { firstLine } from '../store/disk-fix.js';
import { DB_FILE, lockHolder } from '../store/duckdb/open.js';
import { readDataVersion, SCHEMA_VERSION } from '../store/duckdb/schema-version.js';
import { freeBytes, listBackups, UPGRADE_HEADROOM_BYTES, UPGRADING_SUFFIX } from '../store/duckdb/upgrade.js';
import { EngineConfigError } from '../store/engine-config-error.js';
import { type PostgresProbe, probePostgres } from '../store/postgres/probe.js';
import { MIGRATIONS as POSTGRES_MIGRATIONS } from '../store/postgres/schema.js';
import { parsePostgresUrl } from '../store/postgres/url.js';
import { VERSION } from '../version.js';
import { controlRequest } from './control-client.js';

export type Level = 'ok' | 'warn' | 'fail';

export interface Finding {
  level: Level;
  /** What was looked at and what was found. */
  text: string;
  /** What to do about it (warn and fail only). */
  fix?: string;
}

export interface DoctorDeps {
  freeBytes?: (dir: string) => number;
  /** Process owner, to compare with the data directory's (injected by tests). */
  uid?: number;
}

/** Below this, a server soon fails to write; an upgrade also needs the database's size. */
export const MIN_FREE_BYTES = 256 * 1024 * 1024;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export async function diagnose(env: NodeJS.ProcessEnv, deps: DoctorDeps = {}): Promise<Finding[]> {
  let config: ServeConfig;
  try {
    config = resolveServeConfig({}, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return [{ level: 'fail', text: `configuration: ${err.message}`, fix: 'correct that setting' }];
  }
  const findings: Finding[] = [
    { level: 'ok', text: `configuration: every setting is valid (Footfall ${VERSION})` },
  ];
  findings.push(...proxyFindings(config));
  findings.push(...(await geoFindings(config)));
  findings.push(...(await dataFindings(config.dataDir, deps)));
  if (config.clickhouseUrl) findings.push(await clickhouseFinding(config.clickhouseUrl, config.dataDir));
  if (config.databaseUrl) findings.push(await postgresFinding(config.databaseUrl));
  return findings;
}

/** Where the metadata is: reached, its version, and Footfall's schema there (nothing created). */
async function postgresFinding(url: string): Promise<Finding> {
  const target = parsePostgresUrl(url);
  let probe: PostgresProbe;
  try {
    probe = await probePostgres(target);
  } catch (err) {
    if (!(err instanceof EngineConfigError)) throw err;
    return {
      level: 'fail',
      text: `PostgreSQL: ${err.message}`,
      fix: 'fix FOOTFALL_DATABASE_URL or the PostgreSQL server',
    };
  }
  const at = `PostgreSQL ${target.shown} (version ${probe.serverVersion})`;
  if (probe.foreignTables.length > 0) {
    return {
      level: 'fail',
      text: `${at}: holds tables that are not Footfall's (${probe.foreignTables.join(', ')})`,
      fix: 'give Footfall a database of its own (CREATE DATABASE footfall) and point FOOTFALL_DATABASE_URL at it',
    };
  }
  const known = POSTGRES_MIGRATIONS.length;
  if (probe.schemaVersion === undefined) {
    return { level: 'ok', text: `${at}: reached; no Footfall schema yet, the first start creates it` };
  }
  if (probe.schemaVersion > known) {
    return {
      level: 'fail',
      text: `${at}: Footfall metadata schema ${probe.schemaVersion} is newer than this Footfall's ${known}`,
      fix: 'run the newer Footfall that wrote it, on every node',
    };
  }
  return {
    level: 'ok',
    text: `${at}: reached; Footfall metadata schema ${probe.schemaVersion}${probe.schemaVersion < known ? `, upgraded to ${known} at the next start` : ', current'}`,
  };
}

/** Where the events are: reached, its version, and Footfall's schema there (nothing created). */
async function clickhouseFinding(url: string, dataDir: string): Promise<Finding> {
  const target = parseClickHouseUrl(url);
  if (target.kind === 'chdb') {
    // One process holds a chdb directory: a running server's is not opened a second time.
    if (await controlRequest(dataDir, 'GET', '/sites').catch(() => undefined)) {
      return { level: 'ok', text: `ClickHouse ${target.shown}: in use by the running server; not opened` };
    }
    if (!existsSync(target.path)) {
      return {
        level: 'warn',
        text: `ClickHouse ${target.shown}: ${target.path} does not exist; \`footfall serve\` will create it`,
        fix: 'nothing, if that is where the events should go',
      };
    }
  }
  let probe: ClickHouseProbe;
  try {
    probe = await probeClickHouse(target);
  } catch (err) {
    if (!(err instanceof EngineConfigError)) throw err;
    return {
      level: 'fail',
      text: `ClickHouse: ${err.message}`,
      fix: 'fix FOOTFALL_CLICKHOUSE_URL or the ClickHouse server',
    };
  }
  if (probe.missingDatabase) {
    return {
      level: 'warn',
      text: `ClickHouse ${target.shown}: reached, but the database "${target.database}" does not exist; \`footfall serve\` creates it`,
      fix: 'nothing, if the user may create databases; else CREATE DATABASE it first',
    };
  }
  const known = CLICKHOUSE_MIGRATIONS.length;
  const at = `ClickHouse ${target.shown} (version ${probe.serverVersion})`;
  if (probe.schemaVersion === undefined) {
    return { level: 'ok', text: `${at}: reached; no Footfall schema yet, the first start creates it` };
  }
  if (probe.schemaVersion > known) {
    return {
      level: 'fail',
      text: `${at}: Footfall schema ${probe.schemaVersion} is newer than this Footfall's ${known}`,
      fix: 'run the newer Footfall that wrote it',
    };
  }
  return {
    level: 'ok',
    text: `${at}: reached; Footfall schema ${probe.schemaVersion}${probe.schemaVersion < known ? `, upgraded to ${known} at the next start` : ', current'}`,
  };
}

function proxyFindings(c: ServeConfig): Finding[] {
  const out: Finding[] = [];
  const behindProxy = LOOPBACK_HOSTS.has(c.host) || c.publicUrl.startsWith('https:');
  if (behindProxy && !c.trustProxy) {
    out.push({
      level: 'warn',
      text: `proxy: ${LOOPBACK_HOSTS.has(c.host) ? `listening on ${c.host} only` : `the public URL is ${c.publicUrl}`}, so a reverse proxy is in front, but FOOTFALL_TRUST_PROXY is unset: every visitor would count as the proxy's address`,
      fix: "set FOOTFALL_TRUST_PROXY=loopback (proxy on this machine) or to the proxy's address",
    });
  } else if (c.trustProxy) {
    out.push({ level: 'ok', text: `proxy: forwarding headers believed from ${c.trustProxy} only` });
  } else {
    out.push({ level: 'ok', text: 'proxy: none configured; client addresses are the TCP peers' });
  }
  // Unset, it defaults to http://localhost:<port>: right for trying Footfall out, never for visitors.
  if (c.publicUrl === `http://localhost:${c.port}`) {
    out.push({
      level: 'warn',
      text: `public URL: unset, so the snippet and scripts point at ${c.publicUrl}, which visitors cannot reach`,
      fix: 'set FOOTFALL_PUBLIC_URL to the address visitors use, e.g. https://stats.example.com',
    });
  } else {
    out.push({ level: 'ok', text: `public URL: ${c.publicUrl} (reachability from outside is not checked)` });
  }
  return out;
}

async function geoFindings(c: ServeConfig): Promise<Finding[]> {
  try {
    const geo = await openGeo({ dbPath: c.geoipDb });
    const source = geo.source;
    await geo.close();
    return [{ level: 'ok', text: `geo database: ${source}` }];
  } catch (err) {
    if (!(err instanceof GeoDbError)) throw err;
    return [
      {
        level: 'fail',
        text: `geo database: ${err.message}`,
        fix: 'point FOOTFALL_GEOIP_DB at a readable GeoLite2-City .mmdb file, or unset it',
      },
    ];
  }
}

async function dataFindings(dir: string, deps: DoctorDeps): Promise<Finding[]> {
  const out: Finding[] = [];
  if (!existsSync(dir)) {
    // `footfall serve` creates it and any missing parents: the nearest existing one must be writable.
    let parent = path.dirname(path.resolve(dir));
    while (!existsSync(parent)) parent = path.dirname(parent);
    return [
      {
        level: canWrite(parent) ? 'warn' : 'fail',
        text: `data directory ${dir}: does not exist${canWrite(parent) ? '; `footfall serve` will create it' : ` and ${parent} is not writable`}`,
        fix: `create it for the service user: install -d -m 700 -o footfall -g footfall ${dir}`,
      },
    ];
  }
  const st = statSync(dir);
  if (!st.isDirectory())
    return [
      {
        level: 'fail',
        text: `data directory ${dir}: is not a directory`,
        fix: 'point FOOTFALL_DATA at a directory',
      },
    ];
  const uid = deps.uid ?? process.getuid?.();
  if (!canWrite(dir)) {
    out.push({
      level: 'fail',
      text: `data directory ${dir}: not writable by this user`,
      fix: `chown -R <service user> ${dir}`,
    });
  } else if (uid !== undefined && st.uid !== uid) {
    out.push({
      level: 'warn',
      text: `data directory ${dir}: owned by uid ${st.uid}, not by this user (uid ${uid})`,
      fix: `run doctor as the service user, or chown -R <service user> ${dir}`,
    });
  }
  out.push(modeFinding(`data directory ${dir}`, st.mode, 'chmod 700'));
  const file = path.join(dir, DB_FILE);
  const dbSize = existsSync(file) ? statSync(file).size : 0;
  if (dbSize > 0) out.push(modeFinding(`database ${file}`, statSync(file).mode, 'chmod 600'));

  const free = (deps.freeBytes ?? freeBytes)(dir);
  const needed = Math.max(MIN_FREE_BYTES, dbSize + UPGRADE_HEADROOM_BYTES);
  out.push(
    free < needed
      ? {
          level: free < MIN_FREE_BYTES ? 'fail' : 'warn',
          text: `free space: ${mb(free)} free beside a ${mb(dbSize)} database; an upgrade needs ${mb(dbSize + UPGRADE_HEADROOM_BYTES)} for its copy`,
          fix: `free at least ${mb(needed - free)} on that file system`,
        }
      : { level: 'ok', text: `free space: ${mb(free)}` },
  );

  if (existsSync(file + UPGRADING_SUFFIX)) {
    out.push({
      level: 'warn',
      text: `upgrade: ${file}${UPGRADING_SUFFIX} is left from an interrupted upgrade`,
      fix: 'nothing: the next start removes it and upgrades again',
    });
  }
  for (const b of listBackups(file))
    out.push({ level: 'ok', text: `upgrade: backup ${b} is kept until the next successful start` });

  if (dbSize === 0) {
    out.push({ level: 'ok', text: 'schema: no database yet; the first start creates it' });
    return out;
  }
  out.push(...(await databaseFindings(dir, file)));
  return out;
}

async function databaseFindings(dir: string, file: string): Promise<Finding[]> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  } catch (err) {
    const pid = lockHolder(err);
    if (pid !== null) {
      return [
        {
          level: 'ok',
          text: `database: in use by a running server${pid ? ` (PID ${pid})` : ''}; schema and journal not checked`,
        },
      ];
    }
    return [
      {
        level: 'fail',
        text: `database ${file}: cannot be opened: ${firstLine(err)}`,
        fix: 'restore it from a backup',
      },
    ];
  }
  const conn = await instance.connect();
  try {
    const out: Finding[] = [];
    const v = await readDataVersion(conn);
    const by = `written by Footfall ${v.writtenBy ?? 'before 0.1.0'}`;
    if (v.schema > SCHEMA_VERSION) {
      out.push({
        level: 'fail',
        text: `schema: ${v.schema} (${by}) is newer than this Footfall's ${SCHEMA_VERSION}`,
        fix: `run Footfall ${v.writtenBy ?? 'of that version'} or newer`,
      });
    } else if (v.schema < SCHEMA_VERSION) {
      out.push({
        level: 'warn',
        text: `schema: ${v.schema} (${by}); this Footfall upgrades it to ${SCHEMA_VERSION} at its next start, keeping a backup`,
        fix: 'nothing, once the free space above suffices',
      });
    } else {
      out.push({ level: 'ok', text: `schema: ${v.schema}, current (${by})` });
    }
    out.push(await journalFinding(dir, conn, v.schema));
    return out;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function journalFinding(
  dir: string,
  conn: Awaited<ReturnType<DuckDBInstance['connect']>>,
  schema: number,
): Promise<Finding> {
  const journal = path.join(dir, 'journal');
  if (!existsSync(journal)) return { level: 'ok', text: 'journal: empty' };
  let loaded = 0;
  // ingest_state arrived with migration 3.
  if (schema >= 3) {
    const rows = (
      await conn.runAndReadAll('SELECT journal_segment FROM ingest_state WHERE id = 1')
    ).getRowsJS();
    loaded = Number(rows[0]?.[0] ?? 0);
  }
  const waiting = listSegments(journal).filter((n) => n > loaded);
  const bytes = waiting.reduce(
    (sum, n) => sum + statSync(path.join(journal, `${String(n).padStart(12, '0')}.ndjson`)).size,
    0,
  );
  if (bytes === 0) return { level: 'ok', text: 'journal: every accepted event is in the database' };
  return {
    level: 'warn',
    text: `journal: ${waiting.length} segment(s), ${kb(bytes)}, of accepted events not yet in the database (the last stop was not clean)`,
    fix: 'nothing: the next start loads them before serving',
  };
}

function modeFinding(what: string, mode: number, fix: string): Finding {
  const octal = (mode & 0o777).toString(8).padStart(4, '0');
  return mode & 0o077
    ? {
        level: 'warn',
        text: `${what}: mode ${octal}, readable by other users`,
        fix: `${fix} ${what.split(' ').pop()}`,
      }
    : { level: 'ok', text: `${what}: mode ${octal}` };
}

function canWrite(p: string): boolean {
  try {
    accessSync(p, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

const mb = (bytes: number) => `${Math.floor(bytes / (1024 * 1024))} MB`;
const kb = (bytes: number) => `${Math.ceil(bytes / 1024)} KB`;

export function formatFindings(findings: readonly Finding[]): string {
  const lines = findings.map(
    (f) => `${f.level.toUpperCase().padEnd(4)}  ${f.text}${f.fix ? `\n      fix: ${f.fix}` : ''}`,
  );
  const fails = findings.filter((f) => f.level === 'fail').length;
  const warns = findings.filter((f) => f.level === 'warn').length;
  lines.push(fails + warns === 0 ? 'all good' : `${fails} to fix, ${warns} to look at`);
  return `${lines.join('\n')}\n`;
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'check a data directory and the configuration `footfall serve` would use, and say what to fix',
    )
    .option('--env-file <file>', "read settings from this file (e.g. the service's), over the environment")
    .option('--data <dir>', 'the data directory (overrides FOOTFALL_DATA)')
    .action(async (opts: { envFile?: string; data?: string }) => {
      const env: NodeJS.ProcessEnv = { ...process.env };
      if (opts.envFile) {
        let text: string;
        try {
          text = readFileSync(opts.envFile, 'utf8');
        } catch (err) {
          throw new ConfigError(`--env-file ${opts.envFile}: ${(err as Error).message}`);
        }
        Object.assign(env, parseEnv(text));
      }
      if (opts.data) env.FOOTFALL_DATA = opts.data;
      const findings = await diagnose(env);
      process.stdout.write(formatFindings(findings));
      if (findings.some((f) => f.level === 'fail')) process.exitCode = 1;
    });
}
