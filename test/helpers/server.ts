// Real servers for tests: in-process (startServer on 127.0.0.1:0) or as a child process
// running the CLI (for kill -9 and SIGTERM tests). Each gets a fresh temp data directory.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveServeConfig, type ServeFlags } from '../../src/server/config.js';
import type { ServerTimeouts } from '../../src/server/connection-limits.js';
import { type RunningServer, type ServeDeps, startServer } from '../../src/server/serve.js';
import { addSite } from '../../src/sites/manage.js';
import { createStore, type StoreConfig } from '../../src/store/create-store.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';

/** The repository (also when the suite runs from its transpiled copy, scripts/test-build.mjs). */
export const ROOT = path.resolve(import.meta.dirname, '../..').replace(/[/\\]\.test-build$/, '');

/** A real browser's user agent: requests without one are dropped as bots. */
export const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';

/** fetch() as a browser would send it (Node's own user agent counts as a bot). */
export function hit(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    ...init,
    headers: { 'user-agent': BROWSER_UA, ...(init.headers as Record<string, string>) },
  });
}

export function tempDir(prefix = 'footfall-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Adds sites to a data directory (and the engines given) while no server holds it. */
export async function seedSites(
  dataDir: string,
  domains: string[],
  engines: Pick<StoreConfig, 'clickhouseUrl' | 'databaseUrl'> = {},
): Promise<void> {
  const store = await createStore({ dataDir, ...engines });
  try {
    for (const domain of domains) await addSite(store, { domain });
  } finally {
    await store.close();
  }
}

/** The value of one line of GET /metrics, e.g. 'footfall_events_dropped_total{reason="bot"}'; 0 when absent. */
export async function metricValue(server: { url: string }, line: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found ? Number(found.split(' ')[1]) : 0;
}

export interface TestServer extends RunningServer {
  dataDir: string;
  logs: string[];
  /** SQL on the store once every acknowledged event has been loaded into it. */
  query(sql: string, params?: (string | number | boolean | null)[]): Promise<Record<string, unknown>[]>;
}

export async function startTestServer(
  options: {
    sites?: string[];
    flags?: ServeFlags;
    now?: () => number;
    dataDir?: string;
    journalFs?: ServeDeps['journalFs'];
    timeouts?: ServerTimeouts;
    wrapChdbConnection?: ServeDeps['wrapChdbConnection'];
    loadIntervalMs?: number;
    query?: ServeDeps['query'];
    schedule?: boolean;
    sleep?: ServeDeps['sleep'];
  } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  await seedSites(dataDir, options.sites ?? ['example.com'], {
    clickhouseUrl: options.flags?.clickhouseUrl,
    databaseUrl: options.flags?.databaseUrl,
  });
  const logs: string[] = [];
  const config = resolveServeConfig({ port: '0', host: '127.0.0.1', ...options.flags, dataDir }, {});
  const server = await startServer(config, {
    log: (m) => logs.push(m),
    now: options.now,
    journalFs: options.journalFs,
    timeouts: options.timeouts,
    wrapChdbConnection: options.wrapChdbConnection,
    loadIntervalMs: options.loadIntervalMs,
    query: options.query,
    schedule: options.schedule,
    sleep: options.sleep,
  });
  const query = async (sql: string, params: (string | number | boolean | null)[] = []) => {
    await server.flush();
    return server.store.queryRows(sql, params);
  };
  return Object.assign(server, { dataDir, logs, query });
}

/** Reads rows from a data directory after its server has stopped. */
export async function readEvents(
  dataDir: string,
  sql = 'SELECT * FROM events ORDER BY ts',
): Promise<Record<string, unknown>[]> {
  const store = await openDuckDbStore(dataDir);
  try {
    return await store.queryRows(sql);
  } finally {
    await store.close();
  }
}

export interface ChildServer {
  proc: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// A failed assertion must not leave a server running (it would keep the test process
// alive): test files that spawn servers call killServers() in after().
const children = new Set<ChildProcess>();

export function killServers(): void {
  for (const child of children) child.kill('SIGKILL');
}

/** Runs `footfall serve` (the CLI bundled from source, unless `cli` names another command,
 * e.g. an installed `footfall` binary) in a child process; resolves once it listens. */
export async function spawnServer(
  dataDir: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
  cli?: readonly string[],
): Promise<ChildServer> {
  const proc = spawn(
    cli?.[0] ?? process.execPath,
    [
      ...(cli ? cli.slice(1) : [await cliBundle()]),
      'serve',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data',
      dataDir,
      ...args,
    ],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(proc);
  proc.on('exit', () => children.delete(proc));
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    // Generous: on a 2-core machine shared with other test runs, a start took over 20 s.
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const check = () => {
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', check);
    proc.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening:\n${out}`));
    });
  });
  return { proc, url, output: () => out, exited };
}

// Starting the CLI through tsx costs ~1.3 s of CPU per command (it compiles every source
// file on each start); a bundle of the same source starts in ~0.5 s. The bundle is built
// once per test process from the current source (never a stale dist/footfall.js) and named
// by its content, so test files running side by side share it. It lives in dist/test/,
// from where the server finds dist/web and dist/script.js as dist/footfall.js does.
let bundled: Promise<string> | undefined;

export function cliBundle(): Promise<string> {
  bundled ??= (async () => {
    const { build } = await import('esbuild');
    // scripts/build.mjs's options for dist/footfall.js, written to memory.
    const { serverBundleOptions } = await import('../../scripts/server-bundle.mjs');
    const out = await build({ ...serverBundleOptions, write: false, outdir: path.join(ROOT, 'dist/test') });
    const code = out.outputFiles![0]!.contents;
    const file = path.join(
      ROOT,
      'dist/test',
      `footfall-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`,
    );
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true });
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, code);
      renameSync(partial, file); // atomic: a parallel test file never runs half a bundle
    }
    return file;
  })();
  return bundled;
}

/** Runs the CLI (bundled from source) and collects its output. */
export async function runCli(
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const entry = await cliBundle();
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [entry, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdin.end(options.input ?? '');
    proc.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
