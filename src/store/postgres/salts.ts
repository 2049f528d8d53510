// The daily salts in PostgreSQL, shared by every node so a visitor gets the same visitor id on
// each. Differs from duckdb/salts.ts in the value types only (BYTEA from a Buffer, the day as
// text): the first node to add a day's salt wins — INSERT … ON CONFLICT DO NOTHING is atomic in
// PostgreSQL — and every node reads back the one stored, so two racing nodes end up with the
// same salt without a lock.
import type { Salt, SaltStore } from '../types.js';
import type { PostgresSql } from './connection.js';

export class PostgresSaltStore implements SaltStore {
  constructor(private readonly sql: PostgresSql) {}

  async listSalts(): Promise<Salt[]> {
    const rows = await this.sql.query<{ day: string; salt: Buffer }>(
      "SELECT to_char(day, 'YYYY-MM-DD') AS day, salt FROM salts ORDER BY day",
    );
    return rows.rows.map((r) => ({ day: r.day, salt: Buffer.from(r.salt) }));
  }

  async addSalt(salt: Salt): Promise<Salt> {
    await this.sql.query('INSERT INTO salts VALUES ($1::DATE, $2) ON CONFLICT (day) DO NOTHING', [
      salt.day,
      salt.salt,
    ]);
    const rows = await this.sql.query<{ salt: Buffer }>('SELECT salt FROM salts WHERE day = $1::DATE', [
      salt.day,
    ]);
    return { day: salt.day, salt: Buffer.from(rows.rows[0]!.salt) };
  }

  async deleteSaltsBefore(day: string): Promise<void> {
    await this.sql.query('DELETE FROM salts WHERE day < $1::DATE', [day]);
  }
}
