// Brings the PostgreSQL metadata schema up to MIGRATIONS.length, one migration per transaction
// with the version it reaches, like duckdb/migrate.ts. Several nodes may start at once against
// the same database, so the whole check-and-migrate runs under a session advisory lock: the
// first node migrates, the others wait, then find nothing left to do. Refuses a database that
// holds another application's tables, or a schema newer than this Footfall knows.
import type pg from 'pg';
import { VERSION } from '../../version.js';
import { EngineConfigError } from '../engine-config-error.js';
import { MIGRATIONS } from './schema.js';
import { DATABASE_SETTING, type PostgresTarget } from './url.js';

/** The advisory lock key migrations take ('footfall' as a number: any constant would do). */
const MIGRATION_LOCK = 0x666f6f74;

export async function migrate(client: pg.PoolClient, target: PostgresTarget): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    const ours = await client.query("SELECT to_regclass('footfall_meta') IS NOT NULL AS found");
    if (ours.rows[0].found !== true) {
      const others = await client.query(
        `SELECT table_name FROM information_schema.tables
         WHERE table_schema = current_schema() ORDER BY table_name LIMIT 3`,
      );
      if (others.rows.length > 0) {
        const names = others.rows.map((r: { table_name: string }) => r.table_name).join(', ');
        throw new EngineConfigError(
          `${DATABASE_SETTING}: the database ${target.shown} holds tables that are not Footfall's (${names}): ` +
            'give Footfall a database of its own (CREATE DATABASE footfall) and point the URL at it',
        );
      }
      await client.query('CREATE TABLE footfall_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)');
    }
    const current = await client.query("SELECT value FROM footfall_meta WHERE key = 'schema_version'");
    let version = Number(current.rows[0]?.value ?? 0);
    if (version > MIGRATIONS.length) {
      const by = await client.query("SELECT value FROM footfall_meta WHERE key = 'footfall_version'");
      throw new EngineConfigError(
        `${DATABASE_SETTING}: the database ${target.shown} has metadata schema ${version} (written by Footfall ` +
          `${by.rows[0]?.value ?? 'unknown'}), newer than this Footfall ${VERSION} understands ` +
          `(schema ${MIGRATIONS.length}): run that Footfall or a newer one on every node`,
      );
    }
    for (; version < MIGRATIONS.length; version++) {
      await client.query('BEGIN');
      try {
        await client.query(MIGRATIONS[version]!);
        await client.query(
          `INSERT INTO footfall_meta VALUES ('schema_version', $1)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
          [String(version + 1)],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      }
    }
    await client.query(
      `INSERT INTO footfall_meta VALUES ('footfall_version', $1)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE footfall_meta.value <> excluded.value`,
      [VERSION],
    );
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
  }
}
