// ImportedStore on DuckDB: the aggregate_imports table and the ten imported_* tables of the
// metadata file (schema.ts). An import is written in one transaction on the metadata
// connection, in multi-row INSERTs of bound values; its rows are a few per day and value, so
// a year of a busy site's export (tens of thousands of rows) takes a second or two.
import { IMPORTED_TABLES, PLAUSIBLE_TABLE_NAMES } from '../../import/plausible-tables.js';
import type { AggregateImport, ImportedStore, NewAggregateImport } from '../imported.js';
import type { Param, Row, SerialConnection, Tx } from './serial-connection.js';

/** Rows per INSERT: at most ~15 columns, so a few thousand bound values a statement. */
const CHUNK = 300;

const SELECT = `SELECT id, site_id, kind, file, sha256, strftime(first_date, '%Y-%m-%d') AS first_date,
  strftime(last_date, '%Y-%m-%d') AS last_date, rows, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at
  FROM aggregate_imports`;

function toImport(r: Row): AggregateImport {
  const date = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: Number(r.id),
    siteId: Number(r.site_id),
    kind: String(r.kind),
    file: String(r.file),
    sha256: String(r.sha256),
    firstDate: date(r.first_date),
    lastDate: date(r.last_date),
    rows: Number(r.rows),
    createdAt: String(r.created_at),
  };
}

export class DuckDbImportedStore implements ImportedStore {
  constructor(private readonly writes: SerialConnection) {}

  addImport(entry: NewAggregateImport): Promise<AggregateImport> {
    return this.writes.transaction(async (tx) => {
      let first: string | null = null;
      let last: string | null = null;
      let rows = 0;
      for (const list of entry.tables.values()) {
        for (const r of list) {
          const d = r.date as string;
          if (first === null || d < first) first = d;
          if (last === null || d > last) last = d;
        }
        rows += list.length;
      }
      const [made] = await tx.rows(
        `INSERT INTO aggregate_imports (site_id, kind, file, sha256, first_date, last_date, rows)
         VALUES ($1, $2, $3, $4, $5::DATE, $6::DATE, $7) RETURNING id`,
        [entry.siteId, entry.kind, entry.file, entry.sha256, first, last, rows],
      );
      const id = Number(made!.id);
      for (const [table, list] of entry.tables) {
        const columns = ['date', ...IMPORTED_TABLES[table].columns.map((c) => c.name)];
        // Derived at import (sources): what the channel dimension reads.
        const extra = table === 'imported_sources' ? ['channel'] : [];
        const all = [...columns, ...extra];
        for (let at = 0; at < list.length; at += CHUNK) {
          const chunk = list.slice(at, at + CHUNK);
          const params: Param[] = [];
          const tuples = chunk.map((r) => {
            const cells = all.map((c) => {
              params.push(r[c] ?? '');
              return c === 'date' ? `$${params.length}::DATE` : `$${params.length}`;
            });
            return `(${entry.siteId}, ${id}, ${cells.join(', ')})`;
          });
          await tx.run(
            `INSERT INTO ${table} (site_id, import_id, ${all.join(', ')}) VALUES ${tuples.join(', ')}`,
            params,
          );
        }
      }
      return toImport((await tx.rows(`${SELECT} WHERE id = $1`, [id]))[0]!);
    });
  }

  async listImports(siteId?: number): Promise<AggregateImport[]> {
    const rows =
      siteId === undefined
        ? await this.writes.rows(`${SELECT} ORDER BY id`)
        : await this.writes.rows(`${SELECT} WHERE site_id = $1 ORDER BY id`, [siteId]);
    return rows.map(toImport);
  }

  removeImport(id: number): Promise<boolean> {
    return this.writes.transaction(async (tx) => {
      const found = await tx.rows('DELETE FROM aggregate_imports WHERE id = $1 RETURNING 1', [id]);
      if (found.length === 0) return false;
      for (const table of PLAUSIBLE_TABLE_NAMES)
        await tx.run(`DELETE FROM ${table} WHERE import_id = $1`, [id]);
      return true;
    });
  }

  readImported(sql: string, params: readonly (string | number | boolean | null)[]): Promise<Row[]> {
    return this.writes.rows(sql, params);
  }
}

/** A removed site's imports go with it (in the removal's transaction). */
export async function deleteSiteImports(tx: Tx, siteId: number): Promise<void> {
  await tx.run('DELETE FROM aggregate_imports WHERE site_id = $1', [siteId]);
  for (const table of PLAUSIBLE_TABLE_NAMES)
    await tx.run(`DELETE FROM ${table} WHERE site_id = $1`, [siteId]);
}
