// AccountStore on DuckDB. Writes go through the store's one metadata connection
// (serial-connection.ts), in turn with every other metadata write — site changes and salts
// included — so a transaction never interleaves with another request's statements. Reads run
// on the store's read connection and see every committed write.
import { footfallError } from '../../errors.js';
import type {
  AccountStore,
  ApiKeyRecord,
  Member,
  NewApiKey,
  NewShareLink,
  NewUser,
  SessionRecord,
  ShareLinkRecord,
  SiteRole,
  User,
  UserWithPassword,
} from '../accounts.js';
import type { Row, SqlParam, Tx } from '../metadata-sql.js';
import {
  KEY_SELECT,
  publicUser,
  SESSION_COLUMNS,
  SHARE_SELECT,
  toKey,
  toSession,
  toShare,
  toSiteRole,
  toUser,
  USER_COLUMNS,
} from './account-rows.js';
import { DuckDbSignInSecrets } from './sign-in-secrets.js';
import { requireSiteId } from './site-rows.js';

export class DuckDbAccountStore extends DuckDbSignInSecrets implements AccountStore {
  /** One write statement, in turn with the other metadata writes. */
  private write(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
    return this.writes.rows(sql, params);
  }

  async countUsers(): Promise<number> {
    return Number((await this.query('SELECT count(*) AS n FROM users'))[0]!.n);
  }

  private async insertUser(tx: Tx, user: NewUser, now: number): Promise<User> {
    const taken = await tx.rows('SELECT 1 FROM users WHERE email = $1', [user.email]);
    if (taken.length > 0) throw footfallError('FOOTFALL_ERR_USER_EXISTS', user.email);
    const rows = await tx.rows(
      `INSERT INTO users (email, password_hash, role, created_at) VALUES ($1, $2, $3, epoch_ms($4::BIGINT))
       RETURNING id, email, role, password_hash, epoch_ms(created_at) AS created_ms`,
      [user.email, user.passwordHash, user.role, now],
    );
    return publicUser(toUser(rows[0]!));
  }

  addUser(user: NewUser, now: number): Promise<User> {
    return this.writes.transaction((tx) => this.insertUser(tx, user, now));
  }

  addFirstOwner(tokenHash: string, user: NewUser, now: number): Promise<User | 'bad-token' | 'setup-done'> {
    return this.writes.transaction(async (tx) => {
      const users = await tx.rows('SELECT count(*) AS n FROM users');
      if (Number(users[0]!.n) > 0) return 'setup-done';
      const used = await tx.rows('DELETE FROM setup_tokens WHERE token_hash = $1 RETURNING 1', [tokenHash]);
      if (used.length === 0) return 'bad-token';
      await tx.rows('DELETE FROM setup_tokens');
      return this.insertUser(tx, user, now);
    });
  }

  async findUserByEmail(email: string): Promise<UserWithPassword | undefined> {
    const rows = await this.query(`SELECT ${USER_COLUMNS} FROM users u WHERE u.email = $1`, [email]);
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  async getUser(id: number): Promise<UserWithPassword | undefined> {
    const rows = await this.query(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  async listUsers(): Promise<User[]> {
    const rows = await this.query(`SELECT ${USER_COLUMNS} FROM users u ORDER BY u.email`);
    return rows.map((r) => publicUser(toUser(r)));
  }

  removeUser(id: number): Promise<boolean> {
    return this.writes.transaction(async (tx) => {
      const owners = await tx.rows(
        "SELECT count(*) FILTER (WHERE role = 'owner') AS n, bool_or(id = $1 AND role = 'owner') AS is_owner FROM users",
        [id],
      );
      if (owners[0]!.is_owner === true && Number(owners[0]!.n) === 1) {
        throw footfallError('FOOTFALL_ERR_LAST_OWNER');
      }
      for (const table of [
        'sessions',
        'password_resets',
        'login_challenges',
        'two_factor',
        'recovery_codes',
      ]) {
        await tx.rows(`DELETE FROM ${table} WHERE user_id = $1`, [id]);
      }
      await tx.rows(
        'DELETE FROM api_key_sites WHERE key_id IN (SELECT id FROM api_keys WHERE user_id = $1)',
        [id],
      );
      await tx.rows('DELETE FROM api_keys WHERE user_id = $1', [id]);
      await tx.rows('DELETE FROM site_members WHERE user_id = $1', [id]);
      // Their personal segments go; site segments they saved stay, for everyone (no owner).
      await tx.rows("DELETE FROM segments WHERE owner_id = $1 AND type = 'personal'", [id]);
      await tx.rows('UPDATE segments SET owner_id = NULL WHERE owner_id = $1', [id]);
      return (await tx.rows('DELETE FROM users WHERE id = $1 RETURNING 1', [id])).length > 0;
    });
  }

  async setPasswordHash(userId: number, passwordHash: string): Promise<void> {
    await this.write('UPDATE users SET password_hash = $1 WHERE id = $2', [passwordHash, userId]);
  }

  setSetupToken(tokenHash: string, now: number): Promise<void> {
    return this.writes.transaction(async (tx) => {
      await tx.rows('DELETE FROM setup_tokens');
      await tx.rows('INSERT INTO setup_tokens VALUES ($1, epoch_ms($2::BIGINT))', [tokenHash, now]);
    });
  }

  async checkSetupToken(tokenHash: string): Promise<boolean> {
    return (await this.query('SELECT 1 FROM setup_tokens WHERE token_hash = $1', [tokenHash])).length > 0;
  }

  async addSession(
    tokenHash: string,
    userId: number,
    now: number,
    expiresAt: number,
  ): Promise<SessionRecord> {
    const rows = await this.write(
      `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, epoch_ms($3::BIGINT), epoch_ms($3::BIGINT), epoch_ms($4::BIGINT))
       RETURNING id AS session_id, user_id, epoch_ms(created_at) AS s_created_ms,
                 epoch_ms(last_seen_at) AS last_seen_ms, epoch_ms(expires_at) AS expires_ms`,
      [tokenHash, userId, now, expiresAt],
    );
    return toSession(rows[0]!);
  }

  async findSession(
    tokenHash: string,
    now: number,
  ): Promise<{ session: SessionRecord; user: UserWithPassword } | undefined> {
    const rows = await this.query(
      `SELECT ${SESSION_COLUMNS}, ${USER_COLUMNS}
       FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.expires_at > epoch_ms($2::BIGINT)`,
      [tokenHash, now],
    );
    const r = rows[0];
    return r ? { session: toSession(r), user: toUser(r) } : undefined;
  }

  async touchSession(id: number, now: number, expiresAt: number): Promise<void> {
    await this.write(
      'UPDATE sessions SET last_seen_at = epoch_ms($1::BIGINT), expires_at = epoch_ms($2::BIGINT) WHERE id = $3',
      [now, expiresAt, id],
    );
  }

  async listSessions(userId: number, now: number): Promise<SessionRecord[]> {
    const rows = await this.query(
      `SELECT ${SESSION_COLUMNS} FROM sessions s
       WHERE s.user_id = $1 AND s.expires_at > epoch_ms($2::BIGINT) ORDER BY s.id`,
      [userId, now],
    );
    return rows.map(toSession);
  }

  async removeSession(userId: number, id: number): Promise<boolean> {
    const rows = await this.write('DELETE FROM sessions WHERE id = $1 AND user_id = $2 RETURNING 1', [
      id,
      userId,
    ]);
    return rows.length > 0;
  }

  async removeOtherSessions(userId: number, keepId: number | undefined): Promise<void> {
    await this.write('DELETE FROM sessions WHERE user_id = $1 AND id <> $2', [userId, keepId ?? -1]);
  }

  async removeExpiredSessions(now: number): Promise<void> {
    for (const table of ['sessions', 'password_resets', 'login_challenges']) {
      await this.write(`DELETE FROM ${table} WHERE expires_at <= epoch_ms($1::BIGINT)`, [now]);
    }
  }

  addApiKey(key: NewApiKey, now: number): Promise<ApiKeyRecord> {
    return this.writes.transaction(async (tx) => {
      const siteIds: number[] = [];
      for (const domain of key.sites) {
        siteIds.push(await requireSiteId(tx, domain));
      }
      const rows = await tx.rows(
        `INSERT INTO api_keys (key_hash, prefix, user_id, name, read_only, created_at)
         VALUES ($1, $2, $3, $4, $5, epoch_ms($6::BIGINT)) RETURNING id`,
        [key.keyHash, key.prefix, key.userId, key.name, key.readOnly, now],
      );
      const id = Number(rows[0]!.id);
      for (const siteId of new Set(siteIds)) {
        await tx.rows('INSERT INTO api_key_sites VALUES ($1, $2)', [id, siteId]);
      }
      return toKey((await tx.rows(`${KEY_SELECT} WHERE k.id = $1`, [id]))[0]!);
    });
  }

  async findApiKey(keyHash: string): Promise<{ key: ApiKeyRecord; user: UserWithPassword } | undefined> {
    const rows = await this.query(
      `SELECT k.*, ${USER_COLUMNS} FROM (${KEY_SELECT} WHERE k.key_hash = $1) k JOIN users u ON u.id = k.user_id`,
      [keyHash],
    );
    const r = rows[0];
    return r ? { key: toKey(r), user: toUser(r) } : undefined;
  }

  async touchApiKey(id: number, now: number): Promise<void> {
    await this.write('UPDATE api_keys SET last_used_at = epoch_ms($1::BIGINT) WHERE id = $2', [now, id]);
  }

  async listApiKeys(userId?: number): Promise<ApiKeyRecord[]> {
    const rows =
      userId === undefined
        ? await this.query(`${KEY_SELECT} ORDER BY k.id`)
        : await this.query(`${KEY_SELECT} WHERE k.user_id = $1 ORDER BY k.id`, [userId]);
    return rows.map(toKey);
  }

  removeApiKey(id: number, userId?: number): Promise<boolean> {
    return this.writes.transaction(async (tx) => {
      const found = await tx.rows('SELECT user_id FROM api_keys WHERE id = $1', [id]);
      if (found.length === 0 || (userId !== undefined && Number(found[0]!.user_id) !== userId)) return false;
      await tx.rows('DELETE FROM api_key_sites WHERE key_id = $1', [id]);
      await tx.rows('DELETE FROM api_keys WHERE id = $1', [id]);
      return true;
    });
  }

  async siteExists(domain: string): Promise<boolean> {
    return (await this.query('SELECT 1 FROM sites WHERE domain = $1', [domain])).length > 0;
  }

  async allSiteDomains(): Promise<string[]> {
    return (await this.query('SELECT domain FROM sites ORDER BY domain')).map((r) => String(r.domain));
  }

  async siteRole(userId: number, domain: string): Promise<SiteRole | undefined> {
    const rows = await this.query(
      `SELECT m.role FROM site_members m JOIN sites s ON s.id = m.site_id
       WHERE m.user_id = $1 AND s.domain = $2`,
      [userId, domain],
    );
    return rows[0] ? toSiteRole(rows[0].role) : undefined;
  }

  async memberSites(userId: number): Promise<{ domain: string; role: SiteRole }[]> {
    const rows = await this.query(
      `SELECT s.domain, m.role FROM site_members m JOIN sites s ON s.id = m.site_id
       WHERE m.user_id = $1 ORDER BY s.domain`,
      [userId],
    );
    return rows.map((r) => ({ domain: String(r.domain), role: toSiteRole(r.role) }));
  }

  async listMembers(domain: string): Promise<Member[]> {
    const rows = await this.query(
      `SELECT u.id, u.email, m.role FROM site_members m JOIN sites s ON s.id = m.site_id
       JOIN users u ON u.id = m.user_id WHERE s.domain = $1 ORDER BY u.email`,
      [domain],
    );
    return rows.map((r) => ({ userId: Number(r.id), email: String(r.email), role: toSiteRole(r.role) }));
  }

  async setMember(domain: string, userId: number, role: SiteRole): Promise<void> {
    const rows = await this.write(
      `INSERT INTO site_members (user_id, site_id, role)
       SELECT $1, id, $2 FROM sites WHERE domain = $3
       ON CONFLICT (user_id, site_id) DO UPDATE SET role = excluded.role RETURNING 1`,
      [userId, role, domain],
    );
    if (rows.length === 0) throw footfallError('FOOTFALL_ERR_SITE_NOT_FOUND', domain);
  }

  async removeMember(domain: string, userId: number): Promise<boolean> {
    const rows = await this.write(
      `DELETE FROM site_members WHERE user_id = $1
       AND site_id = (SELECT id FROM sites WHERE domain = $2) RETURNING 1`,
      [userId, domain],
    );
    return rows.length > 0;
  }

  addShareLink(link: NewShareLink, now: number): Promise<ShareLinkRecord> {
    return this.writes.transaction(async (tx) => {
      const siteId = await requireSiteId(tx, link.siteDomain);
      const segmentId = link.segmentId ?? null;
      // Only a segment every viewer of the site may see: a personal one would show a stranger
      // what one person saved for themselves.
      if (
        segmentId !== null &&
        (
          await tx.rows("SELECT 1 FROM segments WHERE id = $1 AND site_id = $2 AND type = 'site'", [
            segmentId,
            siteId,
          ])
        ).length === 0
      ) {
        throw footfallError('FOOTFALL_ERR_SEGMENT_NOT_FOUND', String(segmentId));
      }
      const rows = await tx.rows(
        `INSERT INTO share_links (site_id, token, password_hash, embeddable, segment_id, created_at)
         VALUES ($1, $2, $3, $4, $5, epoch_ms($6::BIGINT)) RETURNING id`,
        [siteId, link.token, link.passwordHash, link.embeddable, segmentId, now],
      );
      return toShare((await tx.rows(`${SHARE_SELECT} WHERE l.id = $1`, [Number(rows[0]!.id)]))[0]!);
    });
  }

  async findShareLink(token: string): Promise<ShareLinkRecord | undefined> {
    const rows = await this.query(`${SHARE_SELECT} WHERE l.token = $1`, [token]);
    return rows[0] ? toShare(rows[0]) : undefined;
  }

  async listShareLinks(domain: string): Promise<ShareLinkRecord[]> {
    return (await this.query(`${SHARE_SELECT} WHERE s.domain = $1 ORDER BY l.id`, [domain])).map(toShare);
  }

  async removeShareLink(domain: string, id: number): Promise<boolean> {
    const rows = await this.write(
      `DELETE FROM share_links WHERE id = $1
       AND site_id = (SELECT id FROM sites WHERE domain = $2) RETURNING 1`,
      [id, domain],
    );
    return rows.length > 0;
  }
}
