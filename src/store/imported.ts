// What the Plausible import and the Stats API may ask of a store about imported daily
// aggregates (src/import/plausible-tables.ts): add an import whole, list and remove imports,
// and read the aggregates. They live in the local metadata file whichever engine holds the
// events (store/duckdb/imported.ts), so the statements are DuckDB's with $n placeholders.
import type { ImportedRow, PlausibleTableName } from '../import/plausible-tables.js';

export interface AggregateImport {
  id: number;
  siteId: number;
  /** `plausible`: the source it came from. */
  kind: string;
  file: string;
  sha256: string;
  /** First and last day of its rows (YYYY-MM-DD), null when it had none. */
  firstDate: string | null;
  lastDate: string | null;
  rows: number;
  createdAt: string;
}

export interface NewAggregateImport {
  siteId: number;
  kind: string;
  file: string;
  sha256: string;
  tables: ReadonlyMap<PlausibleTableName, readonly ImportedRow[]>;
}

export interface ImportedStore {
  /** Stores every table of the import in one transaction: all of it or nothing. */
  addImport(entry: NewAggregateImport): Promise<AggregateImport>;
  /** A site's imports (every site's without one), oldest first. */
  listImports(siteId?: number): Promise<AggregateImport[]>;
  /** Removes an import and its rows; false when there was none with this id. */
  removeImport(id: number): Promise<boolean>;
  /** A read over the imported_* tables (built by src/query/imported.ts; values bound). */
  readImported(
    sql: string,
    params: readonly (string | number | boolean | null)[],
  ): Promise<Record<string, unknown>[]>;
}
