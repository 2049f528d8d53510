// Opens a @clickhouse/client for a parsed --clickhouse-url and proves it works before the
// server starts: a ClickHouse server over HTTP(S), or ClickHouse's engine in this process
// through the optional `chdb` package (plugged into the same client, so product code takes
// one path to both). Each failure at start is one line naming the setting and the fix.
//
// Settings every statement runs with (the query dialect may rely on them):
// - join_use_nulls = 1: an outer join's missing side is NULL, as in DuckDB, not the type's
//   default ('' or 0), so `FULL JOIN … USING` and coalesce() behave the same on both engines.
// - output_format_json_quote_64bit_integers = 1 (ClickHouse's default, said explicitly):
//   64-bit integers arrive as strings and run-query.ts turns them into numbers where they fit
//   and bigints where they do not — unquoted, a UInt64 visitor id would lose its low digits.
// - date_time_output_format = 'iso' ('2026-11-30T17:02:26.123Z'): DateTime values parse as UTC in JS.
// - max_execution_time = 0 and insert_deduplication_token = '' (ClickHouse's defaults) on every
//   statement: chdb turns per-statement settings into SETs that outlive the statement, so a
//   query's time limit would otherwise bind the next DELETE, and a segment's token the next
//   insert. Statements that want their own pass them and override these.
import type { ClickHouseClient, ClickHouseClientConfigOptions } from '@clickhouse/client';
import { firstLine } from '../disk-fix.js';
import { EngineConfigError } from '../engine-config-error.js';
import { CLICKHOUSE_SETTING, type ClickHouseTarget } from './url.js';

export const CLIENT_SETTINGS = {
  join_use_nulls: 1,
  output_format_json_quote_64bit_integers: 1,
  date_time_output_format: 'iso',
  max_execution_time: 0,
  insert_deduplication_token: '',
} as const;

// Loaded on first use: every CLI command and a DuckDB-only server would otherwise compile the
// client's ~200 KB at start (a command's start-up is mostly module loading). The clients made
// with it keep its own log off: it prints every failed request (a dozen lines each) to the
// console, while Footfall reports each failure once, in its own words and log format.
const clientLibrary = () => import('@clickhouse/client');

/** How long a write or schema statement may take before the engine counts as unreachable. */
export const REQUEST_TIMEOUT_MS = 30_000;

export const CHDB_INSTALL = 'npm install --no-save chdb@3.4.0';

/** ClickHouse's codes for a refused login: AUTHENTICATION_FAILED, UNKNOWN_USER, REQUIRED_PASSWORD. */
const AUTH_CODES = new Set(['516', '192', '194']);
const UNKNOWN_DATABASE = '81';

/** A chdb connection as the client takes it. */
export type EngineConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

/**
 * `wrap` lets tests stand between the client and chdb (to make ClickHouse unreachable under a
 * running server); it is not used for http(s) URLs.
 */
export async function openClickHouseClient(
  target: ClickHouseTarget,
  wrap?: (connection: EngineConnection) => EngineConnection,
): Promise<ClickHouseClient> {
  const first =
    target.kind === 'chdb' ? await chdbClient(target, wrap) : await httpClient(target, target.database);
  try {
    await check(first, target);
    return first;
  } catch (err) {
    await first.close().catch(() => {});
    if (!(err instanceof UnknownDatabase) || target.kind !== 'http') throw err;
  }
  // The server is reachable and the login good, but the database is new: make it, then use it.
  const bootstrap = await httpClient(target, 'default');
  try {
    // The name passed DATABASE_NAME in url.ts: letters, digits and _ only.
    await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${target.database}` });
  } catch (err) {
    throw new EngineConfigError(
      `${CLICKHOUSE_SETTING}: the database "${target.database}" does not exist on ${target.shown} and cannot be created ` +
        `(${firstLine(err)}): create it (CREATE DATABASE ${target.database}) or name an existing one in the URL's path`,
    );
  } finally {
    await bootstrap.close().catch(() => {});
  }
  const client = await httpClient(target, target.database);
  await check(client, target).catch(async (err) => {
    await client.close().catch(() => {});
    throw err;
  });
  return client;
}

async function httpClient(
  target: Extract<ClickHouseTarget, { kind: 'http' }>,
  database: string,
): Promise<ClickHouseClient> {
  const { createClient, ClickHouseLogLevel } = await clientLibrary();
  return createClient({
    url: target.url,
    username: target.username,
    password: target.password,
    database,
    application: 'footfall',
    request_timeout: REQUEST_TIMEOUT_MS,
    clickhouse_settings: CLIENT_SETTINGS,
    log: { level: ClickHouseLogLevel.OFF },
  });
}

async function chdbClient(
  target: Extract<ClickHouseTarget, { kind: 'chdb' }>,
  wrap: ((connection: EngineConnection) => EngineConnection) | undefined,
): Promise<ClickHouseClient> {
  let createChdbConnection: (opts: { path: string }) => unknown;
  try {
    // A variable keeps bundlers and tsc from resolving the optional package at build time.
    const name = 'chdb/connection';
    ({ createChdbConnection } = (await import(name)) as {
      createChdbConnection: typeof createChdbConnection;
    });
  } catch {
    throw new EngineConfigError(
      `${CLICKHOUSE_SETTING}=${target.shown} needs the chdb package, which is not installed: run \`${CHDB_INSTALL}\` in Footfall's directory, or use an http(s):// ClickHouse server`,
    );
  }
  let connection: EngineConnection;
  try {
    connection = createChdbConnection({ path: target.path }) as EngineConnection;
  } catch (err) {
    throw new EngineConfigError(
      `${CLICKHOUSE_SETTING}=${target.shown} cannot be opened (${firstLine(err)}): ` +
        'one process can hold one chdb directory; make sure no other Footfall uses it and that the directory is writable',
    );
  }
  const { createClient, ClickHouseLogLevel } = await clientLibrary();
  return createClient({
    connection: wrap ? wrap(connection) : connection,
    clickhouse_settings: CLIENT_SETTINGS,
    log: { level: ClickHouseLogLevel.OFF },
  });
}

class UnknownDatabase extends Error {}

/** SELECT 1 through the client: reachable, logged in, the database there. */
async function check(client: ClickHouseClient, target: ClickHouseTarget): Promise<void> {
  try {
    await (await client.query({ query: 'SELECT 1', format: 'JSONEachRow' })).json();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === UNKNOWN_DATABASE) throw new UnknownDatabase();
    if (typeof code === 'string' && AUTH_CODES.has(code)) {
      throw new EngineConfigError(
        `${CLICKHOUSE_SETTING}: ClickHouse at ${target.shown} refused the login (${firstLine(err)}): ` +
          'fix the user and password in the URL (http://user:password@host:8123/database)',
      );
    }
    throw new EngineConfigError(
      `${CLICKHOUSE_SETTING}: cannot reach ClickHouse at ${target.shown} (${firstLine(err)}): ` +
        'start it, or fix the host and port (its HTTP port, 8123 by default; 8443 for https)',
    );
  }
}

export interface ClickHouseProbe {
  serverVersion: string;
  /** footfall_schema's version; undefined before the first start made it. */
  schemaVersion: number | undefined;
  /** The database in the URL does not exist yet (`footfall serve` creates it). */
  missingDatabase?: boolean;
}

/**
 * For `footfall doctor`: reaches ClickHouse and reads its version and Footfall's schema version
 * without creating or changing anything. Throws EngineConfigError as a start would.
 */
export async function probeClickHouse(target: ClickHouseTarget): Promise<ClickHouseProbe> {
  const client =
    target.kind === 'chdb' ? await chdbClient(target, undefined) : await httpClient(target, target.database);
  try {
    try {
      await check(client, target);
    } catch (err) {
      if (!(err instanceof UnknownDatabase) || target.kind !== 'http') throw err;
      return { serverVersion: 'unknown', schemaVersion: undefined, missingDatabase: true };
    }
    const read = async <T>(query: string) =>
      (await (await client.query({ query, format: 'JSONEachRow' })).json<T>())[0];
    const serverVersion = String((await read<{ v: string }>('SELECT version() AS v'))?.v ?? 'unknown');
    const exists = await read<{ n: string }>(
      "SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = 'footfall_schema'",
    );
    const schemaVersion =
      Number(exists?.n ?? 0) > 0
        ? Number((await read<{ v: string }>('SELECT max(version) AS v FROM footfall_schema'))?.v ?? 0)
        : undefined;
    return { serverVersion, schemaVersion };
  } finally {
    await client.close().catch(() => {});
  }
}
