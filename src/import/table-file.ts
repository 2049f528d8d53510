// A file DuckDB reads as a table (Parquet, CSV, newline-delimited JSON — plain or gzip), for the
// imports that take other tools' exports: an in-memory DuckDB (one thread) learns its columns
// and rows before anything is imported, digests it for the import record, and streams its rows.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { ConfigError } from '../server/config.js';

export class TableFile {
  private constructor(
    readonly file: string,
    /** Column names as the reader sees them. */
    readonly columns: readonly string[],
    readonly total: number,
    readonly sha256: string,
    private readonly instance: DuckDBInstance,
  ) {}

  /**
   * Opens `file` through `reader` (a table function taking the file as $1). A file that cannot be
   * read → ConfigError(`unreadable(first line of DuckDB's message)`); `check` may refuse the
   * columns (throwing), before the file is digested.
   */
  static async open(
    file: string,
    reader: string,
    unreadable: (why: string) => string,
    check: (columns: readonly string[]) => void,
  ): Promise<TableFile> {
    if (!existsSync(file)) throw new ConfigError(`${file} does not exist`);
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    try {
      const conn = await instance.connect();
      let columns: string[];
      let total: number;
      try {
        const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${reader}`, [file]);
        columns = described.getRowObjectsJS().map((r) => String(r.column_name));
        const counted = await conn.runAndReadAll(`SELECT count(*) AS n FROM ${reader}`, [file]);
        total = Number(counted.getRowObjectsJS()[0]!.n);
      } catch (err) {
        throw new ConfigError(unreadable((err as Error).message.split('\n')[0]!));
      } finally {
        conn.closeSync();
      }
      check(columns);
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
      return new TableFile(file, columns, total, hash.digest('hex'), instance);
    } catch (err) {
      instance.closeSync();
      throw err;
    }
  }

  /** The rows of `SELECT … FROM <reader>` (the file as $1), in file order. */
  async *rows(sql: string): AsyncGenerator<Record<string, unknown>> {
    const conn = await this.instance.connect();
    try {
      const result = await conn.stream(sql, [this.file]);
      for await (const chunk of result.yieldRowObjectJs()) yield* chunk;
    } finally {
      conn.closeSync();
    }
  }

  close(): void {
    this.instance.closeSync();
  }
}
