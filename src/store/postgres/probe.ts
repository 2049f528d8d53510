// What `footfall doctor` learns about --database-url without changing anything: whether
// PostgreSQL is reached and takes the login, its version, and Footfall's schema there (or the
// other application's tables that would make the first start refuse it).
import pg from 'pg';
import { connectError } from './open.js';
import type { PostgresTarget } from './url.js';

export interface PostgresProbe {
  serverVersion: string;
  /** Migrations applied; undefined when the database has no Footfall schema yet. */
  schemaVersion: number | undefined;
  /** Up to three tables that are not Footfall's, in a database without its schema. */
  foreignTables: string[];
}

/** Throws EngineConfigError (one line with the fix) when PostgreSQL cannot be used. */
export async function probePostgres(target: PostgresTarget): Promise<PostgresProbe> {
  const client = new pg.Client({
    connectionString: target.connectionString,
    connectionTimeoutMillis: 10_000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw connectError(err, target);
  }
  try {
    const version = (await client.query('SHOW server_version')).rows[0].server_version as string;
    const ours = await client.query("SELECT to_regclass('footfall_meta') IS NOT NULL AS found");
    if (ours.rows[0].found === true) {
      const row = await client.query("SELECT value FROM footfall_meta WHERE key = 'schema_version'");
      return { serverVersion: version, schemaVersion: Number(row.rows[0]?.value ?? 0), foreignTables: [] };
    }
    const others = await client.query(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = current_schema() ORDER BY table_name LIMIT 3`,
    );
    return {
      serverVersion: version,
      schemaVersion: undefined,
      foreignTables: others.rows.map((r: { table_name: string }) => r.table_name),
    };
  } catch (err) {
    throw connectError(err, target);
  } finally {
    await client.end().catch(() => {});
  }
}
