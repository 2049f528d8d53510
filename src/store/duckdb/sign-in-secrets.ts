// SignInSecretStore on DuckDB: the base of DuckDbAccountStore (accounts.ts), kept apart so
// each file holds one concern. Single use is a DELETE … RETURNING (or a conditional UPDATE)
// on the one metadata write connection, so two racing requests cannot both succeed.

import type { MetadataSql, Row, SqlParam } from '../metadata-sql.js';
import type { ChallengePurpose, SignInSecretStore, TwoFactorRecord } from '../sign-in-secrets.js';

export class DuckDbSignInSecrets implements SignInSecretStore {
  constructor(
    protected readonly query: (sql: string, params?: readonly SqlParam[]) => Promise<Row[]>,
    protected readonly writes: MetadataSql,
  ) {}

  async addPasswordReset(tokenHash: string, userId: number, expiresAt: number): Promise<void> {
    await this.writes.rows('INSERT INTO password_resets VALUES ($1, $2, epoch_ms($3::BIGINT))', [
      tokenHash,
      userId,
      expiresAt,
    ]);
  }

  takePasswordReset(tokenHash: string, now: number): Promise<number | undefined> {
    return this.writes.transaction(async (tx) => {
      const rows = await tx.rows(
        'DELETE FROM password_resets WHERE token_hash = $1 RETURNING user_id, epoch_ms(expires_at) AS expires_ms',
        [tokenHash],
      );
      const r = rows[0];
      if (!r || Number(r.expires_ms) <= now) return undefined;
      const userId = Number(r.user_id);
      await tx.rows('DELETE FROM password_resets WHERE user_id = $1', [userId]);
      return userId;
    });
  }

  async addLoginChallenge(
    tokenHash: string,
    userId: number,
    purpose: ChallengePurpose,
    expiresAt: number,
  ): Promise<void> {
    await this.writes.rows('INSERT INTO login_challenges VALUES ($1, $2, $3, epoch_ms($4::BIGINT))', [
      tokenHash,
      userId,
      purpose,
      expiresAt,
    ]);
  }

  async findLoginChallenge(
    tokenHash: string,
    now: number,
  ): Promise<{ userId: number; purpose: ChallengePurpose } | undefined> {
    const rows = await this.query(
      'SELECT user_id, purpose FROM login_challenges WHERE token_hash = $1 AND expires_at > epoch_ms($2::BIGINT)',
      [tokenHash, now],
    );
    const r = rows[0];
    return r ? { userId: Number(r.user_id), purpose: r.purpose === 'enrol' ? 'enrol' : 'code' } : undefined;
  }

  async removeLoginChallenge(tokenHash: string): Promise<boolean> {
    const rows = await this.writes.rows('DELETE FROM login_challenges WHERE token_hash = $1 RETURNING 1', [
      tokenHash,
    ]);
    return rows.length > 0;
  }

  async getTwoFactor(userId: number): Promise<TwoFactorRecord> {
    const rows = await this.query(
      `SELECT t.secret, t.pending_secret, t.last_step,
              (SELECT count(*) FROM recovery_codes c WHERE c.user_id = $1) AS codes
       FROM (SELECT 1) AS one LEFT JOIN two_factor t ON t.user_id = $1`,
      [userId],
    );
    const r = rows[0]!;
    const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
    return {
      secret: text(r.secret),
      pendingSecret: text(r.pending_secret),
      lastStep: r.last_step === null || r.last_step === undefined ? null : Number(r.last_step),
      recoveryCodesLeft: Number(r.codes),
    };
  }

  async setPendingTotpSecret(userId: number, secret: string): Promise<void> {
    await this.writes.rows(
      `INSERT INTO two_factor (user_id, pending_secret) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET pending_secret = excluded.pending_secret`,
      [userId, secret],
    );
  }

  enableTwoFactor(
    userId: number,
    secret: string,
    recoveryCodeHashes: readonly string[],
    step: number,
  ): Promise<boolean> {
    return this.writes.transaction(async (tx) => {
      const rows = await tx.rows(
        `UPDATE two_factor SET secret = pending_secret, pending_secret = NULL, last_step = $3
         WHERE user_id = $1 AND pending_secret = $2 RETURNING 1`,
        [userId, secret, step],
      );
      if (rows.length === 0) return false;
      await tx.rows('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
      for (const hash of recoveryCodeHashes) {
        await tx.rows('INSERT INTO recovery_codes VALUES ($1, $2)', [userId, hash]);
      }
      return true;
    });
  }

  disableTwoFactor(userId: number): Promise<void> {
    return this.writes.transaction(async (tx) => {
      await tx.rows('DELETE FROM two_factor WHERE user_id = $1', [userId]);
      await tx.rows('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
    });
  }

  async acceptTotpStep(userId: number, step: number): Promise<boolean> {
    const rows = await this.writes.rows(
      `UPDATE two_factor SET last_step = $2
       WHERE user_id = $1 AND secret IS NOT NULL AND (last_step IS NULL OR last_step < $2) RETURNING 1`,
      [userId, step],
    );
    return rows.length > 0;
  }

  async useRecoveryCode(userId: number, codeHash: string): Promise<boolean> {
    const rows = await this.writes.rows(
      'DELETE FROM recovery_codes WHERE user_id = $1 AND code_hash = $2 RETURNING 1',
      [userId, codeHash],
    );
    return rows.length > 0;
  }

  async getSetting(name: string): Promise<string | undefined> {
    const rows = await this.query('SELECT value FROM instance_settings WHERE name = $1', [name]);
    return rows[0] ? String(rows[0].value) : undefined;
  }

  async setSetting(name: string, value: string): Promise<void> {
    await this.writes.rows(
      `INSERT INTO instance_settings VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
      [name, value],
    );
  }
}
