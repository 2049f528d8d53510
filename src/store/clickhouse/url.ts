// What `--clickhouse-url` may say, checked before anything is opened. Three forms:
//   http://user:pass@host:8123/db  and  https://…   a ClickHouse server (database in the path,
//                                                   "default" when none)
//   chdb:<dir>                                     ClickHouse's engine in this process (the
//                                                   optional `chdb` package), data in <dir>
// Every refusal is one line naming the setting and the fix; the password is never echoed.
import path from 'node:path';
import { EngineConfigError } from '../engine-config-error.js';

export type ClickHouseTarget =
  | { kind: 'http'; url: string; username: string; password: string; database: string; shown: string }
  | { kind: 'chdb'; path: string; database: string; shown: string };

/** Names the setting in messages: the flag, or the environment variable it came from. */
export const CLICKHOUSE_SETTING = '--clickhouse-url';

const EXAMPLE = 'e.g. http://user:pass@localhost:8123/footfall or chdb:./data/clickhouse';

/** A database name goes into DDL (ClickHouse takes no parameter there), so only plain names pass. */
const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function parseClickHouseUrl(text: string, source = CLICKHOUSE_SETTING): ClickHouseTarget {
  if (text.startsWith('chdb:')) {
    const dir = text.slice('chdb:'.length).replace(/^\/\/(?=\/)/, '');
    if (dir === '')
      throw new EngineConfigError(`${source}="${text}" names no directory: use chdb:<dir>, ${EXAMPLE}`);
    // chdb's session starts in `default`; a directory holds one Footfall, so no database of its own.
    return { kind: 'chdb', path: path.resolve(dir), database: 'default', shown: text };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EngineConfigError(
      `${source} is not a URL: use http(s)://user:pass@host:port/database or chdb:<dir>, ${EXAMPLE}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EngineConfigError(
      `${source} has the unknown scheme "${url.protocol}": use http:, https: (a ClickHouse server's HTTP port) or chdb: (in-process), ${EXAMPLE}`,
    );
  }
  const shown = `${url.protocol}//${url.username ? `${decodeURIComponent(url.username)}@` : ''}${url.host}${url.pathname}`;
  if (url.search || url.hash) {
    throw new EngineConfigError(
      `${source}="${shown}…" must not have a query or fragment: put only the database in the path, ${EXAMPLE}`,
    );
  }
  const database = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, '')) || 'default';
  if (!DATABASE_NAME.test(database)) {
    throw new EngineConfigError(
      `${source}="${shown}" names the database "${database}": use letters, digits and _ only (one path segment), ${EXAMPLE}`,
    );
  }
  return {
    kind: 'http',
    url: `${url.protocol}//${url.host}`,
    username: decodeURIComponent(url.username) || 'default',
    password: decodeURIComponent(url.password),
    database,
    shown,
  };
}
