// What a data directory records about who wrote it: the schema version (how many of
// MIGRATIONS ran) and the Footfall version that last opened it for writing, both in
// footfall_meta. A newer Footfall migrates forward (upgrade.ts); an older one must refuse,
// since it cannot know what a later migration changed.
import type { DuckDBConnection } from '@duckdb/node-api';
import { VERSION } from '../../version.js';
import { MIGRATIONS } from './schema.js';

/** The schema this build writes: every migration applied. */
export const SCHEMA_VERSION = MIGRATIONS.length;

export interface DataVersion {
  /** Migrations applied; 0 for a new, empty file. */
  schema: number;
  /** The Footfall that last wrote it; undefined for directories older than this record. */
  writtenBy: string | undefined;
}

/** Thrown when the data directory was written by a Footfall with a newer schema. */
export class DataTooNewError extends Error {
  constructor(
    readonly dataDir: string,
    readonly found: DataVersion,
  ) {
    super(
      `the data directory ${dataDir} has schema ${found.schema} (written by Footfall ${found.writtenBy ?? 'unknown'}), ` +
        `newer than this Footfall ${VERSION} understands (schema ${SCHEMA_VERSION}): run that Footfall or a newer one`,
    );
  }
}

export async function readDataVersion(conn: DuckDBConnection): Promise<DataVersion> {
  const table = await conn.runAndReadAll(
    "SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() AND table_name = 'footfall_meta'",
  );
  if (table.getRows().length === 0) return { schema: 0, writtenBy: undefined };
  const rows = await conn.runAndReadAll(
    "SELECT key, value FROM footfall_meta WHERE key IN ('schema_version', 'footfall_version')",
  );
  const meta = new Map(rows.getRowsJS().map(([k, v]) => [String(k), String(v)]));
  return { schema: Number(meta.get('schema_version') ?? 0), writtenBy: meta.get('footfall_version') };
}

/** Records this Footfall as the writer (after migrations, so the pair is consistent). */
export async function recordWriter(conn: DuckDBConnection): Promise<void> {
  await conn.run("INSERT OR REPLACE INTO footfall_meta VALUES ('footfall_version', $1)", [VERSION]);
}
