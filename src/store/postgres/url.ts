// What `--database-url` may say, checked before anything is opened: postgres:// or
// postgresql://user:pass@host:port/database (libpq's URL form, which `pg` reads). Every refusal
// is one line naming the setting and the fix; the password is never echoed.
import { CLICKHOUSE_SETTING } from '../clickhouse/url.js';
import { EngineConfigError } from '../engine-config-error.js';

export const DATABASE_SETTING = '--database-url';

const EXAMPLE = 'e.g. postgres://footfall:secret@localhost:5432/footfall';

export interface PostgresTarget {
  /** What `pg` connects with. */
  connectionString: string;
  /** The URL without its password, for messages. */
  shown: string;
  database: string;
}

export function parsePostgresUrl(text: string, source = DATABASE_SETTING): PostgresTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EngineConfigError(
      `${source} is not a URL: use postgres://user:pass@host:port/database, ${EXAMPLE}`,
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new EngineConfigError(
      `${source} has the unknown scheme "${url.protocol}": use postgres:// (a PostgreSQL server), ${EXAMPLE}`,
    );
  }
  const shown = `${url.protocol}//${url.username ? `${decodeURIComponent(url.username)}@` : ''}${url.host}${url.pathname}`;
  const database = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, ''));
  if (url.hostname === '' || database === '' || database.includes('/')) {
    throw new EngineConfigError(
      `${source}="${shown}" must name a host and one database: use postgres://user:pass@host:port/database, ${EXAMPLE}`,
    );
  }
  return { connectionString: text, shown, database };
}

/** Metadata in PostgreSQL is refused without ClickHouse (create-store.ts says why). */
export function metadataWithoutClickHouse(): EngineConfigError {
  return new EngineConfigError(
    `${DATABASE_SETTING} needs ${CLICKHOUSE_SETTING}: metadata in PostgreSQL is for several nodes sharing ` +
      `events in ClickHouse; set ${CLICKHOUSE_SETTING} too, or leave ${DATABASE_SETTING} unset to keep everything in the data directory`,
  );
}
