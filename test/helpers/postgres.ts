// A real PostgreSQL for tests: Debian's server binaries (.ci/run installs `postgresql` when
// missing), one server per test file on a free port and a temp directory, a fresh database per
// test (freshDatabase), stopped in after(). initdb takes ~2.5 s, so its result is made once per
// machine and copied for each file. As root (CI containers) the server runs as the `postgres`
// user: PostgreSQL refuses to run as root.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** The superuser's password (host connections use scram-sha-256, so a wrong one is refused). */
export const PG_PASSWORD = 'footfall-test';

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))[0]
    : undefined;
  if (!version)
    throw new Error(
      'PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install postgresql',
    );
  return path.join(root, version, 'bin');
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as the `postgres` user when we are root. */
function command(bin: string, args: string[]): [string, string[]] {
  const file = path.join(binDir(), bin);
  return asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

function chownToPostgres(p: string): void {
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', p]);
}

/** A cluster made by initdb once per machine (and PostgreSQL version), copied for each server. */
function template(): string {
  const dir = path.join(tmpdir(), `footfall-pg-template-${path.basename(path.dirname(binDir()))}-wal1`);
  if (existsSync(path.join(dir, 'PG_VERSION'))) return dir;
  const work = mkdtempSync(path.join(tmpdir(), 'footfall-pg-init-'));
  chownToPostgres(work);
  const pwfile = path.join(work, 'pw');
  writeFileSync(pwfile, `${PG_PASSWORD}\n`);
  chownToPostgres(pwfile);
  const [file, args] = command('initdb', [
    '-D',
    path.join(work, 'data'),
    '-U',
    'postgres',
    `--pwfile=${pwfile}`,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
    // 1 MB WAL segments instead of 16: the copy each test file makes (and deletes) is 23 MB, not 39.
    '--wal-segsize=1',
  ]);
  execFileSync(file, args, { stdio: 'ignore' });
  try {
    // Two test files may make it at once: the first rename wins, the other's copy is dropped.
    renameSync(path.join(work, 'data'), dir);
  } catch {
    // another file's template is in place
  }
  rmSync(work, { recursive: true, force: true });
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface TestPostgres {
  port: number;
  /** A URL to a database on this server (which need not exist). */
  url(database: string, password?: string): string;
  /** Creates a new, empty database; resolves with its URL. */
  freshDatabase(): Promise<string>;
  /** SQL as the superuser on one database. */
  admin<T>(database: string, fn: (client: pg.Client) => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<TestPostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), 'footfall-pg-'));
  const data = path.join(dir, 'data');
  cpSync(template(), data, { recursive: true });
  chownToPostgres(dir);
  const port = await freePort();
  const [file, args] = command('postgres', [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    // A test server: speed over crash safety.
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
  ]);
  const proc: ChildProcess = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr?.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const postmasterPid = (): number | undefined => {
    try {
      return Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return undefined;
    }
  };
  // A test process that dies must not leave the server running.
  const kill = () => {
    const pid = postmasterPid();
    if (pid) {
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // gone already
      }
    }
  };
  process.once('exit', kill);
  const url = (database: string, password = PG_PASSWORD) =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  const admin = async <T>(database: string, fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url(database) });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  for (let i = 0; ; i++) {
    try {
      await admin('postgres', (c) => c.query('SELECT 1'));
      break;
    } catch (err) {
      if (i > 100 || proc.exitCode !== null) throw new Error(`PostgreSQL did not start: ${log || err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  let made = 0;
  return {
    port,
    url,
    admin,
    async freshDatabase() {
      const name = `footfall_test_${++made}`;
      await admin('postgres', (c) => c.query(`CREATE DATABASE ${name}`));
      return url(name);
    },
    async stop() {
      process.off('exit', kill);
      const pid = postmasterPid();
      if (pid) {
        // SIGINT: PostgreSQL's fast shutdown (ends sessions, no checkpoint wait for clients).
        process.kill(pid, 'SIGINT');
        for (let i = 0; i < 100 && existsSync(path.join(data, 'postmaster.pid')); i++)
          await new Promise((r) => setTimeout(r, 50));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
