// The daily salts visitor ids are hashed with (one per UTC day; old ones deleted by the salt job).
import { DuckDBBlobValue } from '@duckdb/node-api';
import type { Salt, SaltStore } from '../types.js';
import type { SerialConnection } from './serial-connection.js';

export class DuckDbSaltStore implements SaltStore {
  constructor(private readonly metadata: SerialConnection) {}

  async listSalts(): Promise<Salt[]> {
    const rows = await this.metadata.rows(
      "SELECT strftime(day, '%Y-%m-%d') AS day, salt FROM salts ORDER BY day",
    );
    return rows.map((r) => ({ day: String(r.day), salt: Buffer.from(r.salt as Uint8Array) }));
  }

  addSalt(salt: Salt): Promise<Salt> {
    // Insert-or-keep and the read back in one turn, so two servers' first requests of a day
    // (or a request racing the salt job) end up with the same salt.
    return this.metadata.serial(async (tx) => {
      await tx.run('INSERT INTO salts VALUES ($1::DATE, $2) ON CONFLICT (day) DO NOTHING', [
        salt.day,
        new DuckDBBlobValue(salt.salt),
      ]);
      const rows = await tx.rows('SELECT salt FROM salts WHERE day = $1::DATE', [salt.day]);
      return { day: salt.day, salt: Buffer.from(rows[0]!.salt as Uint8Array) };
    });
  }

  async deleteSaltsBefore(day: string): Promise<void> {
    await this.metadata.rows('DELETE FROM salts WHERE day < $1::DATE', [day]);
  }
}
