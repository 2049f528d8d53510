// A test-only ClickHouse HTTP server over chdb: two `footfall serve` processes started with
// `--clickhouse-url http://127.0.0.1:<port>/<db>` share ONE ClickHouse engine (chdb binds one data
// directory per process, so the engine lives in the test process and the nodes reach it over
// HTTP). The product's code path is the one it takes to a real server: `@clickhouse/client` over
// HTTP. What the client sends and expects, and what this answers:
// - POST /?query=…&database=…&query_id=…&<setting>=…&param_<name>=… with the statement (or, for
//   an INSERT, its rows) in the body; the statement is the URL's query, the body's, or both
//   joined by a newline (ClickHouse's rule).
// - param_<name> values are passed to the engine as the client wrote them (ClickHouse's escaped
//   text form), through chdb's native binding: its JS binding would escape them a second time.
// - Settings are per request, as on a server: each is SET before the statement and SET back to
//   DEFAULT after it. chdb keeps SETs for the session, so without the reset one node's
//   insert_deduplication_token would bind the other node's next insert (and drop it).
// - Requests run one at a time on the one session: SETs and USE are session state.
// - Answers: 200 with the result bytes and X-ClickHouse-Query-Id / -Format / -Timezone /
//   -Summary; an error is "Code: N. DB::Exception: … (TYPE)" with X-ClickHouse-Exception-Code
//   and ClickHouse's HTTP status for it. GET /ping answers "Ok.\n".
// - Optional Basic authentication (a wrong login is code 516, as on a server).

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

const requireHere = createRequire(import.meta.url);

interface NativeResult {
  bytes: Uint8Array;
  elapsed: number;
  rowsRead: number;
  bytesRead: number;
}
interface ChdbNative {
  QueryAsyncConnection(
    connection: unknown,
    sql: string,
    format: string,
    params?: Record<string, string>,
  ): Promise<NativeResult>;
}
interface ChdbSession {
  connection: unknown;
  close(): void;
}

/** chdb's Session and its native binding (not exported by the package: reached by its file). */
function loadChdb(): { Session: new (dir: string) => ChdbSession; native: ChdbNative } {
  const dir = path.dirname(requireHere.resolve('chdb/package.json'));
  const { Session } = requireHere(dir) as { Session: new (dir: string) => ChdbSession };
  const native = (requireHere(path.join(dir, 'dist/loader.js')) as { loadNative(): ChdbNative }).loadNative();
  return { Session, native };
}

/** Settings of ClickHouse's HTTP layer, not of the engine (chdb refuses them in a SET). */
const HTTP_ONLY = new Set([
  'wait_end_of_query',
  'send_progress_in_http_headers',
  'http_headers_progress_interval_ms',
  'enable_http_compression',
  'http_zlib_compression_level',
  'http_response_buffer_size',
  'default_format',
]);
/** URL parameters that are not settings. */
const NOT_SETTINGS = new Set(['query', 'database', 'query_id', 'session_id', 'role', 'user', 'password']);
const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** ClickHouse's HTTP status for an exception code (its HTTPHandler's mapping, the ones met here). */
function statusFor(code: number): number {
  if (code === 516 || code === 192 || code === 194) return 403;
  if (code === 81 || code === 60) return 404;
  if (code === 62 || code === 27 || code === 36 || code === 43 || code === 53 || code === 456) return 400;
  if (code === 159) return 408;
  return 500;
}

export interface ClickHouseFront {
  /** http://127.0.0.1:<port> (add /<database> for Footfall's --clickhouse-url). */
  url: string;
  /** SQL on the shared engine (through the same queue as the nodes' requests), JSONEachRow rows. */
  rows(sql: string, database?: string): Promise<Record<string, unknown>[]>;
  /** Requests answered so far (statements, pings and failures). */
  requests(): number;
  close(): Promise<void>;
}

export async function startClickHouseFront(options: {
  /** chdb's data directory (one per test process). */
  dir: string;
  /** When given, requests must log in with these (Basic authentication). */
  login?: { username: string; password: string };
}): Promise<ClickHouseFront> {
  const { Session, native } = loadChdb();
  const session = new Session(options.dir);
  let queue: Promise<unknown> = Promise.resolve();
  let served = 0;
  /** One statement at a time: SET and USE are the session's state. */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => {});
    return run;
  };

  const execute = (
    database: string,
    settings: [string, string][],
    sql: string,
    format: string,
    params: Record<string, string>,
  ): Promise<NativeResult> =>
    serial(async () => {
      const set = settings.map(([k, v]) => `SET ${k} = '${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'; `);
      // The database name goes into USE: ClickHouse's identifier rules, backquoted.
      const use = `USE \`${database.replace(/`/g, '``')}\`; `;
      try {
        return Object.keys(params).length > 0
          ? await native.QueryAsyncConnection(session.connection, use + set.join('') + sql, format, params)
          : await native.QueryAsyncConnection(session.connection, use + set.join('') + sql, format);
      } finally {
        if (settings.length > 0) {
          const reset = settings.map(([k]) => `SET ${k} = DEFAULT`).join('; ');
          await native.QueryAsyncConnection(session.connection, reset, 'TabSeparated').catch(() => {});
        }
      }
    });

  const answerError = (res: ServerResponse, err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    const code = Number(/Code: (\d+)/.exec(message)?.[1] ?? 1002);
    const body = /DB::Exception/.test(message)
      ? message
      : `Code: ${code}. DB::Exception: ${message}. (UNKNOWN_EXCEPTION)`;
    res.writeHead(statusFor(code), {
      'content-type': 'text/plain; charset=UTF-8',
      'x-clickhouse-exception-code': String(code),
    });
    res.end(`${body}\n`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    served++;
    const url = new URL(req.url ?? '/', 'http://front');
    let body = Buffer.concat(await req.toArray());
    if (url.pathname === '/ping') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=UTF-8' });
      res.end('Ok.\n');
      return;
    }
    if (options.login && !loggedIn(req, url, options.login)) {
      answerError(
        res,
        new Error(
          'Code: 516. DB::Exception: default: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)',
        ),
      );
      return;
    }
    if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    if (String(req.headers['content-type'] ?? '').startsWith('multipart/')) {
      answerError(
        res,
        new Error(
          'Code: 1. DB::Exception: multipart parameters are not served by the test front. (UNSUPPORTED_METHOD)',
        ),
      );
      return;
    }
    const inUrl = url.searchParams.get('query') ?? '';
    const inBody = body.toString('utf8');
    const sql = inUrl && inBody ? `${inUrl}\n${inBody}` : inUrl || inBody;
    const params: Record<string, string> = {};
    const settings: [string, string][] = [];
    for (const [k, v] of url.searchParams) {
      if (k.startsWith('param_')) params[k.slice('param_'.length)] = v;
      else if (!NOT_SETTINGS.has(k) && !HTTP_ONLY.has(k)) {
        if (!SETTING_NAME.test(k)) {
          answerError(res, new Error(`Code: 115. DB::Exception: Unknown setting ${k}. (UNKNOWN_SETTING)`));
          return;
        }
        settings.push([k, v]);
      }
    }
    const format = url.searchParams.get('default_format') ?? 'TabSeparated';
    const queryId = url.searchParams.get('query_id') ?? randomUUID();
    try {
      const result = await execute(
        url.searchParams.get('database') ?? 'default',
        settings,
        sql,
        format,
        params,
      );
      const summary = {
        read_rows: String(result.rowsRead),
        read_bytes: String(result.bytesRead),
        written_rows: /^\s*INSERT\b/i.test(sql) ? String(result.rowsRead) : '0',
        written_bytes: '0',
        total_rows_to_read: '0',
        result_rows: String(result.rowsRead),
        result_bytes: String(result.bytes.byteLength),
        elapsed_ns: String(Math.round(result.elapsed * 1e9)),
      };
      res.writeHead(200, {
        'content-type': 'text/plain; charset=UTF-8',
        'x-clickhouse-query-id': queryId,
        'x-clickhouse-format': format,
        'x-clickhouse-timezone': 'UTC',
        'x-clickhouse-server-display-name': 'footfall-test-front',
        'x-clickhouse-summary': JSON.stringify(summary),
      });
      res.end(Buffer.from(result.bytes));
    } catch (err) {
      answerError(res, err);
    }
  };

  // ClickHouse takes URLs up to 1 MiB (http_max_uri_size); Node's default of 16 KiB answers a
  // long parameter list with a bare 431.
  const server: Server = createServer({ maxHeaderSize: 1024 * 1024 }, (req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) answerError(res, err);
      else res.destroy();
    });
  });
  // ClickHouse's own keep_alive_timeout (10 s): the client keeps an idle socket 2.5 s, so a shorter
  // one here would close sockets under it (ECONNRESET on its next request). close() ends them.
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    rows: async (sql, database = 'default') => {
      // 64-bit integers as strings, as Footfall's client asks: a visitor id is a UInt64.
      const r = await execute(
        database,
        [['output_format_json_quote_64bit_integers', '1']],
        sql,
        'JSONEachRow',
        {},
      );
      return Buffer.from(r.bytes)
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    requests: () => served,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue;
      session.close();
    },
  };
}

function loggedIn(req: IncomingMessage, url: URL, login: { username: string; password: string }): boolean {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const [user, ...rest] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':');
    return user === login.username && rest.join(':') === login.password;
  }
  return (
    url.searchParams.get('user') === login.username && url.searchParams.get('password') === login.password
  );
}
